"""The condensed form of a long conversation, kept on the session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentos.session._fields import optional_str_list


@dataclass(slots=True)
class SessionSummary:
    """A summary a model wrote of the session so far, with the topics it covered.

    ``updated_at`` is a timezone-aware datetime when the summary was produced; it travels as an
    ISO-8601 string in ``to_dict`` so that the stored form is plain JSON.
    """

    summary: str
    topics: list[str] | None = None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "topics": list(self.topics) if self.topics is not None else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionSummary:
        """Rebuild a summary; raises ``ValueError``/``TypeError`` on a malformed mapping."""
        summary = data.get("summary")
        if not isinstance(summary, str):
            raise TypeError(f"summary must be a string, got {type(summary).__name__}")
        updated_at = data.get("updated_at")
        parsed: datetime | None
        if updated_at is None:
            parsed = None
        elif isinstance(updated_at, datetime):
            parsed = updated_at
        elif isinstance(updated_at, str):
            parsed = datetime.fromisoformat(updated_at)
        else:
            raise TypeError(f"updated_at must be an ISO-8601 string, got {type(updated_at).__name__}")
        return cls(summary=summary, topics=optional_str_list(data.get("topics"), "topics"), updated_at=parsed)
