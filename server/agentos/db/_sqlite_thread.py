"""The SQLite connection thread: every storage operation of a ``SqliteDb`` runs as one function
on one ``sqlite3`` connection owned by one dedicated thread.

Why a thread of our own rather than SQLAlchemy's async engine over aiosqlite: there, every
statement, fetch, cursor close and commit is a separate hop to aiosqlite's thread, and the async
engine adds greenlet switches and pool checkouts on top; a turn's three storage calls cost
~1.75 ms that way. Here an operation (read a session and its last runs; upsert a session row
and a run row and commit) is one function called in the thread: one hop there and one back,
~40-60 µs of SQLite work in between.

The thread is loop-agnostic: callers on any event loop (a server's loop, the private loop per
thread of the sync Agent API, a test's loop) queue a job and await a future of their own loop,
which the thread settles with ``loop.call_soon_threadsafe``. One writer also means concurrent
runs of this process never wait on SQLite's write lock for each other; other processes (or other
``SqliteDb`` objects on the same file) are handled by WAL and the busy timeout.

Errors are translated here, in the thread, into storage errors that name the operation: the
sqlite3 module's exceptions never leave. An "unavailable" error (file or folder gone, disk
error, lock timeout) also drops the connection, so the next operation opens a fresh one.

The thread starts on first use and stops on ``close()`` (queued jobs finish first) or when its
database object is garbage-collected; it is a daemon so a program that never closes its
database still exits. The next call after ``close()`` starts a new thread and reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from agentos.db._errors import StorageError, StorageUnavailableError

T = TypeVar("T")

# sqlite3.OperationalError messages that mean "the database cannot be reached or is busy".
_UNAVAILABLE_MESSAGES = (
    "unable to open database",
    "database is locked",
    "disk i/o error",
    "readonly database",
    "database or disk is full",
    "cannot open",
)

Operation = Callable[..., Any]
Tracer = Callable[[str], None]
# (operation name, function, its arguments after the connection, caller's loop, caller's future)
_Job = tuple[str, Operation, tuple[Any, ...], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


def translate(operation: str, exc: BaseException) -> BaseException:
    """The storage error a sqlite3/OS exception stands for (other exceptions pass through)."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, sqlite3.OperationalError):
        reason = str(exc).strip() or type(exc).__name__
        if any(text in reason.lower() for text in _UNAVAILABLE_MESSAGES):
            return StorageUnavailableError(f"{operation}: database unavailable: {reason}")
        return StorageError(f"{operation} failed: {reason}")
    if isinstance(exc, sqlite3.Error):
        reason = str(exc).strip() or type(exc).__name__
        return StorageError(f"{operation} failed: {reason}")
    if isinstance(exc, OSError):
        return StorageUnavailableError(f"{operation}: database unavailable: {exc}")
    return exc


def _settle(future: asyncio.Future[Any], error: BaseException | None, result: Any) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _deliver(job: _Job, error: BaseException | None, result: Any) -> None:
    loop, future = job[3], job[4]
    # RuntimeError: the caller's loop was closed meanwhile, nobody is waiting any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_settle, future, error, result)


class SqliteThread:
    """Runs ``fn(connection, *args)`` jobs one at a time on a dedicated thread's connection."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], name: str) -> None:
        self._connect = connect
        self._name = name
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job | None] | None = None
        self._tracer: Tracer | None = None

    async def run(self, operation: str, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(connection, *args)`` on the thread; storage errors name ``operation``."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        job: _Job = (operation, fn, args, loop, future)
        with self._lock:
            jobs = self._jobs
            if jobs is None:
                jobs = self._jobs = queue.SimpleQueue()
                threading.Thread(target=self._main, args=(jobs,), name=self._name, daemon=True).start()
            jobs.put(job)
        return await future

    async def set_tracer(self, tracer: Tracer | None) -> None:
        """Call ``tracer(sql)`` for every statement sent to SQLite (bound values expanded), from
        now on and on every later connection; None stops tracing. For instrumentation and tests."""
        self._tracer = tracer
        await self.run("trace", lambda conn: conn.set_trace_callback(tracer))

    async def close(self) -> None:
        """Let queued jobs finish, close the connection and stop the thread."""
        await self.run("close", _request_stop)

    def stop_soon(self) -> None:
        """Stop without waiting (the database object was collected or the process exits)."""
        with self._lock:
            jobs, self._jobs = self._jobs, None
        if jobs is not None:
            jobs.put(None)

    def _open(self) -> sqlite3.Connection:
        conn = self._connect()
        if self._tracer is not None:
            conn.set_trace_callback(self._tracer)
        return conn

    def _main(self, jobs: queue.SimpleQueue[_Job | None]) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                job = jobs.get()
                if job is None:
                    return
                operation, fn, args, _loop, future = job
                if future.cancelled():  # the caller gave up before the job started: skip it
                    continue
                if fn is _request_stop:
                    self._detach(jobs)
                    _close(conn)
                    conn = None
                    _deliver(job, None, None)
                    return
                try:
                    if conn is None:
                        conn = self._open()
                    result = fn(conn, *args)
                except BaseException as exc:  # delivered to the caller, never lost in the thread
                    error = translate(operation, exc)
                    if isinstance(error, StorageUnavailableError):
                        _close(conn)
                        conn = None
                    _deliver(job, error, None)
                else:
                    _deliver(job, None, result)
        finally:
            _close(conn)

    def _detach(self, jobs: queue.SimpleQueue[_Job | None]) -> None:
        """Stop taking jobs: later calls start a new thread. Jobs already queued behind the stop
        request are handed over to that thread's queue, in order."""
        with self._lock:
            if self._jobs is jobs:
                self._jobs = None
            leftover: list[_Job] = []
            while True:
                try:
                    item = jobs.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    leftover.append(item)
            if leftover:
                successor = self._jobs
                if successor is None:
                    successor = self._jobs = queue.SimpleQueue()
                    threading.Thread(
                        target=self._main, args=(successor,), name=self._name, daemon=True
                    ).start()
                for item in leftover:
                    successor.put(item)


def _request_stop(conn: sqlite3.Connection) -> None:
    """Marker job for ``SqliteThread.close`` (handled by the thread itself, never called)."""
    raise AssertionError("the stop marker is never run")


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is None:
        return
    with contextlib.suppress(sqlite3.Error):
        conn.close()
