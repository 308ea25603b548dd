"""Turning run objects into plain JSON-able values.

Events and run outputs carry domain objects (messages, tool executions, media, pydantic models);
storage and the wire layer need plain dicts. One recursive converter keeps every ``to_dict``
consistent instead of each class hand-rolling its own.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from pydantic import BaseModel


def to_jsonable(value: Any) -> Any:
    """A JSON-compatible rendering of ``value`` (objects with ``to_dict`` use it)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, type):
        return value.__name__
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_jsonable(to_dict())
    if dataclasses.is_dataclass(value):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return str(value)


def dataclass_to_dict(obj: Any, *, skip_none: bool = True) -> dict[str, Any]:
    """Field-by-field rendering of a dataclass, leaving out None values (and empty lists)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if skip_none and (value is None or (isinstance(value, list | dict) and not value)):
            continue
        out[f.name] = to_jsonable(value)
    return out
