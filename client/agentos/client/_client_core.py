"""What every area of ``AgentOSClient`` builds on: one call, one page, every page.

``AgentOSClient`` is composed of one mixin per area of the contract (discovery, runs, run
history, memories, sessions, knowledge, observability); each derives from :class:`ClientCore`,
which holds the transport and the three ways an area talks to the server. Areas never reach
the transport themselves, so metadata, deadlines and paging behave the same everywhere.

The call helpers take ``headers`` and ``auth_token`` positionally: every public method passes
its own two arguments straight through, and the short form keeps each call one statement.
Nothing here imports grpc, the generated stubs or ``agentos.wire`` at module level.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from agentos.client._transport import DEFAULT, Headers, Transport
from agentos.client._types import PaginatedResponse, page_of

T = TypeVar("T")


class ClientCore:
    """The transport of one client and the calls every area makes through it."""

    _transport: Transport

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def timeout(self) -> float | None:
        return self._transport.timeout

    async def _call(
        self,
        service: str,
        method: str,
        request: Any,
        headers: Headers | None,
        auth_token: str | None,
        *,
        deadline: Any = DEFAULT,
    ) -> Any:
        """One unary RPC of ``service`` (a key of :func:`stub_class`)."""
        return await self._transport.unary(
            stub_class(service), method, request, headers=headers, auth_token=auth_token, deadline=deadline
        )

    async def _page(
        self,
        service: str,
        method: str,
        request: Any,
        read: Callable[[Any], Iterable[T]],
        page: int,
        page_token: str | None,
        headers: Headers | None,
        auth_token: str | None,
    ) -> PaginatedResponse[T]:
        """Page ``page`` (1-based, Agno's numbering) of a listing, or the page at ``page_token``.

        Page numbers are walked through the tokens of the pages before; ``read`` turns a
        response into its items, and ``request.page_size`` is the page's limit.
        """
        if page < 1:
            raise ValueError("page numbers start at 1")
        if page_token is not None:
            request.page_token = page_token
            response = await self._call(service, method, request, headers, auth_token)
        else:
            response = await self._call(service, method, request, headers, auth_token)
            for _ in range(page - 1):
                if not response.next_page_token:
                    # Past the last page: nothing on it, but the total still holds.
                    response = type(response)(total_size=response.total_size)
                    break
                request.page_token = response.next_page_token
                response = await self._call(service, method, request, headers, auth_token)
        return page_of(read(response), response, page=page, limit=request.page_size)

    async def _every_page(
        self,
        service: str,
        method: str,
        request_for: Callable[[str], Any],
        read: Callable[[Any], Iterable[T]],
        headers: Headers | None,
        auth_token: str | None,
    ) -> list[T]:
        """The items of every page of a listing: ``request_for(token)`` builds each request,
        ``read`` turns each response into its items."""
        items: list[T] = []
        token = ""
        while True:
            response = await self._call(service, method, request_for(token), headers, auth_token)
            items.extend(read(response))
            token = response.next_page_token
            if not token:
                return items


# service key -> (module of agentos.v1, stub class): imported on first use, so that importing the
# client does not load grpc or the generated code.
_STUBS = {
    "runs": ("run_service_pb2_grpc", "RunServiceStub"),
    "agent_os": ("agent_os_pb2_grpc", "AgentOSServiceStub"),
    "sessions": ("sessions_pb2_grpc", "SessionServiceStub"),
    "memories": ("memories_pb2_grpc", "MemoryServiceStub"),
    "knowledge": ("knowledge_pb2_grpc", "KnowledgeServiceStub"),
    "traces": ("traces_pb2_grpc", "TraceServiceStub"),
    "metrics": ("metrics_pb2_grpc", "MetricsServiceStub"),
    "evals": ("evals_pb2_grpc", "EvalServiceStub"),
}


def stub_class(service: str) -> type[Any]:
    """The generated stub class of a service (imported on first use)."""
    if service not in _STUBS:
        raise ValueError(f"unknown service {service!r}")
    module_name, class_name = _STUBS[service]
    stub: type[Any] = getattr(importlib.import_module(f"agentos.v1.{module_name}"), class_name)
    return stub


# Request building -------------------------------------------------------------------------------


def fill_struct(message: Any, name: str, data: dict[str, Any] | None) -> None:
    """Set the Struct field ``name`` of ``message`` from ``data`` (left unset for None)."""
    if data is None:
        return
    from agentos.wire import to_struct

    getattr(message, name).CopyFrom(to_struct(data))


def update_mask(method: str, values: dict[str, Any]) -> Any:
    """The FieldMask naming the fields given a value (not None); none given is a ValueError."""
    from google.protobuf import field_mask_pb2

    paths = [name for name, value in values.items() if value is not None]
    if not paths:
        *others, last = values
        raise ValueError(f"{method} needs {', '.join(others)} or {last}")
    return field_mask_pb2.FieldMask(paths=paths)


def no_db_selector(db_id: str | None) -> None:
    """Agno's ``db_id`` arguments: refused until the contract can select a database."""
    if db_id:
        raise NotImplementedError(
            "db_id: the AgentOS contract has no database selector yet; the server uses its default "
            "database (AgentOS(db=...)), so call without db_id"
        )
