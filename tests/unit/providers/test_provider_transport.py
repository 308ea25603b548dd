"""The model providers' HTTP/1.1 transport against raw local servers: framing, keep-alive, limits, TLS.

Most behaviour (retries, timeouts, truncated streams) is covered through the providers against
the fake OpenAI server; these tests need a server that misbehaves at the byte level.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from agentos.exceptions import ModelProviderError
from agentos.models import Message
from agentos.models._transport import PooledTransport
from agentos.models.openai import OpenAIChat
from fake_openai import FakeOpenAI, Turn

HI = [Message(role="user", content="hi")]

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]


def completion(text: str) -> bytes:
    return json.dumps(
        {
            "id": "c1",
            "object": "chat.completion",
            "model": "gpt-4o",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
        }
    ).encode()


def sse_chunk(text: str) -> bytes:
    payload = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": text}}],
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


async def read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return await reader.readexactly(length)


@asynccontextmanager
async def raw_server(
    handler: Handler, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[tuple[str, list[int]]]:
    """A server on 127.0.0.1 calling ``handler(reader, writer, connection_number)`` per connection."""
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections) + 1)
        try:
            await handler(reader, writer, connections[-1])
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=ssl_context)
    port = server.sockets[0].getsockname()[1]
    scheme = "https" if ssl_context is not None else "http"
    try:
        yield f"{scheme}://127.0.0.1:{port}/v1", connections
    finally:
        server.close()


async def test_a_kept_alive_connection_closed_under_a_new_request_is_replaced() -> None:
    async def drops_second_request(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int
    ) -> None:
        while await read_request(reader) is not None:
            if n == 1 and getattr(drops_second_request, "answered", False):
                return  # what a server closing an idle connection looks like: no answer, just EOF
            drops_second_request.answered = True  # type: ignore[attr-defined]
            body = completion(f"answer {n}")
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%b" % (len(body), body))
            await writer.drain()

    async with raw_server(drops_second_request) as (url, connections):
        model = OpenAIChat(base_url=url, api_key="k", max_retries=0)
        first = await model.ainvoke(HI)
        second = await model.ainvoke(HI)  # no retries configured: the transport replaced the connection
    assert (first.content, second.content) == ("answer 1", "answer 2")
    assert connections == [1, 2]


async def test_a_new_connection_closed_without_an_answer_is_an_error() -> None:
    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        await read_request(reader)

    async with raw_server(never_answers) as (url, connections):
        with pytest.raises(ModelProviderError, match="connection error"):
            await OpenAIChat(base_url=url, api_key="k", max_retries=0).ainvoke(HI)
    assert connections == [1]


async def test_bodies_delimited_by_the_end_of_the_connection() -> None:
    async def close_delimited(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
        for piece in ("one ", "two ", "three"):
            writer.write(sse_chunk(piece))
            await writer.drain()
        writer.write(b"data: [DONE]\n\n")
        await writer.drain()

    async with raw_server(close_delimited) as (url, connections):
        model = OpenAIChat(base_url=url, api_key="k", max_retries=0)
        deltas = [d async for d in model.astream(HI)]
        again = [d async for d in model.astream(HI)]
    assert "".join(d.content or "" for d in deltas) == "one two three"
    assert "".join(d.content or "" for d in again) == "one two three"
    assert connections == [1, 2]  # a close-delimited body never leaves a reusable connection


async def test_chunked_body_split_at_every_byte_and_with_trailers() -> None:
    events = b"".join(sse_chunk(p) for p in ("al", "pha ", "beta")) + b"data: [DONE]\n\n"
    encoded = b"".join(
        b"%x;ext=1\r\n%b\r\n" % (len(events[i : i + 7]), events[i : i + 7]) for i in range(0, len(events), 7)
    )
    encoded += b"0\r\nx-trailer: yes\r\n\r\n"

    async def byte_by_byte(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        while await read_request(reader) is not None:
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            for i in range(len(encoded)):
                writer.write(encoded[i : i + 1])
                if i % 50 == 0:
                    await writer.drain()
                    await asyncio.sleep(0)
            await writer.drain()

    async with raw_server(byte_by_byte) as (url, connections):
        model = OpenAIChat(base_url=url, api_key="k", max_retries=0)
        first = [d async for d in model.astream(HI)]
        second = [d async for d in model.astream(HI)]
    assert "".join(d.content or "" for d in first) == "alpha beta"
    assert "".join(d.content or "" for d in second) == "alpha beta"
    assert connections == [1]  # trailers consumed: the connection stayed reusable


async def test_informational_responses_are_skipped() -> None:
    async def continue_then_answer(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int
    ) -> None:
        await read_request(reader)
        body = completion("after 103")
        writer.write(b"HTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%b" % (len(body), body))
        await writer.drain()
        await reader.read()

    async with raw_server(continue_then_answer) as (url, _):
        reply = await OpenAIChat(base_url=url, api_key="k", max_retries=0).ainvoke(HI)
    assert reply.content == "after 103"


@pytest.mark.parametrize(
    "response",
    [
        b"garbage\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1_0\r\n0123456789abcdef\r\n0\r\n\r\n",
        b'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial":',
    ],
    ids=[
        "status line",
        "header",
        "chunk size",
        "signed chunk size",
        "chunk size 1_0",
        "short body",
    ],
)
async def test_malformed_responses_are_provider_errors(response: bytes) -> None:
    async def broken(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        await read_request(reader)
        writer.write(response)
        await writer.drain()

    async with raw_server(broken) as (url, _):
        with pytest.raises(ModelProviderError):
            await OpenAIChat(base_url=url, api_key="k", max_retries=0).ainvoke(HI)


def held_answers() -> tuple[Handler, asyncio.Event, asyncio.Event, list[int]]:
    """A server answering "ok" only once ``release`` is set; ``busy`` is set at the first request."""
    release = asyncio.Event()
    busy = asyncio.Event()
    in_flight: list[int] = [0, 0]  # now, most

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        while await read_request(reader) is not None:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
            busy.set()
            await release.wait()
            in_flight[0] -= 1
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            await writer.drain()

    return handler, release, busy, in_flight


async def test_requests_beyond_the_connection_limit_wait_for_a_free_connection() -> None:
    handler, release, busy, in_flight = held_answers()
    async with raw_server(handler) as (url, connections):
        transport = PooledTransport(max_connections=2)
        async with httpx.AsyncClient(transport=transport) as client:
            calls = [asyncio.ensure_future(client.post(url, content=b"x")) for _ in range(5)]
            await busy.wait()
            for _ in range(10):  # let every call reach the pool
                await asyncio.sleep(0)
            assert transport.open_connections == 2
            release.set()
            responses = await asyncio.gather(*calls)
    assert [r.text for r in responses] == ["ok"] * 5
    assert in_flight[1] == 2
    assert len(connections) == 2  # the waiting requests reused the two connections


async def test_waiting_for_a_connection_is_bounded_by_the_pool_timeout() -> None:
    handler, release, busy, _ = held_answers()
    async with raw_server(handler) as (url, _):
        transport = PooledTransport(max_connections=1)
        async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(5.0, pool=0.05)) as client:
            hold = asyncio.ensure_future(client.post(url, content=b"x"))
            await busy.wait()
            with pytest.raises(httpx.PoolTimeout):
                await client.post(url, content=b"y")
            release.set()
            assert (await hold).text == "ok"


async def test_a_full_pool_closes_an_idle_connection_of_another_origin() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        while await read_request(reader) is not None:
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            await writer.drain()

    async with raw_server(answer) as (url_a, conns_a), raw_server(answer) as (url_b, conns_b):
        transport = PooledTransport(max_connections=1)
        async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(5.0, pool=1.0)) as client:
            assert (await client.post(url_a, content=b"x")).text == "ok"
            assert (await client.post(url_b, content=b"x")).text == "ok"
            assert (await client.post(url_a, content=b"x")).text == "ok"
            assert transport.open_connections == 1
    assert (len(conns_a), len(conns_b)) == (2, 1)


def _self_signed(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) for 127.0.0.1."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = tmp_path / "cert.pem"
    key_file = tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


async def test_https_with_keep_alive_and_verification(tmp_path: Path) -> None:
    server_ctx, client_ctx = _self_signed(tmp_path)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        while await read_request(reader) is not None:
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nsecure")
            await writer.drain()

    async with raw_server(answer, server_ctx) as (url, connections):
        async with httpx.AsyncClient(transport=PooledTransport(ssl_context=client_ctx)) as client:
            assert (await client.post(url, content=b"x")).text == "secure"
            assert (await client.post(url, content=b"x")).text == "secure"
        assert connections == [1]
        # The default context (public CAs) refuses the self-signed certificate.
        async with httpx.AsyncClient(transport=PooledTransport()) as client:
            with pytest.raises(httpx.ConnectError):
                await client.post(url, content=b"x")


@pytest.mark.parametrize("ending", [b"\r\n", b"\r", b"\n"], ids=["CRLF", "CR", "LF"])
async def test_sse_line_endings_split_anywhere(ending: bytes) -> None:
    body = b": a comment\n" + b"".join(sse_chunk(p) for p in ("x", "y\u00e9", "z")) + b"data: [DONE]\n\n"
    body = body.replace(b"\n", ending)

    async def one_byte_at_a_time(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body))
        for i in range(len(body)):
            writer.write(body[i : i + 1])
            await writer.drain()
            await asyncio.sleep(0)

    async with raw_server(one_byte_at_a_time) as (url, _):
        deltas = [d async for d in OpenAIChat(base_url=url, api_key="k", max_retries=0).astream(HI)]
    assert "".join(d.content or "" for d in deltas) == "xy\u00e9z"


async def test_a_compressed_event_stream_is_decoded() -> None:
    """Bodies without Content-Encoding are read straight from the transport; encoded ones
    still go through httpx's decoders."""
    import gzip

    body = gzip.compress(b"".join(sse_chunk(p) for p in ("com", "pressed")) + b"data: [DONE]\n\n")

    async def gzipped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
        await read_request(reader)
        head = b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n" % len(body)
        writer.write(head + body)
        await writer.drain()

    async with raw_server(gzipped) as (url, _):
        deltas = [d async for d in OpenAIChat(base_url=url, api_key="k", max_retries=0).astream(HI)]
    assert "".join(d.content or "" for d in deltas) == "compressed"


def test_the_model_client_runs_on_uvloop(fake_openai_server: FakeOpenAI) -> None:
    """uvloop's transports are not asyncio.Transport subclasses; the pooled transport takes them."""
    import uvloop

    fake_openai_server.script(Turn("streamed on uvloop", chunk_size=2), Turn("answered on uvloop"))
    model = OpenAIChat(base_url=fake_openai_server.base_url, api_key="sk-test")

    async def both() -> tuple[str, str | None]:
        streamed = "".join([d.content or "" async for d in model.astream(HI)])
        response = await model.ainvoke(HI)
        return streamed, response.content

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(both()) == ("streamed on uvloop", "answered on uvloop")
