"""RunService over a real server: CreateRun/StreamRun, event order and filtering, background runs
with GetRun/WatchRun, ListRuns, bad requests for every RPC, and model failures as statuses."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.openai import OpenAIChat
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, chunks, fail, hang, tool_call
from agentos.os import AgentOS
from agentos.v1 import common_pb2, events_pb2, run_service_pb2, runs_pb2
from fake_openai import FakeOpenAI, Turn, error
from google.protobuf import struct_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from model_servers import fake_openai_server

__all__ = ["fake_openai_server"]

TERMINAL = {"run_completed", "run_paused", "run_cancelled", "run_error"}


def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


def adder(agent_id: str = "calc", **kwargs: Any) -> Agent:
    model = ScriptedModel(steps=[tool_call("add", a=2, b=3), chunks("the ", "sum ", "is 5")])
    return Agent(id=agent_id, name="Calculator", model=model, tools=[add], **kwargs)


def details(exc: grpc.aio.AioRpcError) -> tuple[error_details_pb2.ErrorInfo, list[str]]:
    """The ErrorInfo and the BadRequest field names of an error status."""
    status = rpc_status.from_call(exc)
    assert status is not None, "no google.rpc.Status details"
    info = error_details_pb2.ErrorInfo()
    fields: list[str] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields.extend(v.field for v in bad.field_violations)
    return info, fields


async def collect(stream: Any) -> list[events_pb2.RunEvent]:
    return [event async for event in stream]


async def read_rest(call: Any) -> list[events_pb2.RunEvent]:
    """The remaining messages of a stream already read with ``read()`` (the APIs cannot mix)."""
    out: list[events_pb2.RunEvent] = []
    while (message := await call.read()) is not grpc.aio.EOF:
        out.append(message)
    return out


def check_stream_shape(events: list[events_pb2.RunEvent]) -> None:
    """Strictly increasing sequences, exactly one terminal event, and it is the last one."""
    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences)), sequences
    cases = [e.WhichOneof("payload") for e in events]
    assert cases[-1] in TERMINAL
    assert sum(1 for c in cases if c in TERMINAL) == 1


async def test_create_run_runs_tools_and_returns_the_completed_run(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    response = await harness.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="calc", message="2+3?", user_id="ann", session_id="s1")
    )
    run = response.run
    assert run.state == runs_pb2.RUN_STATE_COMPLETED
    assert run.content.string_value == "the sum is 5"
    assert (run.agent_id, run.agent_name, run.user_id, run.session_id) == ("calc", "Calculator", "ann", "s1")
    assert [(t.tool_name, t.result) for t in run.tools] == [("add", "5")]
    assert run.input.message == "2+3?"
    assert run.last_sequence == run.event_count > 0
    assert not run.messages  # CreateRun answers with the basic view


async def test_stream_run_delivers_every_event_in_order_ending_with_the_terminal_one(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    events = await collect(
        harness.stubs.runs.StreamRun(
            run_service_pb2.StreamRunRequest(
                agent_id="calc", message="2+3?", stream_events=True, user_id="ann"
            )
        )
    )
    check_stream_shape(events)
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    names = [e.event for e in events]
    assert names[0] == "RunStarted"
    assert names.index("ToolCallStarted") < names.index("ToolCallCompleted") < names.index("RunContent")
    assert names[-1] == "RunCompleted"
    assert (
        "".join(e.run_content.content.string_value for e in events if e.event == "RunContent")
        == "the sum is 5"
    )
    run_id = events[0].run_id
    assert all(e.run_id == run_id and e.agent_id == "calc" and e.user_id == "ann" for e in events)
    got = await harness.stubs.runs.GetRun(
        run_service_pb2.GetRunRequest(run_id=run_id, view=run_service_pb2.RUN_VIEW_FULL)
    )
    assert got.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert got.run.content.string_value == "the sum is 5"
    assert got.run.last_sequence == events[-1].sequence
    assert [m.role for m in got.run.messages][-1] == "assistant"


async def test_without_stream_events_only_content_and_the_terminal_event_are_streamed(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    events = await collect(
        harness.stubs.runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="calc", message="x"))
    )
    check_stream_shape(events)
    assert [e.event for e in events] == ["RunContent", "RunContent", "RunContent", "RunCompleted"]
    # The same run's full log is still there for WatchRun.
    watched = await collect(
        harness.stubs.runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=events[0].run_id))
    )
    assert watched[0].event == "RunSnapshot"
    assert {"RunStarted", "ToolCallStarted", "ToolCallCompleted"} <= {e.event for e in watched}


async def test_background_run_is_polled_with_get_run_and_followed_with_watch_run(start_os: Any) -> None:
    gate = asyncio.Event()

    async def answer(messages: list[Any], info: ModelCallInfo) -> Any:
        await gate.wait()
        return chunks("done ", "now")

    agent = Agent(id="slow", model=FunctionModel(fn=answer))
    harness = await start_os(AgentOS(agents=[agent]))
    runs = harness.stubs.runs
    created = await runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="slow", message="go", background=True, stream_events=True)
    )
    run_id = created.run.run_id
    assert created.run.state in (runs_pb2.RUN_STATE_PENDING, runs_pb2.RUN_STATE_RUNNING)
    live = await runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))
    assert live.run.state == runs_pb2.RUN_STATE_RUNNING
    watch = runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=run_id))
    first = await watch.read()
    assert first.event == "RunSnapshot" and first.sequence == 0
    assert first.run_snapshot.run.state == runs_pb2.RUN_STATE_RUNNING
    gate.set()
    rest = await read_rest(watch)
    check_stream_shape(rest)
    assert rest[-1].event == "RunCompleted"
    assert rest[0].sequence == 1
    done = await runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))
    assert done.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert done.run.content.string_value == "done now"


async def test_get_run_of_a_live_run_folds_the_content_streamed_so_far(start_os: Any) -> None:
    agent = Agent(
        id="hangs", model=ScriptedModel(steps=[hang(after_chunks=2, chunks=["par", "tial", "never"])])
    )
    harness = await start_os(AgentOS(agents=[agent]))
    runs = harness.stubs.runs
    stream = runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="hangs", message="x", background=True))
    first = await stream.read()
    second = await stream.read()
    run_id = first.run_id
    assert (first.event, second.event) == ("RunContent", "RunContent")
    live = (await runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))).run
    assert live.state == runs_pb2.RUN_STATE_RUNNING
    assert live.content.string_value == "partial"
    assert live.last_sequence >= second.sequence
    cancelled = await runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=run_id, reason="enough"))
    assert cancelled.run.state == runs_pb2.RUN_STATE_CANCELLED
    assert cancelled.run.cancellation_reason == "enough"
    assert cancelled.run.content.string_value == "partial"
    last = await stream.read()
    assert last.event == "RunCancelled" and last.run_cancelled.reason == "enough"


async def test_list_runs_from_the_database_with_filters_and_pages(start_os: Any) -> None:
    db = InMemoryDb()
    harness = await start_os(AgentOS(agents=[adder(db=db), adder("other", db=db)], db=db))
    runs = harness.stubs.runs
    for session_id in ("s1", "s1", "s2"):
        await runs.CreateRun(
            run_service_pb2.CreateRunRequest(agent_id="calc", message="x", session_id=session_id, user_id="u")
        )
    await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="other", message="x", user_id="u"))
    everything = await runs.ListRuns(run_service_pb2.ListRunsRequest())
    assert everything.total_size == 4
    in_s1 = await runs.ListRuns(run_service_pb2.ListRunsRequest(session_id="s1"))
    assert in_s1.total_size == 2 and {r.session_id for r in in_s1.runs} == {"s1"}
    of_other = await runs.ListRuns(run_service_pb2.ListRunsRequest(agent_id="other"))
    assert [r.agent_id for r in of_other.runs] == ["other"]
    seen: list[str] = []
    token = ""
    while True:
        page = await runs.ListRuns(run_service_pb2.ListRunsRequest(page_size=1, page_token=token))
        seen.extend(r.run_id for r in page.runs)
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) == 4
    completed = await runs.ListRuns(
        run_service_pb2.ListRunsRequest(
            states=[runs_pb2.RUN_STATE_COMPLETED], view=run_service_pb2.RUN_VIEW_FULL
        )
    )
    assert completed.total_size == 4 and all(r.messages for r in completed.runs)
    failed = await runs.ListRuns(run_service_pb2.ListRunsRequest(states=[runs_pb2.RUN_STATE_FAILED]))
    assert failed.total_size == 0
    with pytest.raises(grpc.aio.AioRpcError) as bad_token:
        await runs.ListRuns(run_service_pb2.ListRunsRequest(page_token="not-a-token"))
    assert bad_token.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details(bad_token.value)[0].reason == "INVALID_PAGE_TOKEN"


async def test_list_runs_without_a_database_lists_the_runs_held_in_memory(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    runs = harness.stubs.runs
    ids = [
        (
            await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="calc", message="x", user_id=u))
        ).run.run_id
        for u in ("u1", "u2", "u1")
    ]
    listed = await runs.ListRuns(run_service_pb2.ListRunsRequest(user_id="u1"))
    assert listed.total_size == 2
    assert {r.run_id for r in listed.runs} == {ids[0], ids[2]}
    first = await runs.ListRuns(run_service_pb2.ListRunsRequest(page_size=2))
    second = await runs.ListRuns(
        run_service_pb2.ListRunsRequest(page_size=2, page_token=first.next_page_token)
    )
    assert len(first.runs) == 2 and len(second.runs) == 1 and not second.next_page_token
    assert {r.run_id for r in [*first.runs, *second.runs]} == set(ids)


BAD_REQUESTS: list[tuple[str, Any, str]] = [
    ("CreateRun", run_service_pb2.CreateRunRequest(message="no target"), "agent_id"),
    ("CreateRun", run_service_pb2.CreateRunRequest(agent_id="calc"), "message"),
    (
        "CreateRun",
        run_service_pb2.CreateRunRequest(agent_id="calc", message="x", output_schema="{"),
        "output_schema",
    ),
    (
        "StreamRun",
        run_service_pb2.StreamRunRequest(agent_id="calc", message="x", run_id=" padded "),
        "run_id",
    ),
    ("ContinueRun", run_service_pb2.ContinueRunRequest(), "run_id"),
    ("StreamContinueRun", run_service_pb2.StreamContinueRunRequest(run_id="r", retries=-1), "retries"),
    ("CancelRun", run_service_pb2.CancelRunRequest(), "run_id"),
    ("GetRun", run_service_pb2.GetRunRequest(run_id="r", view=99), "view"),  # type: ignore[arg-type]
    ("ListRuns", run_service_pb2.ListRunsRequest(page_size=-1), "page_size"),
    ("ListRuns", run_service_pb2.ListRunsRequest(order_by="name"), "order_by"),
    ("WatchRun", run_service_pb2.WatchRunRequest(run_id="x" * 300), "run_id"),
]


@pytest.mark.parametrize(("method", "request_message", "field"), BAD_REQUESTS)
async def test_a_malformed_request_is_invalid_argument_naming_the_field(
    start_os: Any, method: str, request_message: Any, field: str
) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    call = getattr(harness.stubs.runs, method)
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        if method in ("StreamRun", "StreamContinueRun", "WatchRun"):
            await collect(call(request_message))
        else:
            await call(request_message)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info, fields = details(raised.value)
    assert field in fields, (fields, raised.value.details())
    assert info.reason in ("INVALID_INPUT", "INVALID_ORDER_BY")
    # The server goes on serving.
    ok = await harness.stubs.runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="calc", message="x"))
    assert ok.run.state == runs_pb2.RUN_STATE_COMPLETED


async def test_unknown_targets_and_runs_are_not_found(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    runs = harness.stubs.runs
    cases: list[tuple[Any, str]] = [
        (runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="nobody", message="x")), "AGENT_NOT_FOUND"),
        (runs.CreateRun(run_service_pb2.CreateRunRequest(team_id="t", message="x")), "TEAM_NOT_FOUND"),
        (
            runs.CreateRun(run_service_pb2.CreateRunRequest(workflow_id="w", message="x")),
            "WORKFLOW_NOT_FOUND",
        ),
        (runs.GetRun(run_service_pb2.GetRunRequest(run_id="missing")), "RUN_NOT_FOUND"),
        (runs.CancelRun(run_service_pb2.CancelRunRequest(run_id="missing")), "RUN_NOT_FOUND"),
        (runs.ContinueRun(run_service_pb2.ContinueRunRequest(run_id="missing")), "RUN_NOT_FOUND"),
        (collect(runs.WatchRun(run_service_pb2.WatchRunRequest(run_id="missing"))), "RUN_NOT_FOUND"),
        (
            collect(runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="nobody", message="x"))),
            "AGENT_NOT_FOUND",
        ),
    ]
    for call, reason in cases:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND
        assert details(raised.value)[0].reason == reason


async def test_a_client_chosen_run_id_cannot_be_reused(start_os: Any) -> None:
    harness = await start_os(AgentOS(agents=[adder()]))
    runs = harness.stubs.runs
    await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="calc", message="x", run_id="mine"))
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="calc", message="y", run_id="mine"))
    assert raised.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert details(raised.value)[0].reason == "RUN_ALREADY_EXISTS"


async def test_provider_outage_is_unavailable_and_the_failed_run_is_recorded(
    start_os: Any, fake_openai_server: FakeOpenAI
) -> None:
    fake_openai_server.script(error(503, "overloaded"), error(503, "overloaded"))
    model = OpenAIChat(
        id="gpt-x", base_url=fake_openai_server.base_url, api_key="k", max_retries=1, retry_backoff=0
    )
    harness = await start_os(AgentOS(agents=[Agent(id="oai", model=model), adder()]))
    runs = harness.stubs.runs
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="oai", message="hi"))
    assert raised.value.code() == grpc.StatusCode.UNAVAILABLE
    info, _ = details(raised.value)
    assert info.reason == "MODEL_PROVIDER_UNAVAILABLE"
    assert "Traceback" not in raised.value.details()
    failed = await runs.GetRun(run_service_pb2.GetRunRequest(run_id=info.metadata["run_id"]))
    assert failed.run.state == runs_pb2.RUN_STATE_FAILED
    assert failed.run.error.reason == common_pb2.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE
    # A streamed run reports the same failure in-band.
    fake_openai_server.script(error(503, "still down"), error(503, "still down"))
    events = await collect(runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="oai", message="hi")))
    assert events[-1].event == "RunError"
    assert events[-1].run_error.error.code == grpc.StatusCode.UNAVAILABLE.value[0]
    ok = await runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="calc", message="x"))
    assert ok.run.state == runs_pb2.RUN_STATE_COMPLETED


async def test_answers_from_an_openai_compatible_server_stream_through(
    start_os: Any, fake_openai_server: FakeOpenAI
) -> None:
    fake_openai_server.script(Turn(content="hello from the fake server"))
    model = OpenAIChat(id="gpt-x", base_url=fake_openai_server.base_url, api_key="k")
    harness = await start_os(AgentOS(agents=[Agent(id="oai", model=model)]))
    events = await collect(
        harness.stubs.runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="oai", message="hi"))
    )
    check_stream_shape(events)
    text = "".join(e.run_content.content.string_value for e in events if e.event == "RunContent")
    assert text == "hello from the fake server"


async def test_missing_model_key_is_failed_precondition_naming_the_variable(
    start_os: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    harness = await start_os(AgentOS(agents=[Agent(id="oai", model=OpenAIChat(id="gpt-4o")), adder()]))
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await harness.stubs.runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="oai", message="hi"))
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "OPENAI_API_KEY" in raised.value.details()
    assert details(raised.value)[0].reason == "MODEL_NOT_CONFIGURED"
    no_model = Agent(id="bare")
    harness2 = await start_os(AgentOS(agents=[no_model]))
    with pytest.raises(grpc.aio.AioRpcError) as raised2:
        await collect(
            harness2.stubs.runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="bare", message="x"))
        )
    assert raised2.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details(raised2.value)[0].reason == "MODEL_NOT_CONFIGURED"
    ok = await harness.stubs.runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="calc", message="x"))
    assert ok.run.state == runs_pb2.RUN_STATE_COMPLETED


async def test_run_options_reach_the_agent(start_os: Any) -> None:
    seen: dict[str, Any] = {}

    def answer(messages: list[Any], info: ModelCallInfo) -> Any:
        seen["system"] = messages[0].content if messages[0].role == "system" else None
        return "ok"

    agent = Agent(id="opts", model=FunctionModel(fn=answer), add_session_state_to_context=False)
    harness = await start_os(AgentOS(agents=[agent]))
    request = run_service_pb2.CreateRunRequest(
        agent_id="opts", message="x", add_session_state_to_context=True, metadata=struct_pb2.Struct()
    )
    request.session_state.update({"colour": "teal"})
    request.metadata.update({"tag": "t1"})
    run = (await harness.stubs.runs.CreateRun(request)).run
    assert "teal" in str(seen["system"])
    assert dict(run.metadata) == {"tag": "t1"}
    assert run.session_state["colour"] == "teal"


async def test_scripted_provider_failure_mid_stream_keeps_the_partial_content(start_os: Any) -> None:
    agent = Agent(
        id="flaky",
        model=ScriptedModel(steps=[fail("boom", status_code=502, after_chunks=1, chunks=["so", "x"])]),
    )
    harness = await start_os(AgentOS(agents=[agent]))
    events = await collect(
        harness.stubs.runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="flaky", message="x"))
    )
    check_stream_shape(events)
    assert events[-1].event == "RunError"
    got = await harness.stubs.runs.GetRun(run_service_pb2.GetRunRequest(run_id=events[-1].run_id))
    assert got.run.state == runs_pb2.RUN_STATE_FAILED
    assert got.run.content.string_value == "so"
    assert got.run.error.code == grpc.StatusCode.UNAVAILABLE.value[0]
