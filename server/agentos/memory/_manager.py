"""``MemoryManager``: long-term memories about users, kept in the database and curated by a model.

Two kinds of operations:

* direct ones (get, add, replace, delete, clear, last_n/first_n search) are database calls;
* model-driven ones (``acreate_user_memories``, ``aupdate_memory_task``, agentic search) show a
  model the user's existing memories and let it change them through tools (add, update, delete,
  clear) bound to that user, or pick the relevant ones.

Every method is async with a sync twin (``get_user_memories`` / ``aget_user_memories``...), the
sync one driving the async one like ``Agent.run`` does. Memories belong to a ``user_id``; calls
without one use the ``"default"`` user, as Agno does, so a single-user app needs no ids.

A manager holds configuration only (no per-call state), so one manager serves concurrent calls
for many users. An Agent lends its model and database to a manager that has none
(``with_defaults``) without changing the manager the user gave it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from agentos.exceptions import ModelNotConfiguredError
from agentos.memory._prompts import SEARCH_SCHEMA, manager_system_message, search_system_message
from agentos.memory._structured import ask_json
from agentos.memory._sync import call_sync
from agentos.memory._tools import ADD, CLEAR, DELETE, UPDATE, MemoryOps
from agentos.memory._user_memory import UserMemory
from agentos.models import Message, Model
from agentos.tools import Function, execute_function

if TYPE_CHECKING:
    from agentos.db import BaseDb

logger = logging.getLogger("agentos.memory")

DEFAULT_USER_ID = "default"
RetrievalMethod = Literal["last_n", "first_n", "agentic"]

# Model rounds of one manager call: enough for "delete two, add one, update one" with a model
# that makes one call per turn, bounded so a confused model cannot loop forever.
_MAX_ROUNDS = 8


def _user(user_id: str | None) -> str:
    return user_id or DEFAULT_USER_ID


@dataclass(eq=False)
class MemoryManager:
    """Creates, updates, deletes and searches user memories (see the module docstring).

    ``system_message`` replaces the whole default system message of the model-driven calls;
    ``memory_capture_instructions`` replaces only the part that says what is worth remembering;
    ``additional_instructions`` is appended. ``add_memories`` / ``update_memories`` /
    ``delete_memories`` / ``clear_memories`` choose which tools the model gets.
    """

    model: Model | str | None = None
    system_message: str | None = None
    memory_capture_instructions: str | None = None
    additional_instructions: str | None = None
    db: BaseDb | None = None
    debug_mode: bool = False
    delete_memories: bool = True
    update_memories: bool = True
    add_memories: bool = True
    clear_memories: bool = False

    # -- configuration -------------------------------------------------------------------------

    def with_defaults(self, *, model: Model | None = None, db: BaseDb | None = None) -> MemoryManager:
        """This manager, or a copy with ``model``/``db`` filled in where it has none.

        A copy rather than an assignment: the manager may be shared by several agents (and their
        concurrent runs), and each lends its own model and database.
        """
        fill: dict[str, Any] = {}
        if self.model is None and model is not None:
            fill["model"] = model
        if self.db is None and db is not None:
            fill["db"] = db
        return dataclasses.replace(self, **fill) if fill else self

    def _db(self) -> BaseDb:
        if self.db is None:
            raise ValueError("MemoryManager has no database: pass db=<BaseDb> (memories are stored there)")
        return self.db

    def _model(self) -> Model:
        model = self.model
        if isinstance(model, str):
            from agentos.models import get_model

            resolved = get_model(model)
            if not isinstance(resolved, Model):
                raise ModelNotConfiguredError(f"get_model({model!r}) did not return a Model")
            return resolved
        if model is None:
            raise ModelNotConfiguredError(
                "MemoryManager has no model: pass model=<Model> (an Agent lends its own model)"
            )
        return model

    def tool_names(self) -> list[str]:
        """The memory tools the model is offered, from the add/update/delete/clear flags."""
        flags = (
            (ADD, self.add_memories),
            (UPDATE, self.update_memories),
            (DELETE, self.delete_memories),
            (CLEAR, self.clear_memories),
        )
        return [name for name, on in flags if on]

    # -- direct access -------------------------------------------------------------------------

    async def aget_user_memories(self, user_id: str | None = None) -> list[UserMemory]:
        """Every memory of the user, oldest first (the order they were last changed in)."""
        page = await self._db().get_user_memories(
            user_id=_user(user_id), order_by="updated_at", descending=False
        )
        return page.items

    def get_user_memories(self, user_id: str | None = None) -> list[UserMemory]:
        return call_sync("MemoryManager", "get_user_memories", lambda: self.aget_user_memories(user_id))

    async def aget_user_memory(self, memory_id: str, user_id: str | None = None) -> UserMemory | None:
        """The memory, or None when it does not exist or belongs to another user."""
        return await self._db().get_user_memory(memory_id, user_id=_user(user_id))

    def get_user_memory(self, memory_id: str, user_id: str | None = None) -> UserMemory | None:
        return call_sync(
            "MemoryManager", "get_user_memory", lambda: self.aget_user_memory(memory_id, user_id)
        )

    async def aadd_user_memory(self, memory: UserMemory, user_id: str | None = None) -> str:
        """Store a memory for the user and return its id.

        ``memory`` is updated in place with its id and user, as in Agno, so the caller can use it.
        ``user_id`` defaults to the memory's own user, then to ``"default"``.
        """
        memory.user_id = user_id or memory.user_id or DEFAULT_USER_ID
        stored = await self._db().upsert_user_memory(memory)
        assert stored.memory_id is not None
        memory.memory_id = stored.memory_id
        memory.created_at, memory.updated_at = stored.created_at, stored.updated_at
        return stored.memory_id

    def add_user_memory(self, memory: UserMemory, user_id: str | None = None) -> str:
        return call_sync("MemoryManager", "add_user_memory", lambda: self.aadd_user_memory(memory, user_id))

    async def areplace_user_memory(
        self, memory_id: str, memory: UserMemory, user_id: str | None = None
    ) -> str:
        """Replace the memory stored under ``memory_id`` (created when absent); returns the id.

        Raises ``OwnershipError`` when that id holds another user's memory.
        """
        memory.memory_id = memory_id
        memory.user_id = user_id or memory.user_id or DEFAULT_USER_ID
        memory.updated_at = None  # stamped now by the database
        stored = await self._db().upsert_user_memory(memory)
        memory.created_at, memory.updated_at = stored.created_at, stored.updated_at
        return memory_id

    def replace_user_memory(self, memory_id: str, memory: UserMemory, user_id: str | None = None) -> str:
        return call_sync(
            "MemoryManager",
            "replace_user_memory",
            lambda: self.areplace_user_memory(memory_id, memory, user_id),
        )

    async def adelete_user_memory(self, memory_id: str, user_id: str | None = None) -> bool:
        """Delete one memory of the user; False when it did not exist (or is another user's)."""
        return await self._db().delete_user_memory(memory_id, user_id=_user(user_id))

    def delete_user_memory(self, memory_id: str, user_id: str | None = None) -> bool:
        return call_sync(
            "MemoryManager", "delete_user_memory", lambda: self.adelete_user_memory(memory_id, user_id)
        )

    async def aclear(self) -> None:
        """Delete every memory of every user in the database (Agno's ``clear``)."""
        await self._db().clear_memories()

    def clear(self) -> None:
        call_sync("MemoryManager", "clear", self.aclear)

    async def aread_from_db(self, user_id: str | None = None) -> dict[str, list[UserMemory]]:
        """Memories grouped by user: one user's when ``user_id`` is given, else everyone's."""
        if user_id is not None:
            return {user_id: await self.aget_user_memories(user_id)}
        page = await self._db().get_user_memories(order_by="updated_at", descending=False)
        grouped: dict[str, list[UserMemory]] = {}
        for memory in page.items:
            grouped.setdefault(memory.user_id or DEFAULT_USER_ID, []).append(memory)
        return grouped

    def read_from_db(self, user_id: str | None = None) -> dict[str, list[UserMemory]]:
        return call_sync("MemoryManager", "read_from_db", lambda: self.aread_from_db(user_id))

    # -- search --------------------------------------------------------------------------------

    async def asearch_user_memories(
        self,
        query: str | None = None,
        limit: int | None = None,
        retrieval_method: RetrievalMethod | None = None,
        user_id: str | None = None,
    ) -> list[UserMemory]:
        """The user's memories chosen by ``retrieval_method``, in chronological order for
        ``last_n`` (the newest ``limit``; the default) and ``first_n`` (the oldest ``limit``),
        most relevant first for ``agentic`` (the model picks the memories relevant to ``query``).
        """
        method = retrieval_method or "last_n"
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, got {limit}")
        if method == "agentic":
            if not query:
                raise ValueError("agentic memory search needs a query")
            return await self._agentic_search(query, limit, _user(user_id))
        if method not in ("last_n", "first_n"):
            raise ValueError(f"unknown retrieval_method {method!r}: use 'last_n', 'first_n' or 'agentic'")
        newest_first = method == "last_n"
        page = await self._db().get_user_memories(
            user_id=_user(user_id), order_by="updated_at", descending=newest_first, limit=limit
        )
        items = page.items
        return list(reversed(items)) if newest_first else items

    def search_user_memories(
        self,
        query: str | None = None,
        limit: int | None = None,
        retrieval_method: RetrievalMethod | None = None,
        user_id: str | None = None,
    ) -> list[UserMemory]:
        return call_sync(
            "MemoryManager",
            "search_user_memories",
            lambda: self.asearch_user_memories(query, limit, retrieval_method, user_id),
        )

    async def _agentic_search(self, query: str, limit: int | None, user_id: str) -> list[UserMemory]:
        memories = await self.aget_user_memories(user_id)
        if not memories or limit == 0:
            return []
        messages = [
            Message(role="system", content=search_system_message(memories, limit)),
            Message(role="user", content=query),
        ]
        parsed, text = await ask_json(self._model(), messages, dict(SEARCH_SCHEMA), "memory_search")
        by_id = {m.memory_id: m for m in memories}
        ids = parsed.get("memory_ids") if parsed is not None else None
        if not isinstance(ids, list):
            # A model that answered in prose: take the known ids it mentions, in the order given.
            ids = sorted((mid for mid in by_id if mid and mid in text), key=text.index)
        chosen: list[UserMemory] = []
        for memory_id in ids:
            memory = by_id.get(str(memory_id))
            if memory is not None and memory not in chosen:
                chosen.append(memory)
        if self.debug_mode:
            logger.debug("agentic memory search %r for user %s chose %s", query, user_id, ids)
        return chosen[:limit] if limit is not None else chosen

    # -- model-driven changes ------------------------------------------------------------------

    async def acreate_user_memories(
        self,
        message: str | None = None,
        messages: Sequence[Message] | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
    ) -> str:
        """Let the model decide what to remember from ``message`` (or ``messages``) and apply it.

        Returns the model's closing note (or a description of the changes when it wrote none).
        """
        text = _input_text(message, messages)
        if not text.strip():
            return "No input to create memories from."
        return await self._apply_with_model(
            text, source=text, user_id=_user(user_id), agent_id=agent_id, team_id=team_id
        )

    def create_user_memories(
        self,
        message: str | None = None,
        messages: Sequence[Message] | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
    ) -> str:
        return call_sync(
            "MemoryManager",
            "create_user_memories",
            lambda: self.acreate_user_memories(message, messages, agent_id, team_id, user_id),
        )

    async def aupdate_memory_task(self, task: str, user_id: str | None = None) -> str:
        """Carry out a free-text instruction about the user's memories ("remember that...",
        "forget my address"); what the agentic-memory tool of an Agent calls."""
        if not task.strip():
            raise ValueError("the memory task is empty")
        return await self._apply_with_model(
            task, source=task, user_id=_user(user_id), agent_id=None, team_id=None
        )

    def update_memory_task(self, task: str, user_id: str | None = None) -> str:
        return call_sync(
            "MemoryManager", "update_memory_task", lambda: self.aupdate_memory_task(task, user_id)
        )

    async def _apply_with_model(
        self, text: str, *, source: str, user_id: str, agent_id: str | None, team_id: str | None
    ) -> str:
        db = self._db()
        model = self._model()
        ops = MemoryOps(db, user_id=user_id, agent_id=agent_id, team_id=team_id, source=source)
        names = self.tool_names()
        if self.system_message is not None:
            system = self.system_message
        else:
            existing = await self.aget_user_memories(user_id)
            system = manager_system_message(
                capture_instructions=self.memory_capture_instructions,
                additional_instructions=self.additional_instructions,
                existing=existing,
                tool_names=names,
            )
        reply = await _tool_loop(
            model, system, text, ops.functions(names), failed=lambda: ops.failure is not None
        )
        if ops.failure is not None:
            raise ops.failure
        if self.debug_mode:
            logger.debug("memory update for user %s: %s (%s)", user_id, ops.changes.describe(), reply)
        return reply or ops.changes.describe()


def _input_text(message: str | None, messages: Sequence[Message] | None) -> str:
    """One user-turn text for the manager's model: the message, or the messages as a transcript.

    A single user turn (rather than the original roles) keeps the call valid for every provider:
    replayed assistant turns with tool calls but no results would be rejected.
    """
    if message is not None and not messages:
        return message
    parts: list[str] = [message] if message else []
    given = [
        m
        for m in messages or ()
        if m.role not in ("system", "developer", "tool") and m.content_text().strip()
    ]
    if given and all(m.role == "user" for m in given):
        parts.extend(m.content_text() for m in given)
        return "\n\n".join(parts)
    lines = [f"{m.role}: {m.content_text()}" for m in given]
    if lines:
        parts.append("<conversation>\n" + "\n".join(lines) + "\n</conversation>")
    return "\n\n".join(parts)


async def _tool_loop(
    model: Model,
    system: str,
    text: str,
    functions: Sequence[Function],
    *,
    failed: Callable[[], bool] | None = None,
) -> str:
    """Model, tools, repeat until the model answers without tool calls; returns its last text.

    Tool calls of one turn run in order (not concurrently): "delete X then add Y" must not race.
    """
    by_name = {f.name: f for f in functions}
    definitions = [f.to_definition() for f in functions] or None
    messages = [Message(role="system", content=system), Message(role="user", content=text)]
    last = ""
    for _ in range(_MAX_ROUNDS):
        response = await model.ainvoke(messages, tools=definitions)
        last = response.content or last
        messages.append(
            Message(role="assistant", content=response.content, tool_calls=list(response.tool_calls))
        )
        if not response.tool_calls:
            return response.content or ""
        for call in response.tool_calls:
            function = by_name.get(call.name)
            error = False
            if function is None:
                content, error = f"Error: there is no tool named {call.name!r}.", True
            else:
                try:
                    args = call.parsed_arguments()
                except ValueError as exc:
                    content, error = f"Error: {exc}", True
                else:
                    result = await execute_function(function, args, call_id=call.id, run_context=None)
                    content, error = result.content, result.error is not None
                    if failed is not None and failed():
                        return last  # the database failed: stop asking the model
            messages.append(
                Message(
                    role="tool",
                    content=content,
                    tool_call_id=call.id,
                    tool_name=call.name,
                    tool_call_error=error,
                )
            )
    logger.warning("memory manager stopped after %d model rounds with tool calls still pending", _MAX_ROUNDS)
    return last
