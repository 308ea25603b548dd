"""The Agent's session methods, async and sync, on the three backends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, InMemoryDb
from agentos.memory import UserMemory
from agentos.models import Message, Metrics
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, text
from agentos.run import RunOutput, RunStatus
from agentos.session import AgentSession, SessionSummary

DbFactory = Callable[[], Awaitable[BaseDb]]


def answer(messages: list[Message], info: ModelCallInfo) -> Any:
    if messages[0].role == "system" and "name conversations" in messages[0].content_text():
        assert "user: Plan a trip to Rome" in messages[-1].content_text()
        return '"Rome trip planning."'
    return text(
        f"re: {messages[-1].content_text()}", usage=Metrics(input_tokens=10, output_tokens=5, total_tokens=15)
    )


async def conversation(db: BaseDb) -> tuple[Agent, list[RunOutput]]:
    agent = Agent(model=FunctionModel(fn=answer), db=db, session_id="s", user_id="ann", name="planner")
    outs = [await agent.arun(q) for q in ("Plan a trip to Rome", "Add a day in Florence", "Budget?")]
    return agent, outs


async def test_session_messages_chat_history_and_runs(db: BaseDb) -> None:
    agent, outs = await conversation(db)
    session = await agent.aget_session()
    assert isinstance(session, AgentSession)
    assert [r.run_id for r in session.runs or []] == [o.run_id for o in outs]
    assert [m.content for m in session.get_chat_history(last_n_runs=1)] == ["Budget?", "re: Budget?"]

    messages = await agent.aget_session_messages(last_n_runs=2, limit=3)
    assert [m.content for m in messages] == ["re: Add a day in Florence", "Budget?", "re: Budget?"]
    assert [m.role for m in await agent.aget_session_messages(skip_roles=["assistant"])] == ["user"] * 3
    assert await agent.aget_session_messages(skip_statuses=[RunStatus.completed]) == []
    assert len(await agent.aget_chat_history()) == 6

    last = await agent.aget_last_run_output()
    assert last is not None and last.run_id == outs[-1].run_id and last.content == "re: Budget?"
    first = await agent.aget_run_output(str(outs[0].run_id))
    assert first is not None and first.input is not None
    assert first.input.input_content == "Plan a trip to Rome"
    assert await agent.aget_run_output(str(outs[0].run_id), session_id="elsewhere") is None
    assert await agent.aget_run_output("missing") is None


async def test_session_metrics_are_the_sum_of_the_runs(db: BaseDb) -> None:
    agent, outs = await conversation(db)
    metrics = await agent.aget_session_metrics()
    assert metrics is not None
    assert metrics.input_tokens == 30 and metrics.total_tokens == 45
    assert metrics.total_tokens == sum((o.metrics or Metrics()).total_tokens for o in outs)


async def test_names_rename_and_state_updates(db: BaseDb) -> None:
    agent, _ = await conversation(db)
    assert await agent.aget_session_name() is None
    session = await agent.aset_session_name(session_name="Holidays")
    assert session.session_name == "Holidays" and await agent.aget_session_name() == "Holidays"
    session = await agent.aset_session_name(autogenerate=True)
    assert session.session_name == "Rome trip planning"
    with pytest.raises(ValueError, match="session_name"):
        await agent.aset_session_name()

    await agent.arename("travel agent")
    assert agent.name == "travel agent"
    stored = await db.get_session("s")
    assert isinstance(stored, AgentSession) and stored.agent_data is not None
    assert stored.agent_data["name"] == "travel agent"

    updated = await agent.aupdate_session_state({"city": "Rome", "days": {"rome": 3}})
    assert updated == {"city": "Rome", "days": {"rome": 3}}
    updated = await agent.aupdate_session_state({"days": {"florence": 1}})
    assert updated == {"city": "Rome", "days": {"rome": 3, "florence": 1}}
    assert await agent.aget_session_state() == updated
    # The next run starts from the updated state.
    out = await agent.arun("And now?")
    assert out.session_state == updated


async def test_summary_save_and_delete(db: BaseDb) -> None:
    agent, _ = await conversation(db)
    assert await agent.aget_session_summary() is None
    session = await agent.aget_session()
    assert isinstance(session, AgentSession)
    session.summary = SessionSummary(summary="A trip to Italy", topics=["travel"])
    session.metadata = {"tag": "vip"}
    await agent.asave_session(session)
    summary = await agent.aget_session_summary()
    assert summary is not None and summary.summary == "A trip to Italy"
    assert (await agent.aget_session()).metadata == {"tag": "vip"}  # type: ignore[union-attr]

    assert await agent.adelete_session("s") is True
    assert await agent.aget_session() is None
    assert await agent.aget_session_messages() == []
    assert await agent.adelete_session("s") is False


async def test_user_memories_are_read_through_the_db(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db, user_id="ann")
    await db.upsert_user_memory(UserMemory("likes tea", user_id="ann"))
    await db.upsert_user_memory(UserMemory("likes coffee", user_id="bob"))
    memories = await agent.aget_user_memories()
    assert memories is not None and [m.memory for m in memories] == ["likes tea"]
    bobs = await agent.aget_user_memories(user_id="bob")
    assert bobs is not None and [m.memory for m in bobs] == ["likes coffee"]


async def test_without_db_readers_are_empty_and_writers_explain() -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), session_id="s")
    assert await agent.aget_session() is None
    assert await agent.aget_session_metrics() is None
    assert await agent.aget_last_run_output() is None
    assert await agent.aget_user_memories() is None
    with pytest.raises(ValueError, match="needs storage"):
        await agent.aupdate_session_state({"a": 1})
    with pytest.raises(ValueError, match="session_id"):
        await Agent(model=ScriptedModel(steps=["ok"]), db=InMemoryDb()).aget_session_state()


def test_sync_twins(store: Any, tmp_path: Any) -> None:
    if store.backend == "memory":
        from agentos.db import InMemoryDb

        db: BaseDb = InMemoryDb()
    else:
        db = store.open()
    agent = Agent(model=FunctionModel(fn=answer), db=db, session_id="s", user_id="ann")
    out = agent.run("Plan a trip to Rome")
    assert out.status == RunStatus.completed
    assert [m.content for m in agent.get_chat_history()] == ["Plan a trip to Rome", "re: Plan a trip to Rome"]
    assert agent.update_session_state({"k": 1}) == {"k": 1}
    assert agent.get_session_state() == {"k": 1}
    assert agent.set_session_name(autogenerate=True).session_name == "Rome trip planning"
    assert agent.get_session_name() == "Rome trip planning"
    session = agent.get_session()
    assert session is not None and len(session.runs or []) == 1
    agent.save_session(session)
    agent.rename("renamed")
    assert agent.get_session_metrics() is not None
    assert agent.get_session_summary() is None
    assert agent.get_run_output(str(out.run_id)) is not None
    assert agent.get_last_run_output() is not None
    assert agent.get_user_memories() == []
    assert len(agent.get_session_messages(last_n_runs=1)) == 2
    assert agent.delete_session("s") is True
    assert agent.get_session() is None
    if store.backend != "memory":
        asyncio.run(db.close())


async def test_sync_methods_refuse_to_block_a_running_loop(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db, session_id="s")
    with pytest.raises(RuntimeError, match="aget_session_state"):
        agent.get_session_state()
