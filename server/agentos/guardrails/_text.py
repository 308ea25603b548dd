"""What a guardrail looks at: the text of a run's input or output, and how to rewrite it.

Guardrails are handed either a ``RunInput`` (pre-hook: the text lives in ``input_content``) or a
``RunOutput`` (post-hook: the text lives in ``content``). The content itself may be a string, a
``Message``, a list of parts, a dict, a pydantic model or a dataclass, so extraction walks the
value and collects every string leaf instead of relying on ``str()``: a JSON dump would escape
characters and glue quotes to values, which breaks the regexes of the built-in guardrails.

Objects are recognised by duck typing (attribute names) rather than by importing the run
package, so that guardrails keep working for team inputs/outputs and for user-defined types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Literal

from agentos.models import Message
from pydantic import BaseModel

Stage = Literal["input", "output"]

# Deep structures are walked only this far: guardrails must never recurse without bound on
# user-provided, possibly self-referencing, data.
_MAX_DEPTH = 32

# ``{"type": ..., ...}`` dicts with these types are message content parts (OpenAI/Anthropic style).
_CONTENT_PART_TYPES = frozenset(
    {
        "text",
        "input_text",
        "output_text",
        "image_url",
        "input_image",
        "image",
        "input_audio",
        "file",
        "document",
    }
)


def guardrail_stage(target: object) -> Stage:
    """Whether ``target`` is a run's input (pre-hook) or its output (post-hook).

    A ``RunInput``/``TeamRunInput`` carries ``input_content``; a ``Message`` is input unless it is
    the assistant's; anything else with a ``content`` attribute (``RunOutput``, ``TeamRunOutput``)
    is output. Plain values (a bare string, a dict) count as input, the common case for direct calls.
    """
    if hasattr(target, "input_content"):
        return "input"
    if isinstance(target, Message):
        return "output" if target.role == "assistant" else "input"
    if hasattr(target, "content") and not isinstance(target, BaseModel | dict | str):
        return "output"
    return "input"


def guardrail_content(target: object) -> Any:
    """The raw content of a run input or output (or ``target`` itself for plain values)."""
    if hasattr(target, "input_content"):
        return target.input_content
    if isinstance(target, Message):
        return target.content
    if guardrail_stage(target) == "output":
        return getattr(target, "content", None)
    return target


def extract_text(value: Any) -> str:
    """All text in ``value`` (or in a RunInput/RunOutput's content), string leaves joined by newlines.

    Numbers are included (a card number passed as an int is still a card number); bytes and
    media are not text and are skipped.
    """
    parts: list[str] = []
    _collect(guardrail_content(value), parts, 0)
    return "\n".join(part for part in parts if part)


def _collect(value: Any, parts: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH or value is None:
        return
    if isinstance(value, str):
        parts.append(value)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        parts.append(str(value))
    elif isinstance(value, Message):
        _collect(value.content, parts, depth + 1)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _collect(getattr(value, name, None), parts, depth + 1)
    elif isinstance(value, dict):
        if value.get("type") in _CONTENT_PART_TYPES:
            # A provider content part: only its text is text; "type" and media payloads are not.
            _collect(value.get("text"), parts, depth + 1)
            return
        for item in value.values():
            _collect(item, parts, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _collect(item, parts, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _collect(getattr(value, f.name, None), parts, depth + 1)


def rewrite_text(value: Any, transform: Callable[[str], str]) -> Any:
    """A copy of ``value`` with ``transform`` applied to every string leaf.

    Containers are rebuilt rather than changed in place, so a caller-owned dict passed as input is
    not modified behind the caller's back; pydantic models are copied with ``model_copy``;
    messages get their content replaced on a copy.
    """
    return _rewrite(value, transform, 0)


def _rewrite(value: Any, transform: Callable[[str], str], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, str):
        return transform(value)
    if isinstance(value, Message):
        return dataclasses.replace(value, content=_rewrite(value.content, transform, depth + 1))
    if isinstance(value, BaseModel):
        updates = {
            name: _rewrite(getattr(value, name, None), transform, depth + 1)
            for name in type(value).model_fields
        }
        return value.model_copy(update=updates)
    if isinstance(value, dict):
        if value.get("type") in _CONTENT_PART_TYPES:
            # Leave media payloads (URLs, base64) of content parts alone; only their text is text.
            return {
                key: _rewrite(item, transform, depth + 1) if key == "text" else item
                for key, item in value.items()
            }
        return {key: _rewrite(item, transform, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_rewrite(item, transform, depth + 1) for item in value]
    if isinstance(value, tuple):
        return tuple(_rewrite(item, transform, depth + 1) for item in value)
    return value


def replace_content(target: object, new_content: Any) -> bool:
    """Put ``new_content`` back where :func:`guardrail_content` found the content.

    Returns False when ``target`` is a plain value that cannot be changed in place (the caller
    then has nothing to update and must refuse instead).
    """
    if hasattr(target, "input_content"):
        target.input_content = new_content
        return True
    if isinstance(target, Message) or guardrail_stage(target) == "output":
        target.content = new_content  # type: ignore[attr-defined]
        return True
    return False
