"""Services of the contract this server does not implement yet: every RPC answers UNIMPLEMENTED.

The message names the RPC and what is missing (e.g. "KnowledgeService.SearchKnowledge: the
knowledge engine is not part of this server yet"), with an ErrorInfo like every other error, so
a client can tell "this server lacks the feature" from a bad request or an outage. The handlers
are built from the service descriptors, so they cover every RPC with its real cardinality and
never decode the request they refuse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc
from agentos.os._errors import abort, unimplemented
from agentos.os._services import ServiceRegistrar
from agentos.v1 import evals_pb2, knowledge_pb2, metrics_pb2, traces_pb2
from google.protobuf.descriptor import ServiceDescriptor

MISSING: dict[str, tuple[ServiceDescriptor, str]] = {
    "agentos.v1.KnowledgeService": (
        knowledge_pb2.DESCRIPTOR.services_by_name["KnowledgeService"],
        "the knowledge engine is not part of this server yet",
    ),
    "agentos.v1.TraceService": (
        traces_pb2.DESCRIPTOR.services_by_name["TraceService"],
        "tracing (trace storage) is not part of this server yet",
    ),
    "agentos.v1.MetricsService": (
        metrics_pb2.DESCRIPTOR.services_by_name["MetricsService"],
        "metrics aggregation is not part of this server yet",
    ),
    "agentos.v1.EvalService": (
        evals_pb2.DESCRIPTOR.services_by_name["EvalService"],
        "the eval engine is not part of this server yet",
    ),
}
"""Services answered with UNIMPLEMENTED, and what their message says is missing."""


def _handler(method: Any, missing: str) -> grpc.RpcMethodHandler[Any, Any]:
    full = f"{method.containing_service.name}.{method.name}"

    async def unary(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        await abort(context, unimplemented(full, missing))

    async def stream(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> AsyncIterator[Any]:
        await abort(context, unimplemented(full, missing))
        yield  # pragma: no cover - makes this an async generator; abort always raises

    async def drained(requests: AsyncIterator[Any], context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        # Read the client's stream first: answering while the client is still writing makes its
        # write fail, and grpc then reports INTERNAL ("error from Core") instead of this status.
        async for _ in requests:
            pass
        await abort(context, unimplemented(full, missing))

    if method.client_streaming and method.server_streaming:
        return grpc.stream_stream_rpc_method_handler(stream)
    if method.client_streaming:
        return grpc.stream_unary_rpc_method_handler(drained)
    if method.server_streaming:
        return grpc.unary_stream_rpc_method_handler(stream)
    return grpc.unary_unary_rpc_method_handler(unary)


def unimplemented_service(service: ServiceDescriptor, missing: str) -> grpc.GenericRpcHandler[Any, Any]:
    """A handler answering every RPC of ``service`` with UNIMPLEMENTED naming ``missing``."""
    handlers = {method.name: _handler(method, missing) for method in service.methods}
    return grpc.method_handlers_generic_handler(service.full_name, handlers)


def register_unimplemented(server: ServiceRegistrar, service_name: str) -> None:
    service, missing = MISSING[service_name]
    server.add_generic_rpc_handlers((unimplemented_service(service, missing),))
