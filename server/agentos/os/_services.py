"""The registration point of gRPC services: which servicers a server starts with.

A service is a :class:`ServiceSpec`: its full name (for health and reflection) and a function
that adds its servicer to a :class:`ServiceRegistrar` given the server's :class:`RuntimeState`.
The registrar takes handlers the way a ``grpc.aio.Server`` does (the generated
``add_*Servicer_to_server`` functions accept it); the server serves them through one method
table (``_method_table``).
:func:`builtin_services` lists the ones this package provides; ``AgentOS(services=[...])``
adds more (a user's own services, like custom routes in Agno). Contract services whose engine
is not part of this server answer UNIMPLEMENTED naming what is missing (``_unimplemented``),
never something that pretends to work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import grpc
from agentos.os._runtime import RuntimeState


class ServiceRegistrar(Protocol):
    """What a service's ``register`` function adds its handlers to: the part of
    ``grpc.aio.Server`` that generated ``add_*Servicer_to_server`` functions use."""

    def add_generic_rpc_handlers(self, handlers: Iterable[grpc.GenericRpcHandler[Any, Any]]) -> None: ...

    def add_registered_method_handlers(
        self, service: str, handlers: Mapping[str, grpc.RpcMethodHandler[Any, Any]]
    ) -> None: ...


Register = Callable[[ServiceRegistrar, RuntimeState], None]


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A gRPC service to serve.

    ``name`` is the proto full name (``agentos.v1.SessionService``); ``register`` adds the
    servicer; ``implemented`` is False for services that only answer UNIMPLEMENTED (they are
    reachable and listed by reflection, but health does not report them as serving).
    """

    name: str
    register: Register
    implemented: bool = True


def builtin_services() -> list[ServiceSpec]:
    """The services every AgentOS server starts with, in registration order."""
    from agentos.os._agent_os_service import register_agent_os_service
    from agentos.os._memory_service import register_memory_service
    from agentos.os._session_service import register_session_service
    from agentos.os._unimplemented import MISSING, register_unimplemented
    from agentos.os.runs import register_run_service

    specs = [
        ServiceSpec("agentos.v1.AgentOSService", register_agent_os_service),
        ServiceSpec("agentos.v1.SessionService", register_session_service),
        ServiceSpec("agentos.v1.MemoryService", register_memory_service),
        ServiceSpec("agentos.v1.RunService", register_run_service),
    ]
    for name in MISSING:
        specs.append(
            ServiceSpec(name, _ignore_runtime(partial(register_unimplemented, service_name=name)), False)
        )
    return specs


def _ignore_runtime(register: Callable[[ServiceRegistrar], None]) -> Register:
    def call(server: ServiceRegistrar, runtime: RuntimeState) -> None:
        register(server)

    return call
