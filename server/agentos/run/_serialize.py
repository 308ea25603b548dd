"""Turning run objects into plain JSON-able values.

Events and run outputs carry domain objects (messages, tool executions, media, pydantic models);
storage and the wire layer need plain dicts. One recursive converter keeps every ``to_dict``
consistent instead of each class hand-rolling its own.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from agentos.models import Message
from pydantic import BaseModel


def to_jsonable(value: Any) -> Any:
    """A JSON-compatible rendering of ``value`` (objects with ``to_dict`` use it)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if type(value) is Message:
        return message_to_dict(value)
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


# Message fields stored only when they differ from the field's default (None, False or an empty
# list), in declaration order; ``message_from_dict`` restores the defaults. Every stored run
# carries its messages (with the history it replayed, by default), so this runs for every
# message of every run saved: it is written out rather than going through ``to_jsonable``.
_MESSAGE_OPTIONAL_TEXT = ("reasoning_content", "compressed_content")
_MESSAGE_MEDIA_FIELDS = ("images", "audio", "videos", "files", "audio_output")


def message_to_dict(message: Message) -> dict[str, Any]:
    """A message as stored: JSON-able, leaving out fields that hold their default."""
    out: dict[str, Any] = {"role": message.role}
    content = message.content
    if content is not None:
        out["content"] = content if type(content) is str else to_jsonable(content)
    if message.name is not None:
        out["name"] = message.name
    if message.tool_calls:
        out["tool_calls"] = [call.to_dict() for call in message.tool_calls]
    if message.tool_call_id is not None:
        out["tool_call_id"] = message.tool_call_id
    if message.tool_name is not None:
        out["tool_name"] = message.tool_name
    if message.tool_args is not None:
        out["tool_args"] = to_jsonable(message.tool_args)
    if message.tool_call_error:
        out["tool_call_error"] = True
    if message.stop_after_tool_call:
        out["stop_after_tool_call"] = True
    for key in _MESSAGE_MEDIA_FIELDS:
        media = getattr(message, key)
        if media is not None:
            out[key] = to_jsonable(media)
    for key in _MESSAGE_OPTIONAL_TEXT:
        text = getattr(message, key)
        if text is not None:
            out[key] = text
    if message.from_history:
        out["from_history"] = True
    if message.provider_data is not None:
        out["provider_data"] = to_jsonable(message.provider_data)
    if message.metrics is not None:
        out["metrics"] = message.metrics.to_dict()
    out["id"] = message.id
    out["created_at"] = message.created_at
    return out
