"""Rebuilding run objects from their ``to_dict`` form (for storage and the wire layer)."""

from __future__ import annotations

import base64
import builtins
from dataclasses import fields
from typing import Any, TypeVar

from agentos.media import Audio, File, Image, Video
from agentos.models import Message, Metrics, ToolCall, ToolExecution, UserInputField

_M = TypeVar("_M")

_TYPES_BY_NAME: dict[str, type] = {
    name: getattr(builtins, name) for name in ("str", "int", "float", "bool", "list", "dict")
}


_FIELD_NAMES: dict[type, frozenset[str]] = {}
_MESSAGE_MEDIA: tuple[tuple[str, type], ...] = (
    ("images", Image),
    ("audio", Audio),
    ("videos", Video),
    ("files", File),
)


def field_names(cls: type) -> frozenset[str]:
    """The field names of a dataclass, computed once per class (restoring stored runs calls this
    for every message of every history run)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return names


def media_from_dict(cls: type[_M], data: dict[str, Any]) -> _M:
    known = field_names(cls)
    kwargs = {k: v for k, v in data.items() if k in known}
    if isinstance(kwargs.get("content"), str):
        kwargs["content"] = base64.b64decode(kwargs["content"])
    return cls(**kwargs)


def media_list_from_dicts(cls: type[_M], items: list[dict[str, Any]] | None) -> list[_M] | None:
    return [media_from_dict(cls, item) for item in items] if items else None


def tool_call_from_dict(data: dict[str, Any]) -> ToolCall:
    function = data.get("function") or {}
    return ToolCall(
        id=str(data.get("id", "")),
        name=str(function.get("name", data.get("name", ""))),
        arguments=str(function.get("arguments", data.get("arguments", "{}"))),
    )


def message_from_dict(data: dict[str, Any]) -> Message:
    """A stored message (fields left out take their defaults; unknown keys are ignored)."""
    known = field_names(Message)
    kwargs = {k: v for k, v in data.items() if k in known}
    calls = kwargs.pop("tool_calls", None)
    if calls:
        kwargs["tool_calls"] = [tool_call_from_dict(tc) for tc in calls]
    if "metrics" in kwargs:
        kwargs["metrics"] = Metrics.from_dict(kwargs["metrics"])
    for key, cls in _MESSAGE_MEDIA:
        if key in kwargs:
            kwargs[key] = media_list_from_dicts(cls, kwargs[key])
    if isinstance(kwargs.get("audio_output"), dict):
        kwargs["audio_output"] = media_from_dict(Audio, kwargs["audio_output"])
    return Message(**kwargs)


def user_input_field_from_dict(data: dict[str, Any]) -> UserInputField:
    type_name = data.get("field_type", "str")
    return UserInputField(
        name=data["name"],
        field_type=_TYPES_BY_NAME.get(str(type_name), str),
        description=data.get("description"),
        value=data.get("value"),
    )


def tool_execution_from_dict(data: dict[str, Any]) -> ToolExecution:
    known = field_names(ToolExecution)
    kwargs = {k: v for k, v in data.items() if k in known}
    if kwargs.get("user_input_schema") is not None:
        kwargs["user_input_schema"] = [user_input_field_from_dict(f) for f in kwargs["user_input_schema"]]
    if "metrics" in kwargs:
        kwargs["metrics"] = Metrics.from_dict(kwargs["metrics"])
    return ToolExecution(**kwargs)
