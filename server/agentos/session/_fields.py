"""Checks shared by the ``from_dict`` constructors of sessions, summaries and memories.

Stored data can be edited or corrupted outside the program; these helpers turn a wrong shape
into a ``TypeError`` that says which field is wrong, so the storage layer can report the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def optional_str(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{field} must be a string, got {type(value).__name__}")


def required_str(value: Any, field: str) -> str:
    if isinstance(value, str) and value:
        return value
    raise TypeError(f"{field} must be a non-empty string, got {value!r}")


def optional_int(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{field} must be a unix timestamp, got {type(value).__name__}")
    return int(value)


def optional_dict(value: Any, field: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{field} must be an object, got {type(value).__name__}")


def optional_str_list(value: Any, field: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TypeError(f"{field} must be a list of strings, got {value!r}")
