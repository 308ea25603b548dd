"""A long-term fact about a user, remembered across sessions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentos.session._fields import optional_int, optional_str, optional_str_list


@dataclass
class UserMemory:
    """One memory. ``input`` keeps the text it was learned from, so it can be re-examined later.

    ``memory_id`` is assigned by the database when left empty. Timestamps are unix seconds.
    """

    memory: str
    memory_id: str | None = None
    topics: list[str] | None = None
    input: str | None = None
    user_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    created_at: int | None = None
    updated_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "memory_id": self.memory_id,
            "memory": self.memory,
            "topics": list(self.topics) if self.topics is not None else None,
            "input": self.input,
            "user_id": self.user_id,
            "agent_id": self.agent_id,
            "team_id": self.team_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserMemory:
        """Rebuild a memory; raises ``TypeError`` naming the field when the mapping is malformed."""
        memory = data.get("memory")
        if not isinstance(memory, str):
            raise TypeError(f"memory must be a string, got {type(memory).__name__}")
        return cls(
            memory=memory,
            memory_id=optional_str(data.get("memory_id"), "memory_id"),
            topics=optional_str_list(data.get("topics"), "topics"),
            input=optional_str(data.get("input"), "input"),
            user_id=optional_str(data.get("user_id"), "user_id"),
            agent_id=optional_str(data.get("agent_id"), "agent_id"),
            team_id=optional_str(data.get("team_id"), "team_id"),
            created_at=optional_int(data.get("created_at"), "created_at"),
            updated_at=optional_int(data.get("updated_at"), "updated_at"),
        )
