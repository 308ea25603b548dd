"""What a model call returns, and what the engine sends alongside the messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from agentos.media import Audio, Image
from agentos.models._message import ToolCall
from agentos.models._metrics import Metrics


@dataclass(slots=True)
class ToolDefinition:
    """A tool as the model sees it: name, description and a JSON schema of its parameters."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    strict: bool = False


@dataclass(slots=True)
class ResponseFormat:
    """Structured output requested from the model.

    ``json_schema``: native structured outputs constrained by ``schema``; ``json_object``: JSON mode
    (the schema, if any, is put in the instructions by the engine instead).
    """

    kind: Literal["json_schema", "json_object"]
    schema: dict[str, Any] | None = None
    name: str = "output"
    strict: bool = True


@dataclass(slots=True)
class ModelResponse:
    """A complete model reply, or, when streaming, one delta of it.

    Streaming contract (``Model.astream``): ``content`` and ``reasoning_content`` are text deltas;
    ``tool_calls`` appear only fully assembled (an adapter buffers the fragments); ``usage`` and
    ``finish_reason`` come on the last delta.
    """

    content: str | None = None
    reasoning_content: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    audio: Audio | None = None
    images: list[Image] | None = None
    usage: Metrics | None = None
    finish_reason: str | None = None
    provider_data: dict[str, Any] | None = None
    role: str = "assistant"
