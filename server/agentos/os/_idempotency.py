"""``request_id`` idempotency for Create* RPCs: a retried request gets the first result.

Entries are keyed by ``(method, caller, request_id)`` (so two users cannot collide or read each
other's results) and remember a fingerprint of the request: the same request_id with a
different payload is a client bug, reported as ALREADY_EXISTS (REQUEST_ID_REUSED) instead of
returning a result for a request the client did not send. A retry that arrives while the first
attempt is still running waits for it instead of creating a second resource. A failed attempt
is forgotten, so the retry runs again.

The cache lives in the process: it is bounded (least recently used entries are dropped) and
entries expire. It is the fast path. Across replicas, the run service also claims each run
request's key in the database (``storage_key``; see ``agentos.os.runs._control``), so a retry
that a load balancer sends to another replica re-attaches to the first run. Session and memory
Create* requests are deduplicated per replica only: a retry of those that reaches another
replica creates a second resource.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from agentos.os._errors import Reason, RpcError
from google.protobuf.message import Message

T = TypeVar("T", bound=Message)

IdempotencyKey = tuple[str, str, str]


@dataclass(slots=True)
class _Entry:
    fingerprint: str
    future: asyncio.Future[Any]
    created: float


def fingerprint(request: Message) -> str:
    """A digest of the request's content (deterministic serialization)."""
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()


def storage_key(key: IdempotencyKey) -> str:
    """The key as stored in the database: a digest, so its length is bounded whatever the
    caller's request_id, and JSON-framed so no two keys collide."""
    return hashlib.sha256(json.dumps(list(key)).encode()).hexdigest()


def request_id_reused(key: IdempotencyKey) -> RpcError:
    """ALREADY_EXISTS: the same request_id came with a different payload (a client bug)."""
    return RpcError(
        grpc.StatusCode.ALREADY_EXISTS,
        Reason.ERROR_REASON_REQUEST_ID_REUSED,
        f"request_id {key[2]!r} was already used for a different {key[0]} request",
        metadata={"request_id": key[2]},
    )


class IdempotencyCache:
    """Bounded, expiring map from idempotency key to the first attempt's result."""

    def __init__(self, *, max_entries: int = 10_000, ttl_seconds: float = 24 * 3600.0) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max = max_entries
        self._ttl = ttl_seconds
        self._entries: OrderedDict[IdempotencyKey, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def ttl_seconds(self) -> float:
        """How long a first result is remembered (database claims use the same)."""
        return self._ttl

    async def run(self, key: IdempotencyKey, request: Message, create: Callable[[], Awaitable[T]]) -> T:
        """The result of ``create()`` for the first request with ``key``; the same result for retries.

        Results are returned as copies so a caller mutating its response cannot change what the
        next retry receives.
        """
        now = time.monotonic()
        digest = fingerprint(request)
        entry = self._entries.get(key)
        if entry is not None and now - entry.created > self._ttl:
            del self._entries[key]
            entry = None
        if entry is not None:
            if entry.fingerprint != digest:
                raise request_id_reused(key)
            self._entries.move_to_end(key)
            result: T = await asyncio.shield(entry.future)
            return _copy(result)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._entries[key] = _Entry(digest, future, now)
        self._evict()
        try:
            result = await create()
        except BaseException as exc:
            if self._entries.get(key) is not None and self._entries[key].future is future:
                del self._entries[key]
            if not future.done():
                if isinstance(exc, Exception):
                    future.set_exception(exc)
                    future.exception()  # mark retrieved: only waiting retries re-raise it
                else:
                    future.cancel()
            raise
        future.set_result(_copy(result))
        return result

    def _evict(self) -> None:
        while len(self._entries) > self._max:
            oldest_key, oldest = next(iter(self._entries.items()))
            if not oldest.future.done():
                # Never drop an attempt in progress (its retries wait on it); drop the next one.
                self._entries.move_to_end(oldest_key)
                if all(not e.future.done() for e in self._entries.values()):
                    return
                continue
            del self._entries[oldest_key]


def _copy(message: T) -> T:
    clone = type(message)()
    clone.CopyFrom(message)
    return clone
