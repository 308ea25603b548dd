"""Event-loop-bound resources shared by one database object: a lock and an engine per loop.

A database object is created once and used from several event loops: the sync ``Agent``
methods drive the async engine on a private loop per thread, a server runs on its own loop, and
tests run one loop per test. asyncio locks and SQLAlchemy async engines bind to the loop that
first waits on them (the engine's pool queue, the drivers' futures and sockets), and using them
from another loop fails with "bound to a different event loop". So every loop gets its own:

* ``LoopLocks`` (in ``_loop_local``, which needs no SQLAlchemy): an ``asyncio.Lock`` per loop.
  The schema migration lock only has to stop the calls of one loop from racing each other;
  migrations from different loops (or processes) are serialized by the database's own lock
  (``BEGIN IMMEDIATE``, an advisory lock).
* ``LoopEngines``: an ``AsyncEngine`` per loop, made from one template engine. The first loop
  uses the template itself; others get a copy with a pool of its own (same URL, dialect, pool
  settings and event listeners). An engine is disposed when its loop shuts down through
  ``shutdown_asyncgens`` (``asyncio.run`` does that), as ``models/_http.py`` does for HTTP
  clients; engines of loops that were closed without it are dropped on the next access.

Entries are held weakly by loop: a loop that is garbage-collected takes its entries with it.
"""

from __future__ import annotations

import asyncio
import copy
import threading
import weakref
from collections.abc import AsyncGenerator

from agentos.db._loop_local import LoopLocal, LoopLocks
from sqlalchemy.ext.asyncio import AsyncEngine

# LoopLocal/LoopLocks moved to ``_loop_local`` (no SQLAlchemy there); re-exported for old imports.
__all__ = ["LoopEngines", "LoopLocal", "LoopLocks"]


def _copy_engine(template: AsyncEngine) -> AsyncEngine:
    """An engine like ``template`` with a pool of its own (nothing of the template is bound
    to a loop except its pool, which ``Pool.recreate`` rebuilds with the same settings and
    listeners). The dialect and the compiled-statement cache are shared: both are loop-agnostic
    and thread-safe."""
    sync = copy.copy(template.sync_engine)
    sync.pool = template.sync_engine.pool.recreate()
    return AsyncEngine(sync)


class _Entry:
    __slots__ = ("closer", "engine", "loop_ref")

    def __init__(self, engine: AsyncEngine, loop: asyncio.AbstractEventLoop) -> None:
        self.engine = engine
        self.loop_ref = weakref.ref(loop)
        self.closer: AsyncGenerator[None, None] | None = None


class LoopEngines:
    """An ``AsyncEngine`` per running event loop, derived from ``template``."""

    def __init__(self, template: AsyncEngine) -> None:
        self.template = template
        self._entries: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Entry] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def _entry(self, loop: asyncio.AbstractEventLoop) -> _Entry:
        """This loop's entry, created when missing (under the lock)."""
        with self._lock:
            entry = self._entries.get(loop)
            if entry is None:
                for other_loop, other in list(self._entries.items()):
                    if other_loop.is_closed():
                        del self._entries[other_loop]
                        # Its loop is gone: drop the pool without touching its connections.
                        other.engine.sync_engine.dispose(close=False)
                in_use = any(e.engine is self.template for e in self._entries.values())
                engine = _copy_engine(self.template) if in_use else self.template
                entry = self._entries[loop] = _Entry(engine, loop)
        return entry

    def current(self) -> AsyncEngine:
        """The running loop's engine (the template when no loop is running)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self.template
        return self._entry(loop).engine

    async def acquire(self) -> AsyncEngine:
        """The running loop's engine, arranging for it to be disposed when the loop shuts down."""
        loop = asyncio.get_running_loop()
        entry = self._entry(loop)
        if entry.closer is None:
            with self._lock:
                start = entry.closer is None
                if start:
                    entry.closer = self._dispose_on_shutdown(entry)
            if start and entry.closer is not None:
                # Starting the generator registers it with the loop's async-generator hooks.
                await anext(entry.closer)
        return entry.engine

    async def _dispose_on_shutdown(self, entry: _Entry) -> AsyncGenerator[None, None]:
        """Suspended for the loop's lifetime; ``shutdown_asyncgens`` resumes it to dispose."""
        try:
            yield
        finally:
            loop = asyncio.get_running_loop()
            with self._lock:
                # The generator references the loop (through the entry): drop it now so that a
                # finished loop can be collected.
                owned = self._entries.get(loop) is entry
                if owned:
                    del self._entries[loop]
            if owned:
                entry.closer = None
                await entry.engine.dispose()

    async def dispose(self) -> None:
        """Close this loop's connections; forget the pools of other loops without using them
        (their connections belong to those loops). The next call reconnects."""
        await self._release(keep_template=False)

    async def dispose_copies(self) -> None:
        """Like ``dispose`` but leave the template alone (it belongs to the caller)."""
        await self._release(keep_template=True)

    async def _release(self, *, keep_template: bool) -> None:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._lock:
            entries = list(self._entries.items())
            self._entries.clear()
        for owner, entry in entries:
            closer, entry.closer = entry.closer, None
            if owner is loop and closer is not None:
                await closer.aclose()  # stops the shutdown hook; the engine is disposed below
            if keep_template and entry.engine is self.template:
                continue
            if owner is loop:
                await entry.engine.dispose()
            else:
                entry.engine.sync_engine.dispose(close=False)
        if not keep_template and not any(e.engine is self.template for _, e in entries):
            await self.template.dispose()
