"""``BaseDb``: the async storage interface every backend implements.

There is one interface and it is async: the engine is async, and the sync ``Agent`` methods
wrap the async loop, so a sync twin of each method would only be a second copy to keep in step.

Shape of the data:

* sessions (agent, team and workflow in one table) carry no runs; each run is a row of the runs
  table, so ``save_run`` writes one run row and updates one session row whatever the length of
  the conversation;
* run events (for re-attaching to a run) are rows keyed by ``(run_id, sequence)``;
* memories are rows per user.

Ownership: read and delete methods that take ``user_id`` only see rows of that user when it is
given (None means "no restriction", the admin view). Writes refuse to take over a session or
memory stored for another user (``OwnershipError``).

Tables are created on first use by running the migrations (see ``MigrationManager``); the first
calls made concurrently wait for one another instead of racing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from agentos.db._codec import decode_json
from agentos.db._errors import StorageError
from agentos.db._loop_local import LoopLocks
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._run_controls import RunControlStore
from agentos.db._tables import TableNames
from agentos.db._versions import LATEST_VERSION, TABLE_TYPES, MigrationRequest, MigrationStep, SchemaVersion
from agentos.memory import UserMemory
from agentos.session import Session, SessionType

SortField = Literal["created_at", "updated_at"]


class BaseDb(RunControlStore, ABC):
    """Async storage for sessions, runs, run events and user memories.

    Plus run controls (cancel requests, request_id claims: see ``_run_controls``), which let
    replicas sharing the database cancel and deduplicate runs whichever replica executes them.
    """

    def __init__(self, *, id: str, table_names: TableNames) -> None:
        self.id = id
        self.table_names = table_names
        self._schema_ready = False
        # One lock per event loop: a database object is used from several loops (sync Agent
        # calls run on a private loop per thread); see ``_loops``.
        self._schema_locks = LoopLocks()

    # -- schema -------------------------------------------------------------------------------

    async def ensure_schema(self) -> None:
        """Create or upgrade the tables once per database object (every method calls this first).

        Concurrent first calls share one migration run; later calls return at once.
        """
        if self._schema_ready:
            return
        async with self._schema_locks.get():
            if self._schema_ready:
                return
            await self._migrate(MigrationRequest("up", LATEST_VERSION, TABLE_TYPES))
            self._schema_ready = True

    async def migrate(self, request: MigrationRequest) -> list[MigrationStep]:
        """Run a migration request (used by ``MigrationManager``); returns the steps applied.

        After a downgrade the next ordinary call provisions the latest schema again, as on
        first use.
        """
        async with self._schema_locks.get():
            steps = await self._migrate(request)
            self._schema_ready = (
                request.direction == "up"
                and request.target == LATEST_VERSION
                and (set(request.table_types) == set(TABLE_TYPES))
            )
            return steps

    async def schema_versions(self) -> dict[str, SchemaVersion | None]:
        """The schema version of each table type (None when the table was never created)."""
        return await self._read_schema_versions()

    @abstractmethod
    async def _migrate(self, request: MigrationRequest) -> list[MigrationStep]:
        """Plan (under the backend's migration lock) and apply a migration request atomically."""

    @abstractmethod
    async def _read_schema_versions(self) -> dict[str, SchemaVersion | None]: ...

    async def close(self) -> None:  # optional hook: only pooled backends hold resources
        """Release connections. The object stays usable: the next call reconnects."""

    # -- sessions -----------------------------------------------------------------------------

    @abstractmethod
    async def upsert_session(self, session: Session) -> Session:
        """Insert or replace a session and return it as stored (with its timestamps).

        ``created_at`` is kept from the first write; ``updated_at`` is set to now.
        """

    @abstractmethod
    async def upsert_sessions(self, sessions: Sequence[Session]) -> list[Session]:
        """Bulk ``upsert_session`` in one transaction: all are written or none."""

    @abstractmethod
    async def get_session(
        self, session_id: str, session_type: SessionType | None = None, user_id: str | None = None
    ) -> Session | None:
        """The session, or None when absent, of another type, or (with ``user_id``) another user's."""

    async def get_session_with_runs(
        self,
        session_id: str,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        *,
        last_n_runs: int | None = None,
        statuses: Sequence[str] | None = None,
        root_only: bool = False,
    ) -> tuple[Session | None, list[RunRecord]]:
        """The session (as ``get_session`` finds it) and, when it is found, its newest
        ``last_n_runs`` runs oldest first (as ``get_runs(session_id, limit=last_n_runs, ...)``
        selects them; ``last_n_runs=0`` reads no runs, None reads them all).

        This is what a run reads when it starts (its session and the runs its history replays):
        backends answer it in one round trip where they can, and from one snapshot. This
        default is the two separate calls.
        """
        session = await self.get_session(session_id, session_type, user_id)
        if session is None or last_n_runs == 0:
            return session, []
        runs = await self.get_runs(
            session_id, limit=last_n_runs, statuses=statuses, user_id=user_id, root_only=root_only
        )
        return session, runs

    @abstractmethod
    async def get_sessions(
        self,
        *,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
        order_by: SortField = "updated_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        page_token: str | None = None,
    ) -> Page[Session]:
        """Sessions matching every given filter (``session_name``: case-insensitive contains).

        Page with ``limit``/``offset`` or with the ``page_token`` of the previous page (which
        then replaces ``offset``). Raises ``ValueError`` for a bad page token.
        """

    @abstractmethod
    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        session_type: SessionType | None = None,
        user_id: str | None = None,
    ) -> Session | None:
        """Set the session's name; returns the updated session or None when not found."""

    @abstractmethod
    async def delete_session(self, session_id: str, user_id: str | None = None) -> bool:
        """Delete a session with its runs and their events; False when there was nothing to delete."""

    @abstractmethod
    async def delete_sessions(self, session_ids: Sequence[str], user_id: str | None = None) -> int:
        """Bulk ``delete_session`` in one transaction; returns how many sessions were deleted."""

    # -- runs ---------------------------------------------------------------------------------

    @abstractmethod
    async def save_run(self, session: Session, run: RunRecord | Mapping[str, Any]) -> None:
        """Store one turn in one transaction: insert or replace the run row and upsert the
        session row. A run given as a mapping is a run's ``to_dict()`` output.

        A run keeps its place in the session's order when saved again (e.g. after a pause).
        Raises ``OwnershipError`` when the session belongs to another user or the run id to
        another session; nothing is written then.
        """

    @abstractmethod
    async def get_run(self, run_id: str, user_id: str | None = None) -> RunRecord | None: ...

    @abstractmethod
    async def get_runs(
        self,
        session_id: str,
        *,
        limit: int | None = None,
        statuses: Sequence[str] | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        root_only: bool = False,
    ) -> list[RunRecord]:
        """A session's runs oldest → newest; ``limit`` keeps the last N (for history).

        ``statuses`` are run status values (a ``RunStatus`` member works: it is a str);
        ``root_only`` drops nested runs (those with a ``parent_run_id``).
        """

    @abstractmethod
    async def list_runs(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        statuses: Sequence[str] | None = None,
        root_only: bool = False,
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        page_token: str | None = None,
    ) -> Page[RunRecord]:
        """Runs across sessions, newest first by default, paged like ``get_sessions``.

        Within one session (``session_id`` given) the order is the session's run order; across
        sessions it is ``created_at`` then ``run_id``.
        """

    # -- run events ---------------------------------------------------------------------------

    @abstractmethod
    async def append_run_events(self, run_id: str, events: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """Store ``(sequence, event)`` pairs. Re-appending a stored sequence is ignored, so a
        retried append does not fail or duplicate."""

    async def append_run_events_json(self, run_id: str, events: Sequence[tuple[int, str]]) -> None:
        """``append_run_events`` with each event given as its JSON text (an object).

        For a writer that builds the text itself (the run event writer: hundreds of events per
        streamed answer, each an event name and base64): storage that keeps JSON text stores
        it as given (SqliteDb) instead of encoding a mapping again; this default decodes it.
        """
        records: list[tuple[int, Mapping[str, Any]]] = []
        for sequence, text in events:
            record = decode_json(text)
            if not isinstance(record, dict):
                raise StorageError(f"run event {run_id}#{sequence} is not a JSON object: {text[:100]!r}")
            records.append((sequence, record))
        await self.append_run_events(run_id, records)

    @abstractmethod
    async def get_run_events(
        self, run_id: str, after_sequence: int = 0, limit: int | None = None
    ) -> list[RunEventRecord]:
        """Events with ``sequence > after_sequence``, in sequence order."""

    # -- memories -----------------------------------------------------------------------------

    @abstractmethod
    async def upsert_user_memory(self, memory: UserMemory) -> UserMemory:
        """Insert or replace a memory and return it as stored (an id is assigned when missing)."""

    @abstractmethod
    async def upsert_memories(self, memories: Sequence[UserMemory]) -> list[UserMemory]:
        """Bulk ``upsert_user_memory`` in one transaction."""

    @abstractmethod
    async def get_user_memory(self, memory_id: str, user_id: str | None = None) -> UserMemory | None: ...

    @abstractmethod
    async def get_user_memories(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        topics: Sequence[str] | None = None,
        search_content: str | None = None,
        order_by: SortField = "updated_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        page_token: str | None = None,
    ) -> Page[UserMemory]:
        """Memories matching every filter; ``topics`` matches any of them, ``search_content`` is
        a case-insensitive contains on the memory text."""

    @abstractmethod
    async def delete_user_memory(self, memory_id: str, user_id: str | None = None) -> bool: ...

    @abstractmethod
    async def delete_user_memories(self, memory_ids: Sequence[str], user_id: str | None = None) -> int: ...

    @abstractmethod
    async def get_all_memory_topics(self, user_id: str | None = None) -> list[str]:
        """Every distinct topic, sorted."""

    @abstractmethod
    async def get_user_memory_stats(self, limit: int | None = None, offset: int = 0) -> Page[UserMemoryStats]:
        """Per-user memory counts, most recently updated user first (memories without a user
        are not counted)."""

    @abstractmethod
    async def clear_memories(self) -> None:
        """Delete every memory of every user."""
