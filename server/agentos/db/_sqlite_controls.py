"""Run controls (cancel requests, request_id claims) on SQLite's fast path.

The same statements as ``_sql_controls`` (SQLAlchemy, kept for PostgreSQL), written out for the
connection thread of ``_sqlite_thread``: a server polls the cancel requests of its in-flight
runs every ``control_poll_interval`` and claims every request_id it serves, so these run while
runs do. Through SQLAlchemy's async engine each of them was several aiosqlite hops and greenlet
switches, and it kept an aiosqlite connection thread per event loop alive beside the fast path's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from agentos.db._run_controls import (
    DEFAULT_CANCEL_TTL,
    CancelRequest,
    RequestClaim,
    RunControlStore,
    expiry_ms,
    now_ms,
)
from agentos.db._sql_controls import cancel_out, chunks, claim_out
from agentos.db._sqlite_ops import write
from agentos.db._sqlite_sql import placeholders, quote
from agentos.db._tables import TableNames

if TYPE_CHECKING:
    from agentos.db._sqlite_thread import SqliteThread

Row = tuple[Any, ...]

_CANCEL_COLUMNS = ("run_id", "reason", "requested_by", "cancel_requested_at", "expires_at")
_CLAIM_COLUMNS = ("request_key", "fingerprint", "run_id", "sequence", "created_at", "expires_at")


class ControlSql:
    """The fixed statements for one set of table names."""

    def __init__(self, names: TableNames) -> None:
        c = self.controls = quote(names.run_control_table)
        r = self.claims = quote(names.request_id_table)
        cancel_cols = ", ".join(_CANCEL_COLUMNS)
        claim_cols = ", ".join(_CLAIM_COLUMNS)
        cancel_sets = ", ".join(f"{col} = excluded.{col}" for col in _CANCEL_COLUMNS[1:])
        claim_sets = ", ".join(f"{col} = excluded.{col}" for col in _CLAIM_COLUMNS[1:])
        self.record_cancel = (
            f"INSERT INTO {c} ({cancel_cols}) VALUES ({placeholders(len(_CANCEL_COLUMNS))}) "
            f"ON CONFLICT (run_id) DO UPDATE SET {cancel_sets}"
        )
        self.select_cancels = f"SELECT {cancel_cols} FROM {c} WHERE expires_at > ? AND run_id IN "
        self.delete_cancels = f"DELETE FROM {c} WHERE run_id IN "
        # Only an expired holder is replaced; an unexpired one returns nothing (the key is held).
        self.claim = (
            f"INSERT INTO {r} ({claim_cols}) VALUES ({placeholders(len(_CLAIM_COLUMNS))}) "
            f"ON CONFLICT (request_key) DO UPDATE SET {claim_sets} WHERE {r}.expires_at <= ? "
            f"RETURNING {claim_cols}"
        )
        self.claim_by_key = f"SELECT {claim_cols} FROM {r} WHERE request_key = ?"
        self.mark_started = f"UPDATE {r} SET sequence = ? WHERE request_key = ? AND run_id = ?"
        self.release = f"DELETE FROM {r} WHERE request_key = ? AND run_id = ?"
        self.expire_cancels = f"DELETE FROM {c} WHERE expires_at <= ?"
        self.expire_claims = f"DELETE FROM {r} WHERE expires_at <= ?"


def _cancel_out(row: Row) -> CancelRequest:
    return cancel_out(dict(zip(_CANCEL_COLUMNS, row, strict=True)))


def _claim_out(row: Row, claimed: bool) -> RequestClaim:
    return claim_out(dict(zip(_CLAIM_COLUMNS, row, strict=True)), claimed)


# -- operations (run on the connection thread) -------------------------------------------------


def record_cancel(conn: sqlite3.Connection, sql: ControlSql, row: Row) -> None:
    write(conn, lambda: conn.execute(sql.record_cancel, row))


def get_cancels(conn: sqlite3.Connection, sql: ControlSql, run_ids: Sequence[str], stamp: int) -> list[Row]:
    rows: list[Row] = []
    for chunk in chunks(run_ids):
        query = f"{sql.select_cancels}({placeholders(len(chunk))})"
        rows.extend(conn.execute(query, (stamp, *chunk)).fetchall())
    return rows


def delete_cancels(conn: sqlite3.Connection, sql: ControlSql, run_ids: Sequence[str]) -> int:
    def body() -> int:
        count = 0
        for chunk in chunks(run_ids):
            count += conn.execute(f"{sql.delete_cancels}({placeholders(len(chunk))})", chunk).rowcount
        return count

    return write(conn, body)


def claim(conn: sqlite3.Connection, sql: ControlSql, row: Row, stamp: int) -> tuple[Row | None, bool]:
    def body() -> tuple[Row | None, bool]:
        won = conn.execute(sql.claim, (*row, stamp)).fetchall()
        if won:
            return won[0], True
        held = conn.execute(sql.claim_by_key, (row[0],)).fetchall()
        return (held[0] if held else None), False

    return write(conn, body)


def get_claim(conn: sqlite3.Connection, sql: ControlSql, key: str, stamp: int) -> Row | None:
    rows = conn.execute(sql.claim_by_key + " AND expires_at > ?", (key, stamp)).fetchall()
    return rows[0] if rows else None


def execute_count(conn: sqlite3.Connection, statement: str, params: Row) -> int:
    return write(conn, lambda: conn.execute(statement, params).rowcount)


def delete_expired(conn: sqlite3.Connection, sql: ControlSql, stamp: int) -> int:
    def body() -> int:
        gone = conn.execute(sql.expire_cancels, (stamp,)).rowcount
        return gone + conn.execute(sql.expire_claims, (stamp,)).rowcount

    return write(conn, body)


# The operations that write (see ``SqliteThread``'s group commit).
WRITE_OPERATIONS: frozenset[Callable[..., Any]] = frozenset(
    {record_cancel, delete_cancels, claim, execute_count, delete_expired}
)


class SqliteRunControls(RunControlStore):
    """The run control methods of ``SqliteDb`` (which provides the members declared below)."""

    if TYPE_CHECKING:
        _thread: SqliteThread
        _control_sql: ControlSql

        async def _ready(self) -> None: ...

    async def record_cancel_request(
        self,
        run_id: str,
        *,
        reason: str | None = None,
        requested_by: str | None = None,
        ttl_seconds: float = DEFAULT_CANCEL_TTL,
    ) -> CancelRequest:
        stamp = now_ms()
        row = (run_id, reason, requested_by, stamp, expiry_ms(stamp, ttl_seconds))
        await self._ready()
        await self._thread.run("record_cancel_request", record_cancel, self._control_sql, row)
        return _cancel_out(row)

    async def get_cancel_requests(self, run_ids: Sequence[str]) -> dict[str, CancelRequest]:
        if not run_ids:
            return {}
        await self._ready()
        rows = await self._thread.run(
            "get_cancel_requests", get_cancels, self._control_sql, list(run_ids), now_ms()
        )
        found = (_cancel_out(row) for row in rows)
        return {request.run_id: request for request in found}

    async def delete_cancel_requests(self, run_ids: Sequence[str]) -> int:
        if not run_ids:
            return 0
        await self._ready()
        return await self._thread.run(
            "delete_cancel_requests", delete_cancels, self._control_sql, list(run_ids)
        )

    async def claim_request_id(
        self, key: str, *, fingerprint: str, run_id: str, ttl_seconds: float
    ) -> RequestClaim:
        stamp = now_ms()
        row = (key, fingerprint, run_id, None, stamp, expiry_ms(stamp, ttl_seconds))
        await self._ready()
        found, claimed = await self._thread.run("claim_request_id", claim, self._control_sql, row, stamp)
        if found is None:  # unreachable: the conflicting row cannot vanish inside the transaction
            raise RuntimeError(f"request_id claim {key} vanished during the claim")
        return _claim_out(found, claimed=claimed)

    async def get_request_claim(self, key: str) -> RequestClaim | None:
        await self._ready()
        row = await self._thread.run("get_request_claim", get_claim, self._control_sql, key, now_ms())
        return _claim_out(row, claimed=False) if row is not None else None

    async def mark_request_started(self, key: str, *, run_id: str, sequence: int) -> bool:
        await self._ready()
        params = (int(sequence), key, run_id)
        count = await self._thread.run(
            "mark_request_started", execute_count, self._control_sql.mark_started, params
        )
        return count > 0

    async def release_request_claim(self, key: str, *, run_id: str) -> bool:
        await self._ready()
        count = await self._thread.run(
            "release_request_claim", execute_count, self._control_sql.release, (key, run_id)
        )
        return count > 0

    async def delete_expired_controls(self) -> int:
        await self._ready()
        return await self._thread.run("delete_expired_controls", delete_expired, self._control_sql, now_ms())
