"""What the user sent to a run: the input itself plus media."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agentos.media import Audio, File, Image, Video
from agentos.run._serialize import to_jsonable
from pydantic import BaseModel


@dataclass(slots=True)
class RunInput:
    """The run's input as given (str, dict, list, Message(s) or a pydantic model) and its media.

    Kept verbatim so that guardrails and hooks see exactly what the caller sent.
    """

    input_content: Any = None
    images: list[Image] | None = None
    videos: list[Video] | None = None
    audio: list[Audio] | None = None
    files: list[File] | None = None

    def input_content_string(self) -> str:
        """The input as text, e.g. for guardrails that scan it."""
        content = self.input_content
        if content is None:
            return ""
        if isinstance(content, str):
            return content
        if isinstance(content, BaseModel):
            return content.model_dump_json()
        text_of = getattr(content, "content_text", None)
        if callable(text_of):
            return str(text_of())
        if isinstance(content, list):
            return "\n".join(
                str(item.content_text()) if hasattr(item, "content_text") else _dump(item) for item in content
            )
        return _dump(content)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"input_content": to_jsonable(self.input_content)}
        for key in ("images", "videos", "audio", "files"):
            value = getattr(self, key)
            if value:
                out[key] = [item.to_dict() for item in value]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunInput:
        from agentos.run._restore import media_list_from_dicts

        return cls(
            input_content=data.get("input_content"),
            images=media_list_from_dicts(Image, data.get("images")),
            videos=media_list_from_dicts(Video, data.get("videos")),
            audio=media_list_from_dicts(Audio, data.get("audio")),
            files=media_list_from_dicts(File, data.get("files")),
        )


def _dump(value: Any) -> str:
    try:
        return json.dumps(to_jsonable(value))
    except (TypeError, ValueError):
        return str(value)
