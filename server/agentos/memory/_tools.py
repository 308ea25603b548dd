"""The tools a memory manager's model uses to change one user's memories.

One ``MemoryOps`` is made per manager call and bound to that call's user: the model can only
touch that user's memories whatever ids it sends (a memory of another user looks absent), so
concurrent calls for different users cannot leak into each other. Each tool writes to the
database at once; the object also records what changed so the caller can report it.

``agentos.db`` is only imported for typing: the database package imports this package (for
``UserMemory``), so a module-level import would be circular.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from agentos.memory._user_memory import UserMemory
from agentos.tools import Function, tool

if TYPE_CHECKING:
    from agentos.db import BaseDb

# Tool names, in the order they are offered.
ADD, UPDATE, DELETE, CLEAR = "add_memory", "update_memory", "delete_memory", "clear_memory"
ALL_TOOLS = (ADD, UPDATE, DELETE, CLEAR)

_T = TypeVar("_T")


@dataclass
class MemoryChanges:
    """What one manager call did to the user's memories."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    cleared: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.cleared)

    def describe(self) -> str:
        if not self.changed:
            return "No memories were changed."
        parts = []
        if self.cleared:
            parts.append("cleared all memories")
        for label, ids in (("added", self.added), ("updated", self.updated), ("deleted", self.deleted)):
            if ids:
                parts.append(f"{label} {len(ids)}")
        return "Memories " + ", ".join(parts) + "."


def _clean_topics(topics: Sequence[str] | None) -> list[str] | None:
    if not topics:
        return None
    cleaned = [t.strip() for t in topics if isinstance(t, str) and t.strip()]
    return cleaned or None


class MemoryOps:
    """Memory tools bound to one user (and the agent/team and input the memories come from)."""

    def __init__(
        self,
        db: BaseDb,
        *,
        user_id: str,
        agent_id: str | None = None,
        team_id: str | None = None,
        source: str | None = None,
    ) -> None:
        self._db = db
        self.user_id = user_id
        self.agent_id = agent_id
        self.team_id = team_id
        self.source = source
        self.changes = MemoryChanges()
        # A database failure inside a tool: tool errors are reported to the model, but a storage
        # outage must reach the caller too, so the manager re-raises it after the model's turn.
        self.failure: BaseException | None = None

    async def _stored(self, operation: Awaitable[_T]) -> _T:
        try:
            return await operation
        except Exception as exc:
            self.failure = exc
            raise

    def functions(self, names: Sequence[str]) -> list[Function]:
        """The bound tools among ``names`` (a subset of ``ALL_TOOLS``), in offering order."""
        available = {
            ADD: self.add_memory,
            UPDATE: self.update_memory,
            DELETE: self.delete_memory,
            CLEAR: self.clear_memory,
        }
        return [available[name] for name in ALL_TOOLS if name in names]

    @tool
    async def add_memory(self, memory: str, topics: list[str] | None = None) -> str:
        """Remember a new fact about the user.

        Args:
            memory: The fact, as one short sentence about the user (e.g. "The user's name is Sarah").
            topics: One to three short topics the fact is about (e.g. ["name"], ["food", "preferences"]).
        """
        text = memory.strip()
        if not text:
            return "Error: the memory is empty; nothing was added."
        stored = await self._stored(
            self._db.upsert_user_memory(
                UserMemory(
                    memory=text,
                    topics=_clean_topics(topics),
                    input=self.source,
                    user_id=self.user_id,
                    agent_id=self.agent_id,
                    team_id=self.team_id,
                )
            )
        )
        assert stored.memory_id is not None
        self.changes.added.append(stored.memory_id)
        return f"Memory added with id {stored.memory_id}."

    @tool
    async def update_memory(self, memory_id: str, memory: str, topics: list[str] | None = None) -> str:
        """Replace an existing memory of the user with a corrected or extended version.

        Args:
            memory_id: The id of the memory to replace, as listed in the existing memories.
            memory: The new text of the memory, as one short sentence about the user.
            topics: One to three short topics the memory is about.
        """
        existing = await self._stored(self._db.get_user_memory(memory_id, user_id=self.user_id))
        if existing is None:
            return f"Error: there is no memory with id {memory_id!r}; use add_memory for a new fact."
        text = memory.strip()
        if not text:
            return "Error: the new memory text is empty; use delete_memory to forget a memory."
        existing.memory = text
        existing.topics = _clean_topics(topics) or existing.topics
        existing.input = self.source or existing.input
        existing.updated_at = None  # stamped now by the database
        await self._stored(self._db.upsert_user_memory(existing))
        self.changes.updated.append(memory_id)
        return f"Memory {memory_id} updated."

    @tool
    async def delete_memory(self, memory_id: str) -> str:
        """Forget one memory of the user (when it is wrong, outdated, or the user asks to forget it).

        Args:
            memory_id: The id of the memory to delete, as listed in the existing memories.
        """
        if not await self._stored(self._db.delete_user_memory(memory_id, user_id=self.user_id)):
            return f"Error: there is no memory with id {memory_id!r}."
        self.changes.deleted.append(memory_id)
        return f"Memory {memory_id} deleted."

    @tool
    async def clear_memory(self) -> str:
        """Forget everything remembered about the user (only when the user asks for it)."""
        page = await self._stored(self._db.get_user_memories(user_id=self.user_id))
        ids = [m.memory_id for m in page.items if m.memory_id is not None]
        await self._stored(self._db.delete_user_memories(ids, user_id=self.user_id))
        self.changes.cleared = True
        self.changes.deleted.extend(ids)
        return f"All {len(ids)} memories of the user were deleted."
