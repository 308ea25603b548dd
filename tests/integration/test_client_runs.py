"""Runs through AgentOSClient and RemoteAgent against a real server with scripted-model agents.

What a remote run returns must be what a local run of the same agent returns: the same
``RunOutput`` fields and the same event classes with the same content in the same order. Also:
the three human-in-the-loop flows continued remotely, cancel, reading runs back, watch, typed
errors of failing runs, and the sync APIs.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.client import (
    AgentOSClient,
    DeadlineExceededError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    RemoteAgent,
    ResourceExhaustedError,
    UnavailableError,
)
from agentos.db import InMemoryDb
from agentos.exceptions import ModelRateLimitError
from agentos.media import Image
from agentos.models import ToolExecution
from agentos.models.scripted import ScriptedModel, chunks, fail, hang, tool_call
from agentos.os import AgentOS
from agentos.run import (
    BaseRunEvent,
    RunCancelledEvent,
    RunCompletedEvent,
    RunContentEvent,
    RunContinuedEvent,
    RunErrorEvent,
    RunOutput,
    RunPausedEvent,
    RunStatus,
    ToolCallCompletedEvent,
)
from agentos.tools import tool
from agentos_server import OSHarness, ThreadedOS, serve_os_in_thread
from pydantic import BaseModel


@tool
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    return f"deleted {path}"


@tool(requires_user_input=True, user_input_fields=["city"])
def weather(city: str) -> str:
    """The weather of a city."""
    return f"sunny in {city}"


@tool(external_execution=True)
def run_shell(command: str) -> str:
    """Run a shell command on the client's machine."""
    raise AssertionError("executed by the client, never by the server")


class Verdict(BaseModel):
    verdict: str
    score: int


def agents(db: Any) -> list[Agent]:
    return [
        Agent(
            id="calc",
            name="Calculator",
            model=ScriptedModel(steps=[tool_call("add", a=2, b=3), chunks("The ", "answer ", "is 5.")]),
            tools=[add],
            db=db,
        ),
        Agent(
            id="confirm",
            model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "done"]),
            tools=[delete_file],
            db=db,
        ),
        Agent(
            id="ask", model=ScriptedModel(steps=[tool_call("weather"), "all done"]), tools=[weather], db=db
        ),
        Agent(
            id="external",
            model=ScriptedModel(steps=[tool_call("run_shell", command="ls"), "listed"]),
            tools=[run_shell],
            db=db,
        ),
        Agent(
            id="hangs", model=ScriptedModel(steps=[hang(after_chunks=1, chunks=["partial ", "never"])]), db=db
        ),
        Agent(id="broken", model=ScriptedModel(steps=[fail("provider down", status_code=503)]), db=db),
        Agent(
            id="limited", model=ScriptedModel(steps=[ModelRateLimitError("slow down", model_name="m")]), db=db
        ),
        Agent(
            id="judge",
            model=ScriptedModel(steps=[{"verdict": "good", "score": 9}]),
            output_schema=Verdict,
            db=db,
        ),
        Agent(id="eventful", model=ScriptedModel(steps=["hello"]), stream_events=True, db=db),
    ]


def make_os() -> AgentOS:
    db = InMemoryDb()
    return AgentOS(id="runs-os", agents=agents(db), db=db)


def local(agent_id: str) -> Agent:
    """The same agent definition, run locally (its own database)."""
    return next(a for a in agents(InMemoryDb()) if a.id == agent_id)


@pytest.fixture
async def served(start_os: Any) -> OSHarness:
    harness: OSHarness = await start_os(make_os())
    return harness


@pytest.fixture
async def client(served: OSHarness) -> AsyncIterator[AgentOSClient]:
    async with AgentOSClient(served.address, timeout=20) as c:
        yield c


# Comparing with a local run -----------------------------------------------------------------

_IDENTITY = {
    "run_id",
    "session_id",
    "created_at",
    "sequence",
    "metrics",
    "tool_call_id",
    "requirement_id",
    "id",
}


def comparable(value: Any) -> Any:
    """A value with per-run identity (ids, times, timing metrics) removed."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            {
                f.name: comparable(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.name not in _IDENTITY
            },
        )
    if isinstance(value, BaseModel):
        return (type(value).__name__, value.model_dump())
    if isinstance(value, list | tuple):
        return [comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in _IDENTITY}
    return value


async def local_events(agent_id: str, message: str, **kwargs: Any) -> list[BaseRunEvent]:
    """A local run's events as they were when yielded (the engine's events share live objects,
    e.g. ToolCallStarted's ToolExecution gets its result later; the wire sends them as they were)."""
    return [copy.deepcopy(e) async for e in local(agent_id).arun(message, stream=True, **kwargs)]


def assert_same_events(remote: list[BaseRunEvent], expected: list[BaseRunEvent]) -> None:
    assert [type(e) for e in remote] == [type(e) for e in expected]
    assert [comparable(e) for e in remote] == [comparable(e) for e in expected]
    sequences = [e.sequence for e in remote]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences) and sequences[0] >= 1


@pytest.mark.parametrize("stream_events", [True, False])
async def test_streamed_events_equal_a_local_runs(client: AgentOSClient, stream_events: bool) -> None:
    remote = [e async for e in client.run_agent_stream("calc", "add 2 and 3", stream_events=stream_events)]
    expected = await local_events("calc", "add 2 and 3", stream_events=stream_events)
    assert_same_events(remote, expected)
    assert isinstance(remote[-1], RunCompletedEvent) and remote[-1].content == "The answer is 5."
    assert [e.content for e in remote if isinstance(e, RunContentEvent)] == ["The ", "answer ", "is 5."]
    if stream_events:
        (completed,) = [e for e in remote if isinstance(e, ToolCallCompletedEvent)]
        assert completed.tool is not None and completed.tool.result == "5"


async def test_remote_agent_stream_equals_local_agent_stream(served: OSHarness) -> None:
    remote_agent = RemoteAgent(served.address, "calc")
    remote = [e async for e in remote_agent.arun("add 2 and 3", stream=True, stream_events=True)]
    assert_same_events(remote, await local_events("calc", "add 2 and 3", stream_events=True))
    # stream_events=None follows each agent's own default, like a local agent.
    default = [e async for e in remote_agent.arun("add 2 and 3", stream=True)]
    assert_same_events(default, await local_events("calc", "add 2 and 3"))
    eventful = [e async for e in RemoteAgent(served.address, "eventful").arun("hi", stream=True)]
    assert_same_events(eventful, await local_events("eventful", "hi"))
    assert len(eventful) > 2


async def test_run_output_equals_a_local_runs(client: AgentOSClient, served: OSHarness) -> None:
    output = await client.run_agent(
        "calc", "add 2 and 3", session_id="sess-1", user_id="u1", metadata={"k": "v"}, session_state={"n": 1}
    )
    expected = await local("calc").arun(
        "add 2 and 3", session_id="sess-1", user_id="u1", metadata={"k": "v"}, session_state={"n": 1}
    )
    assert isinstance(output, RunOutput)
    assert output.status == RunStatus.completed and output.content == "The answer is 5."
    for name in (
        "agent_id",
        "agent_name",
        "session_id",
        "user_id",
        "content",
        "content_type",
        "model",
        "model_provider",
        "metadata",
        "session_state",
        "status",
    ):
        assert getattr(output, name) == getattr(expected, name), name
    assert comparable(output.tools) == comparable(expected.tools)
    assert output.metrics is not None and output.metrics.total_tokens == expected.metrics.total_tokens  # type: ignore[union-attr]
    assert output.input is not None and output.input.input_content == "add 2 and 3"

    remote = await RemoteAgent(served.address, "calc").arun("add 2 and 3", user_id="u2")
    assert remote.content == "The answer is 5." and remote.user_id == "u2"


async def test_structured_output_comes_back_as_the_model(client: AgentOSClient, served: OSHarness) -> None:
    output = await client.run_agent("judge", "rate it", output_schema=Verdict)
    assert output.content == Verdict(verdict="good", score=9)
    plain = await client.run_agent("judge", "rate it")
    assert plain.content == {"verdict": "good", "score": 9} and plain.content_type == "Verdict"
    via_remote = await RemoteAgent(served.address, "judge").arun("rate it", output_schema=Verdict)
    assert via_remote.content == Verdict(verdict="good", score=9)


async def test_inputs_travel(client: AgentOSClient) -> None:
    image = Image(url="https://example.com/cat.png")
    output = await client.run_agent(
        "calc",
        "add 2 and 3",
        images=[image],
        dependencies={"x": 1},
        knowledge_filters={"tag": "a"},
        add_history_to_context=False,
        retries=1,
    )
    assert output.input is not None and output.input.images is not None
    assert [i.url for i in output.input.images] == ["https://example.com/cat.png"]
    chosen = await client.run_agent("calc", "again", run_id="my-run-id")
    assert chosen.run_id == "my-run-id"


# Human in the loop ------------------------------------------------------------------------------


async def test_confirmation_with_requirements(client: AgentOSClient, served: OSHarness) -> None:
    paused = await client.run_agent("confirm", "delete it")
    assert paused.is_paused and paused.requirements
    (requirement,) = paused.requirements
    assert requirement.needs_confirmation and requirement.tool_execution.tool_name == "delete_file"
    requirement.confirm()
    done = await client.continue_agent_run("confirm", paused.run_id or "", requirements=paused.requirements)
    assert done.status == RunStatus.completed and done.content == "done"
    assert [t.result for t in done.tools or []] == ["deleted /tmp/x"]
    with pytest.raises(FailedPreconditionError) as again:
        await client.continue_agent_run("confirm", paused.run_id or "", requirements=paused.requirements)
    assert again.value.reason == "RUN_ALREADY_TERMINAL"

    # The same flow through RemoteAgent, passing the paused output back as a local agent takes it.
    remote = RemoteAgent(served.address, "confirm")
    paused_again = await remote.arun("delete it")
    assert paused_again.is_paused
    for req in paused_again.requirements or []:
        req.reject("not today")
    rejected = await remote.acontinue_run(paused_again)
    assert rejected.status == RunStatus.completed
    assert rejected.tools is not None and rejected.tools[0].confirmed is False


async def test_user_input_streamed_continue(client: AgentOSClient, served: OSHarness) -> None:
    remote = RemoteAgent(served.address, "ask")
    events = [e async for e in remote.arun("weather please", stream=True, stream_events=True)]
    assert isinstance(events[-1], RunPausedEvent)
    paused = await client.get_run(events[-1].run_id or "")
    assert paused.is_paused and paused.requirements is not None
    (requirement,) = paused.requirements
    assert [f.name for f in requirement.user_input_schema or []] == ["city"]
    requirement.provide_user_input({"city": "Paris"})
    continued = [
        e
        async for e in remote.acontinue_run(
            run_id=paused.run_id, requirements=paused.requirements, stream=True, stream_events=True
        )
    ]
    assert isinstance(continued[0], RunContinuedEvent)
    assert isinstance(continued[-1], RunCompletedEvent) and continued[-1].content == "all done"
    assert continued[0].sequence == events[-1].sequence + 1
    results = [e.tool.result for e in continued if isinstance(e, ToolCallCompletedEvent) and e.tool]
    assert results == ["sunny in Paris"]


async def test_external_execution_with_updated_tools(client: AgentOSClient, served: OSHarness) -> None:
    paused = await client.run_agent("external", "list files")
    assert paused.is_paused
    (call,) = [t for t in paused.tools or [] if t.external_execution_required]
    done = await client.continue_agent_run(
        "external", paused.run_id or "", [ToolExecution(tool_call_id=call.tool_call_id, result="a.txt b.txt")]
    )
    assert done.status == RunStatus.completed and done.content == "listed"
    assert [t.result for t in done.tools or []] == ["a.txt b.txt"]

    remote = RemoteAgent(served.address, "external")
    again = await remote.arun("list files")
    (pending,) = [t for t in again.tools or [] if t.external_execution_required]
    streamed = [
        e
        async for e in remote.acontinue_run(
            run_id=again.run_id,
            updated_tools=[ToolExecution(tool_call_id=pending.tool_call_id, result="c.txt")],
            stream=True,
        )
    ]
    assert isinstance(streamed[-1], RunCompletedEvent) and streamed[-1].content == "listed"
    stream_from_client = client.continue_agent_run("external", again.run_id or "", stream=True)
    with pytest.raises(FailedPreconditionError):
        async for _ in stream_from_client:
            pass


# Cancelling ----------------------------------------------------------------------------------------


async def test_cancel_a_streaming_run(client: AgentOSClient, served: OSHarness) -> None:
    events: list[BaseRunEvent] = []
    async for event in client.run_agent_stream("hangs", "go", run_id="to-cancel"):
        events.append(event)
        if isinstance(event, RunContentEvent):
            assert await client.cancel_agent_run("hangs", "to-cancel", reason="enough")
    assert isinstance(events[-1], RunCancelledEvent) and events[-1].reason == "enough"
    cancelled = await client.get_run("to-cancel")
    assert cancelled.status == RunStatus.cancelled

    remote = RemoteAgent(served.address, "hangs")
    assert await remote.cancel_run("to-cancel") is True  # cancelling a cancelled run succeeds
    done = await client.run_agent("calc", "add")
    assert await remote.cancel_run(done.run_id or "") is False
    assert await remote.cancel_run("never-existed") is False
    with pytest.raises(FailedPreconditionError) as terminal:
        await client.cancel_run(done.run_id or "")
    assert terminal.value.reason == "RUN_ALREADY_TERMINAL"
    with pytest.raises(NotFoundError):
        await client.cancel_run("never-existed")
    assert await client.cancel_run("later", allow_missing=True) is True
    early = await client.run_agent("calc", "add", run_id="later")
    assert early.status == RunStatus.cancelled


async def test_cancel_a_background_run_and_watch_it(client: AgentOSClient) -> None:
    started = await client.run_agent("hangs", "go", background=True, stream_events=True)
    assert started.run_id and started.status in (RunStatus.pending, RunStatus.running)
    watcher = client.watch_run(started.run_id)
    first = await anext(watcher)
    assert first.run_id == started.run_id
    assert await client.cancel_agent_run("hangs", started.run_id)
    rest = [e async for e in watcher]
    assert isinstance(rest[-1], RunCancelledEvent)
    replay = [e async for e in client.watch_run(started.run_id)]
    assert [type(e) for e in replay] == [type(first), *[type(e) for e in rest]]
    tail = [e async for e in client.watch_run(started.run_id, after_sequence=replay[-2].sequence)]
    assert [type(e) for e in tail] == [RunCancelledEvent]


# Reading runs ------------------------------------------------------------------------------------


async def test_get_and_list_runs(client: AgentOSClient) -> None:
    first = await client.run_agent("calc", "one", session_id="s-runs", user_id="u1")
    second = await client.run_agent("calc", "two", session_id="s-runs", user_id="u1")
    await client.run_agent("calc", "other", session_id="s-other", user_id="u1")
    fetched = await client.get_run(first.run_id or "")
    assert fetched.run_id == first.run_id and fetched.content == first.content and fetched.messages is None
    full = await client.get_run(first.run_id or "", full=True)
    assert full.messages and full.messages[-1].role == "assistant"
    session_runs = await client.get_session_runs("s-runs")
    assert [r.run_id for r in session_runs] == [first.run_id, second.run_id]
    page = await client.list_runs(session_id="s-runs", limit=1)
    assert page.total_size == 2 and len(page.data) == 1 and page.has_next_page
    completed = await client.list_runs(agent_id="calc", statuses=["completed"], limit=100)
    assert {r.run_id for r in completed.data} >= {first.run_id, second.run_id}
    with pytest.raises(NotFoundError) as missing:
        await client.get_run("nope")
    assert missing.value.reason == "RUN_NOT_FOUND"


# Failures ------------------------------------------------------------------------------------------


async def test_run_failures_are_typed_errors(client: AgentOSClient, served: OSHarness) -> None:
    with pytest.raises(NotFoundError) as unknown:
        await client.run_agent("ghost", "hi")
    assert unknown.value.reason == "AGENT_NOT_FOUND"
    with pytest.raises(InvalidArgumentError) as invalid:
        await client.run_agent("calc", "", images=[Image(url="file:///etc/passwd")])
    assert {v.field for v in invalid.value.field_violations} == {"message", "images[0].url"}
    with pytest.raises(UnavailableError) as outage:
        await client.run_agent("broken", "hi")
    assert outage.value.reason == "MODEL_PROVIDER_UNAVAILABLE" and outage.value.metadata["run_id"]
    with pytest.raises(ResourceExhaustedError) as limited:
        await client.run_agent("limited", "hi")
    assert limited.value.reason == "MODEL_PROVIDER_RATE_LIMITED"
    with pytest.raises(DeadlineExceededError):
        await client.run_agent("hangs", "hi", timeout=0.3)

    # A RemoteAgent returns the failed run, as a local agent does; streams end with RunError.
    failed = await RemoteAgent(served.address, "broken").arun("hi")
    local_failed = await local("broken").arun("hi")
    assert failed.status == local_failed.status == RunStatus.error
    assert failed.error == local_failed.error
    events = [e async for e in RemoteAgent(served.address, "broken").arun("hi", stream=True)]
    assert_same_events(events, await local_events("broken", "hi"))
    assert isinstance(events[-1], RunErrorEvent)
    with pytest.raises(NotFoundError):
        await RemoteAgent(served.address, "ghost").arun("hi")


async def test_stream_idle_timeout(served: OSHarness) -> None:
    async with AgentOSClient(served.address, timeout=0.3) as impatient:
        with pytest.raises(DeadlineExceededError, match="no message"):
            async for _ in impatient.run_agent_stream("hangs", "go"):
                pass


# Sync APIs ------------------------------------------------------------------------------------------


@pytest.fixture
def threaded() -> Iterator[ThreadedOS]:
    with serve_os_in_thread(make_os()) as server:
        yield server


def test_sync_runs(threaded: ThreadedOS) -> None:
    with AgentOSClient(threaded.address, timeout=20) as client:
        output = client.sync.run_agent("calc", "add", session_id="sync-s")
        assert output.content == "The answer is 5."
        events = list(client.sync.run_agent_stream("calc", "add", stream_events=False))
        assert [type(e) for e in events] == [RunContentEvent] * 3 + [RunCompletedEvent]
        paused = client.sync.run_agent("confirm", "delete")
        for requirement in paused.requirements or []:
            requirement.confirm()
        done = client.sync.continue_agent_run(
            "confirm", paused.run_id or "", requirements=paused.requirements
        )
        assert isinstance(done, RunOutput) and done.content == "done"
        assert [r.run_id for r in client.sync.get_session_runs("sync-s")] == [output.run_id]
        assert client.sync.get_run(output.run_id or "").content == "The answer is 5."
        assert client.sync.list_runs(session_id="sync-s").total_size == 1
        watched = list(client.sync.watch_run(output.run_id or ""))
        assert isinstance(watched[-1], RunCompletedEvent)
        assert client.sync.cancel_run("sync-later", allow_missing=True)


def test_remote_agent_sync_runs(threaded: ThreadedOS) -> None:
    remote = RemoteAgent(threaded.address, "calc")
    assert remote.run("add").content == "The answer is 5."
    streamed = list(remote.run("add", stream=True, stream_events=True))
    assert isinstance(streamed[-1], RunCompletedEvent)
    asker = RemoteAgent(threaded.address, "ask")
    paused = asker.run("weather")
    for requirement in paused.requirements or []:
        requirement.provide_user_input({"city": "Rome"})
    continued = list(asker.continue_run(paused, stream=True, stream_events=True))
    assert isinstance(continued[-1], RunCompletedEvent)


async def test_remote_sync_run_inside_a_loop_refuses(served: OSHarness) -> None:
    with pytest.raises(RuntimeError, match="running event loop"):
        RemoteAgent(served.address, "calc").run("add")
    await asyncio.sleep(0)
