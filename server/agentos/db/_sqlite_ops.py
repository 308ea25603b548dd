"""The storage operations of ``SqliteDb``, each one function run on the connection thread.

Each function receives the thread's ``sqlite3`` connection, the statements (``SqliteSql``) and
values already encoded by the caller (rows as tuples in column order, JSON as text: the
caller's objects are never read from this thread while its loop goes on running), does the
whole operation, transaction included, and returns domain objects. A write is one
``BEGIN IMMEDIATE`` ... ``COMMIT`` (the write lock is taken up front, so a transaction that
reads before it writes never fails to upgrade its lock); a read of several statements is one
deferred transaction, so it sees one snapshot.

Rows are decoded here, in the thread: a JSON column that does not parse becomes a
``CorruptRecordError`` naming its table and row (see ``_codec``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from agentos.db._codec import (
    decode_json,
    encode_json,
    row_to_event,
    row_to_memory,
    row_to_run,
    row_to_session,
)
from agentos.db._errors import OwnershipError, StorageError
from agentos.db._paging import PageCursor, decode_page_token, encode_page_token
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._sqlite_sql import (
    EVENT_COLUMNS,
    MEMORY_COLUMNS,
    RUN_COLUMNS,
    SESSION_COLUMNS,
    SqliteSql,
    where,
)
from agentos.memory import UserMemory
from agentos.session import Session

T = TypeVar("T")
Row = tuple[Any, ...]

_SESSION_JSON = tuple(i for i, c in enumerate(SESSION_COLUMNS) if c in {
    "session_data", "agent_data", "team_data", "workflow_data", "metadata", "summary"
})  # fmt: skip
_RUN_DATA = RUN_COLUMNS.index("run_data")
_EVENT_JSON = EVENT_COLUMNS.index("event")
_MEMORY_TOPICS = MEMORY_COLUMNS.index("topics")


# -- encoding (caller side) -----------------------------------------------------------------


def encode_column(table: str, row_id: str, column: str, value: Any) -> str | None:
    """A JSON column as stored (NULL for None); a value JSON cannot hold fails before writing."""
    if value is None:
        return None
    try:
        return encode_json(value)
    except (TypeError, ValueError) as exc:
        raise StorageError(f"cannot store {table}.{column} of row {row_id!r}: {exc}") from exc


# -- decoding (thread side) -----------------------------------------------------------------


def _decoded(text: Any) -> Any:
    return None if text is None else decode_json(text)


def session_from_row(sql: SqliteSql, row: Row) -> Session:
    values = list(row)
    for index in _SESSION_JSON:
        values[index] = _decoded(values[index])
    return row_to_session(sql.names.session_table, dict(zip(SESSION_COLUMNS, values, strict=True)))


def run_from_row(sql: SqliteSql, row: Row) -> RunRecord:
    values = dict(zip(RUN_COLUMNS, row, strict=True))
    values["run_data"] = _decoded(row[_RUN_DATA])
    return row_to_run(sql.names.run_table, values)


def event_from_row(sql: SqliteSql, row: Row) -> RunEventRecord:
    values = dict(zip(EVENT_COLUMNS, row, strict=True))
    values["event"] = _decoded(row[_EVENT_JSON])
    return row_to_event(sql.names.run_event_table, values)


def memory_from_row(sql: SqliteSql, row: Row) -> UserMemory:
    values = dict(zip(MEMORY_COLUMNS, row, strict=True))
    values["topics"] = _decoded(row[_MEMORY_TOPICS])
    return row_to_memory(sql.names.memory_table, values)


# -- transactions ---------------------------------------------------------------------------


def write(conn: sqlite3.Connection, body: Callable[[], T]) -> T:
    """Run ``body`` in one write transaction: committed when it returns, rolled back when it raises.

    Inside a group commit (``SqliteThread`` runs several queued jobs in one transaction) the
    body gets a savepoint instead: its own failure rolls back only its own changes, and its
    changes become durable when the group commits."""
    if conn.in_transaction:
        return _in_savepoint(conn, body)
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = body()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            # The original error says more; the connection is dropped if it is broken.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    return result


def _in_savepoint(conn: sqlite3.Connection, body: Callable[[], T]) -> T:
    conn.execute("SAVEPOINT agentos_job")
    try:
        result = body()
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK TO agentos_job")
            conn.execute("RELEASE agentos_job")
        raise
    conn.execute("RELEASE agentos_job")
    return result


def snapshot(conn: sqlite3.Connection, body: Callable[[], T]) -> T:
    """Run ``body``'s reads in one deferred transaction (one consistent snapshot; inside a group
    commit's transaction they already share one)."""
    if conn.in_transaction:
        return body()
    conn.execute("BEGIN")
    try:
        return body()
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


# -- sessions -------------------------------------------------------------------------------


def upsert_sessions(conn: sqlite3.Connection, sql: SqliteSql, rows: Sequence[Row]) -> list[Session]:
    """Rows in ``SESSION_WRITE_COLUMNS`` order; all are written or none."""

    def body() -> list[Row]:
        stored: list[Row] = []
        for row in rows:
            got = conn.execute(sql.upsert_session, row).fetchall()
            if not got:
                raise OwnershipError(sql.names.session_table, row[0], "it belongs to another user")
            stored.append(got[0])
        return stored

    return [session_from_row(sql, row) for row in write(conn, body)]


def get_session(
    conn: sqlite3.Connection, sql: SqliteSql, conditions: Sequence[str], params: Row
) -> Session | None:
    rows = conn.execute(sql.session_by_id + "".join(f" AND {c}" for c in conditions), params).fetchall()
    return session_from_row(sql, rows[0]) if rows else None


def get_session_with_runs(
    conn: sqlite3.Connection,
    sql: SqliteSql,
    session_conditions: Sequence[str],
    session_params: Row,
    runs_query: str | None,
    runs_params: Row,
) -> tuple[Session | None, list[RunRecord]]:
    """The session and (when it is found and ``runs_query`` is given) its selected runs, from one
    snapshot: the history a run replays belongs to the session state it starts from."""

    def body() -> tuple[Row | None, list[Row]]:
        found = conn.execute(
            sql.session_by_id + "".join(f" AND {c}" for c in session_conditions), session_params
        ).fetchall()
        if not found:
            return None, []
        runs = conn.execute(runs_query, runs_params).fetchall() if runs_query is not None else []
        return found[0], runs

    session_row, run_rows = snapshot(conn, body) if runs_query is not None else body()
    if session_row is None:
        return None, []
    session = session_from_row(sql, session_row)
    run_rows.reverse()
    return session, [run_from_row(sql, row) for row in run_rows]


def rename_session(conn: sqlite3.Connection, sql: SqliteSql, statement: str, params: Row) -> Session | None:
    rows = write(conn, lambda: conn.execute(statement, params).fetchall())
    return session_from_row(sql, rows[0]) if rows else None


def delete_sessions(
    conn: sqlite3.Connection, sql: SqliteSql, session_ids: Sequence[str], user_id: str | None
) -> int:
    """Delete sessions with their runs and the runs' events, in one transaction."""
    marks = ", ".join("?" * len(session_ids))
    statement = f"DELETE FROM {sql.sessions} WHERE session_id IN ({marks})"
    params: list[Any] = list(session_ids)
    if user_id is not None:
        statement += " AND user_id = ?"
        params.append(user_id)

    def body() -> int:
        deleted = [row[0] for row in conn.execute(statement + " RETURNING session_id", params).fetchall()]
        if not deleted:
            return 0
        gone = ", ".join("?" * len(deleted))
        conn.execute(
            f"DELETE FROM {sql.events} WHERE run_id IN "
            f"(SELECT run_id FROM {sql.runs} WHERE session_id IN ({gone}))",
            deleted,
        )
        conn.execute(f"DELETE FROM {sql.runs} WHERE session_id IN ({gone})", deleted)
        return len(deleted)

    return write(conn, body)


# -- runs -----------------------------------------------------------------------------------


def save_run(conn: sqlite3.Connection, sql: SqliteSql, session_row: Row, run_row: list[Any]) -> None:
    """Upsert the session row (bumping its run counter) and the run row, in one transaction.
    ``run_row`` is in ``RUN_COLUMNS`` order with ``run_order`` to be filled in here."""

    def body() -> None:
        counted = conn.execute(sql.save_run_session, session_row).fetchall()
        if not counted or counted[0][0] is None:
            raise OwnershipError(sql.names.session_table, session_row[0], "it belongs to another user")
        run_row[2] = counted[0][0]
        if not conn.execute(sql.save_run_run, run_row).fetchall():
            raise OwnershipError(sql.names.run_table, run_row[0], "the run belongs to another session")

    write(conn, body)


def get_run(conn: sqlite3.Connection, sql: SqliteSql, run_id: str, user_id: str | None) -> RunRecord | None:
    if user_id is None:
        rows = conn.execute(sql.run_by_id, (run_id,)).fetchall()
    else:
        rows = conn.execute(sql.run_by_id + " AND user_id = ?", (run_id, user_id)).fetchall()
    return run_from_row(sql, rows[0]) if rows else None


def get_runs(conn: sqlite3.Connection, sql: SqliteSql, query: str, params: Row) -> list[RunRecord]:
    """``query`` selects newest first (so LIMIT keeps the newest); returned oldest first."""
    rows = conn.execute(query, params).fetchall()
    rows.reverse()
    return [run_from_row(sql, row) for row in rows]


# -- paging ---------------------------------------------------------------------------------


def page(
    conn: sqlite3.Connection,
    *,
    table: str,
    select: str,
    columns: Sequence[str],
    conditions: Sequence[str],
    params: Sequence[Any],
    order_by: str,
    id_column: str,
    descending: bool,
    limit: int | None,
    offset: int,
    page_token: str | None,
    convert: Callable[[Row], T],
) -> Page[T]:
    """One page of ``select`` (keyset after a token, else offset) with the total count, both
    from one snapshot; the token is the one ``_sql`` issues, so tokens work across backends."""
    query_conditions = list(conditions)
    query_params = list(params)
    if page_token:
        cursor = decode_page_token(page_token, order_by=order_by, descending=descending)
        op = "<" if descending else ">"
        query_conditions.append(f"({order_by} {op} ? OR ({order_by} = ? AND {id_column} {op} ?))")
        query_params += [cursor.key, cursor.key, cursor.row_id]
        offset = 0
    direction = "DESC" if descending else "ASC"
    query = f"{select}{where(query_conditions)} ORDER BY {order_by} {direction}, {id_column} {direction}"
    if limit is not None:
        query += " LIMIT ?"
        query_params.append(limit + 1)
    elif offset:
        query += " LIMIT -1"
    if offset:
        query += " OFFSET ?"
        query_params.append(offset)
    count = f"SELECT count(*) FROM {table}{where(conditions)}"

    def body() -> tuple[int, list[Row]]:
        total = conn.execute(count, list(params)).fetchone()
        return int(total[0]) if total else 0, conn.execute(query, query_params).fetchall()

    total, rows = snapshot(conn, body)
    more = limit is not None and len(rows) > limit
    if more:
        rows = rows[:limit]
    token = None
    if more and rows:
        last = rows[-1]
        key = last[columns.index(order_by)]
        row_id = last[columns.index(id_column)]
        token = encode_page_token(PageCursor(order_by, descending, key, str(row_id)))
    return Page(items=[convert(row) for row in rows], total=total, next_page_token=token)


# -- run events -----------------------------------------------------------------------------


def append_run_events(conn: sqlite3.Connection, sql: SqliteSql, run_id: str, batch: str, stamp: int) -> None:
    """Insert a batch of events given as one JSON array of ``[sequence, event]`` pairs.

    One statement for the whole batch: SQLite splits the array itself and holds no GIL while
    it does, where ``executemany`` binds every row in Python and releases and re-takes the
    GIL once per row, each time contending with the event loop that streams these very
    events (measured on one server streaming 8 runs of 1000 chunks: the SQLite thread's CPU
    per event ~8.5 -> ~4.5 us, see benchmarks/suite/NOTES.md). A SQLite built without the JSON
    functions gets the rows one by one, as before.
    """
    if _JSON_FUNCTIONS[0]:
        try:
            write(conn, lambda: conn.execute(sql.append_events_json, (run_id, stamp, batch)))
            return
        except sqlite3.OperationalError as exc:
            if "json_" not in str(exc):
                raise
            _JSON_FUNCTIONS[0] = False
    pairs = decode_json(batch)
    if not isinstance(pairs, list):  # what SQLite itself says of a batch that is not JSON
        raise sqlite3.OperationalError("malformed JSON")
    rows = [(run_id, int(sequence), encode_json(event), stamp) for sequence, event in pairs]
    write(conn, lambda: conn.executemany(sql.append_event, rows))


_JSON_FUNCTIONS = [True]
"""Whether this SQLite has json_each/json_extract (it has since 3.38, and in most builds
before); cleared at the first statement that says otherwise."""


def get_run_events(conn: sqlite3.Connection, sql: SqliteSql, query: str, params: Row) -> list[RunEventRecord]:
    return [event_from_row(sql, row) for row in conn.execute(query, params).fetchall()]


# -- memories -------------------------------------------------------------------------------


def upsert_memories(conn: sqlite3.Connection, sql: SqliteSql, rows: Sequence[Row]) -> list[UserMemory]:
    def body() -> list[Row]:
        stored: list[Row] = []
        for row in rows:
            got = conn.execute(sql.upsert_memory, row).fetchall()
            if not got:
                raise OwnershipError(sql.names.memory_table, row[0], "it belongs to another user")
            stored.append(got[0])
        return stored

    return [memory_from_row(sql, row) for row in write(conn, body)]


def get_memory(
    conn: sqlite3.Connection, sql: SqliteSql, memory_id: str, user_id: str | None
) -> UserMemory | None:
    if user_id is None:
        rows = conn.execute(sql.memory_by_id, (memory_id,)).fetchall()
    else:
        rows = conn.execute(sql.memory_by_id + " AND user_id = ?", (memory_id, user_id)).fetchall()
    return memory_from_row(sql, rows[0]) if rows else None


def execute_write(conn: sqlite3.Connection, statement: str, params: Sequence[Any]) -> int:
    """One write statement in its own transaction; returns the rows it changed."""
    return write(conn, lambda: conn.execute(statement, params).rowcount)


def memory_topics(conn: sqlite3.Connection, sql: SqliteSql, user_id: str | None) -> list[str]:
    if user_id is None:
        rows = conn.execute(sql.distinct_topics).fetchall()
    else:
        rows = conn.execute(f"{sql.distinct_topics} AND {sql.memories}.user_id = ?", (user_id,)).fetchall()
    return sorted({str(row[0]) for row in rows})


def memory_stats(
    conn: sqlite3.Connection, sql: SqliteSql, limit: int | None, offset: int
) -> Page[UserMemoryStats]:
    m = sql.memories
    query = (
        f"SELECT user_id, count(*), max(updated_at) AS last_updated FROM {m} WHERE user_id IS NOT NULL "
        "GROUP BY user_id ORDER BY last_updated DESC, user_id LIMIT ? OFFSET ?"
    )

    def body() -> tuple[int, list[Row]]:
        total = conn.execute(f"SELECT count(DISTINCT user_id) FROM {m} WHERE user_id IS NOT NULL").fetchone()
        rows = conn.execute(query, (-1 if limit is None else limit, offset)).fetchall()
        return int(total[0]) if total else 0, rows

    total, rows = snapshot(conn, body)
    items = [
        UserMemoryStats(user_id=str(user), total_memories=int(n), last_memory_updated_at=latest)
        for user, n, latest in rows
    ]
    return Page(items=items, total=total)


# Operations that write: a batch of queued jobs holding one of them runs as one group commit
# (``SqliteThread``). Reads queued with them join the group; batches of reads alone do not.
WRITE_OPERATIONS: frozenset[Callable[..., Any]] = frozenset(
    {
        upsert_sessions,
        rename_session,
        delete_sessions,
        save_run,
        append_run_events,
        upsert_memories,
        execute_write,
    }
)
