"""User memories in the Agent's runs: the hook-up between the run loop and ``MemoryManager``.

Three settings, as in Agno:

* ``enable_agentic_memory``: the model gets an ``update_user_memory(task)`` tool that hands the
  task to the memory manager. It wins over ``enable_user_memories``.
* ``enable_user_memories``: once a run's answer is ready, the memory manager reads the run's
  user input and updates the user's memories.
* ``add_memories_to_context`` (default: on when either mode is on): the user's memories go in
  the system message.

The manager is the Agent's ``memory_manager`` (or a default one) with the Agent's model and db
lent to it when it has none. Memories belong to the run's ``user_id`` (``"default"`` without
one, as in Agno); every call names the user, so concurrent runs of many users never mix.

Automatic memory runs off the answer's critical path. In async code (``arun``, servers) the
update is a background task: the run returns, and a stream emits its terminal event, without
waiting for the memory model. The trade-offs:

* ``MemoryUpdateStarted`` is emitted when the task starts, but ``MemoryUpdateCompleted`` only if
  the task finished before the run's terminal event (the stream is over after that); the update
  is not part of the stored run either.
* Token usage: the memory model's usage is added to the run's metrics (per model in
  ``details``) only when the update finished before the run is stored, i.e. when
  ``MemoryUpdateCompleted`` is reported (always in sync runs). A later finish cannot change a
  run that is already stored and delivered, so that usage is not in any run's metrics. The
  agentic memory tool's model calls are not counted either (they happen inside a tool call).
* Read-your-writes: a later run of the same user on the same event loop that puts memories in
  context first waits (up to ``PENDING_WAIT_SECONDS``) for that user's pending updates, and so
  does ``Agent.aget_user_memories`` through ``user_memories``; otherwise a quick follow-up
  question would not see what the user just said.
* ``await wait_for_memory_updates()`` (``Agent.await_background_tasks``) waits for every pending
  update of the current loop: call it before shutting down or in tests.

The sync API (``Agent.run``) drives the loop only while it runs, so a background task would be
frozen until the next sync call on that thread, and lost if the program exited. Sync runs
therefore finish the memory update before returning (both events are then emitted), which is
what Agno does in every mode.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agentos.memory import DEFAULT_USER_ID, MemoryManager, UserMemory, memories_for_context
from agentos.models import Message, Metrics, Model, record_model_usage
from agentos.run import MemoryUpdateCompletedEvent, MemoryUpdateStartedEvent, RunContext, RunEvent
from agentos.tools import Function

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.agent._state import RunState
    from agentos.run import RunOutputEvent

logger = logging.getLogger("agentos.agent")

# How long a run (or a memory read) waits for the same user's pending memory updates.
PENDING_WAIT_SECONDS = 30.0

# loop -> user_id -> pending memory-update tasks. Per loop: a task can only be awaited on its own
# loop. Weak keys: a closed, dropped loop takes its entry with it.
_PENDING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, set[asyncio.Task[None]]]] = (
    weakref.WeakKeyDictionary()
)


# Settings ---------------------------------------------------------------------------------------


def agentic(agent: Agent) -> bool:
    return bool(agent.enable_agentic_memory)


def automatic(agent: Agent) -> bool:
    """Memories are created after each run (agentic memory wins over it, as in Agno)."""
    return bool(agent.enable_user_memories) and not agentic(agent)


def memories_in_context(agent: Agent) -> bool:
    if agent.add_memories_to_context is not None:
        return bool(agent.add_memories_to_context)
    return bool(agent.enable_user_memories or agent.enable_agentic_memory)


def manager_for(agent: Agent, model: Model | None = None) -> MemoryManager:
    """The Agent's memory manager with the Agent's model and db lent where it has none."""
    configured = agent.memory_manager
    if configured is not None and not isinstance(configured, MemoryManager):
        raise TypeError(f"memory_manager must be a MemoryManager, got {type(configured).__name__}")
    manager = configured if configured is not None else MemoryManager()
    if manager.model is None and model is None:
        model = agent._main_model()
    return manager.with_defaults(model=model, db=agent.db)


def _user(user_id: str | None) -> str:
    return user_id or DEFAULT_USER_ID


# Background tasks -------------------------------------------------------------------------------


def _track(user_id: str, task: asyncio.Task[None]) -> None:
    by_user = _PENDING.setdefault(task.get_loop(), {})
    tasks = by_user.setdefault(user_id, set())
    tasks.add(task)

    def forget(done: asyncio.Task[None]) -> None:
        tasks.discard(done)
        if not tasks and by_user.get(user_id) is tasks:
            del by_user[user_id]

    task.add_done_callback(forget)


def _pending(user_id: str | None = None) -> list[asyncio.Task[None]]:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return []
    by_user = _PENDING.get(loop, {})
    if user_id is not None:
        return list(by_user.get(user_id, ()))
    return [task for tasks in by_user.values() for task in tasks]


async def wait_for_memory_updates(user_id: str | None = None, max_wait: float | None = None) -> None:
    """Wait for the pending background memory updates of this event loop (of one user when
    ``user_id`` is given). Failures were already logged by the tasks; they are not raised here."""
    tasks = _pending(user_id)
    while tasks:
        done, not_done = await asyncio.wait(tasks, timeout=max_wait)
        if not_done:
            logger.warning("%d memory update(s) still running after %ss", len(not_done), max_wait)
            return
        # Updates started while waiting (other runs finishing) are waited for too.
        tasks = [t for t in _pending(user_id) if t not in done]


async def user_memories(agent: Agent, user_id: str | None) -> list[UserMemory] | None:
    """The user's memories as the Agent sees them, oldest first, once that user's pending updates
    are stored; None when the Agent has no database for memories."""
    manager = agent.memory_manager
    db = getattr(manager, "db", None) or agent.db
    if db is None:
        return None
    user = _user(user_id or agent.user_id)
    await wait_for_memory_updates(user, max_wait=PENDING_WAIT_SECONDS)
    configured = manager if isinstance(manager, MemoryManager) else MemoryManager()
    return await configured.with_defaults(db=db).aget_user_memories(user)


# Context -----------------------------------------------------------------------------------------


async def memory_context(state: RunState) -> str | None:
    """The system-message section with the user's memories (None when not wanted or no db)."""
    agent = state.agent
    if not memories_in_context(agent):
        return None
    memories = await user_memories(agent, state.context.user_id)
    if memories is None:
        logger.warning(
            "agent %s: memories are enabled but there is no db to keep them in", agent.name or agent.id
        )
        return None
    return memories_for_context(memories, agentic=agentic(agent))


# Agentic memory -----------------------------------------------------------------------------------


async def update_user_memory(agent: Any, run_context: RunContext, task: str) -> str:
    """Change what you remember about the user: add new facts, correct or delete remembered ones,
    or forget everything when asked. The task is carried out by the memory system.

    Args:
        task: What to change, in plain words, e.g. "Remember that the user's name is Ann" or
            "Forget the user's old address".
    """
    manager = manager_for(agent)
    if manager.db is None:
        return "Error: memories cannot be stored: the agent has no database."
    return await manager.aupdate_memory_task(task, user_id=_user(run_context.user_id))


_AGENTIC_TOOL = Function.from_callable(update_user_memory)


def memory_tools(agent: Agent) -> list[Function]:
    """The tools memory settings add to an Agent (shared, stateless Functions)."""
    return [_AGENTIC_TOOL] if agentic(agent) else []


# Automatic memory -----------------------------------------------------------------------------------


def _run_user_messages(state: RunState) -> list[Message]:
    """The messages the user sent in this run (not history, few-shot examples or the system)."""
    few_shot = {id(m) for m in state.output.additional_input or ()}
    role = state.agent.user_message_role
    return [
        m
        for m in state.messages
        if m.role == role and not m.from_history and id(m) not in few_shot and m.content_text().strip()
    ]


def _on_sync_wrapper_loop() -> bool:
    from agentos.agent import _sync

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    return loop is getattr(_sync._local, "loop", None)


@dataclass
class MemoryUpdate:
    """The automatic memory update of one run, as the run loop sees it.

    ``start()`` launches it once the answer is ready; ``before_completion()`` reports it as
    completed if it finished before the run's terminal event (see the module docstring).
    """

    state: RunState
    task: asyncio.Task[None] | None = None
    finished_inline: bool = False
    completed_reported: bool = field(default=False)
    # The memory model's usage, recorded by the update (in its own task: see record_model_usage).
    usage: Metrics = field(default_factory=Metrics)

    @classmethod
    def for_run(cls, state: RunState) -> MemoryUpdate:
        return cls(state)

    async def start(self) -> AsyncIterator[RunOutputEvent]:
        state = self.state
        agent = state.agent
        if not automatic(agent):
            return
        messages = _run_user_messages(state)
        if not messages:
            return
        manager = manager_for(agent, state.model)
        if manager.db is None:
            logger.warning(
                "agent %s: enable_user_memories needs a db to keep memories in", agent.name or agent.id
            )
            return
        if state.options.wants(RunEvent.memory_update_started.value):
            yield state.emit(MemoryUpdateStartedEvent())
        user = _user(state.context.user_id)
        update = _update(manager, messages, user, agent.id, state.output.run_id)
        if _on_sync_wrapper_loop():
            with record_model_usage(self.usage):
                await state.cancel.guard(update)
            self.finished_inline = True
            for event in self.before_completion():
                yield event
            return
        # The task copies the context as it is created: it records into self.usage, the run's
        # own context does not.
        with record_model_usage(self.usage):
            self.task = asyncio.get_running_loop().create_task(
                update, name=f"memory-update-{state.output.run_id}"
            )
        _track(user, self.task)

    def before_completion(self) -> Iterator[RunOutputEvent]:
        finished = self.finished_inline or (self.task is not None and self.task.done())
        if not finished or self.completed_reported:
            return
        self.completed_reported = True
        state = self.state
        for key, usage in self.usage.details.items():
            state.metrics.add_usage(key, usage)
        if state.options.wants(RunEvent.memory_update_completed.value):
            yield state.emit(MemoryUpdateCompletedEvent())


async def _update(
    manager: MemoryManager, messages: list[Message], user_id: str, agent_id: str, run_id: str | None
) -> None:
    try:
        await manager.acreate_user_memories(messages=messages, agent_id=agent_id, user_id=user_id)
    except asyncio.CancelledError:
        raise
    except Exception:
        # Nobody awaits a background update: its failure is logged, not raised. The run's answer
        # is unaffected; the memories are simply not updated this time.
        logger.exception("memory update after run %s (user %s) failed", run_id, user_id)
