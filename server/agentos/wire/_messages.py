"""``Message`` <-> ``agentos.v1.Message``.

Every field travels, ``provider_data`` (e.g. Anthropic's signed thinking blocks) included, so a
client can replay a conversation to the same provider. Empty media lists come back as None;
``created_at`` has whole-second resolution, as in the domain.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from agentos.models import Message, ToolCall
from agentos.v1 import common_pb2
from agentos.wire._media import (
    add_all,
    audio_from_proto,
    file_from_proto,
    fill_audio,
    fill_file,
    fill_image,
    fill_video,
    image_from_proto,
    read_all,
    video_from_proto,
)
from agentos.wire._metrics import fill_metrics, metrics_from_proto
from agentos.wire._values import (
    fill_struct,
    fill_struct_any,
    fill_value,
    from_struct,
    from_value,
    set_timestamp,
)


def fill_message(target: common_pb2.Message, message: Message) -> None:
    if message.id:
        target.id = message.id
    target.role = message.role
    if message.content is not None:
        fill_value(target.content, message.content)
    if message.name:
        target.name = message.name
    for call in message.tool_calls:
        pb_call = target.tool_calls.add()
        pb_call.id = call.id
        pb_call.type = "function"
        pb_call.name = call.name
        pb_call.arguments = call.arguments
    if message.tool_call_id:
        target.tool_call_id = message.tool_call_id
    if message.tool_name:
        target.tool_name = message.tool_name
    if message.tool_args is not None:
        target.tool_args.SetInParent()
        fill_struct(target.tool_args, message.tool_args)
    if message.tool_call_error:
        target.tool_call_error = True
    if message.reasoning_content:
        target.reasoning_content = message.reasoning_content
    add_all(target.images, message.images, fill_image)
    add_all(target.audio, message.audio, fill_audio)
    add_all(target.videos, message.videos, fill_video)
    add_all(target.files, message.files, fill_file)
    if message.audio_output is not None:
        fill_audio(target.audio_output, message.audio_output)
    if message.compressed_content is not None:
        target.compressed_content = message.compressed_content
    if message.from_history:
        target.from_history = True
    if message.metrics is not None:
        fill_metrics(target.metrics, message.metrics)
    set_timestamp(target.created_at, message.created_at)
    if message.provider_data is not None:
        fill_struct_any(target.provider_data, message.provider_data)
    if message.stop_after_tool_call:
        target.stop_after_tool_call = True


def message_to_proto(message: Message) -> common_pb2.Message:
    out = common_pb2.Message()
    fill_message(out, message)
    return out


def message_content_from_value(pb: common_pb2.Message) -> Any:
    return from_value(pb.content) if pb.HasField("content") else None


def message_from_proto(pb: common_pb2.Message) -> Message:
    return Message(
        role=pb.role,
        content=message_content_from_value(pb),
        name=pb.name or None,
        tool_calls=[ToolCall(id=c.id, name=c.name, arguments=c.arguments) for c in pb.tool_calls],
        tool_call_id=pb.tool_call_id or None,
        tool_name=pb.tool_name or None,
        tool_args=from_struct(pb.tool_args) if pb.HasField("tool_args") else None,
        tool_call_error=pb.tool_call_error,
        images=read_all(pb.images, image_from_proto),
        audio=read_all(pb.audio, audio_from_proto),
        videos=read_all(pb.videos, video_from_proto),
        files=read_all(pb.files, file_from_proto),
        audio_output=audio_from_proto(pb.audio_output) if pb.HasField("audio_output") else None,
        reasoning_content=pb.reasoning_content or None,
        compressed_content=pb.compressed_content or None,
        from_history=pb.from_history,
        metrics=metrics_from_proto(pb.metrics) if pb.HasField("metrics") else None,
        id=pb.id or str(uuid4()),
        created_at=int(pb.created_at.seconds) if pb.HasField("created_at") else int(time.time()),
        stop_after_tool_call=pb.stop_after_tool_call,
        provider_data=from_struct(pb.provider_data) if pb.HasField("provider_data") else None,
    )


def add_messages(repeated: Any, messages: list[Message] | None) -> None:
    add_all(repeated, messages, fill_message)


def read_messages(repeated: Any) -> list[Message] | None:
    return read_all(repeated, message_from_proto)
