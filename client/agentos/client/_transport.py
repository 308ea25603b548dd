"""One place that makes calls: metadata, deadlines, stream reading and error mapping.

Every RPC of the client goes through :class:`Transport`, so headers, bearer tokens, timeouts and
the translation of ``grpc.aio.AioRpcError`` into typed errors are the same for all of them.

Timeouts: a unary call gets ``timeout`` as its deadline (for ``CreateRun`` that is the whole run,
as in Agno, where the timeout bounds the HTTP request). A stream has no overall deadline (a run
may legitimately stream for a long time); instead ``timeout`` bounds the wait for each next
message, so a stream that goes silent fails with DeadlineExceededError rather than hanging.
Dead connections under a quiet stream are also caught by keepalive pings (see ``_channel``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from agentos.client._channel import ChannelPool, Endpoint, call_metadata, default_metadata, parse_base_url
from agentos.client._errors import AgentOSClientError, DeadlineExceededError, error_from_status

if TYPE_CHECKING:
    import grpc

Headers = Mapping[str, "str | bytes"]


class _Unset:
    """Marker for "use the client's default" where None means "no timeout"."""

    def __repr__(self) -> str:
        return "<client default>"


DEFAULT: Any = _Unset()


class Transport:
    """Channels, default metadata and the call helpers of one client."""

    def __init__(
        self,
        base_url: str,
        timeout: float | None,
        *,
        auth_token: str | None = None,
        headers: Headers | None = None,
        channel_options: Sequence[tuple[str, Any]] | None = None,
        tls: bool | grpc.ChannelCredentials | None = None,
    ) -> None:
        if timeout is not None and not timeout > 0:
            raise ValueError("timeout must be a positive number of seconds (or None for no timeout)")
        endpoint = parse_base_url(base_url)
        credentials: grpc.ChannelCredentials | None = None
        if tls is True:
            endpoint = Endpoint(endpoint.target, True)
        elif tls is False:
            endpoint = Endpoint(endpoint.target, False)
        elif tls is not None:
            credentials = tls
            endpoint = Endpoint(endpoint.target, True)
        self.base_url = base_url
        self.endpoint = endpoint
        self.timeout = timeout
        self.pool = ChannelPool(endpoint, options=channel_options, credentials=credentials)
        self._defaults = default_metadata(headers, auth_token)

    # -- helpers ---------------------------------------------------------------------------------

    def metadata(
        self, headers: Headers | None, auth_token: str | None
    ) -> tuple[tuple[str, str | bytes], ...]:
        return call_metadata(self._defaults, headers, auth_token)

    def deadline(self, timeout: float | _Unset | None) -> float | None:
        return self.timeout if isinstance(timeout, _Unset) else timeout

    def error(self, exc: grpc.aio.AioRpcError) -> AgentOSClientError:
        """The typed error of a failed call."""
        try:
            connected = self.pool.connected()
        except RuntimeError:  # no running loop (cannot happen inside a call, but be safe)
            connected = True
        return error_from_status(
            exc.code(),
            exc.details() or "",
            cast(Sequence[tuple[str, str | bytes]], tuple(exc.trailing_metadata() or ())),
            base_url=self.base_url,
            connected=connected,
        )

    # -- calls -----------------------------------------------------------------------------------

    async def unary(
        self,
        stub_class: type[Any],
        method: str,
        request: Any,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
        deadline: float | _Unset | None = DEFAULT,
    ) -> Any:
        """Call a unary RPC; failures raise the typed error of their status."""
        import grpc

        rpc = getattr(self.pool.stub(stub_class), method)
        try:
            response = await rpc(
                request, metadata=self.metadata(headers, auth_token), timeout=self.deadline(deadline)
            )
        except grpc.aio.AioRpcError as exc:
            raise self.error(exc) from exc
        self.pool.mark_ready()
        return response

    async def upload(
        self,
        stub_class: type[Any],
        method: str,
        requests: AsyncIterator[Any],
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
        deadline: float | _Unset | None = DEFAULT,
    ) -> Any:
        """Call a client-streaming RPC with ``requests``; failures raise typed errors.

        Messages are written one by one: a server that answers before reading everything (e.g.
        with an error) ends the writing, and the call's own status is reported (iterating
        through grpc would report INTERNAL "error from Core" instead).
        """
        import grpc

        rpc = getattr(self.pool.stub(stub_class), method)
        call = rpc(metadata=self.metadata(headers, auth_token), timeout=self.deadline(deadline))
        try:
            try:
                async for message in requests:
                    if call.done():
                        break
                    await call.write(message)
                await call.done_writing()
            except (grpc.aio.AioRpcError, asyncio.InvalidStateError):
                pass  # the call ended early: its status says why
            response = await call
        except grpc.aio.AioRpcError as exc:
            raise self.error(exc) from exc
        finally:
            if not call.done():
                call.cancel()
        self.pool.mark_ready()
        return response

    async def stream(
        self,
        stub_class: type[Any],
        method: str,
        request: Any,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
        idle_timeout: float | _Unset | None = DEFAULT,
    ) -> AsyncIterator[Any]:
        """The messages of a server-streaming RPC; leaving early cancels the call."""
        import grpc

        rpc = getattr(self.pool.stub(stub_class), method)
        call = rpc(request, metadata=self.metadata(headers, auth_token))
        idle = self.deadline(idle_timeout)
        eof = grpc.aio.EOF  # type: ignore[attr-defined]
        first = True
        try:
            while True:
                try:
                    if idle is None:
                        message = await call.read()
                    else:
                        async with asyncio.timeout(idle):
                            message = await call.read()
                except TimeoutError:
                    raise DeadlineExceededError(
                        f"{method}: no message from the server within {idle:g} s",
                        base_url=self.base_url,
                    ) from None
                except grpc.aio.AioRpcError as exc:
                    raise self.error(exc) from exc
                if message is eof:
                    return
                if first:
                    self.pool.mark_ready()
                    first = False
                yield message
        finally:
            if not call.done():
                call.cancel()
