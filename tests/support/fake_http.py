"""A tiny HTTP/1.1 server on asyncio streams, run in a background thread with its own loop.

The fake model servers (``fake_openai``, ``fake_anthropic``) are built on it. It is written for
speed, not generality, because benchmarks reuse it to answer instantly under high concurrency:
keep-alive connections, Content-Length or chunked request bodies, and responses that are either
a complete body or a stream of chunks (chunked transfer encoding, used for SSE). Every request
is recorded with its arrival time (``time.monotonic``) so tests can check retries and headers.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    418: "I'm a teapot",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    529: "Overloaded",
}


@dataclass(slots=True)
class RecordedRequest:
    """One request as the server received it. Header names are lower-cased."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    received_at: float
    connection: int = 0  # which TCP connection carried it (numbered from 1 in accept order)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(slots=True)
class Reply:
    """A complete response. ``delay`` seconds pass before the status line is sent."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def json(cls, payload: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"content-type": "application/json", **kwargs.pop("headers", {})}
        return cls(status=status, body=json.dumps(payload).encode(), headers=headers, **kwargs)


@dataclass(slots=True)
class StreamReply:
    """A streamed response (chunked transfer encoding): each chunk is written and flushed in turn.

    ``chunk_delay`` pauses between chunks; ``hang_after`` stops sending (without closing) after
    that many chunks, to exercise read timeouts mid-stream; ``close_after`` drops the connection
    after that many chunks, to exercise truncated streams.
    """

    chunks: Sequence[bytes]
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "text/event-stream"})
    delay: float = 0.0
    chunk_delay: float = 0.0
    hang_after: int | None = None
    close_after: int | None = None


@dataclass(slots=True)
class Hang:
    """Never answer (until the client gives up or the server stops)."""


Response = Reply | StreamReply | Hang
Handler = Callable[[RecordedRequest], Awaitable[Response] | Response]


class _ProtocolError(Exception):
    pass


class FakeHTTPServer:
    """Serve ``handler`` on 127.0.0.1 (random port) from a daemon thread.

    Use as a context manager, or call ``start()`` / ``stop()``. ``requests`` lists every request
    received, in arrival order.
    """

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self.requests: list[RecordedRequest] = []
        self.connections_opened = 0
        self.connections_closed = 0
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeHTTPServer:
        self._thread = threading.Thread(target=self._run, name="fake-http-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError("fake HTTP server failed to start") from self._error
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return
        fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        fut.result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(10)
        self._loop = None

    def __enter__(self) -> FakeHTTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._serve_connection, "127.0.0.1", 0, backlog=1024)
            )
            self.port = self._server.sockets[0].getsockname()[1]
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections_opened += 1
        connection = self.connections_opened
        try:
            while True:
                request = await self._read_request(reader)
                if request is None:
                    return
                request.connection = connection
                self.requests.append(request)
                result = self._handler(request)
                response = await result if isinstance(result, Awaitable) else result
                keep_open = await self._write_response(writer, response)
                if not keep_open or request.headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, _ProtocolError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:
            return
        finally:
            self._tasks.discard(task)
            self.connections_closed += 1
            writer.close()

    async def _read_request(self, reader: asyncio.StreamReader) -> RecordedRequest | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return None
        received_at = time.monotonic()
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, _version = lines[0].split(" ", 2)
        except ValueError as exc:
            raise _ProtocolError(lines[0]) from exc
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = b""
        split = urlsplit(target)
        return RecordedRequest(
            method=method,
            path=split.path,
            query=dict(parse_qsl(split.query)),
            headers=headers,
            body=body,
            received_at=received_at,
        )

    @staticmethod
    def _status_line(status: int, headers: dict[str, str], extra: str) -> bytes:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        lines.append(extra)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _write_response(self, writer: asyncio.StreamWriter, response: Response) -> bool:
        """Send one response; False when the connection must be closed afterwards."""
        if isinstance(response, Hang):
            await asyncio.Event().wait()
            return False
        if response.delay:
            await asyncio.sleep(response.delay)
        if isinstance(response, Reply):
            writer.write(
                self._status_line(response.status, response.headers, f"content-length: {len(response.body)}")
                + response.body
            )
            await writer.drain()
            return True
        writer.write(self._status_line(response.status, response.headers, "transfer-encoding: chunked"))
        for index, chunk in enumerate(response.chunks):
            if response.hang_after is not None and index >= response.hang_after:
                await writer.drain()
                await asyncio.Event().wait()
            if response.close_after is not None and index >= response.close_after:
                await writer.drain()
                return False
            if response.chunk_delay and index:
                await writer.drain()
                await asyncio.sleep(response.chunk_delay)
            if chunk:
                writer.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True
