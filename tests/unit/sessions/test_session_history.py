"""History: earlier runs' messages in the context, what is stored of them, the history tools
and the session cache. Every test runs on the three backends unless marked ``sql_only``."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, PostgresDb, SqliteDb
from agentos.media import Image
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, tool_call
from agentos.run import RunStatus
from sqlalchemy import text

DbFactory = Callable[[], Awaitable[BaseDb]]


def transcript(messages: list[Message]) -> list[str]:
    """The conversation a model call received, as "role:content" (system message left out)."""
    out = []
    for m in messages:
        if m.role == "system":
            continue
        label = f"{m.role}:{m.content_text()}"
        if m.role == "assistant" and m.tool_calls:
            label += "+calls:" + ",".join(c.name for c in m.tool_calls)
        out.append(("H " if m.from_history else "") + label)
    return out


class Recorder:
    """A model that answers "a<N>" for the user message "q<N>" and records what it was sent."""

    def __init__(self, tool_turns: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.tool_turns = tool_turns

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> Any:
        self.calls.append(transcript(messages))
        question = [m for m in messages if m.role == "user"][-1].content_text()
        if self.tool_turns and info.turn == 0:
            return tool_call("lookup", key=question)
        return question.replace("q", "a")


def lookup(key: str) -> str:
    """Look a key up."""
    return f"value of {key}"


async def run_turns(agent: Agent, count: int, session_id: str = "s", **kwargs: Any) -> list[Any]:
    return [await agent.arun(f"q{i}", session_id=session_id, **kwargs) for i in range(1, count + 1)]


async def test_history_adds_the_last_runs_flagged_from_history(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), db=db, add_history_to_context=True, num_history_runs=2)
    outs = await run_turns(agent, 4)
    assert model.calls[0] == ["user:q1"]
    assert model.calls[3] == ["H user:q2", "H assistant:a2", "H user:q3", "H assistant:a3", "user:q4"]
    # The run keeps what it replayed, flagged, but a session's messages count each turn once.
    assert [m.from_history for m in outs[3].messages if m.role != "system"] == [True] * 4 + [False, False]
    messages = await agent.aget_session_messages("s")
    assert [m.content for m in messages] == ["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"]
    with_history = await agent.aget_session_messages("s", skip_history_messages=False, last_n_runs=1)
    assert [m.content for m in with_history] == ["q2", "a2", "q3", "a3", "q4", "a4"]


async def test_default_history_is_three_runs_and_only_when_asked(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), db=db, add_history_to_context=True)
    await run_turns(agent, 5)
    assert [m for m in model.calls[4] if m.startswith("H user")] == ["H user:q2", "H user:q3", "H user:q4"]
    plain = Recorder()
    no_history = Agent(model=FunctionModel(fn=plain), db=db)
    await no_history.arun("q9", session_id="s")
    assert plain.calls == [["user:q9"]]
    await no_history.arun("q10", session_id="s", add_history_to_context=True)
    assert len([m for m in plain.calls[1] if m.startswith("H user")]) == 3


async def test_num_history_messages_keeps_the_newest_messages(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), db=db, add_history_to_context=True, num_history_messages=3)
    await run_turns(agent, 4)
    assert model.calls[3] == ["H assistant:a2", "H user:q3", "H assistant:a3", "user:q4"]


async def test_max_tool_calls_from_history_keeps_the_last_calls_valid(db: BaseDb) -> None:
    model = Recorder(tool_turns=True)
    agent = Agent(
        model=FunctionModel(fn=model),
        db=db,
        tools=[lookup],
        add_history_to_context=True,
        num_history_runs=3,
        max_tool_calls_from_history=1,
    )
    await run_turns(agent, 4)
    last = model.calls[-2]  # the first model call of run 4
    assert last == [
        "H user:q1",
        "H assistant:a1",
        "H user:q2",
        "H assistant:a2",
        "H user:q3",
        "H assistant:+calls:lookup",
        "H tool:value of q3",
        "H assistant:a3",
        "user:q4",
    ]


async def test_store_flags_strip_history_tools_and_media_from_the_stored_run(db: BaseDb) -> None:
    model = Recorder(tool_turns=True)
    agent = Agent(
        model=FunctionModel(fn=model),
        db=db,
        tools=[lookup],
        add_history_to_context=True,
        store_history_messages=False,
        store_tool_messages=False,
        store_media=False,
    )
    image = Image(url="https://example.com/cat.png")
    await agent.arun("q1", session_id="s")
    out = await agent.arun("q2", session_id="s", images=[image])
    # The caller gets everything...
    assert any(m.role == "tool" for m in out.messages or [])
    assert any(m.from_history for m in out.messages or [])
    assert out.input is not None and out.input.images
    # ...the database keeps only the run's own conversation, without tools or media.
    stored = await agent.aget_run_output(str(out.run_id))
    assert stored is not None
    assert [(m.role, m.content) for m in stored.messages or [] if m.role != "system"] == [
        ("user", "q2"),
        ("assistant", "a2"),
    ]
    assert all(not m.images for m in stored.messages or [])
    assert stored.input is not None and not stored.input.images
    assert stored.tools and stored.tools[0].tool_name == "lookup" and stored.tools[0].result is None
    # The stored history stays valid for the next run.
    await agent.arun("q3", session_id="s")
    assert model.calls[-1][:4] == ["H user:q1", "H assistant:a1", "H user:q2", "H assistant:a2"]


async def test_history_skips_failed_runs(db: BaseDb) -> None:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        question = messages[-1].content_text()
        if question == "boom":
            raise RuntimeError("model exploded")
        return json.dumps(transcript(messages))

    agent = Agent(model=FunctionModel(fn=reply), db=db, add_history_to_context=True)
    await agent.arun("q1", session_id="s")
    failed = await agent.arun("boom", session_id="s")
    assert failed.status == RunStatus.error
    out = await agent.arun("q3", session_id="s")
    assert json.loads(str(out.content))[:2] == ["H user:q1", 'H assistant:["user:q1"]']
    assert "boom" not in str(out.content)
    assert [r.status for r in await db.get_runs("s")] == ["COMPLETED", "ERROR", "COMPLETED"]


@pytest.mark.sql_only
async def test_history_reads_only_the_runs_it_needs(db: BaseDb) -> None:
    """An unreadable old run is never read: history costs the same at any session length."""
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), db=db, add_history_to_context=True, num_history_runs=2)
    outs = await run_turns(agent, 3)
    assert isinstance(db, SqliteDb | PostgresDb)
    table = f'"{db.db_schema}"."{db.table_names.run_table}"' if db.db_schema else db.table_names.run_table
    value = "CAST(:v AS jsonb)" if isinstance(db, PostgresDb) else ":v"
    async with db.engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE {table} SET run_data = {value} WHERE run_id = :id"),
            {"v": "[]", "id": outs[0].run_id},
        )
    out = await agent.arun("q4", session_id="s")
    assert out.status == RunStatus.completed
    assert model.calls[-1][0] == "H user:q2"
    # Reading the whole session does meet the broken row, and says which one it is.
    broken = await agent.arun("q5", session_id="s", add_history_to_context=True)
    assert broken.status == RunStatus.completed
    with pytest.raises(Exception, match=str(outs[0].run_id)):
        await agent.aget_session("s")


async def test_read_chat_history_tool(db: BaseDb) -> None:
    seen: list[str] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        question = [m for m in messages if m.role == "user"][-1].content_text()
        if question == "what did I say?":
            if info.turn == 0:
                return tool_call("get_chat_history", num_chats=2)
            seen.append(messages[-1].content_text())
            return "you said things"
        return question.replace("q", "a")

    agent = Agent(model=FunctionModel(fn=reply), db=db, read_chat_history=True)
    await run_turns(agent, 3)
    await agent.arun("what did I say?", session_id="s")
    history = json.loads(seen[0])
    assert history == [
        {"role": "user", "content": "q2"},
        {"role": "assistant", "content": "a2"},
        {"role": "user", "content": "q3"},
        {"role": "assistant", "content": "a3"},
    ]


async def test_read_tool_call_history_tool(db: BaseDb) -> None:
    seen: list[str] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        question = [m for m in messages if m.role == "user"][-1].content_text()
        if info.turn == 0:
            if question == "which tools?":
                return tool_call("get_tool_call_history", num_calls=2)
            return tool_call("lookup", key=question)
        if question == "which tools?":
            seen.append(messages[-1].content_text())
        return "ok"

    agent = Agent(model=FunctionModel(fn=reply), db=db, tools=[lookup], read_tool_call_history=True)
    await run_turns(agent, 3)
    await agent.arun("which tools?", session_id="s")
    calls = json.loads(seen[0])
    assert [(c["tool_name"], c["tool_args"], c["result"]) for c in calls] == [
        ("lookup", {"key": "q3"}, "value of q3"),
        ("lookup", {"key": "q2"}, "value of q2"),
    ]


async def test_search_session_history_reads_the_users_previous_sessions(db: BaseDb) -> None:
    seen: list[str] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        question = [m for m in messages if m.role == "user"][-1].content_text()
        if question == "what did we discuss?":
            if info.turn == 0:
                return tool_call("get_previous_session_messages")
            seen.append(messages[-1].content_text())
            return "many capitals"
        return f"answer to {question}"

    agent = Agent(model=FunctionModel(fn=reply), db=db, search_session_history=True, num_history_sessions=2)
    for i, country in enumerate(["Japan", "France", "Chile"]):
        await agent.arun(f"capital of {country}?", session_id=f"s{i}", user_id="ann")
    await agent.arun("capital of Peru?", session_id="bob-s", user_id="bob")
    await agent.arun("what did we discuss?", session_id="s9", user_id="ann")
    sessions = json.loads(seen[0])
    assert len(sessions) == 2
    assert {s["session_id"] for s in sessions} <= {"s0", "s1", "s2"}
    questions = [m["content"] for s in sessions for m in s["messages"] if m["role"] == "user"]
    assert "capital of Peru?" not in questions and len(questions) == 2


async def test_cache_session_serves_the_session_without_reading_it_again(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(
        model=FunctionModel(fn=model),
        db=db,
        cache_session=True,
        add_history_to_context=True,
        session_state={},
    )
    await agent.arun("q1", session_id="s", session_state={"n": 1})
    await agent.arun("q2", session_id="s")
    # Another writer changes the stored state behind the cache's back: the cache does not see it...
    other = Agent(model=FunctionModel(fn=model), db=db)
    await other.aupdate_session_state({"n": 99}, session_id="s")
    out = await agent.arun("q3", session_id="s")
    assert out.session_state == {"n": 1}
    assert model.calls[-1] == ["H user:q1", "H assistant:a1", "H user:q2", "H assistant:a2", "user:q3"]
    # ...but the Agent's own session writes drop the entry.
    await agent.aupdate_session_state({"n": 5}, session_id="s")
    out = await agent.arun("q4", session_id="s")
    assert out.session_state == {"n": 5}
    assert model.calls[-1][-3:] == ["H user:q3", "H assistant:a3", "user:q4"]


async def test_hooks_see_the_history_runs_as_their_own_turns(db: BaseDb) -> None:
    """During a run, ``session.runs`` are the runs its history was built from, each holding its
    own turn only: the system prompt and the history it replayed itself are stored with it (the
    stored run keeps them) but not restored to build the next run's history."""
    seen: list[list[list[str]]] = []

    def record_history_runs(session: Any) -> None:
        seen.append([[f"{m.role}:{m.content_text()}" for m in run.messages or []] for run in session.runs])

    agent = Agent(
        model=FunctionModel(fn=Recorder()),
        db=db,
        instructions="Be brief.",
        add_history_to_context=True,
        num_history_runs=2,
        pre_hooks=[record_history_runs],
    )
    outputs = await run_turns(agent, 4)
    assert seen == [
        [],
        [["user:q1", "assistant:a1"]],
        [["user:q1", "assistant:a1"], ["user:q2", "assistant:a2"]],
        [["user:q2", "assistant:a2"], ["user:q3", "assistant:a3"]],
    ]
    stored = await agent.aget_run_output(outputs[3].run_id, session_id="s")
    assert stored is not None
    assert [(m.role, m.from_history) for m in stored.messages or []] == [
        ("system", False),
        ("user", True),
        ("assistant", True),
        ("user", True),
        ("assistant", True),
        ("user", False),
        ("assistant", False),
    ]
