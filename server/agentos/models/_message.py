"""The conversation unit exchanged with models and stored with runs."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from agentos._ids import new_id
from agentos.media import Audio, File, Image, Video
from agentos.models._metrics import Metrics


@dataclass(slots=True)
class ToolCall:
    """A tool call requested by the model. ``arguments`` is the raw JSON text the model produced,
    kept unparsed so that malformed JSON can be reported back to the model precisely."""

    id: str
    name: str
    arguments: str = "{}"

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; raises ValueError with a readable reason when malformed."""
        text = self.arguments.strip() or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"tool arguments are not valid JSON: {exc.msg} at position {exc.pos}") from exc
        if not isinstance(value, dict):
            raise ValueError(f"tool arguments must be a JSON object, got {type(value).__name__}")
        return value

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(slots=True)
class Message:
    """One message of a conversation: role is "system", "user", "assistant" or "tool"."""

    role: str
    content: str | list[Any] | None = None
    name: str | None = None
    # Assistant messages: the tool calls the model asked for.
    tool_calls: list[ToolCall] = field(default_factory=list)
    # Tool messages: which call this result answers, and about which tool.
    tool_call_id: str | None = None
    tool_name: str | None = None
    tool_args: dict[str, Any] | None = None
    tool_call_error: bool = False
    stop_after_tool_call: bool = False
    images: list[Image] | None = None
    audio: list[Audio] | None = None
    videos: list[Video] | None = None
    files: list[File] | None = None
    audio_output: Audio | None = None
    reasoning_content: str | None = None
    # Set by the CompressionManager: a shorter stand-in sent to the model instead of content.
    compressed_content: str | None = None
    # True for messages replayed from earlier runs (history), so they are not stored twice.
    from_history: bool = False
    # Structured data the provider returned alongside the message (e.g. Anthropic content blocks).
    provider_data: dict[str, Any] | None = None
    metrics: Metrics | None = None
    id: str = field(default_factory=new_id)
    created_at: int = field(default_factory=lambda: int(time.time()))

    def content_text(self) -> str:
        """The content as text (list content is joined; None becomes "")."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        parts: list[str] = []
        for part in self.content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                parts.append(json.dumps(part, default=str))
        return "\n".join(parts)

    def content_for_model(self) -> str | list[Any] | None:
        """What a provider should send: the compressed stand-in when there is one."""
        return self.compressed_content if self.compressed_content is not None else self.content
