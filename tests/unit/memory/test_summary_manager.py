"""SessionSummaryManager: incremental summaries with topics, fallbacks and failures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agentos.models import Message, ToolCall
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, fail
from agentos.run import RunOutput
from agentos.session import AgentSession, SessionSummary, SessionSummaryManager


def turn(user: str, answer: str) -> list[Message]:
    return [Message(role="user", content=user), Message(role="assistant", content=answer)]


class Recorder:
    """A summary model that echoes what it was shown, so tests can check the prompt."""

    def __init__(self, reply: Any = None) -> None:
        self.calls: list[tuple[list[Message], ModelCallInfo]] = []
        self.reply = reply

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> Any:
        self.calls.append((messages, info))
        if self.reply is not None:
            return self.reply
        conversation = messages[0].content_text().split("<conversation>\n")[1].split("\n</conversation>")[0]
        return {"summary": f"[{conversation}]", "topics": ["topic a", " ", "topic b"]}


async def test_a_summary_with_topics_is_set_on_the_session() -> None:
    recorder = Recorder()
    manager = SessionSummaryManager(model=FunctionModel(fn=recorder))
    session = AgentSession(session_id="s1")
    messages = [
        Message(role="system", content="you are helpful"),
        *turn("I am planning a trip to Rome", "Great, when?"),
        Message(role="assistant", tool_calls=[ToolCall(id="c1", name="weather")]),
        Message(role="tool", content="sunny", tool_call_id="c1"),
        Message(role="user", content="old question", from_history=True),
    ]
    before = datetime.now(UTC)
    summary = await manager.acreate_session_summary(session, messages)
    assert summary is not None and session.summary is summary
    # System prompts, tool traffic and replayed history are not summarized again.
    assert summary.summary == "[User: I am planning a trip to Rome\nAssistant: Great, when?]"
    assert summary.topics == ["topic a", "topic b"]
    assert summary.updated_at is not None and summary.updated_at >= before
    [(sent, info)] = recorder.calls
    assert sent[-1].role == "user" and sent[-1].content == "Provide the summary of the conversation."
    assert info.response_format is not None and info.response_format.kind == "json_schema"


async def test_summaries_are_incremental() -> None:
    recorder = Recorder()
    manager = SessionSummaryManager(model=FunctionModel(fn=recorder))
    session = AgentSession(session_id="s1", summary=SessionSummary(summary="The user wants to visit Rome."))
    await manager.acreate_session_summary(session, turn("Make it June", "June it is"))
    prompt = recorder.calls[0][0][0].content_text()
    assert "<previous_summary>\nThe user wants to visit Rome.\n</previous_summary>" in prompt
    assert "User: Make it June" in prompt


async def test_the_messages_of_loaded_runs_are_used_by_default() -> None:
    recorder = Recorder()
    session = AgentSession(
        session_id="s1",
        runs=[
            RunOutput(run_id="r1", messages=turn("hello", "hi")),
            RunOutput(run_id="r2", messages=turn("bye", "ciao")),
        ],
    )
    summary = await SessionSummaryManager(model=FunctionModel(fn=recorder)).acreate_session_summary(session)
    assert summary is not None
    assert summary.summary == "[User: hello\nAssistant: hi\nUser: bye\nAssistant: ciao]"


async def test_custom_prompt_and_request_message() -> None:
    recorder = Recorder()
    manager = SessionSummaryManager(
        model=FunctionModel(fn=recorder),
        session_summary_prompt="Summarize tersely.",
        summary_request_message="Go.",
    )
    await manager.acreate_session_summary(AgentSession(session_id="s"), turn("a", "b"))
    sent = recorder.calls[0][0]
    assert sent[0].content_text().startswith("Summarize tersely.")
    assert sent[1].content == "Go."


async def test_a_prose_answer_is_still_a_summary() -> None:
    manager = SessionSummaryManager(model=FunctionModel(fn=Recorder(reply="The user said hello.")))
    summary = await manager.acreate_session_summary(AgentSession(session_id="s"), turn("hello", "hi"))
    assert summary is not None and (summary.summary, summary.topics) == ("The user said hello.", None)


async def test_failures_return_none_and_keep_the_old_summary() -> None:
    old = SessionSummary(summary="old")
    session = AgentSession(session_id="s", summary=old)
    failing = SessionSummaryManager(model=ScriptedModel(steps=[fail("down")]))
    assert await failing.acreate_session_summary(session, turn("a", "b")) is None
    empty = SessionSummaryManager(model=FunctionModel(fn=Recorder(reply="  ")))
    assert await empty.acreate_session_summary(session, turn("a", "b")) is None
    assert session.summary is old


async def test_nothing_new_keeps_the_summary_without_a_model_call() -> None:
    recorder = Recorder()
    old = SessionSummary(summary="old")
    session = AgentSession(session_id="s", summary=old)
    manager = SessionSummaryManager(model=FunctionModel(fn=recorder))
    assert await manager.acreate_session_summary(session, [Message(role="system", content="x")]) is old
    assert await manager.acreate_session_summary(AgentSession(session_id="new"), []) is None
    assert recorder.calls == []


def test_create_session_summary_is_the_sync_twin() -> None:
    session = AgentSession(session_id="s")
    summary = SessionSummaryManager(model=FunctionModel(fn=Recorder())).create_session_summary(
        session, turn("hello", "hi")
    )
    assert summary is not None and session.summary is summary


def test_with_defaults_lends_a_model_without_changing_the_manager() -> None:
    shared = SessionSummaryManager()
    model = ScriptedModel(steps=["x"])
    lent = shared.with_defaults(model=model)
    assert lent.model is model and shared.model is None
    own = SessionSummaryManager(model=model)
    assert own.with_defaults(model=ScriptedModel()) is own
