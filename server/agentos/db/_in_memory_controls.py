"""Run controls (``_run_controls``) in plain Python: a base of ``InMemoryDb``.

Same rules as the SQL backends: claims are insert-if-absent under the database's lock, expiry
is enforced on every read, and the tables exist only while the run table type is at schema
1.1.0 or later (``apply_control_step`` follows the migrations).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agentos.db._errors import StorageError
from agentos.db._run_controls import (
    DEFAULT_CANCEL_TTL,
    CancelRequest,
    RequestClaim,
    RunControlStore,
    expiry_ms,
    now_ms,
)
from agentos.db._tables import TableNames
from agentos.db._versions import MigrationStep, SchemaVersion

CONTROLS_VERSION = SchemaVersion(1, 1, 0)
_CANCELS = "run_control"
_CLAIMS = "request_id"


class InMemoryRunControls(RunControlStore):
    """The run control methods of ``InMemoryDb`` (which provides the members declared below)."""

    if TYPE_CHECKING:
        _lock: threading.Lock
        _data: dict[str, dict[Any, dict[str, Any]]]
        table_names: TableNames

        async def ensure_schema(self) -> None: ...

    def apply_control_step(self, step: MigrationStep) -> None:
        """Create or drop the control tables with the run table type's 1.1.0 step (under the lock)."""
        if step.table_type != "run" or step.version != CONTROLS_VERSION:
            return
        for key in (_CANCELS, _CLAIMS):
            if step.direction == "up":
                self._data.setdefault(key, {})
            else:
                self._data.pop(key, None)

    def _control(self, key: str) -> dict[Any, dict[str, Any]]:
        table = self._data.get(key)
        if table is None:
            names = self.table_names
            name = names.run_control_table if key == _CANCELS else names.request_id_table
            raise StorageError(f"table {name!r} does not exist (it was migrated down)")
        return table

    async def record_cancel_request(
        self,
        run_id: str,
        *,
        reason: str | None = None,
        requested_by: str | None = None,
        ttl_seconds: float = DEFAULT_CANCEL_TTL,
    ) -> CancelRequest:
        stamp = now_ms()
        row = {
            "run_id": run_id,
            "reason": reason,
            "requested_by": requested_by,
            "requested_at": stamp,
            "expires_at": expiry_ms(stamp, ttl_seconds),
        }
        await self.ensure_schema()
        with self._lock:
            self._control(_CANCELS)[run_id] = row
        return _cancel_out(row)

    async def get_cancel_requests(self, run_ids: Sequence[str]) -> dict[str, CancelRequest]:
        if not run_ids:
            return {}
        await self.ensure_schema()
        stamp = now_ms()
        with self._lock:
            table = self._control(_CANCELS)
            rows = [table[run_id] for run_id in set(run_ids) if run_id in table]
        return {row["run_id"]: _cancel_out(row) for row in rows if row["expires_at"] > stamp}

    async def delete_cancel_requests(self, run_ids: Sequence[str]) -> int:
        if not run_ids:
            return 0
        await self.ensure_schema()
        with self._lock:
            table = self._control(_CANCELS)
            return sum(1 for run_id in set(run_ids) if table.pop(run_id, None) is not None)

    async def claim_request_id(
        self, key: str, *, fingerprint: str, run_id: str, ttl_seconds: float
    ) -> RequestClaim:
        stamp = now_ms()
        row: dict[str, Any] = {
            "key": key,
            "fingerprint": fingerprint,
            "run_id": run_id,
            "sequence": None,
            "created_at": stamp,
            "expires_at": expiry_ms(stamp, ttl_seconds),
        }
        await self.ensure_schema()
        with self._lock:
            table = self._control(_CLAIMS)
            held = table.get(key)
            if held is not None and held["expires_at"] > stamp:
                return _claim_out(dict(held), claimed=False)
            table[key] = row
        return _claim_out(row, claimed=True)

    async def get_request_claim(self, key: str) -> RequestClaim | None:
        await self.ensure_schema()
        with self._lock:
            held = self._control(_CLAIMS).get(key)
            row = dict(held) if held is not None else None
        if row is None or row["expires_at"] <= now_ms():
            return None
        return _claim_out(row, claimed=False)

    async def mark_request_started(self, key: str, *, run_id: str, sequence: int) -> bool:
        await self.ensure_schema()
        with self._lock:
            held = self._control(_CLAIMS).get(key)
            if held is None or held["run_id"] != run_id:
                return False
            held["sequence"] = int(sequence)
            return True

    async def release_request_claim(self, key: str, *, run_id: str) -> bool:
        await self.ensure_schema()
        with self._lock:
            table = self._control(_CLAIMS)
            held = table.get(key)
            if held is None or held["run_id"] != run_id:
                return False
            del table[key]
            return True

    async def delete_expired_controls(self) -> int:
        await self.ensure_schema()
        stamp = now_ms()
        gone = 0
        with self._lock:
            for name in (_CANCELS, _CLAIMS):
                table = self._control(name)
                for row_key in [k for k, row in table.items() if row["expires_at"] <= stamp]:
                    del table[row_key]
                    gone += 1
        return gone


def _cancel_out(row: dict[str, Any]) -> CancelRequest:
    return CancelRequest(
        run_id=row["run_id"],
        reason=row["reason"],
        requested_by=row["requested_by"],
        requested_at=row["requested_at"] / 1000,
        expires_at=row["expires_at"] / 1000,
    )


def _claim_out(row: dict[str, Any], claimed: bool) -> RequestClaim:
    return RequestClaim(
        key=row["key"],
        fingerprint=row["fingerprint"],
        run_id=row["run_id"],
        sequence=row["sequence"],
        created_at=row["created_at"] / 1000,
        expires_at=row["expires_at"] / 1000,
        claimed=claimed,
    )
