"""Run events: order, sequence numbers, terminal event last, stream filtering, storage, serialisation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from agentos.agent import Agent
from agentos.models.scripted import ScriptedModel, chunks, tool_call
from agentos.run import (
    CustomEvent,
    RunCompletedEvent,
    RunContentEvent,
    RunEvent,
    RunOutput,
    RunOutputEvent,
    RunStatus,
    event_from_dict,
)

TERMINAL = {"RunCompleted", "RunPaused", "RunCancelled", "RunError"}


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


async def collect(stream: AsyncIterator[RunOutputEvent]) -> list[RunOutputEvent]:
    return [event async for event in stream]


def assert_well_formed(events: list[RunOutputEvent], run_id: str | None = None) -> None:
    assert events, "no events"
    assert events[-1].event in TERMINAL
    assert all(e.event not in TERMINAL for e in events[:-1])
    sequences = [e.sequence for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    if run_id is not None:
        assert {e.run_id for e in events} == {run_id}


async def test_stream_events_full_order_for_a_tool_turn() -> None:
    agent = Agent(
        name="calc",
        model=ScriptedModel(steps=[tool_call("add", a=2, b=3), chunks("It is ", "5.")]),
        tools=[add],
    )
    events = await collect(agent.arun("2+3?", stream=True, stream_events=True))
    assert [e.event for e in events] == [
        "RunStarted",
        "ToolCallStarted",
        "ToolCallCompleted",
        "RunContent",
        "RunContent",
        "RunContentCompleted",
        "RunCompleted",
    ]
    assert_well_formed(events, events[0].run_id)
    assert events[0].agent_name == "calc" and events[0].model == "scripted"  # type: ignore[union-attr]
    completed = events[-1]
    assert isinstance(completed, RunCompletedEvent)
    assert completed.content == "It is 5."
    assert completed.metrics is not None and completed.metrics.total_tokens > 0
    tool_done = events[2]
    assert tool_done.tool.result == "5"  # type: ignore[union-attr]
    # The started event keeps showing the call as it was when it started.
    tool_started = events[1]
    assert tool_started.tool.tool_args == {"a": 2, "b": 3}  # type: ignore[union-attr]
    assert tool_started.tool.result is None  # type: ignore[union-attr]


async def test_stream_without_events_yields_content_and_the_terminal_event() -> None:
    agent = Agent(model=ScriptedModel(steps=[tool_call("add", a=1, b=1), chunks("two", "!")]), tools=[add])
    events = await collect(agent.arun("1+1", stream=True))
    assert [e.event for e in events] == ["RunContent", "RunContent", "RunCompleted"]
    assert "".join(e.content for e in events if isinstance(e, RunContentEvent)) == "two!"
    assert_well_formed(events)


async def test_run_event_enum_matches_event_strings() -> None:
    agent = Agent(model=ScriptedModel(steps=["hi"]))
    events = await collect(agent.arun("x", stream=True, stream_events=True))
    assert events[0].event == RunEvent.run_started
    assert events[-1].event == RunEvent.run_completed


async def test_non_streaming_run_stores_events_when_asked_skipping_content_by_default() -> None:
    agent = Agent(model=ScriptedModel(steps=[chunks("a", "b")]), store_events=True)
    out = await agent.arun("x")
    assert out.events is not None
    names = [e.event for e in out.events]
    assert names[0] == "RunStarted" and names[-1] == "RunCompleted"
    assert "RunContent" not in names


async def test_events_to_skip_controls_storage() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("add", a=1, b=1), "2"]),
        tools=[add],
        store_events=True,
        events_to_skip=[RunEvent.run_started, RunEvent.tool_call_started],
    )
    out = await agent.arun("x")
    names = [e.event for e in out.events or []]
    assert names == ["ToolCallCompleted", "RunContentCompleted", "RunCompleted"]


async def test_events_are_not_stored_by_default() -> None:
    out = await Agent(model=ScriptedModel(steps=["x"])).arun("x")
    assert out.events is None
    assert out.status == RunStatus.completed


@dataclass
class ProgressEvent(CustomEvent):
    done: int = 0


async def test_custom_events_from_generator_tools_are_streamed() -> None:
    async def work(steps: int) -> AsyncIterator[object]:
        """Do work in steps."""
        for i in range(steps):
            yield ProgressEvent(done=i + 1)
        yield "finished"

    agent = Agent(model=ScriptedModel(steps=[tool_call("work", steps=2), "ok"]), tools=[work])
    events = await collect(agent.arun("go", stream=True))
    custom = [e for e in events if isinstance(e, ProgressEvent)]
    assert [e.done for e in custom] == [1, 2]
    assert all(e.event == "CustomEvent" and e.run_id == events[-1].run_id for e in custom)
    assert_well_formed(events)
    out = await agent.arun("go")
    assert out.tools is not None and out.tools[0].result == "finished"


async def test_event_to_dict_and_back() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("add", a=1, b=2), "3"]), tools=[add], store_events=True
    )
    out = await agent.arun("x", stream_events=True)
    assert out.events
    for event in out.events:
        data = event.to_dict()
        assert data["event"] == event.event and data["sequence"] == event.sequence
        rebuilt = event_from_dict(data)
        assert type(rebuilt) is type(event)
        assert rebuilt.sequence == event.sequence


async def test_run_output_round_trips_through_dict() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("add", a=1, b=2), "three"]), tools=[add], store_events=True
    )
    out = await agent.arun("x")
    data = out.to_dict()
    again = RunOutput.from_dict(data)
    assert again.content == "three"
    assert again.status == RunStatus.completed
    assert [m.role for m in again.messages or []] == [m.role for m in out.messages or []]
    assert again.messages is not None and again.messages[1].tool_calls[0].name == "add"
    assert again.tools is not None and again.tools[0].result == "3"
    assert again.metrics is not None and again.metrics.total_tokens == out.metrics.total_tokens  # type: ignore[union-attr]
    assert again.input is not None and again.input.input_content == "x"
    assert len(again.events or []) == len(out.events or [])


async def test_metrics_per_run_and_per_message() -> None:
    from agentos.models import Metrics
    from agentos.models.scripted import ScriptedReply

    model = ScriptedModel(
        steps=[
            ScriptedReply(
                tool_calls=[tool_call("add", a=1, b=2)],
                usage=Metrics(input_tokens=10, output_tokens=2, total_tokens=12),
            ),
            ScriptedReply(content="3", usage=Metrics(input_tokens=20, output_tokens=1, total_tokens=21)),
        ]
    )
    out = await Agent(model=model, tools=[add]).arun("x")
    assert out.metrics is not None
    assert (out.metrics.input_tokens, out.metrics.output_tokens, out.metrics.total_tokens) == (30, 3, 33)
    assert out.metrics.details["scripted:scripted"].total_tokens == 33
    assert out.metrics.duration is not None and out.metrics.duration >= 0
    assert out.metrics.time_to_first_token is not None
    assistant = [m for m in out.messages or [] if m.role == "assistant"]
    assert [m.metrics.total_tokens for m in assistant if m.metrics] == [12, 21]
