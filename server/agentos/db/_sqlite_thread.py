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

Group commit: the thread takes every job queued while it was busy (up to ``max_batch``) and,
when one of them writes, runs them in ONE transaction, each write in a savepoint of its own, and
settles their futures after the commit with one wake-up per caller loop. Under load (a server's
concurrent runs each saving a run and appending events) that is one WAL append, and one set of
write syscalls, for many runs instead of one per run; a job's own failure still rolls back only
its own changes, and a failed commit fails every job of the group (none of them was saved). An
idle database sees no difference: a lone job runs alone, as before.

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


_Outcome = tuple["asyncio.Future[Any]", BaseException | None, Any]


def _settle_all(outcomes: list[_Outcome]) -> None:
    for future, error, result in outcomes:
        _settle(future, error, result)


def _deliver_all(jobs: list[_Job], outcomes: list[tuple[BaseException | None, Any]]) -> None:
    """Settle a batch's futures with one wake-up per caller loop, not one per job."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
    for job, (error, result) in zip(jobs, outcomes, strict=True):
        by_loop.setdefault(job[3], []).append((job[4], error, result))
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_settle_all, settled)


class SqliteThread:
    """Runs ``fn(connection, *args)`` jobs one at a time on a dedicated thread's connection."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        name: str,
        *,
        writes: frozenset[Operation] = frozenset(),
        max_batch: int = 64,
    ) -> None:
        self._connect = connect
        self._name = name
        self._writes = writes
        self._max_batch = max_batch
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
                first = jobs.get()
                if first is None:
                    return
                batch: list[_Job | None] = [first]
                # Everything queued meanwhile is taken too (never waiting for more): under load
                # the jobs of many runs share one group commit (one WAL append instead of one per
                # run) and their callers are woken once per loop instead of once per job.
                while len(batch) < self._max_batch:
                    last = batch[-1]
                    if last is None or last[1] is _request_stop:
                        break
                    try:
                        batch.append(jobs.get_nowait())
                    except queue.Empty:
                        break
                tail = batch[-1]
                ending = tail is None or tail[1] is _request_stop
                if ending:
                    batch.pop()
                # Jobs whose caller gave up before they started are skipped.
                work = [job for job in batch if job is not None and not job[4].cancelled()]
                if work:
                    conn = self._run_batch(conn, work)
                if not ending:
                    continue
                if tail is None:
                    return
                stop = tail
                if stop[4].cancelled():
                    continue
                self._detach(jobs)
                _close(conn)
                conn = None
                _deliver(stop, None, None)
                return
        finally:
            _close(conn)

    def _run_batch(self, conn: sqlite3.Connection | None, batch: list[_Job]) -> sqlite3.Connection | None:
        """Run the jobs in order and deliver their outcomes; returns the connection to use next
        (None when it was dropped). A batch holding a write runs as one group commit."""
        if len(batch) > 1 and any(job[1] in self._writes for job in batch):
            return self._run_group(conn, batch)
        outcomes: list[tuple[BaseException | None, Any]] = []
        for operation, fn, args, _loop, _future in batch:
            try:
                if conn is None:
                    conn = self._open()
                outcomes.append((None, fn(conn, *args)))
            except BaseException as exc:  # delivered to the caller, never lost in the thread
                error = translate(operation, exc)
                outcomes.append((error, None))
                if isinstance(error, StorageUnavailableError):
                    _close(conn)
                    conn = None
        _deliver_all(batch, outcomes)
        return conn

    def _run_group(self, conn: sqlite3.Connection | None, batch: list[_Job]) -> sqlite3.Connection | None:
        """One transaction for the whole batch; each write in it has its own savepoint (see
        ``_sqlite_ops.write``), so a job's own failure rolls back only its own changes. If the
        database becomes unavailable or the commit fails, every job of the group fails: its
        changes were rolled back with the group."""
        try:
            if conn is None:
                conn = self._open()
            conn.execute("BEGIN IMMEDIATE")
        except BaseException as exc:
            return self._fail_group(conn, batch, [(None, None)] * len(batch), exc)
        outcomes: list[tuple[BaseException | None, Any]] = []
        for operation, fn, args, _loop, _future in batch:
            try:
                outcomes.append((None, fn(conn, *args)))
            except BaseException as exc:
                error = translate(operation, exc)
                if isinstance(error, StorageUnavailableError):
                    outcomes.extend([(None, None)] * (len(batch) - len(outcomes)))
                    return self._fail_group(conn, batch, outcomes, exc)
                outcomes.append((error, None))
        try:
            if conn.in_transaction:
                conn.execute("COMMIT")
        except BaseException as exc:
            return self._fail_group(conn, batch, outcomes, exc)
        _deliver_all(batch, outcomes)
        return conn

    def _fail_group(
        self,
        conn: sqlite3.Connection | None,
        batch: list[_Job],
        outcomes: list[tuple[BaseException | None, Any]],
        failure: BaseException,
    ) -> sqlite3.Connection | None:
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        _deliver_all(
            batch,
            [
                (error, None) if error is not None else (translate(job[0], failure), None)
                for job, (error, _result) in zip(batch, outcomes, strict=True)
            ],
        )
        if isinstance(translate("group commit", failure), StorageUnavailableError):
            _close(conn)
            return None
        return conn

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
