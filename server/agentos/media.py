"""Media carried in and out of runs: images, audio, video and files.

Each item is referenced by URL, by a local path, or carried inline as bytes; providers decide
how to send it. Kept deliberately plain (slotted dataclasses) because media objects are created
per run and copied into stored messages.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from agentos._ids import new_id

_STORED_FIELDS: dict[type, tuple[str, ...]] = {}


def _stored_fields(cls: type) -> tuple[str, ...]:
    names = _STORED_FIELDS.get(cls)
    if names is None:
        names = _STORED_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in ("id", "content"))
    return names


@dataclass(slots=True)
class _Media:
    url: str | None = None
    filepath: str | None = None
    content: bytes | None = None
    mime_type: str | None = None
    id: str = field(default_factory=new_id)

    def read_bytes(self) -> bytes | None:
        """The inline bytes, or the file's bytes; None for URL-only media."""
        if self.content is not None:
            return self.content
        if self.filepath is not None:
            return Path(self.filepath).read_bytes()
        return None

    def guess_mime_type(self, default: str) -> str:
        if self.mime_type:
            return self.mime_type
        name = self.filepath or self.url or ""
        guessed, _ = mimetypes.guess_type(name)
        return guessed or default

    def to_base64(self) -> str | None:
        data = self.read_bytes()
        return base64.b64encode(data).decode("ascii") if data is not None else None

    def to_dict(self) -> dict[str, Any]:
        """The stored form: every field that is set (a subclass's own fields too: an image's
        ``detail``, an audio clip's ``format``), inline bytes as base64 text."""
        out: dict[str, Any] = {"id": self.id}
        for key in _stored_fields(type(self)):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.content is not None:
            out["content"] = base64.b64encode(self.content).decode("ascii")
        return out


@dataclass(slots=True)
class Image(_Media):
    """An image, e.g. ``Image(url="https://...")`` or ``Image(filepath="cat.png")``."""

    detail: str | None = None  # "low" | "high" | "auto" for providers that accept it
    revised_prompt: str | None = None  # set on generated images


@dataclass(slots=True)
class Audio(_Media):
    """Audio, e.g. ``Audio(content=wav_bytes, format="wav")``."""

    format: str | None = None
    transcript: str | None = None  # set on model audio output
    sample_rate: int | None = None


@dataclass(slots=True)
class Video(_Media):
    """A video clip."""

    format: str | None = None


@dataclass(slots=True)
class File(_Media):
    """A document, e.g. ``File(content=pdf_bytes, filename="a.pdf", mime_type="application/pdf")``."""

    filename: str | None = None
