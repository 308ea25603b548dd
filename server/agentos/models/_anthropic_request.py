"""Build Anthropic Messages API request bodies from provider-neutral messages and tools.

The Messages API differs from Chat Completions in ways that matter here: the system prompt is
a top-level field, roles must alternate (so consecutive same-role messages are merged), tool
results travel as ``tool_result`` blocks inside a *user* message, and tool calls are
``tool_use`` blocks whose ``input`` is a JSON object rather than a string.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agentos.media import File, Image
from agentos.models._message import Message
from agentos.models._response import ToolDefinition


def _image_block(image: Image) -> dict[str, Any]:
    if image.url is not None and image.content is None:
        return {"type": "image", "source": {"type": "url", "url": image.url}}
    data = image.to_base64()
    if data is None:
        raise ValueError(f"image {image.id} has no url, filepath or content")
    media_type = image.guess_mime_type("image/png")
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def _document_block(file: File) -> dict[str, Any]:
    if file.url is not None and file.content is None:
        return {"type": "document", "source": {"type": "url", "url": file.url}}
    data = file.to_base64()
    if data is None:
        raise ValueError(f"file {file.id} has no url, filepath or content")
    media_type = file.guess_mime_type("application/pdf")
    return {"type": "document", "source": {"type": "base64", "media_type": media_type, "data": data}}


def _text_blocks(content: str | list[Any] | None) -> list[dict[str, Any]]:
    if content is None or content == "":
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    blocks: list[dict[str, Any]] = []
    for part in content:
        if isinstance(part, str):
            blocks.append({"type": "text", "text": part})
        elif isinstance(part, dict):
            blocks.append(part)
        else:
            blocks.append({"type": "text", "text": json.dumps(part, default=str)})
    return blocks


def _tool_input(arguments: str) -> dict[str, Any]:
    try:
        value = json.loads(arguments or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _blocks(message: Message) -> list[dict[str, Any]]:
    if message.role == "tool":
        text = (
            message.compressed_content if message.compressed_content is not None else message.content_text()
        )
        block: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": message.tool_call_id or "",
            "content": text,
        }
        if message.tool_call_error:
            block["is_error"] = True
        return [block]
    if message.role == "assistant":
        blocks: list[dict[str, Any]] = []
        # Thinking blocks must be sent back, signed, with the turn that made tool calls.
        for thinking in (message.provider_data or {}).get("thinking_blocks") or ():
            blocks.append(dict(thinking))
        blocks.extend(_text_blocks(message.content_for_model()))
        for call in message.tool_calls:
            blocks.append(
                {"type": "tool_use", "id": call.id, "name": call.name, "input": _tool_input(call.arguments)}
            )
        return blocks
    blocks = _text_blocks(message.content_for_model())
    blocks.extend(_image_block(image) for image in message.images or ())
    blocks.extend(_document_block(file) for file in message.files or ())
    return blocks


def format_messages(messages: Sequence[Message]) -> tuple[str | None, list[dict[str, Any]]]:
    """The system prompt (system/developer messages joined) and the alternating message list."""
    system: list[str] = []
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.role in ("system", "developer"):
            text = (
                message.content_text() if message.compressed_content is None else message.compressed_content
            )
            if text:
                system.append(text)
            continue
        role = "assistant" if message.role == "assistant" else "user"
        blocks = _blocks(message)
        if not blocks:
            continue
        if out and out[-1]["role"] == role:
            merged = out[-1]["content"] + blocks
            # Tool results must lead a user message.
            merged.sort(key=lambda b: 0 if b.get("type") == "tool_result" else 1)
            out[-1]["content"] = merged
        else:
            out.append({"role": role, "content": blocks})
    return ("\n\n".join(system) or None), out


def format_tools(tools: Sequence[ToolDefinition]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for tool in tools:
        spec: dict[str, Any] = {"name": tool.name, "input_schema": tool.parameters}
        if tool.description:
            spec["description"] = tool.description
        out.append(spec)
    return out


def format_tool_choice(tool_choice: str | dict[str, Any]) -> dict[str, Any]:
    """OpenAI-style choices (``auto``/``none``/``required``/a tool name) in Anthropic's form."""
    if isinstance(tool_choice, dict):
        if tool_choice.get("type") == "function":  # OpenAI's {"type": "function", "function": {...}}
            return {"type": "tool", "name": tool_choice["function"]["name"]}
        return tool_choice
    if tool_choice == "required":
        return {"type": "any"}
    if tool_choice in ("auto", "none", "any"):
        return {"type": tool_choice}
    return {"type": "tool", "name": tool_choice}
