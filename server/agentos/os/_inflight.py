"""What the server is busy with, so that shutdown can wait for it and then stop it cleanly.

Two kinds of work are tracked:

* RPCs in progress (counted by :func:`track_handler` for every method except health and
  reflection, whose long-lived watch streams would otherwise hold shutdown for the whole grace
  period);
* runs, registered by the run service with :meth:`InflightWork.track_run` together with a
  cancel callback. Background runs outlive the RPC that started them, so they cannot be seen
  from RPCs alone; and cancelling a run through its callback lets it end with an in-band
  ``RunCancelled`` event instead of a torn stream.

Shutdown: ``drain(grace)`` waits for both to reach zero; if the grace period runs out,
``cancel_all()`` asks every run to stop and a short second drain lets them write their
terminal events before the server cancels what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc

logger = logging.getLogger("agentos.os")

CancelCallback = Callable[[], object]
"""Called (sync, or returning an awaitable that is awaited) to ask a run to stop."""

UNTRACKED_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


@dataclass(slots=True)
class _Run:
    run_id: str
    cancel: CancelCallback


class InflightWork:
    """Counts RPCs and runs in progress; one per running server."""

    def __init__(self) -> None:
        self._rpcs = 0
        self._runs: dict[int, _Run] = {}
        self._next_token = 0
        self._idle: asyncio.Event | None = None

    # -- counting ------------------------------------------------------------------------------

    @property
    def rpc_count(self) -> int:
        return self._rpcs

    @property
    def run_ids(self) -> list[str]:
        return [run.run_id for run in self._runs.values()]

    def _idle_event(self) -> asyncio.Event:
        if self._idle is None:
            self._idle = asyncio.Event()
            self._update()
        return self._idle

    def _update(self) -> None:
        if self._idle is None:
            return
        if self._rpcs == 0 and not self._runs:
            self._idle.set()
        else:
            self._idle.clear()

    @contextlib.contextmanager
    def rpc(self) -> Iterator[None]:
        """Count one RPC for the duration of the block."""
        self._rpcs += 1
        self._update()
        try:
            yield
        finally:
            self._rpcs -= 1
            self._update()

    @contextlib.contextmanager
    def track_run(self, run_id: str, cancel: CancelCallback) -> Iterator[None]:
        """Register a run for the duration of the block (use around a run's whole lifetime).

        ``cancel`` is how shutdown stops the run when the grace period is over; it should
        request cancellation (e.g. ``lambda: Agent.cancel_run(run_id)``) and return quickly.
        """
        token = self._next_token
        self._next_token += 1
        self._runs[token] = _Run(run_id, cancel)
        self._update()
        try:
            yield
        finally:
            del self._runs[token]
            self._update()

    # -- shutdown ------------------------------------------------------------------------------

    async def drain(self, within: float) -> bool:
        """Wait until no RPC and no run is in progress; False when ``within`` seconds ran out first."""
        event = self._idle_event()
        if event.is_set():
            return True
        try:
            await asyncio.wait_for(event.wait(), timeout=max(within, 0.0))
        except TimeoutError:
            return False
        return True

    async def cancel_all(self) -> int:
        """Ask every tracked run to stop; returns how many were asked. Callback failures are logged."""
        runs = list(self._runs.values())
        for run in runs:
            try:
                outcome = run.cancel()
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                logger.exception("cancelling run %s at shutdown failed", run.run_id)
        return len(runs)


def track_handler(
    method: str, handler: grpc.RpcMethodHandler[Any, Any], work: InflightWork
) -> grpc.RpcMethodHandler[Any, Any]:
    """``handler`` counting its calls in ``work`` (health and reflection, and sync handlers, as is).

    Applied once per method where the server's handlers are registered
    (:class:`agentos.os._method_table.MethodTable`), not per call.
    """
    if method.startswith(UNTRACKED_SERVICES):
        return handler
    behavior = handler.unary_unary or handler.unary_stream or handler.stream_unary or handler.stream_stream
    if not (inspect.iscoroutinefunction(behavior) or inspect.isasyncgenfunction(behavior)):
        # A sync handler runs in gRPC's thread pool; wrapping it in a coroutine would run it on
        # the event loop instead. All agentos services are async; others go untracked.
        return handler
    deserializer = handler.request_deserializer
    serializer = handler.response_serializer

    def wrap(behavior: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isasyncgenfunction(behavior):

            async def stream(request: Any, context: Any) -> AsyncIterator[Any]:
                with work.rpc():
                    async for item in behavior(request, context):
                        yield item

            return stream

        async def unary(request: Any, context: Any) -> Any:
            with work.rpc():
                result = behavior(request, context)
                if inspect.isawaitable(result):
                    result = await result
                return result

        return unary

    if handler.unary_unary is not None:
        return grpc.unary_unary_rpc_method_handler(
            wrap(handler.unary_unary), request_deserializer=deserializer, response_serializer=serializer
        )
    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(
            wrap(handler.unary_stream), request_deserializer=deserializer, response_serializer=serializer
        )
    if handler.stream_unary is not None:
        return grpc.stream_unary_rpc_method_handler(
            wrap(handler.stream_unary), request_deserializer=deserializer, response_serializer=serializer
        )
    if handler.stream_stream is not None:
        return grpc.stream_stream_rpc_method_handler(
            wrap(handler.stream_stream), request_deserializer=deserializer, response_serializer=serializer
        )
    return handler
