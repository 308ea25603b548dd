"""The gRPC server itself: health, reflection, UNIMPLEMENTED services, error mapping, limits and
graceful shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb, OwnershipError, PostgresDb, StorageUnavailableError
from agentos.exceptions import (
    CheckTrigger,
    InputCheckError,
    ModelNotConfiguredError,
    ModelProviderError,
    ModelRateLimitError,
    OutputCheckError,
)
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS, RuntimeState, ServerSettings, ServiceRegistrar, ServiceSpec, rpc_method
from agentos.v1 import (
    agent_os_pb2,
    evals_pb2,
    knowledge_pb2,
    memories_pb2,
    metrics_pb2,
    sessions_pb2,
    traces_pb2,
)
from agentos_server import serve_os, serve_os_in_thread
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2
from grpc_status import rpc_status

AGENTOS_SERVICES = [
    "agentos.v1.AgentOSService",
    "agentos.v1.EvalService",
    "agentos.v1.KnowledgeService",
    "agentos.v1.MemoryService",
    "agentos.v1.MetricsService",
    "agentos.v1.RunService",
    "agentos.v1.SessionService",
    "agentos.v1.TraceService",
]


def error_info(error: grpc.aio.AioRpcError) -> error_details_pb2.ErrorInfo:
    status = rpc_status.from_call(error)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    raise AssertionError("no ErrorInfo in the status details")


def simple_os(**kwargs: Any) -> AgentOS:
    return AgentOS(id="os-server-test", agents=[Agent(id="a1", model=ScriptedModel(steps=["hi"]))], **kwargs)


# -- a test service, added through the public registration point --


class Probe:
    """Handlers the shutdown and error-mapping tests drive (raw bytes in and out)."""

    def __init__(self, runtime: RuntimeState) -> None:
        self.runtime = runtime
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.run_cancelled = asyncio.Event()

    @rpc_method
    async def Slow(self, request: bytes, context: Any) -> bytes:
        self.entered.set()
        await self.release.wait()
        return b"finished"

    @rpc_method
    async def LongRun(self, request: bytes, context: Any) -> bytes:
        with self.runtime.inflight.track_run("run-1", cancel=self.run_cancelled.set):
            self.entered.set()
            await self.run_cancelled.wait()
            return b"cancelled cleanly"

    @rpc_method
    async def Raise(self, request: bytes, context: Any) -> bytes:
        raise FAULTS[request.decode()]()


FAULTS: dict[str, Callable[[], BaseException]] = {
    "value": lambda: ValueError("temperature must be between 0 and 2"),
    "bug": lambda: RuntimeError("Traceback (most recent call last): secret internals"),
    "key": lambda: KeyError("internal_key"),
    "provider": lambda: ModelProviderError("upstream 503", status_code=503, model_id="gpt-x"),
    "provider_4xx": lambda: ModelProviderError("bad request: context too long", status_code=400),
    "rate": lambda: ModelRateLimitError("slow down", status_code=429, retry_after=2.0),
    "not_configured": lambda: ModelNotConfiguredError(
        "OpenAIChat(gpt-4o) has no API key: set OPENAI_API_KEY"
    ),
    "storage": lambda: StorageUnavailableError("connection refused to db at 10.0.0.3"),
    "ownership": lambda: OwnershipError("agentos_sessions", "s-42", "it belongs to another user"),
    "input_guardrail": lambda: InputCheckError("prompt injection detected", CheckTrigger.PROMPT_INJECTION),
    "output_guardrail": lambda: OutputCheckError("the answer contains PII", CheckTrigger.PII_DETECTED),
}


class ProbeService:
    """A ServiceSpec factory that remembers the servicer it created.

    ``by_name``: register the handlers by method name (as generated code does) instead of as
    a generic handler; the server must serve and count them alike."""

    def __init__(self, *, by_name: bool = False) -> None:
        self.probe: Probe | None = None
        self.by_name = by_name

    def spec(self) -> ServiceSpec:
        def register(server: ServiceRegistrar, runtime: RuntimeState) -> None:
            probe = self.probe = Probe(runtime)
            handlers = {
                name: grpc.unary_unary_rpc_method_handler(getattr(probe, name))
                for name in ("Slow", "LongRun", "Raise")
            }
            if self.by_name:
                server.add_registered_method_handlers("test.Probe", handlers)
            else:
                generic = grpc.method_handlers_generic_handler("test.Probe", handlers)
                server.add_generic_rpc_handlers((generic,))

        return ServiceSpec("test.Probe", register)


def probe_call(channel: grpc.aio.Channel, method: str) -> Any:
    return channel.unary_unary(f"/test.Probe/{method}")


# -- health and reflection --


async def test_health_reports_serving_services(start_os: Any) -> None:
    harness = await start_os(simple_os(db=InMemoryDb()))
    health = harness.stubs.health
    for service in ("", "agentos.v1.AgentOSService", "agentos.v1.SessionService", "agentos.v1.MemoryService"):
        response = await health.Check(health_pb2.HealthCheckRequest(service=service))
        assert response.status == health_pb2.HealthCheckResponse.SERVING, service
    # Services answering UNIMPLEMENTED are reachable but not reported as serving.
    for service in ("agentos.v1.KnowledgeService", "agentos.v1.TraceService"):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await health.Check(health_pb2.HealthCheckRequest(service=service))
        assert error.value.code() == grpc.StatusCode.NOT_FOUND


async def test_reflection_lists_every_service(start_os: Any) -> None:
    harness = await start_os(simple_os())
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    names: list[str] = []
    async for response in harness.stubs.reflection.ServerReflectionInfo(iter([request])):
        names.extend(service.name for service in response.list_services_response.service)
    assert sorted(n for n in names if n.startswith("agentos.v1.")) == AGENTOS_SERVICES
    assert "grpc.health.v1.Health" in names and "grpc.reflection.v1alpha.ServerReflection" in names

    # Descriptors are served too, so generic clients can build requests.
    file_request = reflection_pb2.ServerReflectionRequest(file_containing_symbol="agentos.v1.SessionService")
    async for response in harness.stubs.reflection.ServerReflectionInfo(iter([file_request])):
        assert response.file_descriptor_response.file_descriptor_proto


# -- UNIMPLEMENTED services --


async def test_later_services_answer_unimplemented_naming_what_is_missing(start_os: Any) -> None:
    harness = await start_os(simple_os())
    stubs = harness.stubs
    calls = [
        (
            stubs.knowledge.SearchKnowledge(knowledge_pb2.SearchKnowledgeRequest(query="x")),
            "KnowledgeService.SearchKnowledge",
            "knowledge engine",
        ),
        (
            stubs.knowledge.GetKnowledgeConfig(knowledge_pb2.GetKnowledgeConfigRequest()),
            "KnowledgeService.GetKnowledgeConfig",
            "knowledge engine",
        ),
        (stubs.traces.ListTraces(traces_pb2.ListTracesRequest()), "TraceService.ListTraces", "tracing"),
        (stubs.metrics.GetMetrics(metrics_pb2.GetMetricsRequest()), "MetricsService.GetMetrics", "metrics"),
        (
            stubs.evals.CreateEvalRun(evals_pb2.CreateEvalRunRequest()),
            "EvalService.CreateEvalRun",
            "eval engine",
        ),
    ]
    for call, method, missing in calls:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await call
        assert error.value.code() == grpc.StatusCode.UNIMPLEMENTED, method
        assert error.value.details().startswith(f"{method}: ") and missing in error.value.details()
        assert "not part of this server yet" in error.value.details()
        assert error_info(error.value).metadata["method"] == method

    # Client-streaming RPCs are refused the same way.
    async def chunks() -> Any:
        yield knowledge_pb2.UploadContentRequest()

    with pytest.raises(grpc.aio.AioRpcError) as uploaded:
        await stubs.knowledge.UploadContent(chunks())
    assert uploaded.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert uploaded.value.details().startswith("KnowledgeService.UploadContent: ")


# -- error mapping --


@pytest.mark.parametrize(
    ("fault", "code", "reason"),
    [
        ("value", grpc.StatusCode.INVALID_ARGUMENT, "INVALID_INPUT"),
        ("bug", grpc.StatusCode.INTERNAL, "INTERNAL"),
        ("key", grpc.StatusCode.INTERNAL, "INTERNAL"),
        ("provider", grpc.StatusCode.UNAVAILABLE, "MODEL_PROVIDER_UNAVAILABLE"),
        ("provider_4xx", grpc.StatusCode.INTERNAL, "MODEL_PROVIDER_ERROR"),
        ("rate", grpc.StatusCode.RESOURCE_EXHAUSTED, "MODEL_PROVIDER_RATE_LIMITED"),
        ("not_configured", grpc.StatusCode.FAILED_PRECONDITION, "MODEL_NOT_CONFIGURED"),
        ("storage", grpc.StatusCode.UNAVAILABLE, "DATABASE_UNAVAILABLE"),
        ("ownership", grpc.StatusCode.NOT_FOUND, "SESSION_NOT_FOUND"),
        ("input_guardrail", grpc.StatusCode.INVALID_ARGUMENT, "INPUT_REJECTED"),
        ("output_guardrail", grpc.StatusCode.FAILED_PRECONDITION, "OUTPUT_REJECTED"),
    ],
)
async def test_exceptions_map_to_canonical_codes(fault: str, code: grpc.StatusCode, reason: str) -> None:
    probe = ProbeService()
    async with serve_os(simple_os(services=[probe.spec()])) as harness:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await probe_call(harness.channel, "Raise")(fault.encode())
    assert error.value.code() == code
    info = error_info(error.value)
    assert (info.reason, info.domain) == (reason, "agentos.dev")
    text = error.value.details()
    assert "Traceback" not in text and "secret internals" not in text and "internal_key" not in text
    assert "10.0.0.3" not in text  # database addresses stay in the server log
    if code == grpc.StatusCode.INTERNAL and fault in ("bug", "key"):
        assert text.startswith("internal error (error_id=") and info.metadata["error_id"] in text
    if fault == "not_configured":
        assert "OPENAI_API_KEY" in text
    if fault == "rate":
        assert info.metadata["retry_after_seconds"] == "2"
    if fault == "ownership":
        assert "another user" not in text  # never reveal that the row exists for someone else
    if fault.endswith("_guardrail"):
        assert info.metadata["check_trigger"] in ("prompt_injection", "pii_detected")


async def test_unreachable_database_is_unavailable(start_os: Any) -> None:
    db = PostgresDb(db_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    harness = await start_os(simple_os(db=db))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await harness.stubs.sessions.GetSession(sessions_pb2.GetSessionRequest(session_id="s1"))
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE
    assert error_info(error.value).reason == "DATABASE_UNAVAILABLE"


async def test_services_without_a_database_say_what_to_set(start_os: Any) -> None:
    harness = await start_os(simple_os())
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await harness.stubs.memories.ListMemories(memories_pb2.ListMemoriesRequest())
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_info(error.value).reason == "DATABASE_NOT_CONFIGURED"
    assert "AgentOS(db=...)" in error.value.details()


# -- transport settings --


async def test_message_size_limit_is_enforced(start_os: Any) -> None:
    harness = await start_os(simple_os(db=InMemoryDb()), settings=ServerSettings(max_message_bytes=64 * 1024))
    big = memories_pb2.CreateMemoryRequest(memory=memories_pb2.UserMemory(memory="x" * 100_000, user_id="u"))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await harness.stubs.memories.CreateMemory(big)
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_port_in_use_fails_fast(start_os: Any) -> None:
    harness = await start_os(simple_os())
    with pytest.raises(OSError, match="cannot listen on"):
        await simple_os().start("127.0.0.1", harness.server.port)
    with pytest.raises(ValueError, match="grace_period"):
        ServerSettings(grace_period=-1)
    options = dict(ServerSettings(max_connection_idle=300).channel_options())
    assert options["grpc.max_receive_message_length"] == 32 * 1024 * 1024
    assert options["grpc.max_connection_idle_ms"] == 300_000 and options["grpc.so_reuseport"] == 0
    # New calls wait for a busy loop to take them far longer than gRPC's 30 s before being cancelled.
    assert options["grpc.server_max_unrequested_time_in_server"] == 300
    assert (
        dict(ServerSettings(accept_timeout=0.5).channel_options())[
            "grpc.server_max_unrequested_time_in_server"
        ]
        == 1
    )
    with pytest.raises(ValueError, match="accept_timeout"):
        ServerSettings(accept_timeout=0)


def test_threaded_server_serves_sync_clients() -> None:
    with serve_os_in_thread(simple_os()) as threaded:
        listed = threaded.stubs.agent_os.ListAgents(agent_os_pb2.ListAgentsRequest(), timeout=10)
    assert [a.agent_id for a in listed.agents] == ["a1"]


# -- how services are served (one method table) --


@pytest.mark.parametrize("by_name", [False, True], ids=["generic", "by-name"])
async def test_user_services_are_served_and_counted_in_flight(by_name: bool) -> None:
    probe = ProbeService(by_name=by_name)
    async with serve_os(simple_os(services=[probe.spec()])) as harness:
        inflight = harness.server.runtime.inflight
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await probe_call(harness.channel, "Raise")(b"value")
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        call = asyncio.ensure_future(probe_call(harness.channel, "Slow")(b""))
        assert probe.probe is not None
        await probe.probe.entered.wait()
        assert inflight.rpc_count == 1
        # Health calls are never counted (their watch streams would hold shutdown).
        await harness.stubs.health.Check(health_pb2.HealthCheckRequest())
        assert inflight.rpc_count == 1
        probe.probe.release.set()
        assert await call == b"finished"
        assert inflight.rpc_count == 0
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await probe_call(harness.channel, "Missing")(b"")
        assert error.value.code() == grpc.StatusCode.UNIMPLEMENTED


async def test_a_method_registered_by_name_wins_over_a_generic_handler() -> None:
    async def generic(request: bytes, context: Any) -> bytes:
        return b"generic"

    async def named(request: bytes, context: Any) -> bytes:
        return b"named"

    def register(server: ServiceRegistrar, runtime: RuntimeState) -> None:
        # Generic first: the order of registration does not decide, the kind does (as in grpc).
        handler = grpc.method_handlers_generic_handler(
            "test.Both", {"Echo": grpc.unary_unary_rpc_method_handler(generic)}
        )
        server.add_generic_rpc_handlers((handler,))
        named_handlers = {"Echo": grpc.unary_unary_rpc_method_handler(named)}
        server.add_registered_method_handlers("test.Both", named_handlers)

    async with serve_os(simple_os(services=[ServiceSpec("test.Both", register)])) as harness:
        assert await harness.channel.unary_unary("/test.Both/Echo")(b"") == b"named"


async def test_a_method_registered_twice_fails_at_start() -> None:
    def register(server: ServiceRegistrar, runtime: RuntimeState) -> None:
        handlers = {"Echo": grpc.unary_unary_rpc_method_handler(lambda request, context: request)}
        server.add_registered_method_handlers("test.Twice", handlers)
        server.add_registered_method_handlers("test.Twice", handlers)

    with pytest.raises(ValueError, match=r"/test\.Twice/Echo is registered twice"):
        await simple_os(services=[ServiceSpec("test.Twice", register)]).start("127.0.0.1", 0)


# -- graceful shutdown --


async def _wait_refused(address: str) -> None:
    """Poll until the server refuses new RPCs (it stops accepting shortly after stop() begins)."""
    for _ in range(200):
        async with grpc.aio.insecure_channel(address) as channel:
            try:
                await channel.unary_unary("/test.Probe/Raise")(b"value", timeout=2)
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.UNAVAILABLE:
                    return
        await asyncio.sleep(0.02)
    raise AssertionError("the server kept accepting RPCs after shutdown began")


async def test_in_flight_rpc_finishes_and_new_rpcs_are_refused() -> None:
    probe = ProbeService()
    agent_os = simple_os(services=[probe.spec()])
    server = await agent_os.start("127.0.0.1", 0, settings=ServerSettings(grace_period=30))
    try:
        async with grpc.aio.insecure_channel(server.address) as channel:
            watch = channel.unary_stream("/grpc.health.v1.Health/Watch")(
                health_pb2.HealthCheckRequest().SerializeToString()
            )
            first = health_pb2.HealthCheckResponse.FromString(await watch.read())
            assert first.status == health_pb2.HealthCheckResponse.SERVING

            in_flight = asyncio.ensure_future(probe_call(channel, "Slow")(b""))
            assert probe.probe is not None
            await probe.probe.entered.wait()
            stopping = asyncio.ensure_future(server.stop())

            # Watchers learn NOT_SERVING before anything is refused.
            update = health_pb2.HealthCheckResponse.FromString(await watch.read())
            assert update.status == health_pb2.HealthCheckResponse.NOT_SERVING
            assert not server.runtime.accepting

            await _wait_refused(server.address)
            assert not in_flight.done() and not stopping.done()

            probe.probe.release.set()
            assert await in_flight == b"finished"
            await asyncio.wait_for(stopping, timeout=30)
    finally:
        await server.stop()
    assert server.stopped


async def test_runs_still_going_after_the_grace_period_are_cancelled_cleanly() -> None:
    probe = ProbeService()
    agent_os = simple_os(services=[probe.spec()])
    settings = ServerSettings(grace_period=0.2, cancel_grace=10)
    async with serve_os(agent_os, settings=settings) as harness:
        call = asyncio.ensure_future(probe_call(harness.channel, "LongRun")(b""))
        assert probe.probe is not None
        await probe.probe.entered.wait()
        assert harness.server.runtime.inflight.run_ids == ["run-1"]
        await harness.server.stop()
        # The run was asked to stop through its cancel callback and answered normally.
        assert probe.probe.run_cancelled.is_set()
        assert await call == b"cancelled cleanly"
    assert harness.server.runtime.inflight.run_ids == []


async def test_lame_duck_period_reports_not_serving_while_reachable() -> None:
    agent_os = simple_os()
    server = await agent_os.start("127.0.0.1", 0, settings=ServerSettings(shutdown_delay=1.0, grace_period=5))
    try:
        async with grpc.aio.insecure_channel(server.address) as channel:
            check = channel.unary_unary("/grpc.health.v1.Health/Check")
            stopping = asyncio.ensure_future(server.stop())
            status = health_pb2.HealthCheckResponse.SERVING
            for _ in range(100):
                reply = health_pb2.HealthCheckResponse.FromString(
                    await check(health_pb2.HealthCheckRequest().SerializeToString(), timeout=2)
                )
                status = reply.status
                if status == health_pb2.HealthCheckResponse.NOT_SERVING:
                    break
                await asyncio.sleep(0.01)
            assert status == health_pb2.HealthCheckResponse.NOT_SERVING
            with pytest.raises(Exception, match="shutting down"):
                server.runtime.check_accepting()
            await asyncio.wait_for(stopping, timeout=30)
    finally:
        await server.stop()


async def test_agent_os_stop_stops_its_servers() -> None:
    agent_os = simple_os()
    task = asyncio.ensure_future(agent_os.aserve("127.0.0.1", 0, handle_signals=False))
    for _ in range(500):
        if agent_os._servers:
            break
        await asyncio.sleep(0.01)
    assert agent_os._servers, "aserve did not start a server"
    agent_os.stop()
    await asyncio.wait_for(task, timeout=30)
    assert agent_os._servers == []
