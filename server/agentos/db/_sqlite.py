"""``SqliteDb``: the embedded default, over aiosqlite.

Connections use WAL (readers never wait for the writer), ``synchronous=NORMAL`` (safe with WAL,
one fsync per checkpoint instead of per commit: the dominant cost of a turn otherwise) and a
busy timeout so concurrent writers queue instead of failing with "database is locked".
Migrations run in a ``BEGIN IMMEDIATE`` transaction: it takes the write lock up front, so two
processes provisioning the same file serialize and the second finds the schema current.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentos.db._sql import SqlDb
from agentos.db._tables import TableNames
from sqlalchemy import ColumnElement, Select, Table, case, event, exists, func, literal, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

_UNAVAILABLE_MESSAGES = (
    "unable to open database",
    "database is locked",
    "disk i/o error",
    "readonly database",
    "database or disk is full",
    "cannot open",
)


def _sqlite_url(db_file: str | Path | None, db_url: str | None) -> tuple[str, Path | None]:
    if ":memory:" in (db_url or "") or str(db_file) == ":memory:":
        # Every pooled connection would open its own, empty, in-memory database.
        raise ValueError("SqliteDb needs a file; use InMemoryDb for a database without one")
    if db_url is not None:
        if db_url.startswith("sqlite:///"):
            db_url = "sqlite+aiosqlite:///" + db_url.removeprefix("sqlite:///")
        if not db_url.startswith("sqlite+aiosqlite:///"):
            raise ValueError(f"SqliteDb needs a sqlite+aiosqlite:/// URL, got {db_url!r}")
        raw_path = db_url.removeprefix("sqlite+aiosqlite:///").split("?", 1)[0]
        return db_url, Path(raw_path) if raw_path else None
    assert db_file is not None
    path = Path(db_file).expanduser()
    return f"sqlite+aiosqlite:///{path}", path


class SqliteDb(SqlDb):
    """Storage in one SQLite file: ``SqliteDb(db_file="agentos.db")``.

    Give ``db_file`` (the folder is created if needed), a ``db_url``
    (``sqlite+aiosqlite:///path``) or an existing async ``db_engine``. For a database that
    lives only as long as the process, use ``InMemoryDb``.
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
        self.db_file: Path | None
        if db_engine is not None:
            engine, owns = db_engine, False
            self.db_file = None
            url = str(db_engine.url)
        else:
            if db_file is None and db_url is None:
                raise ValueError("SqliteDb needs db_file, db_url or db_engine")
            url, self.db_file = _sqlite_url(db_file, db_url)
            engine, owns = create_async_engine(url), True
        self._busy_timeout_ms = busy_timeout_ms
        event.listen(engine.sync_engine, "connect", self._on_connect)
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        super().__init__(
            engine=engine, db_schema=None, table_names=names, id=id or f"sqlite-{digest}", owns_engine=owns
        )
        self._folder_ready = False

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # The busy timeout first: switching a fresh file to WAL takes a write lock, and other
            # connections opening the same file at that moment must wait rather than fail.
            cursor.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    async def _prepare(self) -> None:
        if self._folder_ready or self.db_file is None:
            return
        folder = self.db_file.parent
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        self._folder_ready = True

    def _insert(self, table: Table) -> Any:
        return sqlite_insert(table)

    async def _lock_migrations(self, conn: AsyncConnection) -> None:
        await conn.exec_driver_sql("BEGIN IMMEDIATE")

    def _topics_array(self) -> Any:
        topics = self._memories.c.topics
        # json_each() fails on malformed text; treat such a row as having no topics here (reading
        # the row itself reports the corruption).
        return case((func.json_valid(topics) == 1, topics), else_=literal("[]"))

    def _topics_any(self, topics: Sequence[str]) -> ColumnElement[bool]:
        each = func.json_each(self._topics_array()).table_valued("value")
        return exists(select(literal(1)).select_from(each).where(each.c.value.in_(list(topics))))

    def _distinct_topics(self) -> Select[Any]:
        each = func.json_each(self._topics_array()).table_valued("value", "type")
        return (
            select(each.c.value.label("topic"))
            .select_from(self._memories)
            .join(each, literal(True))
            .where(each.c.type == "text")
            .distinct()
        )

    def _is_unavailable(self, exc: sa_exc.DBAPIError) -> bool:
        if not isinstance(exc, sa_exc.OperationalError):
            return False
        message = str(exc.orig).lower()
        return any(text in message for text in _UNAVAILABLE_MESSAGES)
