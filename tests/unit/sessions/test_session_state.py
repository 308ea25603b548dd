"""Runs with a db: one stored run and one session row per turn, session_state persisted and
merged, ownership and session kinds enforced. Every test runs on the three backends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from agentos.agent import Agent
from agentos.db import BaseDb
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, tool_call
from agentos.run import RunContext, RunStatus
from agentos.session import AgentSession, SessionType, TeamSession

DbFactory = Callable[[], Awaitable[BaseDb]]


def echo_system(messages: list[Message], info: ModelCallInfo) -> str:
    """Answers with the system message, so a test sees what the run put in it."""
    return messages[0].content_text() if messages and messages[0].role == "system" else "no system"


async def test_a_turn_stores_one_run_and_its_session(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["hi"]), db=db, name="greeter")
    out = await agent.arun("hello", session_id="s1", user_id="ann")
    assert out.status == RunStatus.completed
    session = await db.get_session("s1")
    assert isinstance(session, AgentSession)
    assert session.user_id == "ann" and session.agent_id == agent.id
    assert session.agent_data is not None and session.agent_data["name"] == "greeter"
    runs = await db.get_runs("s1")
    assert [r.run_id for r in runs] == [out.run_id]
    assert runs[0].status == "COMPLETED" and runs[0].run_data["content"] == "hi"
    await agent.arun("again", session_id="s1", user_id="ann")
    assert len(await db.get_runs("s1")) == 2


async def test_state_persists_across_runs_and_tools_change_it(db: BaseDb) -> None:
    def add_item(item: str, run_context: RunContext) -> str:
        """Add an item to the list."""
        run_context.session_state["items"].append(item)
        return "ok"

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn == 0:
            return tool_call("add_item", item=messages[-1].content_text())
        return "added"

    agent = Agent(model=FunctionModel(fn=reply), db=db, tools=[add_item], session_state={"items": []})
    await agent.arun("milk", session_id="s")
    out = await agent.arun("eggs", session_id="s")
    assert out.session_state == {"items": ["milk", "eggs"]}
    assert await agent.aget_session_state("s") == {"items": ["milk", "eggs"]}
    # The Agent's default was copied, never changed, and a new session starts from it.
    assert agent.session_state == {"items": []}
    other = await agent.arun("tea", session_id="other")
    assert other.session_state == {"items": ["tea"]}


async def test_run_state_merges_over_stored_state_or_replaces_it(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db, session_state={"a": 1, "nested": {"x": 1}})
    await agent.arun("one", session_id="s")
    out = await agent.arun("two", session_id="s", session_state={"b": 2, "nested": {"y": 2}})
    assert out.session_state == {"a": 1, "b": 2, "nested": {"x": 1, "y": 2}}
    assert await agent.aget_session_state("s") == out.session_state

    overwrite = Agent(model=ScriptedModel(steps=["ok"]), db=db, overwrite_db_session_state=True)
    out = await overwrite.arun("three", session_id="s", session_state={"only": True})
    assert out.session_state == {"only": True}
    assert await overwrite.aget_session_state("s") == {"only": True}


async def test_default_state_applies_only_to_a_session_without_state(db: BaseDb) -> None:
    first = Agent(model=ScriptedModel(steps=["ok"]), db=db, session_state={"v": "first"})
    await first.arun("x", session_id="s")
    second = Agent(model=ScriptedModel(steps=["ok"]), db=db, session_state={"v": "second", "w": 1})
    out = await second.arun("y", session_id="s")
    assert out.session_state == {"v": "first"}


async def test_placeholders_resolve_from_the_merged_state(db: BaseDb) -> None:
    agent = Agent(
        model=FunctionModel(fn=echo_system),
        db=db,
        instructions="Help {name} with {topic}.",
        session_state={"topic": "cooking"},
    )
    await agent.arun("hi", session_id="s", session_state={"name": "Ann"})
    out = await agent.arun("hi again", session_id="s")
    assert out.content == "<instructions>\nHelp Ann with cooking.\n</instructions>"


async def test_add_session_state_to_context_shows_the_stored_state(db: BaseDb) -> None:
    agent = Agent(model=FunctionModel(fn=echo_system), db=db, add_session_state_to_context=True)
    await agent.aupdate_session_state({"color": "blue"}, session_id="s")
    out = await agent.arun("hi", session_id="s")
    assert '{"color": "blue"}' in str(out.content)


async def test_agentic_state_tool_updates_the_stored_state(db: BaseDb) -> None:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        assert "update_session_state" in [t.name for t in info.tools]
        if info.turn == 0:
            return tool_call("update_session_state", session_state_updates={"mood": "happy", "n": {"a": 1}})
        return "noted"

    agent = Agent(
        model=FunctionModel(fn=reply), db=db, enable_agentic_state=True, session_state={"n": {"b": 2}}
    )
    out = await agent.arun("I am happy", session_id="s")
    assert out.session_state == {"n": {"a": 1, "b": 2}, "mood": "happy"}
    assert (await agent.aget_session_state("s"))["mood"] == "happy"


async def test_a_session_of_another_user_is_refused_and_left_untouched(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db)
    await agent.arun("mine", session_id="s", user_id="ann", session_state={"secret": 1})
    out = await agent.arun("let me in", session_id="s", user_id="bob", session_state={"secret": 2})
    assert out.status == RunStatus.error
    assert "belongs to another user" in str(out.error) and "'bob'" in str(out.error)
    assert len(await db.get_runs("s")) == 1
    assert await agent.aget_session_state("s") == {"secret": 1}
    anonymous = await agent.arun("me neither", session_id="s")
    assert anonymous.status == RunStatus.error and "belongs to another user" in str(anonymous.error)


async def test_a_session_without_user_is_claimed_by_the_first_user(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db)
    await db.upsert_session(AgentSession(session_id="s"))
    out = await agent.arun("hi", session_id="s", user_id="ann")
    assert out.status == RunStatus.completed
    session = await db.get_session("s")
    assert session is not None and session.user_id == "ann"


async def test_a_team_session_is_not_an_agent_session(db: BaseDb) -> None:
    await db.upsert_session(TeamSession(session_id="team-s"))
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db)
    out = await agent.arun("hi", session_id="team-s")
    assert out.status == RunStatus.error
    assert "team session" in str(out.error)
    stored = await db.get_session("team-s")
    assert stored is not None and stored.session_type == SessionType.TEAM
    assert await db.get_runs("team-s") == []


async def test_without_a_db_runs_keep_working_in_memory() -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), session_state={"n": 0}, add_history_to_context=True)
    out = await agent.arun("hi", session_id="s", session_state={"m": 1})
    assert out.status == RunStatus.completed and out.session_state == {"n": 0, "m": 1}
    assert await agent.aget_session("s") is None
    assert await agent.aget_session_state("s") == {}
    assert await agent.aget_session_messages("s") == []


async def test_concurrent_runs_on_one_session_both_store_their_runs(db: BaseDb) -> None:
    gate = asyncio.Event()
    arrived = 0

    async def slow(tag: str, run_context: RunContext) -> str:
        """Wait for the other run."""
        nonlocal arrived
        arrived += 1
        if arrived == 2:
            gate.set()
        await gate.wait()
        run_context.session_state[tag] = True
        return tag

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        return tool_call("slow", tag=messages[-1].content_text()) if info.turn == 0 else "done"

    agent = Agent(model=FunctionModel(fn=reply), db=db, tools=[slow])
    first, second = await asyncio.wait_for(
        asyncio.gather(agent.arun("a", session_id="s"), agent.arun("b", session_id="s")), timeout=20
    )
    assert first.status == second.status == RunStatus.completed
    # Both runs are rows of their own; the session row is last-writer-wins (documented).
    assert {r.run_id for r in await db.get_runs("s")} == {first.run_id, second.run_id}
    state = await agent.aget_session_state("s")
    assert state in ({"a": True}, {"b": True})


async def test_fifty_users_on_one_agent_keep_their_sessions_apart(db: BaseDb) -> None:
    gate = asyncio.Event()
    arrived = 0

    async def remember(value: str, run_context: RunContext) -> str:
        """Remember a value."""
        nonlocal arrived
        arrived += 1
        if arrived == 50:
            gate.set()
        await gate.wait()  # every run is inside its tool at the same time
        run_context.session_state.setdefault("values", []).append(value)
        return f"{value} for {run_context.user_id}"

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn == 0:
            return tool_call("remember", value=messages[-1].content_text())
        return str(messages[-1].content)

    agent = Agent(model=FunctionModel(fn=reply), db=db, tools=[remember], instructions="User {user_id}")

    async def one(i: int) -> None:
        out = await agent.arun(f"v{i}", user_id=f"u{i}", session_id=f"s{i}", session_state={"owner": i})
        assert out.status == RunStatus.completed, out.error
        assert out.content == f"v{i} for u{i}"
        assert f"User u{i}" in (out.messages or [])[0].content_text()

    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(50))), timeout=60)
    for i in range(50):
        assert await agent.aget_session_state(f"s{i}") == {"owner": i, "values": [f"v{i}"]}
        session = await db.get_session(f"s{i}")
        assert session is not None and session.user_id == f"u{i}"
    assert agent.session_state is None


async def test_a_cancelled_run_is_stored_with_its_state(db: BaseDb) -> None:
    async def stop_me(run_context: RunContext) -> str:
        """Cancel this run."""
        run_context.session_state["before_cancel"] = True
        assert Agent.cancel_run(run_context.run_id)
        await asyncio.sleep(30)
        return "never"

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        return tool_call("stop_me")

    agent = Agent(model=FunctionModel(fn=reply), db=db, tools=[stop_me])
    out = await asyncio.wait_for(agent.arun("go", session_id="s"), timeout=20)
    assert out.status == RunStatus.cancelled
    [record] = await db.get_runs("s")
    assert record.status == "CANCELLED"
    assert await agent.aget_session_state("s") == {"before_cancel": True}
