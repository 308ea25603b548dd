"""Session summaries in Agent runs: created after the run, stored on the session row, used in
the next run's context, reported by events."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from agentos.agent import Agent, RunEvent, RunStatus
from agentos.db import BaseDb, InMemoryDb
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, fail
from agentos.run import SessionSummaryCompletedEvent
from agentos.session import SessionSummary, SessionSummaryManager


class SummaryModel:
    """Summarizes as "<previous> + <user turns>" so tests can see what it was given."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> dict[str, Any]:
        prompt = messages[0].content_text()
        self.prompts.append(prompt)
        previous = (
            prompt.split("<previous_summary>\n")[1].split("\n</previous_summary>")[0]
            if "<previous_summary>" in prompt
            else ""
        )
        users = [line[len("User: ") :] for line in prompt.splitlines() if line.startswith("User: ")]
        summary = " + ".join([p for p in [previous, *users] if p])
        return {"summary": summary, "topics": [u.split()[0] for u in users]}


class Answerer:
    def __init__(self) -> None:
        self.systems: list[str] = []

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> str:
        self.systems.append(messages[0].content_text() if messages[0].role == "system" else "")
        return "ok"


async def test_a_summary_is_stored_with_the_session_and_used_next_turn(db: BaseDb) -> None:
    answerer, summarizer = Answerer(), SummaryModel()
    agent = Agent(
        model=FunctionModel(fn=answerer),
        db=db,
        enable_session_summaries=True,
        session_summary_manager=SessionSummaryManager(model=FunctionModel(fn=summarizer)),
    )
    await agent.arun("plan a trip", session_id="s1", user_id="ann")
    stored = await db.get_session("s1")
    assert stored is not None and stored.summary is not None  # type: ignore[union-attr]
    assert stored.summary.summary == "plan a trip"  # type: ignore[union-attr]
    assert stored.summary.topics == ["plan"]  # type: ignore[union-attr]
    assert stored.summary.updated_at is not None  # type: ignore[union-attr]

    await agent.arun("to Rome", session_id="s1", user_id="ann")
    # The second run had the first summary in its system message...
    assert "<summary_of_previous_interactions>\nplan a trip\nTopics: plan" in answerer.systems[1]
    assert "summary_of_previous_interactions" not in answerer.systems[0]
    # ...and the summary was updated incrementally.
    assert "<previous_summary>\nplan a trip\n</previous_summary>" in summarizer.prompts[1]
    summary = await agent.aget_session_summary("s1")
    assert summary is not None and summary.summary == "plan a trip + to Rome"
    # Another session has its own summary.
    await agent.arun("something else", session_id="s2", user_id="ann")
    other = await agent.aget_session_summary("s2")
    assert other is not None and other.summary == "something else"


async def test_summary_events_come_before_the_terminal_event() -> None:
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=InMemoryDb(),
        enable_session_summaries=True,
        session_summary_manager=SessionSummaryManager(model=FunctionModel(fn=SummaryModel())),
    )
    events = [e async for e in agent.arun("hello there", session_id="s", stream=True, stream_events=True)]
    names = [e.event for e in events]
    started = names.index(RunEvent.session_summary_started.value)
    completed = names.index(RunEvent.session_summary_completed.value)
    assert started < completed < names.index(RunEvent.run_completed.value) == len(names) - 1
    event = events[completed]
    assert isinstance(event, SessionSummaryCompletedEvent)
    assert (
        isinstance(event.session_summary, SessionSummary) and event.session_summary.summary == "hello there"
    )
    # Without stream_events only the basic events are delivered.
    basic = [e.event async for e in agent.arun("again", session_id="s", stream=True)]
    assert RunEvent.session_summary_started.value not in basic


def test_sync_runs_store_summaries_too() -> None:
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=InMemoryDb(),
        enable_session_summaries=True,
        session_summary_manager=SessionSummaryManager(model=FunctionModel(fn=SummaryModel())),
    )
    agent.run("hi there", session_id="s")
    summary = agent.get_session_summary("s")
    assert summary is not None and summary.summary == "hi there"


async def test_the_default_manager_uses_the_agents_model() -> None:
    def model_fn(messages: list[Message], info: ModelCallInfo) -> Any:
        if messages[-1].content_text() == "Provide the summary of the conversation.":
            return {"summary": "a chat about tea", "topics": ["tea"]}
        return "ok"

    agent = Agent(model=FunctionModel(fn=model_fn), db=InMemoryDb(), enable_session_summaries=True)
    await agent.arun("tea?", session_id="s")
    summary = await agent.aget_session_summary("s")
    assert summary is not None and (summary.summary, summary.topics) == ("a chat about tea", ["tea"])


async def test_the_summary_can_stay_out_of_context() -> None:
    answerer = Answerer()
    agent = Agent(
        model=FunctionModel(fn=answerer),
        db=InMemoryDb(),
        enable_session_summaries=True,
        add_session_summary_to_context=False,
        session_summary_manager=SessionSummaryManager(model=FunctionModel(fn=SummaryModel())),
    )
    await agent.arun("one", session_id="s")
    await agent.arun("two", session_id="s")
    assert all("summary_of_previous_interactions" not in s for s in answerer.systems)
    assert (await agent.aget_session_summary("s")) is not None


async def test_a_failing_summary_model_does_not_fail_the_run() -> None:
    agent = Agent(
        model=FunctionModel(fn=Answerer()),
        db=InMemoryDb(),
        enable_session_summaries=True,
        session_summary_manager=SessionSummaryManager(
            model=ScriptedModel(steps=[fail("summary model down")])
        ),
    )
    output = await agent.arun("hello", session_id="s")
    assert output.status == RunStatus.completed
    assert await agent.aget_session_summary("s") is None


async def test_summaries_without_a_db_are_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    agent = Agent(model=FunctionModel(fn=Answerer()), enable_session_summaries=True)
    with caplog.at_level(logging.WARNING, logger="agentos.agent"):
        output = await agent.arun("hello")
    assert output.status == RunStatus.completed
    assert any("session summaries need a db" in r.getMessage() for r in caplog.records)
