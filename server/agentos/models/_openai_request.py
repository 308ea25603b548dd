"""Build Chat Completions request bodies from our provider-neutral messages and tool definitions."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from agentos.media import Audio, File, Image
from agentos.models._message import Message
from agentos.models._response import ResponseFormat, ToolDefinition

_TOOL_CHOICE_KEYWORDS = ("auto", "none", "required")


def needs_file_reads(messages: Sequence[Message]) -> bool:
    """True when some media must be read from disk (done in a worker thread by the caller)."""
    for message in messages:
        for group in (message.images, message.audio, message.files):
            if group and any(item.content is None and item.filepath is not None for item in group):
                return True
    return False


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _image_part(image: Image) -> dict[str, Any]:
    if image.url is not None and image.content is None:
        url = image.url
    else:
        data = image.read_bytes()
        if data is None:
            raise ValueError(f"image {image.id} has no url, filepath or content")
        url = _data_url(image.guess_mime_type("image/png"), data)
    part: dict[str, Any] = {"url": url}
    if image.detail:
        part["detail"] = image.detail
    return {"type": "image_url", "image_url": part}


def _audio_part(audio: Audio) -> dict[str, Any]:
    data = audio.read_bytes()
    if data is None:
        raise ValueError(f"audio {audio.id}: OpenAI needs inline audio (content or filepath), not a URL")
    fmt = audio.format or audio.guess_mime_type("audio/wav").rsplit("/", 1)[-1]
    fmt = {"mpeg": "mp3", "x-wav": "wav"}.get(fmt, fmt)
    return {
        "type": "input_audio",
        "input_audio": {"data": base64.b64encode(data).decode("ascii"), "format": fmt},
    }


def _file_part(file: File) -> dict[str, Any]:
    data = file.read_bytes()
    if data is None:
        raise ValueError(f"file {file.id}: OpenAI needs inline file data (content or filepath), not a URL")
    name = file.filename or (file.filepath.rsplit("/", 1)[-1] if file.filepath else "file")
    mime = file.guess_mime_type("application/pdf")
    return {"type": "file", "file": {"filename": name, "file_data": _data_url(mime, data)}}


def _user_content(message: Message) -> str | list[Any] | None:
    content = message.content_for_model()
    if not (message.images or message.audio or message.files):
        return content
    parts: list[Any] = []
    if isinstance(content, list):
        parts.extend(content)
    elif content:
        parts.append({"type": "text", "text": content})
    parts.extend(_image_part(image) for image in message.images or ())
    parts.extend(_audio_part(audio) for audio in message.audio or ())
    parts.extend(_file_part(file) for file in message.files or ())
    return parts


def format_message(message: Message, role_map: Mapping[str, str] | None) -> dict[str, Any]:
    role = (role_map or {}).get(message.role, message.role)
    if message.role == "tool":
        return {
            "role": role,
            "tool_call_id": message.tool_call_id or "",
            "content": message.content_text()
            if message.compressed_content is None
            else message.compressed_content,
        }
    out: dict[str, Any] = {"role": role}
    if message.role == "assistant":
        content = message.content_for_model()
        out["content"] = content if content not in ("", []) or not message.tool_calls else None
        if message.tool_calls:
            out["tool_calls"] = [call.to_dict() for call in message.tool_calls]
    elif message.role == "user":
        out["content"] = _user_content(message)
    else:
        out["content"] = message.content_for_model()
    if message.name:
        out["name"] = message.name
    return out


def format_messages(messages: Sequence[Message], role_map: Mapping[str, str] | None) -> list[dict[str, Any]]:
    return [format_message(message, role_map) for message in messages]


def format_tools(tools: Sequence[ToolDefinition]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for tool in tools:
        function: dict[str, Any] = {"name": tool.name, "parameters": tool.parameters}
        if tool.description:
            function["description"] = tool.description
        if tool.strict:
            function["strict"] = True
        out.append({"type": "function", "function": function})
    return out


def format_tool_choice(tool_choice: str | dict[str, Any]) -> str | dict[str, Any]:
    """``"auto"``/``"none"``/``"required"`` and dicts pass through; a bare tool name forces that tool."""
    if isinstance(tool_choice, dict) or tool_choice in _TOOL_CHOICE_KEYWORDS:
        return tool_choice
    return {"type": "function", "function": {"name": tool_choice}}


def format_response_format(response_format: ResponseFormat, strict_output: bool) -> dict[str, Any]:
    if response_format.kind == "json_object" or response_format.schema is None:
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {
            "name": response_format.name,
            "schema": response_format.schema,
            "strict": bool(response_format.strict and strict_output),
        },
    }
