"""Sync entry points over the async engine (``Agent.run``, ``continue_run``, ``print_response``).

There is no second, sync copy of the loop: the sync API drives the async one on a private event
loop kept per thread (creating a loop per call would also recreate the worker-thread pool that
sync tools use). Calling the sync API from inside a running loop would block that loop, so it
raises and points to the async API instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any, TypeVar

_T = TypeVar("_T")

_local = threading.local()


def ensure_no_running_loop(method: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"Agent.{method}() was called from inside a running event loop, where it would block the loop; "
        f"use `await agent.a{method}(...)` (or `async for` over it when streaming) instead"
    )


def _loop() -> asyncio.AbstractEventLoop:
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    return loop


def run_sync(coro: Coroutine[Any, Any, _T]) -> _T:
    return _loop().run_until_complete(coro)


def iterate_sync(agen: AsyncIterator[_T]) -> Iterator[_T]:
    """Iterate an async iterator from sync code; closing the iterator closes the async one."""
    loop = _loop()
    try:
        while True:
            try:
                yield loop.run_until_complete(agen.__anext__())
            except StopAsyncIteration:
                return
    finally:
        aclose = getattr(agen, "aclose", None)
        if aclose is not None and not loop.is_closed():
            loop.run_until_complete(aclose())
