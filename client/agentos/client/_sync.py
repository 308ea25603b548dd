"""Sync twins over the async client: a private event loop per thread drives the async methods.

The same private loop is reused by every sync call of a thread, so its gRPC channel (one per
loop, see ``_channel``) stays open between calls instead of reconnecting each time. Calling a
sync twin from inside a running loop would block that loop, so it raises and names the async
method to await instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, Concatenate, ParamSpec, TypeVar

T = TypeVar("T")

_local = threading.local()


def ensure_no_running_loop(what: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"{what} is synchronous and was called from inside a running event loop, where it would "
        f"block the loop; use its async form (await it, or `async for` over a stream) instead"
    )


def private_loop() -> asyncio.AbstractEventLoop:
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    return loop


def run_sync(coro: Coroutine[Any, Any, T], what: str) -> T:
    try:
        ensure_no_running_loop(what)
    except RuntimeError:
        coro.close()
        raise
    return private_loop().run_until_complete(coro)


def iterate_sync(agen: AsyncIterator[T], what: str) -> Iterator[T]:
    """Iterate an async iterator from sync code; closing the iterator closes the async one.

    The running-loop check happens at the call, not at the first ``next()``.
    """
    ensure_no_running_loop(what)
    return _iterate(agen)


def _iterate(agen: AsyncIterator[T]) -> Iterator[T]:
    loop = private_loop()
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


# Twins: sync methods made from async ones, for the ``.sync`` views --------------------------------

P = ParamSpec("P")


def twin(method: Callable[Concatenate[Any, P], Coroutine[Any, Any, T]]) -> Callable[Concatenate[Any, P], T]:
    """A sync method of a view class calling ``method`` on the view's ``_target``."""
    name = method.__name__

    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return run_sync(method(self._target, *args, **kwargs), f"{type(self).__name__}.{name}()")

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"Sync twin of ``{name}`` (see the async method)."
    return call


def twin_iter(
    method: Callable[Concatenate[Any, P], AsyncIterator[T]],
) -> Callable[Concatenate[Any, P], Iterator[T]]:
    """A sync method of a view class iterating the async stream ``method`` of ``_target``."""
    name = method.__name__

    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        return iterate_sync(method(self._target, *args, **kwargs), f"{type(self).__name__}.{name}()")

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"Sync twin of ``{name}`` (an iterator of the same events)."
    return call
