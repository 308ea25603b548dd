"""Images, audio, video and files <-> their protobuf messages.

The contract carries a medium by URL or by bytes (files also by a provider-hosted id) and never
by server-local path: a domain object that only has ``filepath`` is sent without a source (the
path is not sent; a client that wants to send a local file reads it first, off the event loop).
When a domain object has both bytes and a URL, the bytes are sent: they are what the run
actually saw, and a URL may expire. Fields the contract has and the domain lacks (``alt_text``,
``width``, ``duration``...) are left unset; ``File.external_id`` has no domain field and is not
read back (request validation rejects it, see ``_requests``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import uuid4

from agentos.media import Audio, File, Image, Video
from agentos.v1 import common_pb2

_T = TypeVar("_T")


def _fill_common(target: Any, item: Image | Audio | Video | File) -> None:
    if item.id:
        target.id = item.id
    if item.content is not None:
        target.content = bytes(item.content)
    elif item.url:
        target.url = item.url
    if item.mime_type:
        target.mime_type = item.mime_type


def fill_image(target: common_pb2.Image, item: Image) -> None:
    _fill_common(target, item)
    if item.detail:
        target.detail = item.detail
    if item.revised_prompt:
        target.revised_prompt = item.revised_prompt


def fill_audio(target: common_pb2.Audio, item: Audio) -> None:
    _fill_common(target, item)
    if item.format:
        target.format = item.format
    if item.transcript:
        target.transcript = item.transcript
    if item.sample_rate:
        target.sample_rate = item.sample_rate


def fill_video(target: common_pb2.Video, item: Video) -> None:
    _fill_common(target, item)
    if item.format:
        target.format = item.format


def fill_file(target: common_pb2.File, item: File) -> None:
    _fill_common(target, item)
    if item.filename:
        target.filename = item.filename


def _common_kwargs(pb: Any) -> dict[str, Any]:
    source = pb.WhichOneof("source")
    return {
        "id": pb.id or str(uuid4()),
        "url": pb.url if source == "url" else None,
        "content": pb.content if source == "content" else None,
        "mime_type": pb.mime_type or None,
    }


def image_from_proto(pb: common_pb2.Image) -> Image:
    return Image(**_common_kwargs(pb), detail=pb.detail or None, revised_prompt=pb.revised_prompt or None)


def audio_from_proto(pb: common_pb2.Audio) -> Audio:
    return Audio(
        **_common_kwargs(pb),
        format=pb.format or None,
        transcript=pb.transcript or None,
        sample_rate=pb.sample_rate or None,
    )


def video_from_proto(pb: common_pb2.Video) -> Video:
    return Video(**_common_kwargs(pb), format=pb.format or None)


def file_from_proto(pb: common_pb2.File) -> File:
    return File(**_common_kwargs(pb), filename=pb.filename or None)


def image_to_proto(item: Image) -> common_pb2.Image:
    out = common_pb2.Image()
    fill_image(out, item)
    return out


def audio_to_proto(item: Audio) -> common_pb2.Audio:
    out = common_pb2.Audio()
    fill_audio(out, item)
    return out


def video_to_proto(item: Video) -> common_pb2.Video:
    out = common_pb2.Video()
    fill_video(out, item)
    return out


def file_to_proto(item: File) -> common_pb2.File:
    out = common_pb2.File()
    fill_file(out, item)
    return out


def add_all(repeated: Any, items: Sequence[_T] | None, fill: Callable[[Any, _T], None]) -> None:
    """Append each item to a repeated message field, filling the new element in place."""
    if items:
        add = repeated.add
        for item in items:
            fill(add(), item)


def read_all(repeated: Sequence[Any], read: Callable[[Any], _T]) -> list[_T] | None:
    """The decoded items, or None for an empty field (the domain uses None for "no media")."""
    return [read(pb) for pb in repeated] if repeated else None
