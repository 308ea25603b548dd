"""``PostgresDb``: storage for replicas sharing one PostgreSQL, over psycopg 3 (async).

Tables live in their own schema (``agentos`` by default) with JSONB columns. Migrations take a
transaction-scoped advisory lock first, so replicas starting together provision the schema
once; PostgreSQL DDL is transactional, so a failed migration leaves nothing half-done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from agentos.db._codec import check_event_texts
from agentos.db._sql import SqlDb
from agentos.db._tables import TableNames
from agentos.db._util import now
from sqlalchemy import ColumnElement, Select, Table, Text, bindparam, cast, func, select, text, type_coerce
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import JSONB, array
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def _async_url(db_url: str) -> str:
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url.removeprefix(prefix)
    if not db_url.startswith(("postgresql+psycopg://", "postgresql+asyncpg://")):
        raise ValueError(
            f"PostgresDb needs a postgresql+psycopg:// URL, got {make_url(db_url).render_as_string()}"
        )
    return db_url


class PostgresDb(SqlDb):
    """Storage in PostgreSQL: ``PostgresDb(db_url="postgresql+psycopg://user:pw@host/db")``.

    ``postgresql://`` URLs are taken to mean psycopg 3. ``pool_pre_ping`` checks a pooled
    connection before use, so a database restart costs one reconnect instead of one failed call.
    """

    def __init__(
        self,
        db_url: str | None = None,
        *,
        db_engine: AsyncEngine | None = None,
        db_schema: str = "agentos",
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
        pool_size: int = 10,
        max_overflow: int = 20,
        pool_pre_ping: bool = True,
        connect_timeout: int = 10,
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
        if db_engine is not None:
            engine, owns = db_engine, False
        elif db_url is not None:
            engine = create_async_engine(
                _async_url(db_url),
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_pre_ping=pool_pre_ping,
                connect_args={"connect_timeout": connect_timeout},
            )
            owns = True
        else:
            raise ValueError("PostgresDb needs db_url or db_engine")
        safe_url = engine.url.render_as_string(hide_password=True)
        digest = hashlib.sha256(f"{safe_url}/{db_schema}".encode()).hexdigest()[:12]
        super().__init__(
            engine=engine,
            db_schema=db_schema,
            table_names=names,
            id=id or f"postgres-{digest}",
            owns_engine=owns,
        )
        self._append_event_texts: Any = None  # built at first use (append_run_events_json)

    def _insert(self, table: Table) -> Any:
        return pg_insert(table)

    async def append_run_events_json(self, run_id: str, events: Sequence[tuple[int, str]]) -> None:
        # The texts go to PostgreSQL as they are and are cast to JSONB there (which checks
        # them), instead of being decoded here and encoded again on the way out.
        if not events:
            return
        check_event_texts(run_id, events)
        stamp = now()
        rows = [{"e_run": run_id, "e_seq": int(seq), "e_text": text, "e_at": stamp} for seq, text in events]
        statement = self._append_event_texts
        if statement is None:
            events_table = self._events
            statement = self._append_event_texts = (
                pg_insert(events_table)
                .values(
                    run_id=bindparam("e_run"),
                    sequence=bindparam("e_seq"),
                    event=cast(bindparam("e_text", type_=Text), JSONB),
                    created_at=bindparam("e_at"),
                )
                .on_conflict_do_nothing(index_elements=[events_table.c.run_id, events_table.c.sequence])
            )
        async with self._write("append_run_events") as conn:
            await conn.execute(statement, rows)

    async def _lock_migrations(self, conn: AsyncConnection) -> None:
        key = f"agentos-migrations:{self.db_schema}"
        await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
        schema = conn.dialect.identifier_preparer.quote_schema(str(self.db_schema))
        await conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")

    def _topics_any(self, topics: Sequence[str]) -> ColumnElement[bool]:
        topics_column = type_coerce(self._memories.c.topics, JSONB)
        matches: ColumnElement[bool] = topics_column.has_any(array(list(topics)))
        return matches

    def _distinct_topics(self) -> Select[Any]:
        topics = self._memories.c.topics
        return (
            select(func.jsonb_array_elements_text(topics).label("topic"))
            .where(func.jsonb_typeof(topics) == "array")
            .distinct()
        )

    def _is_unavailable(self, exc: sa_exc.DBAPIError) -> bool:
        return isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
