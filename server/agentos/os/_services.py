"""The registration point of gRPC services: which servicers a server starts with.

A service is a :class:`ServiceSpec`: its full name (for health and reflection) and a function
that adds its servicer to a ``grpc.aio.Server`` given the server's :class:`RuntimeState`.
:func:`builtin_services` lists the ones this package provides; ``AgentOS(services=[...])``
adds more (a user's own services, like custom routes in Agno). The run service joins them
as soon as ``agentos.os._run_service`` exists (it defines ``register_run_service``); until
then the server answers its RPCs with UNIMPLEMENTED naming what is missing (see
``_unimplemented.FALLBACK_MISSING``), never with something that pretends to run.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import grpc
from agentos.os._runtime import RuntimeState

Register = Callable[[grpc.aio.Server, RuntimeState], None]


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

    specs = [
        ServiceSpec("agentos.v1.AgentOSService", register_agent_os_service),
        ServiceSpec("agentos.v1.SessionService", register_session_service),
        ServiceSpec("agentos.v1.MemoryService", register_memory_service),
    ]
    run_service = _optional_register(RUN_SERVICE_MODULE, "register_run_service")
    if run_service is not None:
        specs.append(ServiceSpec("agentos.v1.RunService", run_service))
    for name in MISSING:
        specs.append(
            ServiceSpec(name, _ignore_runtime(partial(register_unimplemented, service_name=name)), False)
        )
    return specs


RUN_SERVICE_MODULE = "agentos.os._run_service"
"""Where the run service lives once written: a module defining ``register_run_service(server, runtime)``."""


def _optional_register(module_name: str, function: str) -> Register | None:
    """``module.function`` when the module exists (import errors inside it propagate), else None."""
    if importlib.util.find_spec(module_name) is None:
        return None
    register: Register = getattr(importlib.import_module(module_name), function)
    return register


def fallback_services(registered: Sequence[ServiceSpec]) -> list[ServiceSpec]:
    """UNIMPLEMENTED stand-ins for contract services no spec in ``registered`` provides."""
    from agentos.os._unimplemented import FALLBACK_MISSING, register_unimplemented

    names = {spec.name for spec in registered}
    return [
        ServiceSpec(name, _ignore_runtime(partial(register_unimplemented, service_name=name)), False)
        for name in FALLBACK_MISSING
        if name not in names
    ]


def _ignore_runtime(register: Callable[[grpc.aio.Server], None]) -> Register:
    def call(server: grpc.aio.Server, runtime: RuntimeState) -> None:
        register(server)

    return call
