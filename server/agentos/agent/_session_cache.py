"""``cache_session``: an Agent's in-memory copy of its recently used sessions and their last runs.

This is the one piece of cross-run data an Agent holds, and it is safe because it is only a
cache of what is in the database, never the source of a run's state:

* entries are keyed by session_id, so runs of different sessions (and users) never share one;
* every read hands out a deep copy of the session (a run mutates its own copy) and the runs
  are the stored form, rebuilt from what was written, which nothing mutates afterwards;
* a run's write replaces the entry with exactly what it wrote (write-through); writes through
  the Agent's session methods drop the entry; so the cache never serves data older than this
  Agent's own last write. Writes by other processes are not seen: that is what ``cache_session``
  trades for skipping the reads, as in Agno; leave it off when several replicas share sessions;
* it is bounded (least recently used sessions are evicted, and each keeps at most the runs the
  history needs) and guarded by a ``threading.Lock``, because one Agent is used from several
  threads and event loops; nothing is awaited while the lock is held.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentos.run import RunOutput
    from agentos.session import Session

MAX_SESSIONS = 256


@dataclass(slots=True)
class _Entry:
    session: Session
    # The newest completed root runs, oldest first; ``complete`` when these are all there are.
    runs: list[RunOutput] | None = None
    capacity: int = 0
    complete: bool = False


class SessionCache:
    """Bounded, thread-safe, per-session cache (see the module docstring)."""

    def __init__(self, max_sessions: int = MAX_SESSIONS) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._max = max_sessions

    def session(self, session_id: str) -> Session | None:
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None:
                return None
            self._entries.move_to_end(session_id)
            session = entry.session
        return copy.deepcopy(session)

    def runs(self, session_id: str, wanted: int) -> list[RunOutput] | None:
        """The newest ``wanted`` completed runs, or None when the cache cannot tell."""
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None or entry.runs is None:
                return None
            if wanted > len(entry.runs) and not entry.complete:
                return None
            return entry.runs[-wanted:] if wanted > 0 else []

    def put_session(self, session: Session) -> None:
        stored = copy.deepcopy(session)
        stored.runs = None
        with self._lock:
            entry = self._entries.get(session.session_id)
            if entry is None:
                self._entries[session.session_id] = _Entry(session=stored)
                self._evict()
            else:
                entry.session = stored
                self._entries.move_to_end(session.session_id)

    def put_runs(self, session_id: str, runs: list[RunOutput], *, capacity: int) -> None:
        """Remember the newest runs as loaded from the database with ``limit=capacity``."""
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None:
                return
            entry.runs = list(runs)
            entry.capacity = capacity
            entry.complete = len(runs) < capacity

    def add_run(self, session_id: str, run: RunOutput) -> None:
        """A completed run was stored: append it (replacing an earlier version of the same run)."""
        with self._lock:
            entry = self._entries.get(session_id)
            if entry is None or entry.runs is None:
                return
            runs = [r for r in entry.runs if r.run_id != run.run_id]
            runs.append(run)
            if len(runs) > entry.capacity:
                runs = runs[-entry.capacity :]
                entry.complete = False
            entry.runs = runs

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._entries.pop(session_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _evict(self) -> None:
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
