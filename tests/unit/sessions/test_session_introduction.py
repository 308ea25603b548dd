"""``introduction``: the assistant's first message of every new session, stored and replayed as
history. Every test runs on the three backends."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent
from agentos.db import BaseDb
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo
from agentos.run import RunStatus

INTRO = "Hi, I am Trip, your travel planner. Where do you want to go?"


class Recorder:
    """Answers "a<N>" to "q<N>" and records each call's conversation as "role:content"."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> Any:
        self.calls.append(
            [
                ("H " if m.from_history else "") + f"{m.role}:{m.content_text()}"
                for m in messages
                if m.role != "system"
            ]
        )
        return [m for m in messages if m.role == "user"][-1].content_text().replace("q", "a")


async def test_a_new_session_opens_with_the_introduction(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), db=db, introduction=INTRO, add_history_to_context=True)
    first = await agent.arun("q1", session_id="s1", user_id="ann")
    second = await agent.arun("q2", session_id="s1", user_id="ann")
    assert first.status == second.status == RunStatus.completed
    # The model knew from the first turn on what it had already said.
    assert model.calls[0] == [f"H assistant:{INTRO}", "user:q1"]
    assert model.calls[1] == [f"H assistant:{INTRO}", "H user:q1", "H assistant:a1", "user:q2"]
    messages = await agent.aget_session_messages("s1")
    assert [(m.role, m.content) for m in messages] == [
        ("assistant", INTRO),
        ("user", "q1"),
        ("assistant", "a1"),
        ("user", "q2"),
        ("assistant", "a2"),
    ]
    runs = await db.get_runs("s1")
    assert len(runs) == 3 and runs[0].run_data["content"] == INTRO
    assert runs[0].run_data["user_id"] == "ann" and runs[0].run_data["agent_id"] == agent.id
    # In the run that created the session the introduction is replayed history, not its own output.
    assert first.content == "a1"
    assert [m.from_history for m in first.messages or [] if m.content == INTRO] == [True]


async def test_only_new_sessions_get_an_introduction(db: BaseDb) -> None:
    plain = Agent(model=FunctionModel(fn=Recorder()), db=db)
    await plain.arun("q1", session_id="existing")
    agent = Agent(model=FunctionModel(fn=Recorder()), db=db, introduction=INTRO)
    await agent.arun("q2", session_id="existing")
    await agent.arun("q1", session_id="fresh")
    await agent.arun("q2", session_id="fresh")
    existing = [r.run_data["content"] for r in await db.get_runs("existing")]
    fresh = [r.run_data["content"] for r in await db.get_runs("fresh")]
    assert existing == ["a1", "a2"]
    assert fresh == [INTRO, "a1", "a2"]  # once, at the start


async def test_introduction_without_history_is_stored_but_not_sent(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), db=db, introduction=INTRO)
    await agent.arun("q1", session_id="s")
    assert model.calls == [["user:q1"]]
    history = await agent.aget_chat_history("s")
    assert [m.content for m in history] == [INTRO, "q1", "a1"]


async def test_no_db_no_session_no_introduction() -> None:
    model = Recorder()
    agent = Agent(model=FunctionModel(fn=model), introduction=INTRO, add_history_to_context=True)
    out = await agent.arun("q1")
    assert out.content == "a1" and model.calls == [["user:q1"]]
    assert agent.features["introduction"] == "active"


async def test_the_session_cache_keeps_the_introduction(db: BaseDb) -> None:
    model = Recorder()
    agent = Agent(
        model=FunctionModel(fn=model),
        db=db,
        introduction=INTRO,
        add_history_to_context=True,
        cache_session=True,
    )
    await agent.arun("q1", session_id="c")
    await agent.arun("q2", session_id="c")
    assert model.calls[1] == [f"H assistant:{INTRO}", "H user:q1", "H assistant:a1", "user:q2"]
