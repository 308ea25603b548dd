"""Registration of the RunService on a server, and access to a running server's RunManager."""

from __future__ import annotations

import weakref

import grpc
from agentos.os._runtime import RuntimeState
from agentos.os.runs._manager import RunManager, RunSettings
from agentos.os.runs._service import RunService
from agentos.v1 import run_service_pb2_grpc

_MANAGERS: weakref.WeakKeyDictionary[grpc.aio.Server, RunManager] = weakref.WeakKeyDictionary()
_BY_RUNTIME: weakref.WeakValueDictionary[int, RunManager] = weakref.WeakValueDictionary()


def register_run_service(
    server: grpc.aio.Server, runtime: RuntimeState, settings: RunSettings | None = None
) -> None:
    """Add the RunService (with a new RunManager for this server) to ``server``."""
    manager = RunManager(runtime, settings)
    runtime.shutdown_hooks.append(manager.close)
    _MANAGERS[server] = manager
    _BY_RUNTIME[id(runtime)] = manager
    run_service_pb2_grpc.add_RunServiceServicer_to_server(RunService(runtime, manager), server)  # type: ignore[no-untyped-call]


def run_manager(server: grpc.aio.Server | RuntimeState) -> RunManager:
    """The RunManager of a running server (its ``grpc.aio.Server`` or its ``RuntimeState``):
    in-flight runs, settings, retention. Raises LookupError when the server has no RunService."""
    manager = _MANAGERS.get(server) if isinstance(server, grpc.aio.Server) else _BY_RUNTIME.get(id(server))
    if manager is None:
        raise LookupError("this server has no RunService registered")
    return manager
