"""Run control across replicas sharing a database: cancel requests and request_id claims.

One replica executes a run; any replica may receive the CancelRun, the retried CreateRun or the
ContinueRun about it. They meet in the database's run control tables (``agentos.db`` schema
1.1.0, see ``agentos.db._run_controls``):

* **cancel**: a replica that is asked to cancel a run it does not execute records a cancel
  request. Every replica polls for the runs it executes: one ``get_cancel_requests`` query
  per ``RunSettings.control_poll_interval`` (100 ms) for all of them, and only while it has
  any, so an idle replica costs the database nothing. A request found is handed to the local
  cancellation path (the run ends with an in-band RunCancelled and is stored cancelled) and
  deleted. Polling is the portable default on every backend; a PostgreSQL LISTEN/NOTIFY
  wake-up could replace the sleep between polls.
* **cancel-before-start**: CancelRun(allow_missing) of an unknown run id records the same
  request; whichever replica later starts a run with that (client-chosen) id reads it once
  before starting and starts the run already cancelled. Generated ids are never checked: no
  one can have cancelled them. Requests expire (``cancel_request_ttl``, 10 minutes); a request
  made by a non-admin user only cancels a run started by the same user.
* **request_id**: the first attempt on each replica claims ``(method, caller, request_id)`` in
  the database (insert-if-absent). The winner starts the run and marks the claim started with
  the sequence its events follow; a loser (a retry on another replica, or the slower of two
  concurrent attempts) waits for that mark and re-attaches to the winner's run. A failed
  attempt releases its claim, so a later retry runs again. Claims expire with the in-memory
  cache's TTL.

Without a database everything stays in the process (the in-memory registry and cache).
A replica that dies with runs in flight leaves them RUNNING in the database: nothing reaps them
yet, and a cancel request for them is answered with the run still RUNNING (see
``RunService``), then expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

import grpc
from agentos.db import BaseDb, CancelRequest, RequestClaim
from agentos.os._errors import Reason, RpcError
from agentos.os._idempotency import IdempotencyKey, fingerprint, request_id_reused, storage_key
from google.protobuf.message import Message

if TYPE_CHECKING:
    from agentos.os.runs._manager import RunEntry, RunManager

logger = logging.getLogger("agentos.os.runs")

CLEANUP_INTERVAL = 300.0
"""Seconds between sweeps of expired control rows (expiry is also enforced on every read)."""


class RunControl:
    """The cross-replica controls of one server's runs (see the module docstring)."""

    def __init__(self, manager: RunManager, *, claim_ttl: float) -> None:
        self._manager = manager
        self._claim_ttl = claim_ttl
        self._tracked: dict[str, RunEntry] = {}
        self._task: asyncio.Task[None] | None = None
        self._next_cleanup = time.monotonic() + CLEANUP_INTERVAL
        self._closed = False

    @property
    def db(self) -> BaseDb | None:
        """Where controls are kept: the server's first database (the same on every replica)."""
        databases = self._manager.databases()
        return databases[0] if databases else None

    # -- the owner's side: polling for cancel requests ------------------------------------------

    def track(self, entry: RunEntry) -> None:
        """Watch a run (segment) this replica executes for cancel requests from other replicas."""
        if self._closed or self.db is None:
            return
        self._tracked[entry.run_id] = entry
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._poll(), name="agentos-run-control")

    async def _poll(self) -> None:
        try:
            while True:
                await asyncio.sleep(self._manager.settings.control_poll_interval)
                for run_id in [run_id for run_id, entry in self._tracked.items() if not entry.active]:
                    del self._tracked[run_id]
                db = self.db
                if not self._tracked or db is None:
                    return
                try:
                    requests = await db.get_cancel_requests(list(self._tracked))
                    acted = [
                        run_id
                        for run_id, request in requests.items()
                        if self._manager.request_cancel(run_id, request.reason)
                    ]
                    if acted:
                        await db.delete_cancel_requests(acted)
                    await self._maybe_clean(db)
                except Exception as exc:  # storage trouble: keep the runs going, try again
                    logger.warning("run control: polling for cancel requests failed: %s", exc)
        finally:
            self._task = None

    async def _maybe_clean(self, db: BaseDb) -> None:
        if time.monotonic() < self._next_cleanup:
            return
        self._next_cleanup = time.monotonic() + CLEANUP_INTERVAL
        await db.delete_expired_controls()

    async def close(self) -> None:
        """Stop polling (at server shutdown: the runs are over or cancelled by then)."""
        self._closed = True
        self._tracked.clear()
        task = self._task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- the requester's side: recording cancels -----------------------------------------------

    async def record_cancel(self, run_id: str, reason: str, requested_by: str | None) -> bool:
        """Record a cancel request for a run this replica does not execute; False without a db."""
        db = self.db
        if db is None:
            return False
        await db.record_cancel_request(
            run_id,
            reason=reason,
            requested_by=requested_by,
            ttl_seconds=self._manager.settings.cancel_request_ttl,
        )
        await self._maybe_clean(db)
        return True

    async def withdraw_cancel(self, run_id: str) -> None:
        """Drop a cancel request this replica handled itself (e.g. the run paused meanwhile)."""
        db = self.db
        if db is not None:
            await db.delete_cancel_requests([run_id])

    async def cancel_before_start(self, run_id: str, starter: str) -> CancelRequest | None:
        """The pending cancel request for a client-chosen run id about to start, if it applies.

        ``starter`` is the caller key of the starting request: a request recorded by a
        non-admin user (``requested_by``) only cancels that user's run.
        """
        db = self.db
        if db is None:
            return None
        request = (await db.get_cancel_requests([run_id])).get(run_id)
        if request is None or (request.requested_by and request.requested_by != starter):
            return None
        return request

    # -- request_id claims ----------------------------------------------------------------------

    async def claim(self, key: IdempotencyKey, request: Message, run_id: str) -> RequestClaim | None:
        """Claim ``key`` for ``run_id``; None without a database.

        Returns the won claim (``claimed``), or the winner's claim once its run has started
        (``sequence`` set). Raises ALREADY_EXISTS when the winner's request differs, and
        UNAVAILABLE when the winner does not start within ``reattach_wait``.
        """
        db = self.db
        if db is None:
            return None
        stored_key = storage_key(key)
        digest = fingerprint(request)
        settings = self._manager.settings
        deadline = time.monotonic() + settings.reattach_wait
        while True:
            claim = await db.claim_request_id(
                stored_key, fingerprint=digest, run_id=run_id, ttl_seconds=self._claim_ttl
            )
            if claim.claimed:
                return claim
            if claim.fingerprint != digest:
                raise request_id_reused(key)
            held: RequestClaim | None = claim
            while held is not None and held.sequence is None and time.monotonic() < deadline:
                await asyncio.sleep(settings.remote_poll_interval)
                held = await db.get_request_claim(stored_key)
            if held is None:
                continue  # the winner failed and released it: this attempt runs anew
            if held.sequence is not None:
                return held
            raise RpcError(
                grpc.StatusCode.UNAVAILABLE,
                Reason.ERROR_REASON_UNSPECIFIED,
                f"the first attempt of request_id {key[2]!r} has not started its run yet; retry later",
                {"request_id": key[2], "run_id": held.run_id},
            )

    async def started(self, key: IdempotencyKey, run_id: str, sequence: int) -> None:
        db = self.db
        if db is not None:
            await db.mark_request_started(storage_key(key), run_id=run_id, sequence=sequence)

    async def release(self, key: IdempotencyKey, run_id: str) -> None:
        """Forget a failed attempt's claim (never raises: the attempt's own error matters)."""
        db = self.db
        if db is None:
            return
        try:
            await db.release_request_claim(storage_key(key), run_id=run_id)
        except Exception as exc:
            logger.warning("run control: could not release request_id claim of run %s: %s", run_id, exc)
