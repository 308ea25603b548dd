"""Run controls (``_run_controls``) over SQLAlchemy Core: a base of ``SqlDb``, used by
``PostgresDb`` (``SqliteDb`` runs the same statements on its fast path: ``_sqlite_controls``).

Why each statement is what it is:

* claiming a request_id is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE expired RETURNING``:
  the database's unique key decides the race between replicas; an unexpired holder is left
  alone (no row returned) and read back in the same transaction;
* polling for cancel requests is one ``SELECT ... WHERE run_id IN (...)`` for all the runs a
  replica executes (chunked only past a few hundred ids, SQLite's bound-parameter limit).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from agentos.db._run_controls import (
    DEFAULT_CANCEL_TTL,
    CancelRequest,
    RequestClaim,
    RunControlStore,
    expiry_ms,
    now_ms,
)
from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

# Below SQLite's smallest bound-parameter limit (999 before 3.32); shared with ``_sqlite_controls``.
_CHUNK = 500


def chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def cancel_out(row: Mapping[str, Any]) -> CancelRequest:
    return CancelRequest(
        run_id=str(row["run_id"]),
        reason=row["reason"],
        requested_by=row["requested_by"],
        requested_at=int(row["cancel_requested_at"]) / 1000,
        expires_at=int(row["expires_at"]) / 1000,
    )


def claim_out(row: Mapping[str, Any], claimed: bool) -> RequestClaim:
    sequence = row["sequence"]
    return RequestClaim(
        key=str(row["request_key"]),
        fingerprint=str(row["fingerprint"]),
        run_id=str(row["run_id"]),
        sequence=int(sequence) if sequence is not None else None,
        created_at=int(row["created_at"]) / 1000,
        expires_at=int(row["expires_at"]) / 1000,
        claimed=claimed,
    )


class SqlRunControls(RunControlStore):
    """The run control methods of ``SqlDb`` (which provides the members declared below)."""

    if TYPE_CHECKING:
        _tables: dict[str, Table]

        def _insert(self, table: Table) -> Any: ...

        def _write(self, operation: str) -> AbstractAsyncContextManager[AsyncConnection]: ...

        def _read(self, operation: str) -> AbstractAsyncContextManager[AsyncConnection]: ...

    async def record_cancel_request(
        self,
        run_id: str,
        *,
        reason: str | None = None,
        requested_by: str | None = None,
        ttl_seconds: float = DEFAULT_CANCEL_TTL,
    ) -> CancelRequest:
        t = self._tables["run_control"]
        stamp = now_ms()
        row = {
            "run_id": run_id,
            "reason": reason,
            "requested_by": requested_by,
            "cancel_requested_at": stamp,
            "expires_at": expiry_ms(stamp, ttl_seconds),
        }
        ins = self._insert(t).values(row)
        stmt = ins.on_conflict_do_update(
            index_elements=[t.c.run_id], set_={k: ins.excluded[k] for k in row if k != "run_id"}
        )
        async with self._write("record_cancel_request") as conn:
            await conn.execute(stmt)
        return cancel_out(row)

    async def get_cancel_requests(self, run_ids: Sequence[str]) -> dict[str, CancelRequest]:
        if not run_ids:
            return {}
        t = self._tables["run_control"]
        stamp = now_ms()
        found: dict[str, CancelRequest] = {}
        async with self._read("get_cancel_requests") as conn:
            for chunk in chunks(run_ids):
                query = select(t).where(t.c.run_id.in_(chunk), t.c.expires_at > stamp)
                for row in (await conn.execute(query)).mappings():
                    request = cancel_out(dict(row))
                    found[request.run_id] = request
        return found

    async def delete_cancel_requests(self, run_ids: Sequence[str]) -> int:
        if not run_ids:
            return 0
        t = self._tables["run_control"]
        count = 0
        async with self._write("delete_cancel_requests") as conn:
            for chunk in chunks(run_ids):
                count += int((await conn.execute(delete(t).where(t.c.run_id.in_(chunk)))).rowcount)
        return count

    async def claim_request_id(
        self, key: str, *, fingerprint: str, run_id: str, ttl_seconds: float
    ) -> RequestClaim:
        t = self._tables["request_id"]
        stamp = now_ms()
        row = {
            "request_key": key,
            "fingerprint": fingerprint,
            "run_id": run_id,
            "sequence": None,
            "created_at": stamp,
            "expires_at": expiry_ms(stamp, ttl_seconds),
        }
        ins = self._insert(t).values(row)
        stmt = ins.on_conflict_do_update(
            index_elements=[t.c.request_key],
            set_={k: ins.excluded[k] for k in row if k != "request_key"},
            where=t.c.expires_at <= stamp,  # only an expired holder is replaced
        ).returning(*t.c)
        async with self._write("claim_request_id") as conn:
            won = (await conn.execute(stmt)).mappings().first()
            if won is not None:
                return claim_out(dict(won), claimed=True)
            held = (await conn.execute(select(t).where(t.c.request_key == key))).mappings().first()
        if held is None:  # unreachable: the conflict row is locked by this transaction
            raise RuntimeError(f"request_id claim {key} vanished during the claim")
        return claim_out(dict(held), claimed=False)

    async def get_request_claim(self, key: str) -> RequestClaim | None:
        t = self._tables["request_id"]
        query = select(t).where(t.c.request_key == key, t.c.expires_at > now_ms())
        async with self._read("get_request_claim") as conn:
            row = (await conn.execute(query)).mappings().first()
        return claim_out(dict(row), claimed=False) if row is not None else None

    async def mark_request_started(self, key: str, *, run_id: str, sequence: int) -> bool:
        t = self._tables["request_id"]
        stmt = update(t).where(t.c.request_key == key, t.c.run_id == run_id).values(sequence=int(sequence))
        async with self._write("mark_request_started") as conn:
            return int((await conn.execute(stmt)).rowcount) > 0

    async def release_request_claim(self, key: str, *, run_id: str) -> bool:
        t = self._tables["request_id"]
        stmt = delete(t).where(t.c.request_key == key, t.c.run_id == run_id)
        async with self._write("release_request_claim") as conn:
            return int((await conn.execute(stmt)).rowcount) > 0

    async def delete_expired_controls(self) -> int:
        stamp = now_ms()
        controls = self._tables["run_control"]
        claims = self._tables["request_id"]
        async with self._write("delete_expired_controls") as conn:
            gone = (await conn.execute(delete(controls).where(controls.c.expires_at <= stamp))).rowcount
            gone += (await conn.execute(delete(claims).where(claims.c.expires_at <= stamp))).rowcount
        return int(gone)
