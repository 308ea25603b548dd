"""Memories in Agent runs: automatic (background) updates, agentic memory, memories in context,
and per-user isolation under concurrency."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest
from agentos.agent import Agent, RunEvent, RunStatus
from agentos.db import BaseDb, InMemoryDb
from agentos.memory import MemoryManager, UserMemory
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, tool_call, tool_calls

# A deadlock guard, not a timing assertion: the awaited thing finishes at once when the code is right.
GUARD = 30


def remember_names(messages: list[Message], info: ModelCallInfo) -> Any:
    """A memory model: "my name is X" becomes a memory (once), then it says it is done."""
    if info.turn > 0:
        return "saved"
    name = re.search(r"my name is (\S+)", messages[-1].content_text(), re.I)
    if not name:
        return "nothing to remember"
    return tool_call("add_memory", memory=f"The user's name is {name.group(1)}", topics=["name"])


class Gate:
    """A memory model that waits for ``release`` before answering: proves who waits for it."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = asyncio.Event()

    async def __call__(self, messages: list[Message], info: ModelCallInfo) -> Any:
        self.entered.set()
        await self.release.wait()
        return remember_names(messages, info)


def system_of(messages: list[Message]) -> str:
    return messages[0].content_text() if messages and messages[0].role == "system" else ""


class Answerer:
    """The agent's model: records the system message of each call and answers "ok"."""

    def __init__(self) -> None:
        self.systems: list[str] = []

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> str:
        self.systems.append(system_of(messages))
        return "ok"


async def memories_of(db: BaseDb, user_id: str) -> list[str]:
    page = await db.get_user_memories(user_id=user_id)
    return sorted(m.memory for m in page.items)


# -- automatic memory ---------------------------------------------------------------------------------


async def test_the_run_returns_before_the_memory_model_answers(db: BaseDb) -> None:
    gate = Gate()
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(fn=gate)),
    )
    output = await asyncio.wait_for(agent.arun("Hi, my name is Ann", user_id="ann"), GUARD)
    assert output.status == RunStatus.completed and output.content == "ok"
    # The memory model is still waiting: the run did not wait for it.
    await asyncio.wait_for(gate.entered.wait(), GUARD)
    assert await memories_of(db, "ann") == []
    gate.release.set()
    await asyncio.wait_for(agent.await_background_tasks(), GUARD)
    assert await memories_of(db, "ann") == ["The user's name is Ann"]
    [memory] = (await db.get_user_memories(user_id="ann")).items
    assert memory.agent_id == agent.id and memory.input == "Hi, my name is Ann"


async def test_a_stream_ends_without_waiting_for_the_memory_update() -> None:
    gate = Gate()
    db = InMemoryDb()
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(fn=gate)),
    )

    async def collect() -> list[str]:
        return [
            e.event async for e in agent.arun("my name is Bo", user_id="bo", stream=True, stream_events=True)
        ]

    events = await asyncio.wait_for(collect(), GUARD)
    assert events[-1] == RunEvent.run_completed.value
    # Started is reported; Completed cannot be, the update finishes after the stream.
    assert RunEvent.memory_update_started.value in events
    assert RunEvent.memory_update_completed.value not in events
    assert events.index(RunEvent.memory_update_started.value) < events.index(RunEvent.run_completed.value)
    gate.release.set()
    await asyncio.wait_for(agent.await_background_tasks(), GUARD)
    assert await memories_of(db, "bo") == ["The user's name is Bo"]


def test_sync_runs_finish_the_memory_update_before_returning() -> None:
    db = InMemoryDb()  # not SQLite: its connections would stay open on the sync API's private loop
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(fn=remember_names)),
    )
    events = [e.event for e in agent.run("my name is Cy", user_id="cy", stream=True, stream_events=True)]
    started = events.index(RunEvent.memory_update_started.value)
    completed = events.index(RunEvent.memory_update_completed.value)
    assert started < completed < events.index(RunEvent.run_completed.value)
    memories = agent.get_user_memories("cy")
    assert memories is not None and [m.memory for m in memories] == ["The user's name is Cy"]


async def test_memories_are_made_from_the_users_input_only() -> None:
    seen: list[str] = []

    def memory_model(messages: list[Message], info: ModelCallInfo) -> str:
        seen.append(messages[-1].content_text())
        return "nothing"

    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=InMemoryDb(),
        instructions="Be nice.",
        additional_input=["An example question"],
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(fn=memory_model)),
    )
    await agent.arun("I like jazz", user_id="u")
    await agent.await_background_tasks()
    assert seen == ["I like jazz"]


async def test_a_failing_memory_model_does_not_fail_the_run(caplog: pytest.LogCaptureFixture) -> None:
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=InMemoryDb(),
        enable_user_memories=True,
        memory_manager=MemoryManager(model=ScriptedModel(steps=[RuntimeError("memory model broke")])),
    )
    with caplog.at_level(logging.ERROR, logger="agentos.agent"):
        output = await agent.arun("my name is Di", user_id="di")
        await agent.await_background_tasks()
    assert output.status == RunStatus.completed
    assert any("memory update after run" in r.getMessage() for r in caplog.records)


async def test_memories_without_a_db_are_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    agent = Agent(model=FunctionModel(fn=Answerer()), enable_user_memories=True)
    with caplog.at_level(logging.WARNING, logger="agentos.agent"):
        output = await agent.arun("my name is Ed")
    assert output.status == RunStatus.completed
    assert any("no db" in r.getMessage() or "needs a db" in r.getMessage() for r in caplog.records)


# -- memories in context ------------------------------------------------------------------------------


async def test_the_users_memories_are_in_the_system_message(db: BaseDb) -> None:
    answerer = Answerer()
    manager = MemoryManager(db=db)
    await manager.aadd_user_memory(UserMemory(memory="Ann is allergic to nuts"), user_id="ann")
    await manager.aadd_user_memory(UserMemory(memory="Bob plays the cello"), user_id="bob")
    agent = Agent(model=FunctionModel(fn=answerer), db=db, add_memories_to_context=True, instructions="Help.")
    await agent.arun("what should I eat?", user_id="ann")
    await agent.arun("what should I play?", user_id="bob")
    await agent.arun("who am I?")  # the default user has no memories
    ann, bob, nobody = answerer.systems
    assert "Ann is allergic to nuts" in ann and "cello" not in ann
    assert "Bob plays the cello" in bob and "nuts" not in bob
    assert "know nothing about them yet" in nobody
    assert ann.startswith("<instructions>\nHelp.\n</instructions>")


async def test_memories_in_context_default_to_the_memory_settings() -> None:
    answerer = Answerer()
    db = InMemoryDb()
    await MemoryManager(db=db).aadd_user_memory(UserMemory(memory="Likes {braces}"), user_id="u")
    memory_model = MemoryManager(model=FunctionModel(fn=lambda messages, info: "nothing"))
    on = Agent(
        model=FunctionModel(fn=answerer), db=db, enable_user_memories=True, memory_manager=memory_model
    )
    off = Agent(
        model=FunctionModel(fn=answerer),
        db=db,
        enable_user_memories=True,
        add_memories_to_context=False,
        memory_manager=memory_model,
    )
    plain = Agent(model=FunctionModel(fn=answerer), db=db)
    for agent in (on, off, plain):
        await agent.arun("hi", user_id="u", session_state={"braces": "resolved"})
    await on.await_background_tasks()
    with_memories, without, neither = answerer.systems
    # Memories are quoted as they are: placeholders in them are not resolved.
    assert "- Likes {braces}" in with_memories
    assert "Likes" not in without and "Likes" not in neither


async def test_a_follow_up_run_sees_the_memory_the_previous_run_created(db: BaseDb) -> None:
    answerer = Answerer()
    agent = Agent(
        model=FunctionModel(fn=answerer),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(fn=remember_names)),
    )
    await agent.arun("Hello, my name is Fay", user_id="fay")
    await agent.arun("What is my name?", user_id="fay")
    assert "The user's name is Fay" in answerer.systems[1]


# -- agentic memory -------------------------------------------------------------------------------


async def test_agentic_memory_gives_the_model_a_memory_tool(db: BaseDb) -> None:
    tasks: list[str] = []

    def memory_model(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn > 0:
            return "done"
        tasks.append(messages[-1].content_text())
        return tool_call("add_memory", memory="The user's name is Gus")

    agent_model = ScriptedModel(
        steps=[
            tool_call("update_user_memory", task="Remember that the user's name is Gus"),
            "Nice to meet you, Gus",
        ]
    )
    agent = Agent(
        model=agent_model,
        db=db,
        enable_agentic_memory=True,
        enable_user_memories=True,  # ignored: agentic memory wins
        memory_manager=MemoryManager(model=FunctionModel(fn=memory_model)),
    )
    assert [f.name for f in agent.get_tools()] == ["update_user_memory"]
    output = await agent.arun("I'm Gus", user_id="gus")
    await agent.await_background_tasks()
    assert output.status == RunStatus.completed and output.content == "Nice to meet you, Gus"
    [execution] = output.tools or []
    assert execution.tool_name == "update_user_memory" and execution.result == "done"
    assert tasks == ["Remember that the user's name is Gus"]  # no automatic update on top
    assert await memories_of(db, "gus") == ["The user's name is Gus"]
    assert await memories_of(db, "default") == []


async def test_agentic_memory_tells_the_model_about_the_tool() -> None:
    answerer = Answerer()
    agent = Agent(model=FunctionModel(fn=answerer), db=InMemoryDb(), enable_agentic_memory=True)
    await agent.arun("hi", user_id="u")
    assert "update_user_memory" in answerer.systems[0]


async def test_the_memory_manager_defaults_to_the_agents_model() -> None:
    def model_fn(messages: list[Message], info: ModelCallInfo) -> Any:
        if "long-term memories" in system_of(messages):  # the memory manager's call
            return remember_names(messages, info)
        return "ok"

    db = InMemoryDb()
    agent = Agent(model=FunctionModel(fn=model_fn), db=db, enable_user_memories=True)
    await agent.arun("my name is Hal", user_id="hal")
    await agent.await_background_tasks()
    assert await memories_of(db, "hal") == ["The user's name is Hal"]


# -- isolation ------------------------------------------------------------------------------------------


async def test_fifty_concurrent_users_of_one_agent_keep_their_memories_apart(db: BaseDb) -> None:
    answerer = Answerer()
    agent = Agent(
        model=FunctionModel(fn=answerer),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(fn=remember_names)),
    )
    users = [f"user{i}" for i in range(50)]
    outputs = await asyncio.gather(*(agent.arun(f"my name is {u}", user_id=u) for u in users))
    assert all(o.status == RunStatus.completed for o in outputs)
    await asyncio.wait_for(agent.await_background_tasks(), GUARD)
    for user in users:
        assert await memories_of(db, user) == [f"The user's name is {user}"]

    answerer.systems.clear()
    await asyncio.gather(*(agent.arun("who am I?", user_id=u) for u in users))
    # Each system message names exactly one user: the one the run was for.
    named = [re.findall(r"The user's name is (user\d+)", s) for s in answerer.systems]
    assert sorted(n for [n] in named) == sorted(users)


def test_tool_definitions_offer_only_the_agentic_tool_when_asked() -> None:
    plain = Agent(model=ScriptedModel(steps=["x"]), enable_user_memories=True)
    assert plain.get_tools() == []
    agentic = Agent(model=ScriptedModel(steps=["x"]), enable_agentic_memory=True, tools=[lambda: "t"])
    assert [f.name for f in agentic.get_tools()] == ["<lambda>", "update_user_memory"]


async def test_the_agentic_tool_without_a_db_tells_the_model() -> None:
    model = ScriptedModel(steps=[tool_calls(tool_call("update_user_memory", task="remember x")), "ok"])
    output = await Agent(model=model, enable_agentic_memory=True).arun("hi")
    [execution] = output.tools or []
    assert execution.result == "Error: memories cannot be stored: the agent has no database."
