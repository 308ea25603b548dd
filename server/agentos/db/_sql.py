"""``SqlDb``: the storage interface over SQLAlchemy 2 Core with an async engine.

SQLite and PostgreSQL differ only in a few hooks (upsert dialect, migration lock, JSON topic
queries, which driver errors mean "unavailable"); everything else is written once here.

Every write method is one transaction. ``save_run`` is two statements whatever the session's
length: an upsert of the session row that also bumps its run counter (returning the run's
place in the session) and an upsert of the run row.
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from agentos.db._base import BaseDb, SortField
from agentos.db._codec import (
    MEMORY_JSON_COLUMNS,
    RUN_JSON_COLUMNS,
    SESSION_JSON_COLUMNS,
    check_json,
    memory_to_row,
    row_to_event,
    row_to_memory,
    row_to_run,
    row_to_session,
    run_to_row,
    session_to_row,
)
from agentos.db._errors import OwnershipError, StorageError, StorageUnavailableError
from agentos.db._loops import LoopEngines
from agentos.db._paging import PageCursor, decode_page_token, encode_page_token
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._sql_controls import SqlRunControls
from agentos.db._sql_migrations import SQL_MIGRATIONS
from agentos.db._sql_schema import build_tables, build_versions_table
from agentos.db._tables import TableNames
from agentos.db._util import check_paging, now
from agentos.db._versions import (
    BEFORE_FIRST,
    TABLE_TYPES,
    MigrationRequest,
    MigrationStep,
    SchemaVersion,
    plan_migrations,
)
from agentos.memory import UserMemory
from agentos.session import Session, SessionType
from sqlalchemy import (
    ColumnElement,
    Delete,
    MetaData,
    Select,
    Table,
    and_,
    delete,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")

# Columns a session upsert must not overwrite: identity, first-write time, run counter.
_SESSION_KEEP = ("session_id", "created_at", "run_count")
# Columns a run upsert must not overwrite: a run keeps its session, place and creation time.
_RUN_KEEP = ("run_id", "session_id", "run_order", "created_at")


class SqlDb(SqlRunControls, BaseDb):
    """Shared SQL implementation; use ``SqliteDb`` or ``PostgresDb``."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        db_schema: str | None,
        table_names: TableNames,
        id: str,
        owns_engine: bool,
    ) -> None:
        super().__init__(id=id, table_names=table_names)
        # An engine per event loop, derived from the given one (see ``_loops``).
        self._engines = LoopEngines(engine)
        self._owns_engine = owns_engine
        self.db_schema = db_schema
        metadata = MetaData(schema=db_schema)
        self._tables = build_tables(metadata, table_names)
        self._versions = build_versions_table(metadata, table_names)
        self._sessions = self._tables["session"]
        self._runs = self._tables["run"]
        self._events = self._tables["run_event"]
        self._memories = self._tables["memory"]
        self._save_run_stmts: tuple[Any, Any] | None = None

    @property
    def engine(self) -> AsyncEngine:
        """The SQLAlchemy async engine of the running event loop (for instrumentation and tests).

        Without a running loop this is the engine the database was created with.
        """
        return self._engines.current()

    async def close(self) -> None:
        """Close the running loop's connections and forget those of other loops.

        A user-supplied engine (``db_engine=``) is the user's to dispose: only the copies made
        for other loops are released.
        """
        if self._owns_engine:
            await self._engines.dispose()
        else:
            await self._engines.dispose_copies()

    # -- dialect hooks ------------------------------------------------------------------------

    @abstractmethod
    def _insert(self, table: Table) -> Any:
        """The dialect's INSERT construct with ``on_conflict_do_update``/``_do_nothing``."""

    @abstractmethod
    async def _lock_migrations(self, conn: AsyncConnection) -> None:
        """First statement of the migration transaction: serialize migrators across processes."""

    @abstractmethod
    def _topics_any(self, topics: Sequence[str]) -> ColumnElement[bool]:
        """Memories whose topics include any of ``topics``."""

    @abstractmethod
    def _distinct_topics(self) -> Select[Any]:
        """Distinct topics of the memories table, as one column named ``topic``."""

    @abstractmethod
    def _is_unavailable(self, exc: sa_exc.DBAPIError) -> bool:
        """Whether a driver error means the database cannot be reached or is busy."""

    async def _prepare(self) -> None:
        """Work needed before the first connection (e.g. creating the SQLite file's folder)."""

    # -- plumbing -----------------------------------------------------------------------------

    @asynccontextmanager
    async def _translated(self, operation: str) -> AsyncIterator[None]:
        """Turn driver and SQLAlchemy exceptions into storage errors that say what failed."""
        try:
            yield
        except StorageError:
            raise
        except sa_exc.DBAPIError as exc:
            reason = str(exc.orig).strip() or type(exc.orig).__name__
            if exc.connection_invalidated or self._is_unavailable(exc):
                raise StorageUnavailableError(f"{operation}: database unavailable: {reason}") from exc
            raise StorageError(f"{operation} failed: {reason}") from exc
        except sa_exc.TimeoutError as exc:
            raise StorageUnavailableError(f"{operation}: no database connection available: {exc}") from exc
        except sa_exc.StatementError as exc:
            raise StorageError(f"{operation} failed: {exc.orig}") from exc
        except sa_exc.SQLAlchemyError as exc:
            raise StorageError(f"{operation} failed: {exc}") from exc
        except OSError as exc:
            raise StorageUnavailableError(f"{operation}: database unavailable: {exc}") from exc

    @asynccontextmanager
    async def _write(self, operation: str) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        async with self._translated(operation):
            await self.ensure_schema()
            engine = await self._engines.acquire()
            async with engine.begin() as conn:
                yield conn

    @asynccontextmanager
    async def _read(self, operation: str) -> AsyncIterator[AsyncConnection]:
        async with self._translated(operation):
            await self.ensure_schema()
            engine = await self._engines.acquire()
            async with engine.connect() as conn:
                yield conn

    # -- migrations ---------------------------------------------------------------------------

    async def _migrate(self, request: MigrationRequest) -> list[MigrationStep]:
        async with self._translated("migrate"):
            await self._prepare()
            engine = await self._engines.acquire()
            async with engine.begin() as conn:
                await self._lock_migrations(conn)
                await conn.run_sync(lambda sync: self._versions.create(sync, checkfirst=True))
                current = await self._load_versions(conn)
                steps = plan_migrations(request, current)
                for step in steps:
                    up, down = SQL_MIGRATIONS[step.version][step.table_type]
                    action = up if step.direction == "up" else down
                    await conn.run_sync(action, self._tables)
                    await self._record_version(conn, step)
                return steps

    async def _load_versions(self, conn: AsyncConnection) -> dict[str, SchemaVersion | None]:
        by_name = {name: table_type for table_type, name in self.table_names.by_type().items()}
        rows = await conn.execute(
            select(self._versions.c.table_name, self._versions.c.version).where(
                self._versions.c.table_name.in_(list(by_name))
            )
        )
        current: dict[str, SchemaVersion | None] = dict.fromkeys(TABLE_TYPES)
        for name, version in rows:
            current[by_name[name]] = SchemaVersion.parse(version)
        return current

    async def _record_version(self, conn: AsyncConnection, step: MigrationStep) -> None:
        table_name = self.table_names.by_type()[step.table_type]
        versions = self._versions
        if step.result_version == BEFORE_FIRST:
            await conn.execute(delete(versions).where(versions.c.table_name == table_name))
            return
        stamp = now()
        ins = self._insert(versions).values(
            table_name=table_name, version=str(step.result_version), created_at=stamp, updated_at=stamp
        )
        await conn.execute(
            ins.on_conflict_do_update(
                index_elements=[versions.c.table_name],
                set_={"version": ins.excluded.version, "updated_at": ins.excluded.updated_at},
            )
        )

    async def _read_schema_versions(self) -> dict[str, SchemaVersion | None]:
        async with self._translated("schema_versions"):
            await self._prepare()
            engine = await self._engines.acquire()
            async with engine.connect() as conn:
                exists = await conn.run_sync(
                    lambda sync: inspect(sync).has_table(self._versions.name, schema=self.db_schema)
                )
                if not exists:
                    return dict.fromkeys(TABLE_TYPES)
                return await self._load_versions(conn)

    # -- shared query helpers -----------------------------------------------------------------

    async def _page(
        self,
        conn: AsyncConnection,
        table: Table,
        filters: Sequence[ColumnElement[bool]],
        *,
        order_by: str,
        id_column: str,
        descending: bool,
        limit: int | None,
        offset: int,
        page_token: str | None,
        convert: Callable[[dict[str, Any]], T],
    ) -> Page[T]:
        check_paging(limit, offset)
        key_col = table.c[order_by]
        id_col = table.c[id_column]
        query = select(table).where(*filters)
        if page_token:
            cursor = decode_page_token(page_token, order_by=order_by, descending=descending)
            if descending:
                query = query.where(
                    or_(key_col < cursor.key, and_(key_col == cursor.key, id_col < cursor.row_id))
                )
            else:
                query = query.where(
                    or_(key_col > cursor.key, and_(key_col == cursor.key, id_col > cursor.row_id))
                )
        elif offset:
            query = query.offset(offset)
        if descending:
            query = query.order_by(key_col.desc(), id_col.desc())
        else:
            query = query.order_by(key_col.asc(), id_col.asc())
        if limit is not None:
            query = query.limit(limit + 1)
        total = (await conn.execute(select(func.count()).select_from(table).where(*filters))).scalar_one()
        rows = [dict(row) for row in (await conn.execute(query)).mappings()]
        more = limit is not None and len(rows) > limit
        if more:
            rows = rows[:limit]
        items = [convert(row) for row in rows]
        token = None
        if more and rows:
            last = rows[-1]
            token = encode_page_token(PageCursor(order_by, descending, last[order_by], str(last[id_column])))
        return Page(items=items, total=int(total), next_page_token=token)

    def _upsert(self, table: Table, key: str, keep: Sequence[str], owner_check: bool) -> Any:
        ins = self._insert(table)
        set_ = {c.name: ins.excluded[c.name] for c in table.c if c.name not in keep}
        where = None
        if owner_check:
            # A row stored without a user may be claimed; a row of another user may not.
            where = or_(table.c.user_id.is_(None), table.c.user_id == ins.excluded.user_id)
        return ins.on_conflict_do_update(index_elements=[table.c[key]], set_=set_, where=where)

    # -- sessions -----------------------------------------------------------------------------

    def _session_row(self, session: Session, stamp: int) -> dict[str, Any]:
        row = session_to_row(session)
        check_json(self._sessions.name, session.session_id, row, SESSION_JSON_COLUMNS)
        row["created_at"] = row["created_at"] or stamp
        row["updated_at"] = stamp
        return row

    async def upsert_session(self, session: Session) -> Session:
        row = self._session_row(session, now())
        stmt = self._upsert(self._sessions, "session_id", _SESSION_KEEP, owner_check=True).returning(
            *self._sessions.c
        )
        async with self._write("upsert_session") as conn:
            stored = (await conn.execute(stmt, row)).mappings().first()
            if stored is None:
                raise OwnershipError(self._sessions.name, session.session_id, "it belongs to another user")
        return row_to_session(self._sessions.name, dict(stored))

    async def upsert_sessions(self, sessions: Sequence[Session]) -> list[Session]:
        if not sessions:
            return []
        stamp = now()
        rows = [self._session_row(session, stamp) for session in sessions]
        stmt = self._upsert(self._sessions, "session_id", _SESSION_KEEP, owner_check=True).returning(
            *self._sessions.c
        )
        async with self._write("upsert_sessions") as conn:
            stored: dict[str, dict[str, Any]] = {}
            for row in rows:
                got = (await conn.execute(stmt, row)).mappings().first()
                if got is None:
                    raise OwnershipError(self._sessions.name, row["session_id"], "it belongs to another user")
                stored[row["session_id"]] = dict(got)
        return [row_to_session(self._sessions.name, stored[row["session_id"]]) for row in rows]

    def _session_filters(
        self,
        *,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
    ) -> list[ColumnElement[bool]]:
        t = self._sessions
        filters: list[ColumnElement[bool]] = []
        if session_type is not None:
            filters.append(t.c.session_type == SessionType(session_type).value)
        if user_id is not None:
            filters.append(t.c.user_id == user_id)
        if agent_id is not None:
            filters.append(t.c.agent_id == agent_id)
        if team_id is not None:
            filters.append(t.c.team_id == team_id)
        if workflow_id is not None:
            filters.append(t.c.workflow_id == workflow_id)
        if session_name:
            filters.append(t.c.session_name.icontains(session_name, autoescape=True))
        return filters

    async def get_session(
        self, session_id: str, session_type: SessionType | None = None, user_id: str | None = None
    ) -> Session | None:
        filters = [
            self._sessions.c.session_id == session_id,
            *self._session_filters(session_type=session_type, user_id=user_id),
        ]
        async with self._read("get_session") as conn:
            row = (await conn.execute(select(self._sessions).where(*filters))).mappings().first()
        return row_to_session(self._sessions.name, dict(row)) if row is not None else None

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
        """Both reads on one connection in one transaction (one pool checkout, one snapshot)."""
        check_paging(last_n_runs, 0)
        filters = [
            self._sessions.c.session_id == session_id,
            *self._session_filters(session_type=session_type, user_id=user_id),
        ]
        t = self._runs
        run_filters = self._run_filters(
            session_id=session_id,
            user_id=user_id,
            agent_id=None,
            team_id=None,
            workflow_id=None,
            statuses=statuses,
            root_only=root_only,
        )
        runs_query = select(t).where(*run_filters).order_by(t.c.run_order.desc())
        if last_n_runs is not None:
            runs_query = runs_query.limit(last_n_runs)
        async with self._read("get_session_with_runs") as conn, conn.begin():
            row = (await conn.execute(select(self._sessions).where(*filters))).mappings().first()
            if row is None:
                return None, []
            session_row = dict(row)
            run_rows = []
            if last_n_runs != 0:
                run_rows = [dict(r) for r in (await conn.execute(runs_query)).mappings()]
        run_rows.reverse()
        session = row_to_session(self._sessions.name, session_row)
        return session, [row_to_run(t.name, r) for r in run_rows]

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
        filters = self._session_filters(
            session_type=session_type,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            session_name=session_name,
        )
        name = self._sessions.name
        async with self._read("get_sessions") as conn:
            return await self._page(
                conn,
                self._sessions,
                filters,
                order_by=order_by,
                id_column="session_id",
                descending=descending,
                limit=limit,
                offset=offset,
                page_token=page_token,
                convert=lambda row: row_to_session(name, row),
            )

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        session_type: SessionType | None = None,
        user_id: str | None = None,
    ) -> Session | None:
        t = self._sessions
        stmt = (
            update(t)
            .where(
                t.c.session_id == session_id,
                *self._session_filters(session_type=session_type, user_id=user_id),
            )
            .values(session_name=session_name, updated_at=now())
            .returning(*t.c)
        )
        async with self._write("rename_session") as conn:
            row = (await conn.execute(stmt)).mappings().first()
        return row_to_session(t.name, dict(row)) if row is not None else None

    async def _delete_sessions(
        self, conn: AsyncConnection, session_ids: Sequence[str], user_id: str | None
    ) -> int:
        t = self._sessions
        stmt = delete(t).where(t.c.session_id.in_(list(session_ids)))
        if user_id is not None:
            stmt = stmt.where(t.c.user_id == user_id)
        deleted = list((await conn.execute(stmt.returning(t.c.session_id))).scalars())
        if not deleted:
            return 0
        run_ids = select(self._runs.c.run_id).where(self._runs.c.session_id.in_(deleted))
        await conn.execute(delete(self._events).where(self._events.c.run_id.in_(run_ids)))
        await conn.execute(delete(self._runs).where(self._runs.c.session_id.in_(deleted)))
        return len(deleted)

    async def delete_session(self, session_id: str, user_id: str | None = None) -> bool:
        async with self._write("delete_session") as conn:
            return await self._delete_sessions(conn, [session_id], user_id) > 0

    async def delete_sessions(self, session_ids: Sequence[str], user_id: str | None = None) -> int:
        if not session_ids:
            return 0
        async with self._write("delete_sessions") as conn:
            return await self._delete_sessions(conn, session_ids, user_id)

    # -- runs ---------------------------------------------------------------------------------

    def _run_statements(self) -> tuple[Any, Any]:
        """The two statements of ``save_run``, built once (they are immutable)."""
        if self._save_run_stmts is None:
            sessions = self._sessions
            ins = self._insert(sessions)
            set_: dict[str, Any] = {
                c.name: ins.excluded[c.name] for c in sessions.c if c.name not in _SESSION_KEEP
            }
            set_["run_count"] = sessions.c.run_count + 1
            session_stmt = ins.on_conflict_do_update(
                index_elements=[sessions.c.session_id],
                set_=set_,
                where=or_(sessions.c.user_id.is_(None), sessions.c.user_id == ins.excluded.user_id),
            ).returning(sessions.c.run_count)
            runs = self._runs
            run_ins = self._insert(runs)
            run_stmt = run_ins.on_conflict_do_update(
                index_elements=[runs.c.run_id],
                set_={c.name: run_ins.excluded[c.name] for c in runs.c if c.name not in _RUN_KEEP},
                where=runs.c.session_id == run_ins.excluded.session_id,
            ).returning(runs.c.run_id)
            self._save_run_stmts = (session_stmt, run_stmt)
        return self._save_run_stmts

    async def save_run(self, session: Session, run: RunRecord | Mapping[str, Any]) -> None:
        record = run if isinstance(run, RunRecord) else RunRecord.from_run_dict(run)
        if record.session_id != session.session_id:
            raise ValueError(
                f"run {record.run_id} is for session {record.session_id}, not {session.session_id}"
            )
        stamp = now()
        session_row = self._session_row(session, stamp)
        session_row["run_count"] = 1
        run_row = run_to_row(record)
        check_json(self._runs.name, record.run_id, run_row, RUN_JSON_COLUMNS)
        run_row["created_at"] = run_row["created_at"] or stamp
        run_row["updated_at"] = stamp
        session_stmt, run_stmt = self._run_statements()
        async with self._write("save_run") as conn:
            order = (await conn.execute(session_stmt, session_row)).scalar_one_or_none()
            if order is None:
                raise OwnershipError(self._sessions.name, session.session_id, "it belongs to another user")
            run_row["run_order"] = order
            if (await conn.execute(run_stmt, run_row)).scalar_one_or_none() is None:
                raise OwnershipError(self._runs.name, record.run_id, "the run belongs to another session")

    async def get_run(self, run_id: str, user_id: str | None = None) -> RunRecord | None:
        t = self._runs
        query = select(t).where(t.c.run_id == run_id)
        if user_id is not None:
            query = query.where(t.c.user_id == user_id)
        async with self._read("get_run") as conn:
            row = (await conn.execute(query)).mappings().first()
        return row_to_run(t.name, dict(row)) if row is not None else None

    def _run_filters(
        self,
        *,
        session_id: str | None,
        user_id: str | None,
        agent_id: str | None,
        team_id: str | None,
        workflow_id: str | None,
        statuses: Sequence[str] | None,
        root_only: bool,
    ) -> list[ColumnElement[bool]]:
        t = self._runs
        filters: list[ColumnElement[bool]] = []
        if session_id is not None:
            filters.append(t.c.session_id == session_id)
        if user_id is not None:
            filters.append(t.c.user_id == user_id)
        if agent_id is not None:
            filters.append(t.c.agent_id == agent_id)
        if team_id is not None:
            filters.append(t.c.team_id == team_id)
        if workflow_id is not None:
            filters.append(t.c.workflow_id == workflow_id)
        if statuses is not None:
            filters.append(t.c.status.in_([str(status) for status in statuses]))
        if root_only:
            filters.append(t.c.parent_run_id.is_(None))
        return filters

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
        t = self._runs
        filters = self._run_filters(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            statuses=statuses,
            root_only=root_only,
        )
        query = select(t).where(*filters).order_by(t.c.run_order.desc())
        if limit is not None:
            query = query.limit(limit)
        async with self._read("get_runs") as conn:
            rows = [dict(row) for row in (await conn.execute(query)).mappings()]
        rows.reverse()
        return [row_to_run(t.name, row) for row in rows]

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
        t = self._runs
        filters = self._run_filters(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            statuses=statuses,
            root_only=root_only,
        )
        async with self._read("list_runs") as conn:
            return await self._page(
                conn,
                t,
                filters,
                order_by="run_order" if session_id is not None else "created_at",
                id_column="run_id",
                descending=descending,
                limit=limit,
                offset=offset,
                page_token=page_token,
                convert=lambda row: row_to_run(t.name, row),
            )

    # -- run events ---------------------------------------------------------------------------

    async def append_run_events(self, run_id: str, events: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        if not events:
            return
        stamp = now()
        rows = [
            {"run_id": run_id, "sequence": int(sequence), "event": dict(event), "created_at": stamp}
            for sequence, event in events
        ]
        for row in rows:
            check_json(self._events.name, f"{run_id}#{row['sequence']}", row, ("event",))
        stmt = self._insert(self._events).on_conflict_do_nothing(
            index_elements=[self._events.c.run_id, self._events.c.sequence]
        )
        async with self._write("append_run_events") as conn:
            await conn.execute(stmt, rows)

    async def get_run_events(
        self, run_id: str, after_sequence: int = 0, limit: int | None = None
    ) -> list[RunEventRecord]:
        check_paging(limit, 0)
        t = self._events
        query = select(t).where(t.c.run_id == run_id, t.c.sequence > after_sequence).order_by(t.c.sequence)
        if limit is not None:
            query = query.limit(limit)
        async with self._read("get_run_events") as conn:
            rows = [dict(row) for row in (await conn.execute(query)).mappings()]
        return [row_to_event(t.name, row) for row in rows]

    # -- memories -----------------------------------------------------------------------------

    def _memory_row(self, memory: UserMemory, stamp: int) -> dict[str, Any]:
        row = memory_to_row(memory)
        row["memory_id"] = row["memory_id"] or str(uuid.uuid4())
        check_json(self._memories.name, row["memory_id"], row, MEMORY_JSON_COLUMNS)
        row["created_at"] = row["created_at"] or stamp
        row["updated_at"] = row["updated_at"] or stamp
        return row

    async def upsert_user_memory(self, memory: UserMemory) -> UserMemory:
        return (await self._upsert_memories([memory], "upsert_user_memory"))[0]

    async def upsert_memories(self, memories: Sequence[UserMemory]) -> list[UserMemory]:
        if not memories:
            return []
        return await self._upsert_memories(memories, "upsert_memories")

    async def _upsert_memories(self, memories: Sequence[UserMemory], operation: str) -> list[UserMemory]:
        t = self._memories
        stamp = now()
        rows = [self._memory_row(memory, stamp) for memory in memories]
        stmt = self._upsert(t, "memory_id", ("memory_id", "created_at"), owner_check=True).returning(*t.c)
        stored: list[UserMemory] = []
        async with self._write(operation) as conn:
            for row in rows:
                got = (await conn.execute(stmt, row)).mappings().first()
                if got is None:
                    raise OwnershipError(t.name, row["memory_id"], "it belongs to another user")
                stored.append(row_to_memory(t.name, dict(got)))
        return stored

    async def get_user_memory(self, memory_id: str, user_id: str | None = None) -> UserMemory | None:
        t = self._memories
        query = select(t).where(t.c.memory_id == memory_id)
        if user_id is not None:
            query = query.where(t.c.user_id == user_id)
        async with self._read("get_user_memory") as conn:
            row = (await conn.execute(query)).mappings().first()
        return row_to_memory(t.name, dict(row)) if row is not None else None

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
        t = self._memories
        filters: list[ColumnElement[bool]] = []
        if user_id is not None:
            filters.append(t.c.user_id == user_id)
        if agent_id is not None:
            filters.append(t.c.agent_id == agent_id)
        if team_id is not None:
            filters.append(t.c.team_id == team_id)
        if topics:
            filters.append(self._topics_any(list(topics)))
        if search_content:
            filters.append(t.c.memory.icontains(search_content, autoescape=True))
        async with self._read("get_user_memories") as conn:
            return await self._page(
                conn,
                t,
                filters,
                order_by=order_by,
                id_column="memory_id",
                descending=descending,
                limit=limit,
                offset=offset,
                page_token=page_token,
                convert=lambda row: row_to_memory(t.name, row),
            )

    def _delete_memories(self, memory_ids: Sequence[str], user_id: str | None) -> Delete:
        t = self._memories
        stmt = delete(t).where(t.c.memory_id.in_(list(memory_ids)))
        if user_id is not None:
            stmt = stmt.where(t.c.user_id == user_id)
        return stmt

    async def delete_user_memory(self, memory_id: str, user_id: str | None = None) -> bool:
        return await self.delete_user_memories([memory_id], user_id) > 0

    async def delete_user_memories(self, memory_ids: Sequence[str], user_id: str | None = None) -> int:
        if not memory_ids:
            return 0
        async with self._write("delete_user_memories") as conn:
            result = await conn.execute(self._delete_memories(memory_ids, user_id))
        return int(result.rowcount)

    async def get_all_memory_topics(self, user_id: str | None = None) -> list[str]:
        query = self._distinct_topics()
        if user_id is not None:
            query = query.where(self._memories.c.user_id == user_id)
        async with self._read("get_all_memory_topics") as conn:
            topics = [str(topic) for topic in (await conn.execute(query)).scalars()]
        return sorted(set(topics))

    async def get_user_memory_stats(self, limit: int | None = None, offset: int = 0) -> Page[UserMemoryStats]:
        check_paging(limit, offset)
        t = self._memories
        last = func.max(t.c.updated_at).label("last_updated")
        query = (
            select(t.c.user_id, func.count().label("total"), last)
            .where(t.c.user_id.is_not(None))
            .group_by(t.c.user_id)
            .order_by(last.desc(), t.c.user_id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        count = select(func.count(func.distinct(t.c.user_id))).where(t.c.user_id.is_not(None))
        async with self._read("get_user_memory_stats") as conn:
            total = (await conn.execute(count)).scalar_one()
            rows = (await conn.execute(query)).all()
        items = [
            UserMemoryStats(user_id=str(user), total_memories=int(n), last_memory_updated_at=latest)
            for user, n, latest in rows
        ]
        return Page(items=items, total=int(total))

    async def clear_memories(self) -> None:
        async with self._write("clear_memories") as conn:
            await conn.execute(delete(self._memories))


def _check_sort(order_by: str) -> None:
    if order_by not in ("created_at", "updated_at"):
        raise ValueError(f"cannot order by {order_by!r}; use 'created_at' or 'updated_at'")
