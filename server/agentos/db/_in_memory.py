"""``InMemoryDb``: the storage contract in plain Python, for tests, demos and one-off scripts.

It keeps the same rules as the SQL backends (one-transaction writes, ownership checks, run
order, paging, schema versions), so code tested against it behaves the same on SQLite or
PostgreSQL. Rows are kept in stored form with JSON columns as text: what a caller gets back is
always a fresh copy, and later changes to the caller's objects never leak into storage.
A lock makes each operation atomic even when several threads share the object.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from agentos.db._base import BaseDb, SortField
from agentos.db._codec import (
    MEMORY_JSON_COLUMNS,
    RUN_JSON_COLUMNS,
    SESSION_JSON_COLUMNS,
    check_json,
    decode_json,
    encode_json,
    memory_to_row,
    row_to_event,
    row_to_memory,
    row_to_run,
    row_to_session,
    run_to_row,
    session_to_row,
)
from agentos.db._errors import OwnershipError, StorageError
from agentos.db._in_memory_controls import InMemoryRunControls
from agentos.db._paging import PageCursor, decode_page_token, encode_page_token
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._tables import TableNames
from agentos.db._util import check_paging, now
from agentos.db._versions import (
    BEFORE_FIRST,
    TABLE_TYPES,
    MigrationRequest,
    MigrationStep,
    SchemaVersion,
    plan_migrations,
)
from agentos.memory import UserMemory
from agentos.session import Session, SessionType

T = TypeVar("T")

_JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "session": SESSION_JSON_COLUMNS,
    "run": RUN_JSON_COLUMNS,
    "run_event": ("event",),
    "memory": MEMORY_JSON_COLUMNS,
}


def _contains(haystack: Any, needle: str) -> bool:
    return isinstance(haystack, str) and needle.lower() in haystack.lower()


def _page(
    rows: Iterable[dict[str, Any]],
    *,
    order_by: str,
    id_column: str,
    descending: bool,
    limit: int | None,
    offset: int,
    page_token: str | None,
    convert: Callable[[dict[str, Any]], T],
) -> Page[T]:
    check_paging(limit, offset)
    cursor = decode_page_token(page_token, order_by=order_by, descending=descending) if page_token else None
    ordered = sorted(rows, key=lambda row: (row[order_by], row[id_column]), reverse=descending)
    total = len(ordered)
    if cursor is not None:
        mark = (cursor.key, cursor.row_id)
        ordered = [
            row
            for row in ordered
            if (
                (row[order_by], row[id_column]) < mark
                if descending
                else (row[order_by], row[id_column]) > mark
            )
        ]
    elif offset:
        ordered = ordered[offset:]
    more = limit is not None and len(ordered) > limit
    if limit is not None:
        ordered = ordered[:limit]
    token = None
    if more and ordered:
        last = ordered[-1]
        token = encode_page_token(PageCursor(order_by, descending, last[order_by], str(last[id_column])))
    return Page(items=[convert(row) for row in ordered], total=total, next_page_token=token)


class InMemoryDb(InMemoryRunControls, BaseDb):
    """Storage that lives as long as the object; nothing touches the disk."""

    def __init__(
        self,
        *,
        session_table: str | None = None,
        run_table: str | None = None,
        run_event_table: str | None = None,
        memory_table: str | None = None,
        knowledge_table: str | None = None,
        metrics_table: str | None = None,
        eval_table: str | None = None,
        trace_table: str | None = None,
        span_table: str | None = None,
        versions_table: str | None = None,
        id: str | None = None,
    ) -> None:
        names = TableNames.with_defaults(
            session_table=session_table,
            run_table=run_table,
            run_event_table=run_event_table,
            memory_table=memory_table,
            knowledge_table=knowledge_table,
            metrics_table=metrics_table,
            eval_table=eval_table,
            trace_table=trace_table,
            span_table=span_table,
            versions_table=versions_table,
        )
        super().__init__(id=id or f"in-memory-{uuid.uuid4().hex[:12]}", table_names=names)
        self._lock = threading.Lock()
        self._data: dict[str, dict[Any, dict[str, Any]]] = {}
        self._versions: dict[str, SchemaVersion] = {}

    # -- stored form --------------------------------------------------------------------------

    def _table(self, table_type: str) -> dict[Any, dict[str, Any]]:
        table = self._data.get(table_type)
        if table is None:
            name = self.table_names.by_type()[table_type]
            raise StorageError(f"table {name!r} does not exist (it was migrated down)")
        return table

    def _name(self, table_type: str) -> str:
        return self.table_names.by_type()[table_type]

    def _encode(self, table_type: str, row_id: str, row: dict[str, Any]) -> dict[str, Any]:
        columns = _JSON_COLUMNS[table_type]
        check_json(self._name(table_type), row_id, row, columns)
        return {
            key: (encode_json(value) if key in columns and value is not None else value)
            for key, value in row.items()
        }

    def _decode(self, table_type: str, stored: Mapping[str, Any]) -> dict[str, Any]:
        columns = _JSON_COLUMNS[table_type]
        return {
            key: (decode_json(value) if key in columns and value is not None else value)
            for key, value in stored.items()
        }

    # -- migrations ---------------------------------------------------------------------------

    async def _migrate(self, request: MigrationRequest) -> list[MigrationStep]:
        with self._lock:
            current: dict[str, SchemaVersion | None] = {
                table_type: self._versions.get(self._name(table_type)) for table_type in TABLE_TYPES
            }
            steps = plan_migrations(request, current)
            for step in steps:
                if step.direction == "up":
                    self._data.setdefault(step.table_type, {})
                elif step.result_version == BEFORE_FIRST:
                    self._data.pop(step.table_type, None)
                name = self._name(step.table_type)
                if step.result_version == BEFORE_FIRST:
                    self._versions.pop(name, None)
                else:
                    self._versions[name] = step.result_version
                self.apply_control_step(step)
            return steps

    async def _read_schema_versions(self) -> dict[str, SchemaVersion | None]:
        with self._lock:
            return {table_type: self._versions.get(self._name(table_type)) for table_type in TABLE_TYPES}

    # -- sessions -----------------------------------------------------------------------------

    def _put_session(self, session: Session, stamp: int, count_run: bool) -> dict[str, Any]:
        """Upsert under the lock; returns the stored row. Raises before changing anything."""
        sessions = self._table("session")
        row = session_to_row(session)
        existing = sessions.get(session.session_id)
        if existing is not None and existing["user_id"] is not None and existing["user_id"] != row["user_id"]:
            raise OwnershipError(self._name("session"), session.session_id, "it belongs to another user")
        row["created_at"] = existing["created_at"] if existing else (row["created_at"] or stamp)
        row["updated_at"] = stamp
        run_count = existing["run_count"] if existing else 0
        row["run_count"] = run_count + 1 if count_run else run_count
        return self._encode("session", session.session_id, row)

    def _session_out(self, stored: Mapping[str, Any]) -> Session:
        return row_to_session(self._name("session"), self._decode("session", stored))

    async def upsert_session(self, session: Session) -> Session:
        return (await self.upsert_sessions([session]))[0]

    async def upsert_sessions(self, sessions: Sequence[Session]) -> list[Session]:
        await self.ensure_schema()
        stamp = now()
        with self._lock:
            table = self._table("session")
            staged: dict[str, dict[str, Any]] = {}
            for session in sessions:
                staged[session.session_id] = self._put_session(session, stamp, count_run=False)
            table.update(staged)
            return [self._session_out(staged[session.session_id]) for session in sessions]

    def _session_matches(
        self,
        row: Mapping[str, Any],
        *,
        session_type: SessionType | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
    ) -> bool:
        return (
            (session_type is None or row["session_type"] == SessionType(session_type).value)
            and (user_id is None or row["user_id"] == user_id)
            and (agent_id is None or row["agent_id"] == agent_id)
            and (team_id is None or row["team_id"] == team_id)
            and (workflow_id is None or row["workflow_id"] == workflow_id)
            and (not session_name or _contains(row["session_name"], session_name))
        )

    async def get_session(
        self, session_id: str, session_type: SessionType | None = None, user_id: str | None = None
    ) -> Session | None:
        await self.ensure_schema()
        with self._lock:
            row = self._table("session").get(session_id)
            if row is None or not self._session_matches(row, session_type=session_type, user_id=user_id):
                return None
            stored = dict(row)
        return self._session_out(stored)

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
        check_paging(last_n_runs, 0)
        await self.ensure_schema()
        wanted = {str(status) for status in statuses} if statuses is not None else None
        with self._lock:  # one snapshot: the runs belong to the session as read
            row = self._table("session").get(session_id)
            if row is None or not self._session_matches(row, session_type=session_type, user_id=user_id):
                return None, []
            stored = dict(row)
            runs: list[dict[str, Any]] = []
            if last_n_runs != 0:
                runs = [
                    dict(run)
                    for run in self._table("run").values()
                    if run["session_id"] == session_id
                    and (user_id is None or run["user_id"] == user_id)
                    and (wanted is None or run["status"] in wanted)
                    and (not root_only or run["parent_run_id"] is None)
                ]
        runs.sort(key=lambda run: int(run["run_order"]))
        if last_n_runs is not None:
            runs = runs[-last_n_runs:]
        return self._session_out(stored), [self._run_out(run) for run in runs]

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
        if order_by not in ("created_at", "updated_at"):
            raise ValueError(f"cannot order by {order_by!r}; use 'created_at' or 'updated_at'")
        await self.ensure_schema()
        with self._lock:
            rows = [
                dict(row)
                for row in self._table("session").values()
                if self._session_matches(
                    row,
                    session_type=session_type,
                    user_id=user_id,
                    agent_id=agent_id,
                    team_id=team_id,
                    workflow_id=workflow_id,
                    session_name=session_name,
                )
            ]
        return _page(
            rows,
            order_by=order_by,
            id_column="session_id",
            descending=descending,
            limit=limit,
            offset=offset,
            page_token=page_token,
            convert=self._session_out,
        )

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        session_type: SessionType | None = None,
        user_id: str | None = None,
    ) -> Session | None:
        await self.ensure_schema()
        with self._lock:
            table = self._table("session")
            row = table.get(session_id)
            if row is None or not self._session_matches(row, session_type=session_type, user_id=user_id):
                return None
            updated = {**row, "session_name": session_name, "updated_at": now()}
            table[session_id] = updated
        return self._session_out(updated)

    def _delete_sessions(self, session_ids: Iterable[str], user_id: str | None) -> int:
        sessions = self._table("session")
        runs = self._table("run")
        events = self._table("run_event")
        doomed = {
            sid
            for sid in session_ids
            if sid in sessions and (user_id is None or sessions[sid]["user_id"] == user_id)
        }
        run_ids = {run_id for run_id, run in runs.items() if run["session_id"] in doomed}
        for sid in doomed:
            del sessions[sid]
        for run_id in run_ids:
            del runs[run_id]
        for key in [key for key in events if key[0] in run_ids]:
            del events[key]
        return len(doomed)

    async def delete_session(self, session_id: str, user_id: str | None = None) -> bool:
        return await self.delete_sessions([session_id], user_id) > 0

    async def delete_sessions(self, session_ids: Sequence[str], user_id: str | None = None) -> int:
        await self.ensure_schema()
        with self._lock:
            return self._delete_sessions(session_ids, user_id)

    # -- runs ---------------------------------------------------------------------------------

    async def save_run(self, session: Session, run: RunRecord | Mapping[str, Any]) -> None:
        record = run if isinstance(run, RunRecord) else RunRecord.from_run_dict(run)
        if record.session_id != session.session_id:
            raise ValueError(
                f"run {record.run_id} is for session {record.session_id}, not {session.session_id}"
            )
        await self.ensure_schema()
        stamp = now()
        with self._lock:
            sessions = self._table("session")
            runs = self._table("run")
            session_row = self._put_session(session, stamp, count_run=True)
            existing = runs.get(record.run_id)
            if existing is not None and existing["session_id"] != record.session_id:
                raise OwnershipError(self._name("run"), record.run_id, "the run belongs to another session")
            run_row = run_to_row(record)
            run_row["run_order"] = existing["run_order"] if existing else session_row["run_count"]
            run_row["created_at"] = existing["created_at"] if existing else (run_row["created_at"] or stamp)
            run_row["updated_at"] = stamp
            encoded = self._encode("run", record.run_id, run_row)
            sessions[session.session_id] = session_row
            runs[record.run_id] = encoded

    def _run_out(self, stored: Mapping[str, Any]) -> RunRecord:
        return row_to_run(self._name("run"), self._decode("run", stored))

    async def get_run(self, run_id: str, user_id: str | None = None) -> RunRecord | None:
        await self.ensure_schema()
        with self._lock:
            row = self._table("run").get(run_id)
            if row is None or (user_id is not None and row["user_id"] != user_id):
                return None
            stored = dict(row)
        return self._run_out(stored)

    def _select_runs(
        self,
        *,
        session_id: str | None,
        user_id: str | None,
        agent_id: str | None,
        team_id: str | None,
        workflow_id: str | None,
        statuses: Sequence[str] | None,
        root_only: bool,
    ) -> list[dict[str, Any]]:
        wanted = {str(status) for status in statuses} if statuses is not None else None
        with self._lock:
            return [
                dict(row)
                for row in self._table("run").values()
                if (session_id is None or row["session_id"] == session_id)
                and (user_id is None or row["user_id"] == user_id)
                and (agent_id is None or row["agent_id"] == agent_id)
                and (team_id is None or row["team_id"] == team_id)
                and (workflow_id is None or row["workflow_id"] == workflow_id)
                and (wanted is None or row["status"] in wanted)
                and (not root_only or row["parent_run_id"] is None)
            ]

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
        check_paging(limit, 0)
        await self.ensure_schema()
        rows = self._select_runs(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            statuses=statuses,
            root_only=root_only,
        )
        rows.sort(key=lambda row: int(row["run_order"]))
        if limit is not None:
            rows = rows[-limit:] if limit else []
        return [self._run_out(row) for row in rows]

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
        await self.ensure_schema()
        rows = self._select_runs(
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            statuses=statuses,
            root_only=root_only,
        )
        return _page(
            rows,
            order_by="run_order" if session_id is not None else "created_at",
            id_column="run_id",
            descending=descending,
            limit=limit,
            offset=offset,
            page_token=page_token,
            convert=self._run_out,
        )

    # -- run events ---------------------------------------------------------------------------

    async def append_run_events(self, run_id: str, events: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        if not events:
            return
        await self.ensure_schema()
        stamp = now()
        staged = {
            (run_id, int(sequence)): self._encode(
                "run_event",
                f"{run_id}#{sequence}",
                {"run_id": run_id, "sequence": int(sequence), "event": dict(event), "created_at": stamp},
            )
            for sequence, event in events
        }
        with self._lock:
            table = self._table("run_event")
            for key, row in staged.items():
                table.setdefault(key, row)

    async def get_run_events(
        self, run_id: str, after_sequence: int = 0, limit: int | None = None
    ) -> list[RunEventRecord]:
        check_paging(limit, 0)
        await self.ensure_schema()
        with self._lock:
            rows = [
                dict(row)
                for (rid, sequence), row in self._table("run_event").items()
                if rid == run_id and sequence > after_sequence
            ]
        rows.sort(key=lambda row: int(row["sequence"]))
        if limit is not None:
            rows = rows[:limit]
        name = self._name("run_event")
        return [row_to_event(name, self._decode("run_event", row)) for row in rows]

    # -- memories -----------------------------------------------------------------------------

    def _memory_out(self, stored: Mapping[str, Any]) -> UserMemory:
        return row_to_memory(self._name("memory"), self._decode("memory", stored))

    async def upsert_user_memory(self, memory: UserMemory) -> UserMemory:
        return (await self.upsert_memories([memory]))[0]

    async def upsert_memories(self, memories: Sequence[UserMemory]) -> list[UserMemory]:
        await self.ensure_schema()
        stamp = now()
        with self._lock:
            table = self._table("memory")
            staged: list[dict[str, Any]] = []
            for memory in memories:
                row = memory_to_row(memory)
                row["memory_id"] = row["memory_id"] or str(uuid.uuid4())
                existing = table.get(row["memory_id"])
                if (
                    existing is not None
                    and existing["user_id"] is not None
                    and existing["user_id"] != row["user_id"]
                ):
                    raise OwnershipError(self._name("memory"), row["memory_id"], "it belongs to another user")
                row["created_at"] = existing["created_at"] if existing else (row["created_at"] or stamp)
                row["updated_at"] = row["updated_at"] or stamp
                staged.append(self._encode("memory", row["memory_id"], row))
            for row in staged:
                table[row["memory_id"]] = row
        return [self._memory_out(row) for row in staged]

    async def get_user_memory(self, memory_id: str, user_id: str | None = None) -> UserMemory | None:
        await self.ensure_schema()
        with self._lock:
            row = self._table("memory").get(memory_id)
            if row is None or (user_id is not None and row["user_id"] != user_id):
                return None
            stored = dict(row)
        return self._memory_out(stored)

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
        if order_by not in ("created_at", "updated_at"):
            raise ValueError(f"cannot order by {order_by!r}; use 'created_at' or 'updated_at'")
        await self.ensure_schema()
        wanted = set(topics or ())

        def has_topic(row: Mapping[str, Any]) -> bool:
            stored = decode_json(row["topics"]) if row["topics"] is not None else None
            return isinstance(stored, list) and bool(
                wanted.intersection(t for t in stored if isinstance(t, str))
            )

        with self._lock:
            rows = [
                dict(row)
                for row in self._table("memory").values()
                if (user_id is None or row["user_id"] == user_id)
                and (agent_id is None or row["agent_id"] == agent_id)
                and (team_id is None or row["team_id"] == team_id)
                and (not wanted or has_topic(row))
                and (not search_content or _contains(row["memory"], search_content))
            ]
        return _page(
            rows,
            order_by=order_by,
            id_column="memory_id",
            descending=descending,
            limit=limit,
            offset=offset,
            page_token=page_token,
            convert=self._memory_out,
        )

    async def delete_user_memory(self, memory_id: str, user_id: str | None = None) -> bool:
        return await self.delete_user_memories([memory_id], user_id) > 0

    async def delete_user_memories(self, memory_ids: Sequence[str], user_id: str | None = None) -> int:
        await self.ensure_schema()
        with self._lock:
            table = self._table("memory")
            doomed = {
                mid
                for mid in memory_ids
                if mid in table and (user_id is None or table[mid]["user_id"] == user_id)
            }
            for mid in doomed:
                del table[mid]
            return len(doomed)

    async def get_all_memory_topics(self, user_id: str | None = None) -> list[str]:
        await self.ensure_schema()
        found: set[str] = set()
        with self._lock:
            for row in self._table("memory").values():
                if (user_id is not None and row["user_id"] != user_id) or row["topics"] is None:
                    continue
                stored = decode_json(row["topics"])
                if isinstance(stored, list):
                    found.update(topic for topic in stored if isinstance(topic, str))
        return sorted(found)

    async def get_user_memory_stats(self, limit: int | None = None, offset: int = 0) -> Page[UserMemoryStats]:
        check_paging(limit, offset)
        await self.ensure_schema()
        stats: dict[str, UserMemoryStats] = {}
        with self._lock:
            for row in self._table("memory").values():
                user = row["user_id"]
                if user is None:
                    continue
                entry = stats.setdefault(user, UserMemoryStats(user, 0, None))
                entry.total_memories += 1
                updated = row["updated_at"]
                if entry.last_memory_updated_at is None or updated > entry.last_memory_updated_at:
                    entry.last_memory_updated_at = updated
        ordered = sorted(stats.values(), key=lambda s: (-(s.last_memory_updated_at or 0), s.user_id))
        page = ordered[offset:]
        if limit is not None:
            page = page[:limit]
        return Page(items=page, total=len(ordered))

    async def clear_memories(self) -> None:
        await self.ensure_schema()
        with self._lock:
            self._table("memory").clear()
