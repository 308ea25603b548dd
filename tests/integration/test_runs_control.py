"""RunService control over a real server: the three human-in-the-loop flows continued over the
wire (unary and streamed, from memory and from the database), CancelRun in every state, and
request_id idempotency of CreateRun, StreamRun, ContinueRun and CancelRun."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, hang, tool_call
from agentos.os import AgentOS
from agentos.tools import tool
from agentos.v1 import common_pb2, events_pb2, run_service_pb2, runs_pb2
from google.protobuf import struct_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status

TERMINAL = {"run_completed", "run_paused", "run_cancelled", "run_error"}


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


def hitl_agent(agent_id: str, step: Any, tools: list[Any], db: Any = None) -> Agent:
    return Agent(id=agent_id, model=ScriptedModel(steps=[step, "all done"]), tools=tools, db=db)


def reason_of(exc: grpc.aio.AioRpcError) -> str:
    status = rpc_status.from_call(exc)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    raise AssertionError("no ErrorInfo")


async def collect(stream: Any) -> list[events_pb2.RunEvent]:
    return [event async for event in stream]


async def pause(harness: Any, agent_id: str, **fields: Any) -> runs_pb2.Run:
    response = await harness.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id=agent_id, message="go", **fields)
    )
    assert response.run.state == runs_pb2.RUN_STATE_PAUSED, response.run
    assert len(response.run.requirements) == 1
    return response.run


def hitl_os(db: Any = None) -> AgentOS:
    return AgentOS(
        agents=[
            hitl_agent("confirm", tool_call("delete_file", path="/tmp/x"), [delete_file], db),
            hitl_agent("ask", tool_call("weather"), [weather], db),
            hitl_agent("external", tool_call("run_shell", command="ls"), [run_shell], db),
        ],
        db=db,
    )


async def test_confirmation_flow_over_the_wire(start_os: Any) -> None:
    harness = await start_os(hitl_os())
    paused = await pause(harness, "confirm")
    requirement = paused.requirements[0]
    assert requirement.kind == common_pb2.REQUIREMENT_KIND_CONFIRMATION
    assert requirement.tool_execution.tool_name == "delete_file"
    decision = common_pb2.RunRequirement(requirement_id=requirement.requirement_id, confirmed=True)
    done = await harness.stubs.runs.ContinueRun(
        run_service_pb2.ContinueRunRequest(run_id=paused.run_id, requirements=[decision])
    )
    assert done.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert done.run.content.string_value == "all done"
    assert [t.result for t in done.run.tools] == ["deleted /tmp/x"]
    # A completed run cannot be continued again.
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await harness.stubs.runs.ContinueRun(
            run_service_pb2.ContinueRunRequest(run_id=paused.run_id, requirements=[decision])
        )
    assert again.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert reason_of(again.value) == "RUN_ALREADY_TERMINAL"


async def test_user_input_flow_streamed_continues_the_sequence(start_os: Any) -> None:
    harness = await start_os(hitl_os())
    paused = await pause(harness, "ask", stream_events=True)
    requirement = paused.requirements[0]
    assert requirement.kind == common_pb2.REQUIREMENT_KIND_USER_INPUT
    assert [f.name for f in requirement.tool_execution.user_input_schema] == ["city"]
    answer = common_pb2.RunRequirement(
        requirement_id=requirement.requirement_id,
        user_input=[common_pb2.UserInputField(name="city", value=struct_pb2.Value(string_value="Paris"))],
    )
    events = await collect(
        harness.stubs.runs.StreamContinueRun(
            run_service_pb2.StreamContinueRunRequest(
                run_id=paused.run_id, requirements=[answer], stream_events=True
            )
        )
    )
    assert events[0].event == "RunContinued"
    assert events[0].sequence == paused.last_sequence + 1
    assert [e.sequence for e in events] == list(
        range(paused.last_sequence + 1, paused.last_sequence + 1 + len(events))
    )
    assert events[-1].event == "RunCompleted"
    completed = [e for e in events if e.event == "ToolCallCompleted"]
    assert completed[0].tool_call_completed.tool.result == "sunny in Paris"
    # WatchRun from the start shows both segments: pause, continue, completion.
    watched = await collect(
        harness.stubs.runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=paused.run_id))
    )
    names = [e.event for e in watched]
    assert names[0] == "RunSnapshot"
    assert names.index("RunPaused") < names.index("RunContinued") < names.index("RunCompleted")
    assert watched[0].run_snapshot.run.state == runs_pb2.RUN_STATE_COMPLETED


async def test_external_execution_flow_with_tools_the_v1_way(start_os: Any) -> None:
    harness = await start_os(hitl_os())
    paused = await pause(harness, "external")
    call = paused.requirements[0].tool_execution
    assert paused.requirements[0].kind == common_pb2.REQUIREMENT_KIND_EXTERNAL_EXECUTION
    result = common_pb2.ToolExecution(tool_call_id=call.tool_call_id, result="file1 file2")
    done = await harness.stubs.runs.ContinueRun(
        run_service_pb2.ContinueRunRequest(run_id=paused.run_id, tools=[result])
    )
    assert done.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert [t.result for t in done.run.tools] == ["file1 file2"]


async def test_continue_checks_the_decisions_and_the_state(start_os: Any) -> None:
    harness = await start_os(hitl_os())
    runs = harness.stubs.runs
    paused = await pause(harness, "confirm")
    unknown = common_pb2.RunRequirement(requirement_id="nope", confirmed=True)
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await runs.ContinueRun(
            run_service_pb2.ContinueRunRequest(run_id=paused.run_id, requirements=[unknown])
        )
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert reason_of(missing.value) == "REQUIREMENT_NOT_FOUND"
    stranger = common_pb2.ToolExecution(tool_call_id="not-a-call", confirmed=True)
    with pytest.raises(grpc.aio.AioRpcError) as bad_tool:
        await runs.ContinueRun(run_service_pb2.ContinueRunRequest(run_id=paused.run_id, tools=[stranger]))
    assert bad_tool.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.aio.AioRpcError) as other_session:
        await runs.ContinueRun(
            run_service_pb2.ContinueRunRequest(run_id=paused.run_id, session_id="elsewhere")
        )
    assert reason_of(other_session.value) == "SESSION_MISMATCH"
    # Rejecting the call still completes the run (the model is told it was rejected).
    reject = common_pb2.RunRequirement(requirement_id=paused.requirements[0].requirement_id, confirmed=False)
    done = await runs.ContinueRun(
        run_service_pb2.ContinueRunRequest(run_id=paused.run_id, requirements=[reject])
    )
    assert done.run.state == runs_pb2.RUN_STATE_COMPLETED


async def test_continue_of_a_running_run_is_run_not_paused(start_os: Any) -> None:
    agent = Agent(id="hangs", model=ScriptedModel(steps=[hang()]))
    harness = await start_os(AgentOS(agents=[agent]))
    runs = harness.stubs.runs
    created = await runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="hangs", message="x", background=True)
    )
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await runs.ContinueRun(run_service_pb2.ContinueRunRequest(run_id=created.run.run_id))
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert reason_of(raised.value) == "RUN_NOT_PAUSED"
    await runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=created.run.run_id))


async def test_a_paused_run_is_continued_by_another_server_sharing_the_database(start_os: Any) -> None:
    db = InMemoryDb()
    first = await start_os(hitl_os(db))
    paused = await pause(first, "confirm", stream_events=True)
    second = await start_os(hitl_os(db))  # new Agent instances, same database
    stored = await second.stubs.runs.GetRun(run_service_pb2.GetRunRequest(run_id=paused.run_id))
    assert stored.run.state == runs_pb2.RUN_STATE_PAUSED
    decision = common_pb2.RunRequirement(requirement_id=paused.requirements[0].requirement_id, confirmed=True)
    events = await collect(
        second.stubs.runs.StreamContinueRun(
            run_service_pb2.StreamContinueRunRequest(
                run_id=paused.run_id, requirements=[decision], stream_events=True
            )
        )
    )
    assert events[-1].event == "RunCompleted"
    assert events[0].sequence == paused.last_sequence + 1
    # The second server replays the first segment from the database, then its own events.
    watched = await collect(second.stubs.runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=paused.run_id)))
    sequences = [e.sequence for e in watched[1:]]
    assert sequences == list(range(1, len(sequences) + 1))
    assert watched[-1].event == "RunCompleted"


# -- cancel --------------------------------------------------------------------------------------


async def test_cancel_a_running_background_run_then_again(start_os: Any) -> None:
    started = asyncio.Event()
    agent = Agent(id="hangs", model=ScriptedModel(steps=[hang(started=started)]))
    harness = await start_os(AgentOS(agents=[agent]))
    runs = harness.stubs.runs
    created = await runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="hangs", message="x", background=True)
    )
    await asyncio.wait_for(started.wait(), 5)
    cancelled = await runs.CancelRun(
        run_service_pb2.CancelRunRequest(run_id=created.run.run_id, reason="stop")
    )
    assert cancelled.run.state == runs_pb2.RUN_STATE_CANCELLED
    assert cancelled.run.cancellation_reason == "stop"
    again = await runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=created.run.run_id))
    assert again.run.state == runs_pb2.RUN_STATE_CANCELLED
    got = await runs.GetRun(run_service_pb2.GetRunRequest(run_id=created.run.run_id))
    assert got.run.state == runs_pb2.RUN_STATE_CANCELLED


async def test_cancel_a_streaming_run_ends_its_stream_with_run_cancelled(start_os: Any) -> None:
    agent = Agent(id="hangs", model=ScriptedModel(steps=[hang(after_chunks=1, chunks=["a", "b"])]))
    harness = await start_os(AgentOS(agents=[agent]))
    runs = harness.stubs.runs
    stream = runs.StreamRun(
        run_service_pb2.StreamRunRequest(agent_id="hangs", message="x", stream_events=True)
    )
    seen: list[events_pb2.RunEvent] = []
    while True:
        event = await stream.read()
        seen.append(event)
        if event.event == "RunContent":
            break
    response = await runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=seen[0].run_id))
    assert response.run.state == runs_pb2.RUN_STATE_CANCELLED
    while (event := await stream.read()) is not grpc.aio.EOF:
        seen.append(event)
    assert seen[-1].event == "RunCancelled"
    assert [e.sequence for e in seen] == list(range(1, len(seen) + 1))


async def test_cancel_before_start_ends_the_run_as_soon_as_it_starts(start_os: Any) -> None:
    calls: list[int] = []

    def answer(messages: list[Any], info: ModelCallInfo) -> Any:
        calls.append(1)
        return "should not run"

    harness = await start_os(AgentOS(agents=[Agent(id="a", model=FunctionModel(fn=answer))]))
    runs = harness.stubs.runs
    early = await runs.CancelRun(
        run_service_pb2.CancelRunRequest(run_id="run-later", allow_missing=True, reason="changed my mind")
    )
    assert early.cancelled_before_start and not early.HasField("run")
    created = await runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="a", message="x", run_id="run-later")
    )
    assert created.run.state == runs_pb2.RUN_STATE_CANCELLED
    assert created.run.cancellation_reason == "changed my mind"
    assert calls == []


async def test_cancel_a_paused_run_ends_it_in_memory_and_in_the_database(start_os: Any) -> None:
    db = InMemoryDb()
    harness = await start_os(hitl_os(db))
    runs = harness.stubs.runs
    paused = await pause(harness, "confirm")
    cancelled = await runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=paused.run_id))
    assert cancelled.run.state == runs_pb2.RUN_STATE_CANCELLED
    record = await db.get_run(paused.run_id)
    assert record is not None and record.status == "CANCELLED"
    decision = common_pb2.RunRequirement(requirement_id=paused.requirements[0].requirement_id, confirmed=True)
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await runs.ContinueRun(
            run_service_pb2.ContinueRunRequest(run_id=paused.run_id, requirements=[decision])
        )
    assert reason_of(raised.value) == "RUN_ALREADY_TERMINAL"
    # Another server sharing the database sees the cancellation too.
    other = await start_os(hitl_os(db))
    with pytest.raises(grpc.aio.AioRpcError) as elsewhere:
        await other.stubs.runs.ContinueRun(
            run_service_pb2.ContinueRunRequest(run_id=paused.run_id, requirements=[decision])
        )
    assert reason_of(elsewhere.value) == "RUN_ALREADY_TERMINAL"
    ok = await other.stubs.runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=paused.run_id))
    assert ok.run.state == runs_pb2.RUN_STATE_CANCELLED


async def test_cancel_of_a_completed_run_is_already_terminal(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[Agent(id="a", model=ScriptedModel(steps=["hi"]))]))
    runs = harness.stubs.runs
    done = await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="a", message="x"))
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=done.run.run_id))
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert reason_of(raised.value) == "RUN_ALREADY_TERMINAL"


# -- idempotency ---------------------------------------------------------------------------------


def counting_agent(agent_id: str = "count") -> tuple[Agent, list[str]]:
    calls: list[str] = []

    def answer(messages: list[Any], info: ModelCallInfo) -> Any:
        calls.append(messages[-1].content_text())
        return f"answer {len(calls)}"

    return Agent(id=agent_id, model=FunctionModel(fn=answer)), calls


async def test_create_run_with_a_request_id_runs_once(start_os: Any) -> None:
    agent, calls = counting_agent()
    harness = await start_os(AgentOS(agents=[agent]))
    runs = harness.stubs.runs
    request = run_service_pb2.CreateRunRequest(agent_id="count", message="hello", request_id="req-1")
    first, second = await asyncio.gather(runs.CreateRun(request), runs.CreateRun(request))
    third = await runs.CreateRun(request)
    assert first.run.run_id == second.run.run_id == third.run.run_id
    assert third.run.content.string_value == "answer 1"
    assert calls == ["hello"]
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await runs.CreateRun(
            run_service_pb2.CreateRunRequest(agent_id="count", message="other", request_id="req-1")
        )
    assert reused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert reason_of(reused.value) == "REQUEST_ID_REUSED"


async def test_stream_run_retry_with_the_request_id_reattaches_to_the_first_run(start_os: Any) -> None:
    agent, calls = counting_agent()
    harness = await start_os(AgentOS(agents=[agent]))
    request = run_service_pb2.StreamRunRequest(
        agent_id="count", message="hi", request_id="s-1", stream_events=True
    )
    first = await collect(harness.stubs.runs.StreamRun(request))
    retry = await collect(harness.stubs.runs.StreamRun(request))
    assert [(e.run_id, e.sequence, e.event) for e in retry] == [
        (e.run_id, e.sequence, e.event) for e in first
    ]
    assert calls == ["hi"]


async def test_continue_and_cancel_retries_return_the_first_result(start_os: Any) -> None:
    harness = await start_os(hitl_os())
    runs = harness.stubs.runs
    paused = await pause(harness, "confirm")
    decision = common_pb2.RunRequirement(requirement_id=paused.requirements[0].requirement_id, confirmed=True)
    request = run_service_pb2.ContinueRunRequest(
        run_id=paused.run_id, requirements=[decision], request_id="c-1"
    )
    first = await runs.ContinueRun(request)
    retry = await runs.ContinueRun(request)
    assert first.run == retry.run
    assert first.run.state == runs_pb2.RUN_STATE_COMPLETED
    streamed_paused = await pause(harness, "confirm")
    decision = common_pb2.RunRequirement(
        requirement_id=streamed_paused.requirements[0].requirement_id, confirmed=True
    )
    stream_request = run_service_pb2.StreamContinueRunRequest(
        run_id=streamed_paused.run_id, requirements=[decision], request_id="sc-1", stream_events=True
    )
    streamed = await collect(runs.StreamContinueRun(stream_request))
    restreamed = await collect(runs.StreamContinueRun(stream_request))
    assert [e.sequence for e in restreamed] == [e.sequence for e in streamed]
    assert restreamed[-1].event == "RunCompleted"
    cancel_request = run_service_pb2.CancelRunRequest(
        run_id="never-started", allow_missing=True, request_id="x-1"
    )
    assert (await runs.CancelRun(cancel_request)).cancelled_before_start
    assert (await runs.CancelRun(cancel_request)).cancelled_before_start
