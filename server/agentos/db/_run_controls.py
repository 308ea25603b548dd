"""Run controls: what replicas sharing a database tell each other about runs.

Two kinds of rows, both short-lived (each carries its own expiry, enforced on every read and
removed by ``delete_expired_controls``):

* **cancel requests** (one per run id): "cancel this run". Written by the replica that received
  CancelRun when the run is not executing there (it executes on another replica, or has not
  started yet); read by the replica that executes it (one query for all of its in-flight runs
  per poll) and, for a run id chosen by the client, by whichever replica starts it;
* **request_id claims** (one per idempotency key): "the request with this key is served by run
  R". Claiming is insert-if-absent, so of two replicas receiving the same retried request at
  once exactly one wins and starts the run; the other re-attaches to R. ``sequence`` is None
  while the winner has not started its run (or run segment) yet, then the sequence its events
  follow.

Times are unix seconds (floats, millisecond precision in storage) from the writing replica's
clock: expiries are minutes long, so ordinary clock skew between replicas does not matter.

The methods are part of ``BaseDb`` (this is one of its bases) and documented here, next to the
records they return.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_CANCEL_TTL = 600.0
"""How long a cancel request waits for its run to start (or to be seen by its owner)."""


def now_ms() -> int:
    return int(time.time() * 1000)


def expiry_ms(stamp_ms: int, ttl_seconds: float) -> int:
    if ttl_seconds < 0:
        raise ValueError("ttl_seconds must not be negative")
    return stamp_ms + int(ttl_seconds * 1000)


@dataclass(frozen=True, slots=True)
class CancelRequest:
    """A pending request to cancel ``run_id`` (see the module docstring)."""

    run_id: str
    reason: str | None
    requested_by: str | None
    requested_at: float
    expires_at: float


@dataclass(frozen=True, slots=True)
class RequestClaim:
    """Which run serves an idempotency key (see the module docstring).

    ``claimed`` is True on the record returned to the caller that inserted it, False when the
    key was already held (the caller lost and should re-attach to ``run_id``).
    """

    key: str
    fingerprint: str
    run_id: str
    sequence: int | None
    created_at: float
    expires_at: float
    claimed: bool = False


class RunControlStore(ABC):
    """The run control part of the storage interface (a base of ``BaseDb``)."""

    @abstractmethod
    async def record_cancel_request(
        self,
        run_id: str,
        *,
        reason: str | None = None,
        requested_by: str | None = None,
        ttl_seconds: float = DEFAULT_CANCEL_TTL,
    ) -> CancelRequest:
        """Insert or refresh the cancel request of ``run_id`` (a later request replaces the
        reason and restarts the expiry)."""

    @abstractmethod
    async def get_cancel_requests(self, run_ids: Sequence[str]) -> dict[str, CancelRequest]:
        """The unexpired cancel requests among ``run_ids`` (one query, whatever their number)."""

    @abstractmethod
    async def delete_cancel_requests(self, run_ids: Sequence[str]) -> int:
        """Remove the cancel requests of these runs (once acted on); returns how many existed."""

    @abstractmethod
    async def claim_request_id(
        self, key: str, *, fingerprint: str, run_id: str, ttl_seconds: float
    ) -> RequestClaim:
        """Atomically claim ``key`` for ``run_id`` unless an unexpired claim holds it.

        Returns the claim as stored: ``claimed=True`` when this call won (an expired claim is
        replaced), else the holder's claim with ``claimed=False``.
        """

    @abstractmethod
    async def get_request_claim(self, key: str) -> RequestClaim | None:
        """The unexpired claim of ``key``, or None."""

    @abstractmethod
    async def mark_request_started(self, key: str, *, run_id: str, sequence: int) -> bool:
        """Record that the claim's run (segment) started after event ``sequence``; False when the
        claim is no longer ``run_id``'s."""

    @abstractmethod
    async def release_request_claim(self, key: str, *, run_id: str) -> bool:
        """Drop the claim if ``run_id`` still holds it (its attempt failed: a retry runs anew)."""

    @abstractmethod
    async def delete_expired_controls(self) -> int:
        """Remove expired cancel requests and claims; returns how many rows went."""
