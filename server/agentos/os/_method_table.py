"""Every service of a server behind ONE generic handler: methods found by full name in a dict.

Services register into a :class:`MethodTable` exactly as into a ``grpc.aio.Server`` (the
generated ``add_*Servicer_to_server`` functions call ``add_generic_rpc_handlers`` and
``add_registered_method_handlers``); the server then holds the table as its only handler.

Why not grpc's own registration, measured on grpcio 1.85 (``benchmarks/suite/NOTES.md``,
session 5): grpc.aio keeps, for every *registered* method, a pending "request call" task and
waits on all of them with ``asyncio.wait`` for every incoming call, so each call pays for every
method the server serves (33 on an AgentOS server, health and reflection included); and a
server interceptor adds an awaited chain to every call. The in-flight count, the interceptor
every server had, is applied here by wrapping each handler once, when it is registered.
Together they cost ~0.1-0.2 ms of the time to a streamed run's first event at one client.

Precedence is grpc's: a method registered by name wins; generic handlers are asked in the
order they were added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import grpc
from agentos.os._inflight import InflightWork, track_handler

if TYPE_CHECKING:
    _GenericHandler = grpc.GenericRpcHandler[Any, Any]
    _MethodHandler = grpc.RpcMethodHandler[Any, Any]
else:
    _GenericHandler = grpc.GenericRpcHandler
    _MethodHandler = grpc.RpcMethodHandler


class MethodTable(_GenericHandler):
    """The registration target of a server's services, and the server's one generic handler.

    ``server`` is the ``grpc.aio.Server`` the table serves on (for registrations that keep
    per-server state, such as the RunService's manager).
    """

    def __init__(self, server: grpc.aio.Server, work: InflightWork) -> None:
        self.server = server
        self._work = work
        self._methods: dict[str, _MethodHandler] = {}
        self._generic: list[_GenericHandler] = []
        # Handlers that generic handlers returned, wrapped once per method (they do not change
        # while the server runs; the identity check catches one that builds them per call).
        self._tracked: dict[str, tuple[_MethodHandler, _MethodHandler]] = {}

    # -- registration (the grpc.aio.Server interface services use) ---------------------------

    def add_registered_method_handlers(self, service: str, handlers: Mapping[str, _MethodHandler]) -> None:
        """Serve ``handlers`` (method name -> handler) as ``/service/method``."""
        for name, handler in handlers.items():
            path = f"/{service}/{name}"
            if path in self._methods:
                raise ValueError(f"method {path} is registered twice")
            self._methods[path] = track_handler(path, handler, self._work)

    def add_generic_rpc_handlers(self, handlers: Iterable[_GenericHandler]) -> None:
        """Ask ``handlers`` (in order) for methods not registered by name."""
        self._generic.extend(handlers)

    # -- lookup (grpc.GenericRpcHandler) ---------------------------------------------------

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> _MethodHandler | None:
        method: str = handler_call_details.method
        found = self._methods.get(method)
        if found is not None:
            return found
        for generic in self._generic:
            handler = generic.service(handler_call_details)
            if handler is not None:
                return self._tracked_generic(method, handler)
        return None

    def _tracked_generic(self, method: str, handler: _MethodHandler) -> _MethodHandler:
        cached = self._tracked.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        tracked = track_handler(method, handler, self._work)
        self._tracked[method] = (handler, tracked)
        return tracked
