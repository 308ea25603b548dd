"""Cancelling runs by id.

``Agent.cancel_run(run_id)`` must work for any run of the process, whichever task or thread
runs it, and even when the cancel arrives before the run started (the gRPC runtime may receive
CancelRun before CreateRun reaches the engine). The state therefore lives in a process-wide
registry, never on the Agent.

The registry is an interface: the in-process default below serves one replica; the runtime can
install a database-backed one (``set_cancellation_registry``) whose ``register`` returns the
same local ``RunCancellation`` handle and which calls ``handle.request()`` when a cancel for
that run arrives from another replica.

How a cancel interrupts a run promptly: the engine wraps every await that may take long (model
call, streamed delta, tool batch, hook) in ``handle.guard(...)``. ``request()`` cancels the task
only while it is inside such a guard, so a streaming consumer's own code between two events is
never interrupted; the guard turns that cancellation into ``RunCancelledError``. Between guards,
the engine polls ``handle.requested`` at its checkpoints.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Protocol, TypeVar

from agentos.exceptions import RunCancelledError

_T = TypeVar("_T")

__all__ = [
    "CancellationRegistry",
    "InProcessCancellationRegistry",
    "RunCancellation",
    "get_cancellation_registry",
    "set_cancellation_registry",
]


class RunCancellation:
    """The cancellation state of one in-flight run, owned by the run's event loop."""

    __slots__ = ("_interrupted", "_loop", "_task", "reason", "requested", "run_id")

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.requested = False
        self.reason: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[object] | None = None
        self._interrupted = False

    def request(self, reason: str | None = None) -> None:
        """Ask the run to stop; safe to call from any thread."""
        if self.requested:
            return
        self.requested = True
        self.reason = reason
        loop = self._loop
        if loop is not None and not loop.is_closed():
            # A loop closed meanwhile means the run is over anyway.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._interrupt)

    def _interrupt(self) -> None:
        # Runs on the run's loop: cancel the task only if it is still inside a guard.
        task = self._task
        if task is not None and not task.done():
            self._interrupted = True
            task.cancel()

    def check(self) -> None:
        """Raise RunCancelledError if a cancel was requested (the engine's checkpoints)."""
        if self.requested:
            raise RunCancelledError(self.run_id, self.reason)

    async def guard(self, awaitable: Awaitable[_T]) -> _T:
        """Await ``awaitable`` so that a cancel request interrupts it at once."""
        if self.requested:
            _close(awaitable)
            raise RunCancelledError(self.run_id, self.reason)
        task = asyncio.current_task()
        self._loop = asyncio.get_running_loop()
        previous = self._task
        self._task = task
        try:
            return await awaitable
        except asyncio.CancelledError:
            if self._interrupted and task is not None:
                self._interrupted = False
                task.uncancel()
                raise RunCancelledError(self.run_id, self.reason) from None
            raise
        finally:
            self._task = previous


def _close(awaitable: Awaitable[object]) -> None:
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()


class CancellationRegistry(Protocol):
    """Where runs register so that ``cancel(run_id)`` can reach them."""

    def register(self, run_id: str) -> RunCancellation:
        """Track a starting run; the handle is already ``requested`` if a cancel came first."""
        ...

    def unregister(self, run_id: str) -> None: ...

    def cancel(self, run_id: str, reason: str | None = None) -> bool:
        """Cancel a live run (True) or remember the cancel for a run not started yet (False)."""
        ...

    def is_active(self, run_id: str) -> bool: ...


class InProcessCancellationRegistry:
    """The default registry: live runs of this process, plus bounded pending cancels."""

    def __init__(self, *, pending_ttl: float = 600.0, max_pending: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._active: dict[str, RunCancellation] = {}
        self._pending: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._pending_ttl = pending_ttl
        self._max_pending = max_pending

    def register(self, run_id: str) -> RunCancellation:
        handle = RunCancellation(run_id)
        with self._lock:
            if run_id in self._active:
                raise ValueError(f"a run with id {run_id!r} is already in progress")
            pending = self._pending.pop(run_id, None)
            if pending is not None and pending[0] >= time.monotonic():
                handle.requested = True
                handle.reason = pending[1]
            self._active[run_id] = handle
        return handle

    def unregister(self, run_id: str) -> None:
        with self._lock:
            self._active.pop(run_id, None)

    def cancel(self, run_id: str, reason: str | None = None) -> bool:
        with self._lock:
            handle = self._active.get(run_id)
            if handle is None:
                self._remember(run_id, reason)
                return False
        handle.request(reason)
        return True

    def is_active(self, run_id: str) -> bool:
        with self._lock:
            return run_id in self._active

    def pending_count(self) -> int:
        with self._lock:
            self._expire(time.monotonic())
            return len(self._pending)

    def _remember(self, run_id: str, reason: str | None) -> None:
        now = time.monotonic()
        self._expire(now)
        self._pending[run_id] = (now + self._pending_ttl, reason)
        self._pending.move_to_end(run_id)
        while len(self._pending) > self._max_pending:
            self._pending.popitem(last=False)

    def _expire(self, now: float) -> None:
        while self._pending:
            run_id, (deadline, _) = next(iter(self._pending.items()))
            if deadline >= now:
                break
            del self._pending[run_id]


_registry: CancellationRegistry = InProcessCancellationRegistry()


def get_cancellation_registry() -> CancellationRegistry:
    return _registry


def set_cancellation_registry(registry: CancellationRegistry) -> None:
    """Install another registry (e.g. a database-backed one shared by replicas)."""
    global _registry
    _registry = registry
