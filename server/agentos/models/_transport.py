"""``PooledTransport``: a small HTTP/1.1 transport for httpx, written for the model providers.

Why not httpx's default transport (httpcore over anyio): measured in a served run, it cost
~0.8 ms of CPU per model request, of which much is generic machinery a model call never needs
(anyio stream wrappers, cancellation shields that re-import ``sniffio`` on every call when it is
not installed, a pool that rescans every connection on each state change). And every
``httpx.AsyncClient`` built without a transport loads an SSL context with the CA bundle
(~0.85 MiB), even for plain-HTTP local servers. This transport speaks HTTP/1.1 directly on an
``asyncio.Protocol``: one ``write`` per request, the response head parsed from one buffer,
bodies handed over as they arrive (chunked, sized or until close), connections kept alive in a
LIFO pool per origin. TLS uses one SSL context per process, created on the first HTTPS call.

It plugs in under ``httpx.AsyncClient`` (``transport=``), so requests, responses, content
decoding, timeouts and errors keep httpx's types: the providers' retry and error mapping does
not change. Timeouts come from the request (``connect``, ``read``, ``pool``); errors are the
matching ``httpx`` exceptions.

Not supported (the providers never need them; clients with proxies or custom TLS settings keep
httpx's default transport, see ``_http.client_for``): HTTP/2, ``Expect: 100-continue`` bodies,
request bodies streamed in pieces larger than memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, cast

import httpx

MAX_HEAD_BYTES = 64 * 1024
"""Largest response head accepted (status line plus headers)."""
READ_HIGH_WATER = 256 * 1024
"""Buffered body bytes above which the socket stops being read until the consumer catches up."""
DEFAULT_MAX_CONNECTIONS = 1000
DEFAULT_MAX_IDLE = 100
DEFAULT_KEEPALIVE_EXPIRY = 5.0

_ssl_context: ssl.SSLContext | None = None
_ssl_lock = threading.Lock()


def _default_ssl_context() -> ssl.SSLContext:
    """httpx's default verification context, built once per process (it is large)."""
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context()
        return _ssl_context


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: a receive buffer and a waiter the reader parks on."""

    __slots__ = (
        "_loop",
        "_paused",
        "_waiter",
        "buffer",
        "closed",
        "eof",
        "error",
        "idle_since",
        "origin",
        "reused",
        "transport",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop, origin: tuple[bytes, bytes, int]) -> None:
        self._loop = loop
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False
        self.eof = False
        self.error: BaseException | None = None
        self.idle_since = 0.0
        self.reused = False
        self._paused = False
        self._waiter: asyncio.Future[None] | None = None

    # -- asyncio.Protocol -----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport; not necessarily an asyncio.Transport subclass (uvloop's are not).
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self._paused and len(self.buffer) > READ_HIGH_WATER and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.eof = True
        if exc is not None:
            self.error = exc
        self._wake()

    # -- reading --------------------------------------------------------------------------------

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def consumed(self) -> None:
        """The reader took data out of the buffer: resume reading if it was paused."""
        if self._paused and len(self.buffer) <= READ_HIGH_WATER // 2 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()

    async def wait_data(self, seconds: float | None) -> None:
        """Return once more data arrived or the peer closed; ``httpx.ReadTimeout`` after ``seconds``.

        One timer per wait, armed only when the buffer is empty: cheaper than ``asyncio.timeout``
        around every read of a stream that mostly finds its data already there.
        """
        if self.eof:
            return
        waiter = self._loop.create_future()
        self._waiter = waiter
        if seconds is None:
            await waiter
            return
        timer = self._loop.call_later(seconds, _expire, waiter)
        try:
            await waiter
        finally:
            timer.cancel()

    @property
    def usable(self) -> bool:
        return not self.closed and not self.eof and self.transport is not None and not self.buffer

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(httpx.ReadTimeout("timed out waiting for the server"))


def _origin(url: httpx.URL) -> tuple[bytes, bytes, int]:
    scheme = url.raw_scheme
    port = url.port or (443 if scheme == b"https" else 80)
    return scheme, url.raw_host, port


def _timeouts(request: httpx.Request) -> dict[str, float | None]:
    value = request.extensions.get("timeout")
    return value if isinstance(value, dict) else {}


class PooledTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 keep-alive connections per origin, for one event loop (see the module docstring).

    ``max_connections``: open connections (busy or idle) over all origins; requests beyond it
    wait up to the request's ``pool`` timeout. ``max_idle``: idle connections kept per origin.
    ``keepalive_expiry``: an idle connection older than this is closed instead of reused.
    """

    def __init__(
        self,
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_idle: int = DEFAULT_MAX_IDLE,
        keepalive_expiry: float = DEFAULT_KEEPALIVE_EXPIRY,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.max_connections = max_connections
        self.max_idle = max_idle
        self.keepalive_expiry = keepalive_expiry
        self._ssl_context = ssl_context
        self._idle: dict[tuple[bytes, bytes, int], list[_Connection]] = {}
        self._open = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False

    @property
    def open_connections(self) -> int:
        return self._open

    # -- pool -----------------------------------------------------------------------------------

    async def _acquire(self, request: httpx.Request, timeouts: dict[str, float | None]) -> _Connection:
        origin = _origin(request.url)
        while True:
            idle = self._idle.get(origin)
            if idle:
                now = time.monotonic()
                while idle:
                    conn = idle.pop()
                    if conn.usable and now - conn.idle_since <= self.keepalive_expiry:
                        conn.reused = True
                        return conn
                    self._discard(conn)
            if self._open < self.max_connections or self._evict_idle():
                break
            await self._wait_for_slot(timeouts.get("pool"))
        self._open += 1
        try:
            return await self._connect(origin, request, timeouts.get("connect"))
        except BaseException:
            self._open -= 1
            self._notify_slot()
            raise

    def _evict_idle(self) -> bool:
        """Close the oldest idle connection of any origin, freeing its slot for the caller."""
        for idle in self._idle.values():
            if idle:
                idle.pop(0).close()
                self._open -= 1
                return True
        return False

    async def _wait_for_slot(self, seconds: float | None) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(seconds):
                await waiter
        except TimeoutError:
            raise httpx.PoolTimeout("no connection available within the pool timeout") from None
        finally:
            if not waiter.done():
                waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    def _notify_slot(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _connect(
        self, origin: tuple[bytes, bytes, int], request: httpx.Request, seconds: float | None
    ) -> _Connection:
        scheme, host, port = origin
        if scheme not in (b"http", b"https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme.decode()!r}")
        loop = asyncio.get_running_loop()
        context = None
        server_hostname = None
        if scheme == b"https":
            context = self._ssl_context or _default_ssl_context()
            server_hostname = host.decode("ascii")
        conn = _Connection(loop, origin)
        try:
            async with asyncio.timeout(seconds):
                await loop.create_connection(
                    lambda: conn, host.decode("ascii"), port, ssl=context, server_hostname=server_hostname
                )
        except TimeoutError:
            conn.close()
            raise httpx.ConnectTimeout(
                f"connecting to {host.decode()}:{port} timed out", request=request
            ) from None
        except OSError as exc:
            raise httpx.ConnectError(f"{exc}", request=request) from exc
        return conn

    def _release(self, conn: _Connection, reusable: bool) -> None:
        """A response is done with its connection: keep it for the next request, or close it."""
        if reusable and conn.usable and not self._closed:
            idle = self._idle.setdefault(conn.origin, [])
            if len(idle) < self.max_idle:
                conn.idle_since = time.monotonic()
                idle.append(conn)
                self._notify_slot_if_waiting()
                return
        self._discard(conn)

    def _notify_slot_if_waiting(self) -> None:
        # An idle connection does not free a slot for another origin, but the waiter may be for
        # this origin: wake one to re-check (it takes the idle connection if it matches).
        if self._waiters:
            self._notify_slot()

    def _discard(self, conn: _Connection) -> None:
        conn.close()
        self._open -= 1
        self._notify_slot()

    # -- requests -------------------------------------------------------------------------------

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.send_detached(request)
        response.request = request
        return response

    async def send_detached(self, request: httpx.Request) -> httpx.Response:
        """``handle_async_request`` whose response does not refer to ``request``.

        What the model clients call directly (``_http``): nothing holds the request (its
        headers, URL and body) once the response head is in, so a streamed response that stays
        open for seconds keeps only what reading its body needs. Errors raised while reading
        the body carry no request; httpx's own readers attach it (``Response.aiter_raw``).
        """
        if self._closed:
            raise httpx.ConnectError("the transport is closed", request=request)
        timeouts = _timeouts(request)
        body = await request.aread()
        head = _request_head(request, len(body))
        while True:
            conn = await self._acquire(request, timeouts)
            reused = conn.reused
            try:
                assert conn.transport is not None
                conn.transport.write(head + body if len(body) < 65536 else head)
                if len(body) >= 65536:
                    conn.transport.write(body)
                status, reason, version, headers = await _read_head(conn, timeouts.get("read"), request)
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                self._discard(conn)
                # A kept-alive connection the server closed while idle: nothing was processed,
                # so the request goes again on a fresh connection (once per stale connection).
                if reused and not getattr(exc, "_agentos_got_bytes", False):
                    continue
                raise
            except BaseException:
                self._discard(conn)
                raise
            break
        keep_alive = version == b"HTTP/1.1" and not _has_token(headers, b"connection", b"close")
        if _has_token(request.headers.raw, b"connection", b"close"):
            keep_alive = False
        no_body = request.method == "HEAD" or status in (204, 304) or 100 <= status < 200
        stream = ResponseStream(self, conn, headers, keep_alive, no_body, timeouts.get("read"))
        return httpx.Response(
            status,
            headers=headers,
            stream=stream,
            extensions={"http_version": version, "reason_phrase": reason},
        )

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
                self._open -= 1
        self._idle.clear()
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(httpx.PoolTimeout("the transport was closed"))


def _request_head(request: httpx.Request, length: int) -> bytes:
    target = request.url.raw_path or b"/"
    parts = [request.method.encode("ascii"), b" ", target, b" HTTP/1.1\r\n"]
    has_length = False
    for name, value in request.headers.raw:
        lowered = name.lower()
        if lowered == b"content-length":
            has_length = True
            value = str(length).encode("ascii")
        elif lowered == b"transfer-encoding":
            continue  # the body was read whole: it goes with a length
        parts += [name, b": ", value, b"\r\n"]
    if not has_length and (length or request.method in ("POST", "PUT", "PATCH")):
        parts.append(b"Content-Length: %d\r\n" % length)
    parts.append(b"\r\n")
    return b"".join(parts)


def _has_token(headers: list[tuple[bytes, bytes]], name: bytes, token: bytes) -> bool:
    return any(key.lower() == name and token in value.lower() for key, value in headers)


def _protocol_error(
    message: str, request: httpx.Request | None, *, got_bytes: bool
) -> httpx.RemoteProtocolError:
    error = httpx.RemoteProtocolError(message, request=request)
    error._agentos_got_bytes = got_bytes  # type: ignore[attr-defined]
    return error


async def _read_head(
    conn: _Connection, read_timeout: float | None, request: httpx.Request
) -> tuple[int, bytes, bytes, list[tuple[bytes, bytes]]]:
    """Status, reason, version and headers of the next final (non-1xx) response."""
    buffer = conn.buffer
    start = 0
    while True:
        end = buffer.find(b"\r\n\r\n", start)
        if end < 0:
            if len(buffer) > MAX_HEAD_BYTES:
                raise _protocol_error("response head too large", request, got_bytes=True)
            if conn.eof:
                if conn.error is not None and not buffer:
                    error = httpx.ReadError(f"connection lost: {conn.error}", request=request)
                    raise error
                raise _protocol_error(
                    "Server disconnected without sending a response.", request, got_bytes=bool(buffer)
                )
            start = max(0, len(buffer) - 3)
            await _wait(conn, read_timeout, request)
            continue
        head = bytes(buffer[:end])
        del buffer[: end + 4]
        conn.consumed()
        lines = head.split(b"\r\n")
        status_line = lines[0].split(b" ", 2)
        try:
            version = status_line[0]
            status = int(status_line[1])
        except (IndexError, ValueError):
            raise _protocol_error(
                f"malformed status line {lines[0][:100]!r}", request, got_bytes=True
            ) from None
        if not version.startswith(b"HTTP/1."):
            raise _protocol_error(f"unsupported protocol {version[:20]!r}", request, got_bytes=True)
        reason = status_line[2] if len(status_line) > 2 else b""
        headers: list[tuple[bytes, bytes]] = []
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name != name.strip():
                raise _protocol_error(f"malformed header line {line[:100]!r}", request, got_bytes=True)
            headers.append((name, value.strip()))
        if 100 <= status < 200 and status != 101:
            start = 0
            continue  # informational: the final response follows
        return status, reason, version, headers


async def _wait(conn: _Connection, read_timeout: float | None, request: httpx.Request | None) -> None:
    try:
        await conn.wait_data(read_timeout)
    except httpx.ReadTimeout as exc:
        if request is not None:
            exc.request = request
        raise


class ResponseStream(httpx.AsyncByteStream):
    """The body of one response: chunked, sized or until close; releases the connection at the end."""

    def __init__(
        self,
        transport: PooledTransport,
        conn: _Connection,
        headers: list[tuple[bytes, bytes]],
        keep_alive: bool,
        no_body: bool,
        timeout: float | None,
    ) -> None:
        self._transport = transport
        self._conn: _Connection | None = conn
        self._timeout = timeout
        self._keep_alive = keep_alive
        self._done = no_body
        self._chunked = _has_token(headers, b"transfer-encoding", b"chunked")
        self._length: int | None = None
        if not self._chunked:
            for name, value in headers:
                if name.lower() == b"content-length":
                    try:
                        self._length = int(value)
                    except ValueError:
                        raise _protocol_error("malformed Content-Length", None, got_bytes=True) from None
        if self._length is None and not self._chunked:
            self._keep_alive = False  # delimited by the end of the connection
        if self._length == 0:
            self._done = True

    def __aiter__(self) -> AsyncIterator[bytes]:
        # One generator per body (not a generator delegating to another): every layer costs
        # a resumption per chunk and a frame held per open stream.
        conn = self._conn
        if conn is None or self._done:
            return self._nothing()
        if self._chunked:
            return self._chunks(conn)
        if self._length is not None:
            return self._sized(conn, self._length)
        return self._until_close(conn)

    async def _nothing(self) -> AsyncIterator[bytes]:
        self._finish()
        return
        yield b""  # pragma: no cover - makes this an async generator

    async def _sized(self, conn: _Connection, remaining: int) -> AsyncIterator[bytes]:
        buffer = conn.buffer
        try:
            while remaining > 0:
                if buffer:
                    take = min(remaining, len(buffer))
                    piece = bytes(buffer[:take])
                    del buffer[:take]
                    conn.consumed()
                    remaining -= take
                    yield piece
                    continue
                if conn.eof:
                    raise _incomplete(conn, None)
                await _wait(conn, self._timeout, None)
            self._done = True
        finally:
            self._finish()

    async def _until_close(self, conn: _Connection) -> AsyncIterator[bytes]:
        buffer = conn.buffer
        try:
            while True:
                if buffer:
                    piece = bytes(buffer)
                    buffer.clear()
                    conn.consumed()
                    yield piece
                    continue
                if conn.eof:
                    self._done = True
                    return
                await _wait(conn, self._timeout, None)
        finally:
            self._finish()

    async def _chunks(self, conn: _Connection) -> AsyncIterator[bytes]:
        """Decode chunked transfer coding; every complete chunk already buffered goes out at once.

        One pass over what is buffered by position, then one copy out (a join of views) and one
        deletion from the buffer: a streamed reply is typically one SSE event per HTTP chunk,
        and slicing, copying and deleting per chunk showed in the CPU per streamed event.
        """
        buffer = conn.buffer
        size = -1  # bytes left in the current chunk; -1: a size line comes next
        try:
            while True:
                spans: list[tuple[int, int]] = []
                pos = 0
                length = len(buffer)
                finished = False
                while True:
                    if size < 0:
                        end = buffer.find(b"\r\n", pos)
                        if end < 0:
                            if length - pos > MAX_HEAD_BYTES:
                                raise _protocol_error("chunk size line too long", None, got_bytes=True)
                            break
                        size = _chunk_size(buffer[pos:end])
                        pos = end + 2
                        if size == 0:
                            finished = True
                            break
                        continue
                    if size > 0:
                        if pos >= length:
                            break
                        take = min(size, length - pos)
                        spans.append((pos, pos + take))
                        pos += take
                        size -= take
                        if size > 0:
                            break
                    if length - pos < 2:
                        break
                    if not buffer.startswith(b"\r\n", pos):
                        raise _protocol_error("missing CRLF after a chunk", None, got_bytes=True)
                    pos += 2
                    size = -1
                out = b""
                if spans:
                    with memoryview(buffer) as view:
                        out = b"".join([view[start:stop] for start, stop in spans])
                del buffer[:pos]
                conn.consumed()
                if finished:
                    if await self._trailers(conn):
                        self._done = True  # reusable even if the reader stops here
                        if out:
                            yield out
                        return
                    raise _incomplete(conn, None)
                if out:
                    yield out
                    continue
                if conn.eof:
                    raise _incomplete(conn, None)
                await _wait(conn, self._timeout, None)
        finally:
            self._finish()

    async def _trailers(self, conn: _Connection) -> bool:
        """Skip the trailer section after the last chunk; False when the connection ended first."""
        buffer = conn.buffer
        while True:
            if buffer[:2] == b"\r\n":
                del buffer[:2]
                conn.consumed()
                return True
            end = buffer.find(b"\r\n\r\n")
            if end >= 0:
                del buffer[: end + 4]
                conn.consumed()
                return True
            if conn.eof:
                return False
            if len(buffer) > MAX_HEAD_BYTES:
                raise _protocol_error("trailers too large", None, got_bytes=True)
            await _wait(conn, self._timeout, None)

    def _finish(self) -> None:
        conn = self._conn
        if conn is None:
            return
        self._conn = None
        self._transport._release(conn, self._keep_alive and self._done)

    async def aclose(self) -> None:
        self._finish()


def _chunk_size(line: bytearray) -> int:
    """The size on a chunk-size line (hex digits, maybe followed by ``;extensions``)."""
    if b";" in line:
        line = line.split(b";", 1)[0]
    text = line.strip()
    try:
        if text.isalnum():  # ASCII letters and digits only: no sign, underscore or space for int()
            return int(text, 16)
    except ValueError:
        pass
    raise _protocol_error(f"malformed chunk size {bytes(line[:20])!r}", None, got_bytes=True)


def _incomplete(conn: _Connection, request: httpx.Request | None) -> httpx.TransportError:
    if conn.error is not None:
        return httpx.ReadError(f"connection lost: {conn.error}", request=request)
    return _protocol_error(
        "peer closed connection without sending complete message body", request, got_bytes=True
    )


def transport_options_supported(client_params: dict[str, Any]) -> bool:
    """Whether a pooled client for these ``client_params`` can use ``PooledTransport``.

    Only parameters that do not concern the transport (headers, timeouts, cookies, event
    hooks...) are compatible; anything about connections (proxies, TLS, HTTP/2, limits, a
    transport of the user's) keeps httpx's default transport.
    """
    return not (set(client_params) & _TRANSPORT_PARAMS)


_TRANSPORT_PARAMS = frozenset(
    {
        "transport",
        "mounts",
        "proxy",
        "proxies",
        "verify",
        "cert",
        "http1",
        "http2",
        "limits",
        "trust_env",
        "app",
    }
)
