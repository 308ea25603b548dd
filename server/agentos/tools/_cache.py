"""Tool result caching (``cache_results``), in memory or as JSON files in ``cache_dir``.

Caching exists for expensive, deterministic tools (search, lookups) that models tend to call
again with the same arguments. Entries are keyed on the tool name plus the canonical JSON of its
arguments and expire after ``ttl`` seconds. File access runs in a worker thread so the event loop
never blocks on disk.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger("agentos.tools")

_MISS: Any = object()


def cache_key(function_name: str, arguments: Mapping[str, Any]) -> str:
    """A stable key: the same name and arguments (in any key order) give the same key."""
    canonical = json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=_fallback)
    return hashlib.sha256(f"{function_name}\x00{canonical}".encode()).hexdigest()


def _fallback(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return repr(value)


class ToolResultCache:
    """A TTL cache of tool results.

    With ``cache_dir`` the entries are JSON files there (only JSON-serialisable results are
    stored; others are kept for this process only); without it they live in memory.
    ``clock`` returns the current time in seconds and is injectable so expiry is testable
    without sleeping. The memory store is only touched from the event loop thread.
    """

    def __init__(
        self,
        *,
        ttl: float | None = 3600,
        cache_dir: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ttl = ttl
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.clock = clock
        self._memory: dict[str, tuple[float | None, Any]] = {}

    def _expires_at(self) -> float | None:
        return None if self.ttl is None else self.clock() + self.ttl

    def _fresh(self, expires_at: float | None) -> bool:
        return expires_at is None or self.clock() < expires_at

    async def get(self, key: str) -> Any:
        """The cached result, or ``MISS`` (see ``is_miss``)."""
        entry = self._memory.get(key)
        if entry is not None:
            if self._fresh(entry[0]):
                return entry[1]
            del self._memory[key]
        if self.cache_dir is None:
            return _MISS
        stored = await asyncio.to_thread(self._read_file, key)
        if stored is _MISS:
            return _MISS
        expires_at, value = stored
        if not self._fresh(expires_at):
            await asyncio.to_thread(self._remove_file, key)
            return _MISS
        return value

    async def set(self, key: str, value: Any) -> None:
        expires_at = self._expires_at()
        if self.cache_dir is not None:
            try:
                payload = json.dumps({"expires_at": expires_at, "result": value})
            except (TypeError, ValueError):
                logger.debug("tool result for cache key %s is not JSON; cached in memory only", key)
            else:
                await asyncio.to_thread(self._write_file, key, payload)
                return
        self._memory[key] = (expires_at, value)

    def clear(self) -> None:
        """Forget every in-memory entry (files in ``cache_dir`` are left alone)."""
        self._memory.clear()

    @staticmethod
    def is_miss(value: Any) -> bool:
        return value is _MISS

    # File store (runs in worker threads).

    def _path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / f"{key}.json"

    def _read_file(self, key: str) -> Any:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return _MISS
        if not isinstance(data, dict) or "result" not in data:
            return _MISS
        expires_at = data.get("expires_at")
        return (float(expires_at) if expires_at is not None else None, data["result"])

    def _write_file(self, key: str, payload: str) -> None:
        assert self.cache_dir is not None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename so a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(tmp, self._path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _remove_file(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
