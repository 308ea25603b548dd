"""Registration of the RunService on a server, and access to a running server's RunManager.

The stream methods (StreamRun, StreamContinueRun, WatchRun) are registered with a response
serializer that passes ``bytes`` through: a run's ``EventLog`` holds its events serialized,
and handing grpc those bytes sends each event without serializing it again per stream. The
rest of the registration is the generated one (taken from ``add_RunServiceServicer_to_server``,
so that methods added to the contract are registered as generated).
"""

from __future__ import annotations

import weakref
from typing import Any

import grpc
from agentos.os._method_table import MethodTable
from agentos.os._runtime import RuntimeState
from agentos.os._services import ServiceRegistrar
from agentos.os.runs._manager import RunManager, RunSettings
from agentos.os.runs._service import RunService
from agentos.v1 import run_service_pb2_grpc

_MANAGERS: weakref.WeakKeyDictionary[object, RunManager] = weakref.WeakKeyDictionary()
_BY_RUNTIME: weakref.WeakValueDictionary[int, RunManager] = weakref.WeakValueDictionary()


def register_run_service(
    server: ServiceRegistrar, runtime: RuntimeState, settings: RunSettings | None = None
) -> None:
    """Add the RunService (with a new RunManager for this server) to ``server``."""
    manager = RunManager(runtime, settings)
    runtime.shutdown_hooks.append(manager.close)
    # A method table stands for the grpc.aio.Server it serves on: run_manager() is given that.
    _MANAGERS[server.server if isinstance(server, MethodTable) else server] = manager
    _BY_RUNTIME[id(runtime)] = manager
    add_run_service(RunService(runtime, manager), server)


STREAM_METHODS = ("StreamRun", "StreamContinueRun", "WatchRun")


def encoded_event(message: Any) -> bytes:
    """Serializer of the stream methods: a RunEvent, or one already serialized (bytes) as is."""
    if type(message) is bytes:
        return message
    data: bytes = message.SerializeToString()
    return data


class _Handlers:
    """Stands in for a server to collect the generated method handlers of a service."""

    def __init__(self) -> None:
        self.service = ""
        self.handlers: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}

    def add_generic_rpc_handlers(self, handlers: Any) -> None:
        pass

    def add_registered_method_handlers(
        self, service: str, handlers: dict[str, grpc.RpcMethodHandler[Any, Any]]
    ) -> None:
        self.service = service
        self.handlers = dict(handlers)


def add_run_service(servicer: run_service_pb2_grpc.RunServiceServicer, server: ServiceRegistrar) -> None:
    """``add_RunServiceServicer_to_server`` with the stream methods passing bytes through."""
    collected = _Handlers()
    run_service_pb2_grpc.add_RunServiceServicer_to_server(servicer, collected)  # type: ignore[no-untyped-call]
    handlers = collected.handlers
    for name in STREAM_METHODS:
        handler = handlers[name]
        behaviour = handler.unary_stream
        assert behaviour is not None, name
        handlers[name] = grpc.unary_stream_rpc_method_handler(
            behaviour,
            request_deserializer=handler.request_deserializer,
            response_serializer=encoded_event,
        )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(collected.service, handlers),))
    server.add_registered_method_handlers(collected.service, handlers)


def run_manager(server: grpc.aio.Server | RuntimeState) -> RunManager:
    """The RunManager of a running server (its ``grpc.aio.Server`` or its ``RuntimeState``):
    in-flight runs, settings, retention. Raises LookupError when the server has no RunService."""
    manager = _MANAGERS.get(server) if isinstance(server, grpc.aio.Server) else _BY_RUNTIME.get(id(server))
    if manager is None:
        raise LookupError("this server has no RunService registered")
    return manager
