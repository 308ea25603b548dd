"""HTTP client policy: pooled connections are reused, per event loop, and closed with their loop."""

from __future__ import annotations

import asyncio
import gc
import time
import warnings
import weakref

from agentos.models import Message
from agentos.models.openai import OpenAIChat
from fake_openai import FakeOpenAI, Turn

HI = [Message(role="user", content="hi")]


def wait_until(predicate: object, timeout: float = 5.0) -> bool:
    """Poll a condition another thread makes true (not a timing assertion: it only bounds the wait)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        time.sleep(0.01)
    return False


async def test_sequential_calls_reuse_one_connection(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn("one"), Turn("two"), Turn("three"))
    model = OpenAIChat(base_url=fake_openai_server.base_url, api_key="k")
    other_model = OpenAIChat(id="gpt-4.1", base_url=fake_openai_server.base_url, api_key="other-key")
    await model.ainvoke(HI)
    _ = [d async for d in model.astream(HI)]  # a stream read to the end leaves the connection reusable
    await other_model.ainvoke(HI)  # models with the same base URL share the pool
    assert {r.connection for r in fake_openai_server.requests} == {1}
    assert fake_openai_server.connections_opened == 1


async def test_concurrent_streams_do_not_mix(fake_openai_server: FakeOpenAI) -> None:
    model = OpenAIChat(base_url=fake_openai_server.base_url, api_key="k")

    def reply(request: object) -> Turn:
        body = request.json()  # type: ignore[attr-defined]
        return Turn(f"answer to {body['messages'][0]['content']}", chunk_size=2)

    fake_openai_server.script(*(reply for _ in range(40)))

    async def ask(i: int) -> str:
        deltas = [d async for d in model.astream([Message(role="user", content=f"q{i}")])]
        return "".join(d.content or "" for d in deltas)

    answers = await asyncio.gather(*(ask(i) for i in range(40)))
    assert answers == [f"answer to q{i}" for i in range(40)]
    assert fake_openai_server.connections_opened <= 40


def test_sync_runs_in_fresh_loops_each_get_a_working_client(fake_openai_server: FakeOpenAI) -> None:
    """What a sync ``Agent.run()`` does twice: ``asyncio.run`` creates and closes a loop per call."""
    fake_openai_server.script(Turn("first"), Turn("second"))
    model = OpenAIChat(base_url=fake_openai_server.base_url, api_key="k")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert asyncio.run(model.ainvoke(HI)).content == "first"
        # The loop's shutdown closed its pooled connection.
        assert wait_until(lambda: fake_openai_server.connections_closed == 1)
        assert asyncio.run(model.ainvoke(HI)).content == "second"
        assert wait_until(lambda: fake_openai_server.connections_closed == 2)
        gc.collect()
    assert [r.connection for r in fake_openai_server.requests] == [1, 2]
    # Only what this pool could leak is judged (sockets, transports, event loops): other tests'
    # objects (aiosqlite or psycopg connections of databases left open) can be finalised at any
    # moment by the garbage collector.
    leaks = ("socket", "transport", "event loop")
    ours = [
        str(w.message)
        for w in caught
        if issubclass(w.category, ResourceWarning) and any(kind in str(w.message).lower() for kind in leaks)
    ]
    assert not ours


def test_finished_loops_are_not_kept_alive_by_the_pool(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn("x"))
    model = OpenAIChat(base_url=fake_openai_server.base_url, api_key="k")
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def call() -> None:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        await model.ainvoke(HI)

    asyncio.run(call())
    gc.collect()
    assert loops[0]() is None
