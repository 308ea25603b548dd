"""``SqliteDb``: the embedded default.

Data operations run on the SQLite fast path: each one is a single function executed on a
dedicated thread that owns one ``sqlite3`` connection (``_sqlite_thread``), with fixed SQL text
(``_sqlite_sql``) and the whole transaction inside the function (``_sqlite_ops``). A turn's
storage is then two hops to that thread (read the session with its last runs; save the run)
instead of a dozen statement-level hops through SQLAlchemy's async engine and aiosqlite.

Schema creation and migrations, which run once at start-up, stay on the shared SQLAlchemy path
(``SqlDb``): the tables are defined once (``_sql_schema``) for SQLite and PostgreSQL alike. The
SQLAlchemy engine is also kept as ``engine`` for instrumentation and for tools that want to look
at the file with SQLAlchemy.

Connections use WAL (readers never wait for the writer), ``synchronous=NORMAL`` (safe with WAL,
one fsync per checkpoint instead of per commit: the dominant cost of a turn otherwise) and a
busy timeout so writers of other processes (or other ``SqliteDb`` objects on the same file)
queue instead of failing with "database is locked". Writes take the write lock up front
(``BEGIN IMMEDIATE``); migrations too, so two processes provisioning the same file serialize
and the second finds the schema current. The fast path opens the file read-write without
creating it: a file or folder removed under a running process is reported as
``StorageUnavailableError`` instead of being silently replaced by an empty database.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import sqlite3
import time
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from agentos.db import _sqlite_ops as ops
from agentos.db._base import SortField
from agentos.db._codec import SESSION_JSON_COLUMNS, check_event_texts, memory_to_row, session_to_row
from agentos.db._errors import StorageError, StorageUnavailableError
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._sql import SqlDb
from agentos.db._sqlite_controls import WRITE_OPERATIONS as CONTROL_WRITES
from agentos.db._sqlite_controls import ControlSql, SqliteRunControls
from agentos.db._sqlite_sql import (
    CONTAINS,
    MEMORY_COLUMNS,
    RUN_COLUMNS,
    SESSION_COLUMNS,
    SESSION_WRITE_COLUMNS,
    SqliteSql,
    escape_like,
    where,
)
from agentos.db._sqlite_thread import SqliteThread
from agentos.db._tables import TableNames
from agentos.db._util import check_paging, now
from agentos.memory import UserMemory
from agentos.session import Session, SessionType
from sqlalchemy import ColumnElement, Select, Table, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

_UNAVAILABLE_MESSAGES = (
    "unable to open database",
    "database is locked",
    "disk i/o error",
    "readonly database",
    "database or disk is full",
    "cannot open",
)

Tracer = Callable[[str], None]


def _sqlite_url(db_file: str | Path | None, db_url: str | None) -> tuple[str, Path]:
    if ":memory:" in (db_url or "") or str(db_file) == ":memory:":
        # Every connection would open its own, empty, in-memory database.
        raise ValueError("SqliteDb needs a file; use InMemoryDb for a database without one")
    if db_url is not None:
        if db_url.startswith("sqlite:///"):
            db_url = "sqlite+aiosqlite:///" + db_url.removeprefix("sqlite:///")
        if not db_url.startswith("sqlite+aiosqlite:///"):
            raise ValueError(f"SqliteDb needs a sqlite+aiosqlite:/// URL, got {db_url!r}")
        raw_path = db_url.removeprefix("sqlite+aiosqlite:///").split("?", 1)[0]
        if not raw_path:
            raise ValueError(f"SqliteDb needs a file in its URL, got {db_url!r}")
        return db_url, Path(raw_path)
    assert db_file is not None
    path = Path(db_file).expanduser()
    return f"sqlite+aiosqlite:///{path}", path


def _engine_file(engine: AsyncEngine) -> Path:
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        raise ValueError(f"SqliteDb(db_engine=...) needs an engine on a SQLite file, got {engine.url!r}")
    return Path(database)


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _enable_wal(path: Path, busy_timeout_ms: int) -> None:
    """Switch the file to WAL once, before any pooled connection opens it (runs in a worker thread).

    WAL is a property of the file, so later connections find it on. The switch itself needs an
    exclusive lock, and SQLite may answer "database is locked" at once instead of waiting on the
    busy handler when other connections (other SqliteDb objects on the same new file) hold the
    file open; so this retries, with a short backoff, until the busy timeout.
    """
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
    try:
        deadline = time.monotonic() + busy_timeout_ms / 1000
        delay = 0.005
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
                if mode is not None and str(mode[0]).lower() == "wal":
                    return
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or time.monotonic() > deadline:
                    raise
            if time.monotonic() > deadline:
                raise sqlite3.OperationalError(f"could not switch {path} to WAL: database is locked")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
    finally:
        conn.close()


def _ensure_wal(cursor: Any) -> None:
    """Set WAL on a connection only when the file is not already in WAL mode (which needs no lock)."""
    cursor.execute("PRAGMA journal_mode")
    row = cursor.fetchone()
    if row is None or str(row[0]).lower() != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """The fast path's connection (opened on its thread, after the migrations made the file)."""
    uri = path.absolute().as_uri() + "?mode=rw"
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=busy_timeout_ms / 1000,
        isolation_level=None,  # transactions are explicit (see _sqlite_ops.write/snapshot)
        check_same_thread=False,  # opened and used on the thread; closed there or at exit
        cached_statements=256,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        _ensure_wal(conn.cursor())
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _check_sort(order_by: str) -> None:
    if order_by not in ("created_at", "updated_at"):
        raise ValueError(f"cannot order by {order_by!r}; use 'created_at' or 'updated_at'")


class SqliteDb(SqliteRunControls, SqlDb):
    """Storage in one SQLite file: ``SqliteDb(db_file="agentos.db")``.

    Give ``db_file`` (the folder is created if needed), a ``db_url``
    (``sqlite+aiosqlite:///path`` or ``sqlite:///path``) or an existing async ``db_engine`` on a
    SQLite file (used for migrations and left to its owner). For a database that lives only as
    long as the process, use ``InMemoryDb``.
    """

    def __init__(
        self,
        db_file: str | Path | None = None,
        db_url: str | None = None,
        *,
        db_engine: AsyncEngine | None = None,
        session_table: str | None = None,
        run_table: str | None = None,
        run_event_table: str | None = None,
        memory_table: str | None = None,
        knowledge_table: str | None = None,
        metrics_table: str | None = None,
        eval_table: str | None = None,
        trace_table: str | None = None,
        span_table: str | None = None,
        versions_table: str | None = None,
        busy_timeout_ms: int = 5000,
        id: str | None = None,
    ) -> None:
        names = TableNames.with_defaults(
            session_table=session_table,
            run_table=run_table,
            run_event_table=run_event_table,
            memory_table=memory_table,
            knowledge_table=knowledge_table,
            metrics_table=metrics_table,
            eval_table=eval_table,
            trace_table=trace_table,
            span_table=span_table,
            versions_table=versions_table,
        )
        path: Path
        if db_engine is not None:
            engine, owns = db_engine, False
            path = _engine_file(db_engine)
            url = str(db_engine.url)
        else:
            if db_file is None and db_url is None:
                raise ValueError("SqliteDb needs db_file, db_url or db_engine")
            url, path = _sqlite_url(db_file, db_url)
            # Only schema creation and migrations use this engine (every data operation runs on
            # the connection thread), so it keeps no connection open between them: a pooled
            # aiosqlite connection (and its thread) would otherwise outlive the event loop that
            # opened it, for every loop that ever touched the database.
            engine, owns = create_async_engine(url, poolclass=NullPool), True
        self.db_file: Path | None = path
        self._busy_timeout_ms = busy_timeout_ms
        event.listen(engine.sync_engine, "connect", self._on_connect)
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        super().__init__(
            engine=engine, db_schema=None, table_names=names, id=id or f"sqlite-{digest}", owns_engine=owns
        )
        self._file_ready = False
        self._sql = SqliteSql(names)
        # The thread must not hold the database object (through a bound method): a database
        # dropped without close() is then collected, and its finalizer stops the thread.
        connect = functools.partial(_connect, path, busy_timeout_ms)
        self._control_sql = ControlSql(names)
        self._thread = SqliteThread(
            connect, name=f"agentos-sqlite-{digest}", writes=ops.WRITE_OPERATIONS | CONTROL_WRITES
        )
        # A database object dropped without close() still stops its thread.
        weakref.finalize(self, self._thread.stop_soon)

    # -- connections --------------------------------------------------------------------------

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        """Settings of the SQLAlchemy (migration) connections, the same as the fast path's."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            # Normally a no-op: _prepare switched the file to WAL before the first connection.
            _ensure_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    async def close(self) -> None:
        """Close the fast path's connection (its thread stops) and the migration engines.

        The object stays usable: the next call reconnects. A user-supplied engine
        (``db_engine=``) is the user's to dispose.
        """
        await self._thread.close()
        await super().close()

    async def trace_statements(self, tracer: Tracer | None) -> None:
        """Call ``tracer(sql)`` (on the connection thread) for every statement the fast path
        sends to SQLite, bound values expanded, BEGIN and COMMIT included; None stops.

        For instrumentation and tests (e.g. checking that a turn's write cost does not grow).
        """
        await self._ready()
        await self._thread.set_tracer(tracer)

    async def _ready(self) -> None:
        if not self._schema_ready:
            await self.ensure_schema()

    # -- SQLAlchemy dialect hooks (schema and migrations only) --------------------------------

    async def _prepare(self) -> None:
        if self._file_ready or self.db_file is None:
            return
        folder = self.db_file.parent
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        try:
            await asyncio.to_thread(_enable_wal, self.db_file, self._busy_timeout_ms)
        except sqlite3.Error as exc:
            raise StorageUnavailableError(f"cannot open {self.db_file}: {exc}") from exc
        self._file_ready = True

    def _insert(self, table: Table) -> Any:
        return sqlite_insert(table)

    async def _lock_migrations(self, conn: AsyncConnection) -> None:
        await conn.exec_driver_sql("BEGIN IMMEDIATE")

    def _topics_any(self, topics: Sequence[str]) -> ColumnElement[bool]:
        raise NotImplementedError("SqliteDb filters memory topics on its sqlite3 fast path (_sqlite_ops)")

    def _distinct_topics(self) -> Select[Any]:
        raise NotImplementedError("SqliteDb lists memory topics on its sqlite3 fast path (_sqlite_ops)")

    def _is_unavailable(self, exc: sa_exc.DBAPIError) -> bool:
        if not isinstance(exc, sa_exc.OperationalError):
            return False
        message = str(exc.orig).lower()
        return any(text in message for text in _UNAVAILABLE_MESSAGES)

    # -- encoding (on the caller's thread: the caller's objects are read only here) -----------

    def _session_values(self, session: Session, stamp: int) -> list[Any]:
        row = session_to_row(session)
        table = self.table_names.session_table
        for column in SESSION_JSON_COLUMNS:
            row[column] = ops.encode_column(table, session.session_id, column, row[column])
        row["created_at"] = row["created_at"] or stamp
        row["updated_at"] = stamp
        return [row[column] for column in SESSION_WRITE_COLUMNS]

    def _memory_values(self, memory: UserMemory, stamp: int) -> tuple[Any, ...]:
        row = memory_to_row(memory)
        memory_id = row["memory_id"] = row["memory_id"] or str(uuid.uuid4())
        row["topics"] = ops.encode_column(self.table_names.memory_table, memory_id, "topics", row["topics"])
        row["created_at"] = row["created_at"] or stamp
        row["updated_at"] = row["updated_at"] or stamp
        return tuple(row[column] for column in MEMORY_COLUMNS)

    @staticmethod
    def _session_conditions(
        *,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
    ) -> tuple[list[str], list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        if session_type is not None:
            conditions.append("session_type = ?")
            params.append(SessionType(session_type).value)
        for column, value in (("user_id", user_id), ("agent_id", agent_id), ("team_id", team_id)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if workflow_id is not None:
            conditions.append("workflow_id = ?")
            params.append(workflow_id)
        if session_name:
            conditions.append(CONTAINS.format(column="session_name"))
            params.append(escape_like(session_name))
        return conditions, params

    @staticmethod
    def _run_conditions(
        *,
        session_id: str | None,
        user_id: str | None,
        agent_id: str | None,
        team_id: str | None,
        workflow_id: str | None,
        statuses: Sequence[str] | None,
        root_only: bool,
    ) -> tuple[list[str], list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("session_id", session_id),
            ("user_id", user_id),
            ("agent_id", agent_id),
            ("team_id", team_id),
            ("workflow_id", workflow_id),
        ):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if statuses is not None:
            values = [str(status) for status in statuses]
            conditions.append(f"status IN ({', '.join('?' * len(values))})")
            params.extend(values)
        if root_only:
            conditions.append("parent_run_id IS NULL")
        return conditions, params

    def _runs_query(
        self,
        session_id: str,
        *,
        limit: int | None,
        statuses: Sequence[str] | None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        root_only: bool = False,
    ) -> tuple[str, tuple[Any, ...]]:
        """A session's runs newest first (so LIMIT keeps the newest), on the session/order index."""
        conditions, params = self._run_conditions(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            statuses=statuses,
            root_only=root_only,
        )
        query = f"{self._sql.select_runs}{where(conditions)} ORDER BY run_order DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        return query, tuple(params)

    # -- sessions -----------------------------------------------------------------------------

    async def upsert_session(self, session: Session) -> Session:
        return (await self._upsert_sessions([session], "upsert_session"))[0]

    async def upsert_sessions(self, sessions: Sequence[Session]) -> list[Session]:
        if not sessions:
            return []
        return await self._upsert_sessions(sessions, "upsert_sessions")

    async def _upsert_sessions(self, sessions: Sequence[Session], operation: str) -> list[Session]:
        stamp = now()
        rows = [tuple(self._session_values(session, stamp)) for session in sessions]
        await self._ready()
        return await self._thread.run(operation, ops.upsert_sessions, self._sql, rows)

    async def get_session(
        self, session_id: str, session_type: SessionType | None = None, user_id: str | None = None
    ) -> Session | None:
        conditions, params = self._session_conditions(session_type=session_type, user_id=user_id)
        await self._ready()
        return await self._thread.run(
            "get_session", ops.get_session, self._sql, conditions, (session_id, *params)
        )

    async def get_session_with_runs(
        self,
        session_id: str,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        *,
        last_n_runs: int | None = None,
        statuses: Sequence[str] | None = None,
        root_only: bool = False,
    ) -> tuple[Session | None, list[RunRecord]]:
        check_paging(last_n_runs, 0)
        conditions, params = self._session_conditions(session_type=session_type, user_id=user_id)
        runs_query: str | None = None
        runs_params: tuple[Any, ...] = ()
        if last_n_runs != 0:
            runs_query, runs_params = self._runs_query(
                session_id, limit=last_n_runs, statuses=statuses, user_id=user_id, root_only=root_only
            )
        await self._ready()
        return await self._thread.run(
            "get_session_with_runs",
            ops.get_session_with_runs,
            self._sql,
            conditions,
            (session_id, *params),
            runs_query,
            runs_params,
        )

    async def get_sessions(
        self,
        *,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
        order_by: SortField = "updated_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        page_token: str | None = None,
    ) -> Page[Session]:
        _check_sort(order_by)
        check_paging(limit, offset)
        conditions, params = self._session_conditions(
            session_type=session_type,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            session_name=session_name,
        )
        sql = self._sql
        await self._ready()
        return await self._thread.run(
            "get_sessions",
            lambda conn: ops.page(
                conn,
                table=sql.sessions,
                select=sql.select_sessions,
                columns=SESSION_COLUMNS,
                conditions=conditions,
                params=params,
                order_by=order_by,
                id_column="session_id",
                descending=descending,
                limit=limit,
                offset=offset,
                page_token=page_token,
                convert=lambda row: ops.session_from_row(sql, row),
            ),
        )

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        session_type: SessionType | None = None,
        user_id: str | None = None,
    ) -> Session | None:
        conditions, params = self._session_conditions(session_type=session_type, user_id=user_id)
        sql = self._sql
        statement = (
            f"UPDATE {sql.sessions} SET session_name = ?, updated_at = ?"
            f"{where(['session_id = ?', *conditions])} RETURNING {', '.join(SESSION_COLUMNS)}"
        )
        values = (session_name, now(), session_id, *params)
        await self._ready()
        return await self._thread.run("rename_session", ops.rename_session, sql, statement, values)

    async def delete_session(self, session_id: str, user_id: str | None = None) -> bool:
        await self._ready()
        deleted = await self._thread.run(
            "delete_session", ops.delete_sessions, self._sql, [session_id], user_id
        )
        return deleted > 0

    async def delete_sessions(self, session_ids: Sequence[str], user_id: str | None = None) -> int:
        if not session_ids:
            return 0
        await self._ready()
        return await self._thread.run(
            "delete_sessions", ops.delete_sessions, self._sql, list(session_ids), user_id
        )

    # -- runs ---------------------------------------------------------------------------------

    async def save_run(self, session: Session, run: RunRecord | Mapping[str, Any]) -> None:
        record = run if isinstance(run, RunRecord) else RunRecord.from_run_dict(run)
        if record.session_id != session.session_id:
            raise ValueError(
                f"run {record.run_id} is for session {record.session_id}, not {session.session_id}"
            )
        stamp = now()
        session_values = self._session_values(session, stamp)
        session_values.append(1)  # run_count of a session this run creates
        run_data = ops.encode_column(self.table_names.run_table, record.run_id, "run_data", record.run_data)
        run_values: list[Any] = [
            record.run_id,
            record.session_id,
            None,  # run_order: the session's run counter, filled in by the transaction
            record.parent_run_id,
            record.user_id,
            record.agent_id,
            record.team_id,
            record.workflow_id,
            record.status,
            run_data,
            record.created_at or stamp,
            stamp,
        ]
        assert len(run_values) == len(RUN_COLUMNS)
        await self._ready()
        await self._thread.run("save_run", ops.save_run, self._sql, tuple(session_values), run_values)

    async def get_run(self, run_id: str, user_id: str | None = None) -> RunRecord | None:
        await self._ready()
        return await self._thread.run("get_run", ops.get_run, self._sql, run_id, user_id)

    async def get_runs(
        self,
        session_id: str,
        *,
        limit: int | None = None,
        statuses: Sequence[str] | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        root_only: bool = False,
    ) -> list[RunRecord]:
        check_paging(limit, 0)
        query, params = self._runs_query(
            session_id,
            limit=limit,
            statuses=statuses,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            root_only=root_only,
        )
        await self._ready()
        return await self._thread.run("get_runs", ops.get_runs, self._sql, query, params)

    async def list_runs(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        statuses: Sequence[str] | None = None,
        root_only: bool = False,
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        page_token: str | None = None,
    ) -> Page[RunRecord]:
        check_paging(limit, offset)
        conditions, params = self._run_conditions(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            statuses=statuses,
            root_only=root_only,
        )
        sql = self._sql
        await self._ready()
        return await self._thread.run(
            "list_runs",
            lambda conn: ops.page(
                conn,
                table=sql.runs,
                select=sql.select_runs,
                columns=RUN_COLUMNS,
                conditions=conditions,
                params=params,
                # Within a session its run order; across sessions creation time.
                order_by="run_order" if session_id is not None else "created_at",
                id_column="run_id",
                descending=descending,
                limit=limit,
                offset=offset,
                page_token=page_token,
                convert=lambda row: ops.run_from_row(sql, row),
            ),
        )

    # -- run events ---------------------------------------------------------------------------

    async def append_run_events(self, run_id: str, events: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        table = self.table_names.run_event_table
        await self._append_event_texts(
            run_id,
            [
                (int(sequence), _encode_event(table, run_id, int(sequence), event))
                for sequence, event in events
            ],
        )

    async def append_run_events_json(self, run_id: str, events: Sequence[tuple[int, str]]) -> None:
        # The texts are stored as given: SQLite checks that each is JSON as it takes the batch
        # apart (a malformed one fails the whole batch), and an object starts with a brace.
        check_event_texts(run_id, events)
        await self._append_event_texts(run_id, events)

    async def _append_event_texts(self, run_id: str, events: Sequence[tuple[int, str]]) -> None:
        if not events:
            return
        stamp = now()
        # Encoded here, on the caller's loop, not in the connection thread: there the work would
        # hold the GIL while the loop streaming these events wants it back (measured: a single
        # stream's events/s dropped by a sixth). The batch is one JSON array of [sequence, event]
        # that the insert statement takes apart (see _sqlite_ops.append_run_events).
        batch = f"[{','.join([f'[{int(sequence)},{text}]' for sequence, text in events])}]"
        await self._ready()
        try:
            await self._thread.run(
                "append_run_events", ops.append_run_events, self._sql, run_id, batch, stamp
            )
        except sqlite3.OperationalError as exc:
            if "malformed JSON" not in str(exc):
                raise
            raise StorageError(f"cannot store the events of run {run_id!r}: an event is not JSON") from exc

    async def get_run_events(
        self, run_id: str, after_sequence: int = 0, limit: int | None = None
    ) -> list[RunEventRecord]:
        check_paging(limit, 0)
        query = self._sql.events_after
        params: tuple[Any, ...] = (run_id, after_sequence)
        if limit is not None:
            query += " LIMIT ?"
            params = (*params, limit)
        await self._ready()
        return await self._thread.run("get_run_events", ops.get_run_events, self._sql, query, params)

    # -- memories -----------------------------------------------------------------------------

    async def upsert_user_memory(self, memory: UserMemory) -> UserMemory:
        return (await self._upsert_memories([memory], "upsert_user_memory"))[0]

    async def upsert_memories(self, memories: Sequence[UserMemory]) -> list[UserMemory]:
        if not memories:
            return []
        return await self._upsert_memories(memories, "upsert_memories")

    async def _upsert_memories(self, memories: Sequence[UserMemory], operation: str) -> list[UserMemory]:
        stamp = now()
        rows = [self._memory_values(memory, stamp) for memory in memories]
        await self._ready()
        return await self._thread.run(operation, ops.upsert_memories, self._sql, rows)

    async def get_user_memory(self, memory_id: str, user_id: str | None = None) -> UserMemory | None:
        await self._ready()
        return await self._thread.run("get_user_memory", ops.get_memory, self._sql, memory_id, user_id)

    async def get_user_memories(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        topics: Sequence[str] | None = None,
        search_content: str | None = None,
        order_by: SortField = "updated_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        page_token: str | None = None,
    ) -> Page[UserMemory]:
        _check_sort(order_by)
        check_paging(limit, offset)
        sql = self._sql
        conditions: list[str] = []
        params: list[Any] = []
        for column, value in (("user_id", user_id), ("agent_id", agent_id), ("team_id", team_id)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if topics:
            conditions.append(sql.topics_any(len(topics)))
            params.extend(topics)
        if search_content:
            conditions.append(CONTAINS.format(column="memory"))
            params.append(escape_like(search_content))
        await self._ready()
        return await self._thread.run(
            "get_user_memories",
            lambda conn: ops.page(
                conn,
                table=sql.memories,
                select=sql.select_memories,
                columns=MEMORY_COLUMNS,
                conditions=conditions,
                params=params,
                order_by=order_by,
                id_column="memory_id",
                descending=descending,
                limit=limit,
                offset=offset,
                page_token=page_token,
                convert=lambda row: ops.memory_from_row(sql, row),
            ),
        )

    async def delete_user_memory(self, memory_id: str, user_id: str | None = None) -> bool:
        return await self.delete_user_memories([memory_id], user_id) > 0

    async def delete_user_memories(self, memory_ids: Sequence[str], user_id: str | None = None) -> int:
        if not memory_ids:
            return 0
        statement = (
            f"DELETE FROM {self._sql.memories} WHERE memory_id IN ({', '.join('?' * len(memory_ids))})"
        )
        params: list[Any] = list(memory_ids)
        if user_id is not None:
            statement += " AND user_id = ?"
            params.append(user_id)
        await self._ready()
        return await self._thread.run("delete_user_memories", ops.execute_write, statement, params)

    async def get_all_memory_topics(self, user_id: str | None = None) -> list[str]:
        await self._ready()
        return await self._thread.run("get_all_memory_topics", ops.memory_topics, self._sql, user_id)

    async def get_user_memory_stats(self, limit: int | None = None, offset: int = 0) -> Page[UserMemoryStats]:
        check_paging(limit, offset)
        await self._ready()
        return await self._thread.run("get_user_memory_stats", ops.memory_stats, self._sql, limit, offset)

    async def clear_memories(self) -> None:
        await self._ready()
        await self._thread.run("clear_memories", ops.execute_write, f"DELETE FROM {self._sql.memories}", ())


def _encode_event(table: str, run_id: str, sequence: int, record: Mapping[str, Any]) -> str:
    """One event record as JSON text; a record JSON cannot hold fails naming its row."""
    text = ops.encode_column(table, f"{run_id}#{sequence}", "event", dict(record))
    assert text is not None  # NULL only for None, and a dict is not None
    return text
