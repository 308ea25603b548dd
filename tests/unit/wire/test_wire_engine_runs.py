"""What a real agent run produces survives the wire unchanged (scripted model, no network).

The events and outputs here come from the engine itself, not from hand-built samples, so a
field the engine starts filling that the wire layer drops shows up as a difference.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from agentos.agent import Agent
from agentos.models import Metrics
from agentos.models.scripted import ScriptedModel, chunks, tool_call
from agentos.run import BaseRunEvent, RunOutput, RunPausedEvent, RunStatus
from agentos.tools import tool
from agentos.v1 import events_pb2, runs_pb2
from agentos.wire import event_codec, event_from_proto, event_to_proto, run_from_proto, run_to_proto
from pydantic import BaseModel


def get_weather(city: str) -> str:
    """Get the weather for a city."""
    return f"sunny in {city}"


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    return f"deleted {path}"


class Forecast(BaseModel):
    city: str
    sunny: bool


def ns(value: Any) -> Any:
    """``value`` with every measured time rounded to the nanosecond (Duration's resolution)."""
    if isinstance(value, list):
        return [ns(item) for item in value]
    if isinstance(value, Metrics):
        out = value.copy()
        for name in ("time_to_first_token", "duration"):
            seconds = getattr(out, name)
            if seconds is not None:
                setattr(out, name, round(seconds, 9))
        out.details = {key: ns(sub) for key, sub in out.details.items()}
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: ns(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def through_wire(event: BaseRunEvent, **options: Any) -> BaseRunEvent:
    wire = events_pb2.RunEvent.FromString(event_to_proto(event).SerializeToString())
    return event_from_proto(wire, **options)


def carried_view(event: BaseRunEvent) -> BaseRunEvent:
    """The event with the fields its codec declares dropped reset to their defaults."""
    codec = event_codec(type(event))
    assert codec is not None
    defaults = type(event)()
    return dataclasses.replace(event, **{name: getattr(defaults, name) for name in codec.dropped})


def through_run(output: RunOutput, **options: Any) -> RunOutput:
    wire = runs_pb2.Run.FromString(run_to_proto(output).SerializeToString())
    return run_from_proto(wire, **options)


async def test_streamed_tool_run_events_survive_the_wire() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("get_weather", city="Paris"), chunks("It is ", "sunny.")]),
        tools=[get_weather],
        name="Weather",
        id="weather",
    )
    events = [e async for e in agent.arun("weather?", stream=True, stream_events=True, session_id="s-1")]
    names = [e.event for e in events]
    assert {"RunStarted", "ToolCallStarted", "ToolCallCompleted", "RunContent", "RunCompleted"} <= set(names)
    for event in events:
        assert through_wire(event) == ns(carried_view(event)), event.event
    sequences = [event_to_proto(e).sequence for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)


async def test_final_run_output_survives_the_wire() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("get_weather", city="Paris"), "It is sunny."]),
        tools=[get_weather],
        id="weather",
    )
    output = await agent.arun("weather?", session_state={"visits": 1}, metadata={"k": "v"})
    assert output.status == RunStatus.completed
    back = through_run(output)
    assert back == ns(dataclasses.replace(output, events=None, workflow_id=None, additional_input=None))


async def test_structured_output_comes_back_as_the_schema() -> None:
    agent = Agent(model=ScriptedModel(steps=[{"city": "Paris", "sunny": True}]), output_schema=Forecast)
    output = await agent.arun("forecast")
    assert output.content == Forecast(city="Paris", sunny=True)
    assert through_run(output, output_schema=Forecast) == ns(dataclasses.replace(output, events=None))
    events = [e async for e in agent.arun("forecast", stream=True)]
    for event in events:
        assert through_wire(event, output_schema=Forecast) == ns(carried_view(event))


async def test_paused_run_can_be_continued_from_what_came_over_the_wire() -> None:
    """The client's copy of a paused run (decoded from the wire) is enough to resume it."""
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "done"]),
        tools=[delete_file],
    )
    events = [e async for e in agent.arun("delete it", stream=True, stream_events=True)]
    paused = events[-1]
    assert isinstance(paused, RunPausedEvent)
    remote = through_wire(paused)
    assert remote == ns(carried_view(paused))
    assert isinstance(remote, RunPausedEvent) and remote.requirements
    remote.requirements[0].confirm()
    done = await agent.acontinue_run(run_id=paused.run_id, requirements=remote.requirements)
    assert done.status == RunStatus.completed and done.content == "done"
