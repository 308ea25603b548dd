"""The SQL text of the SQLite fast path, built once per database object from its table names.

Plain SQL strings instead of SQLAlchemy constructs: the statements of the hot path (read a
session, read its last runs, save a run) are fixed strings, so the ``sqlite3`` module's
statement cache prepares each of them once per connection and every later call only binds and
steps. The shapes mirror what SQLAlchemy compiled for the same operations (``_sql``), so both
paths read and write the same tables the same way; the schema itself is still created by the
migrations (``_sql_schema``), which is not hot.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentos.db._tables import TableNames

SESSION_COLUMNS = (
    "session_id",
    "session_type",
    "user_id",
    "agent_id",
    "team_id",
    "workflow_id",
    "workflow_name",
    "session_name",
    "session_data",
    "agent_data",
    "team_data",
    "workflow_data",
    "metadata",
    "summary",
    "run_count",
    "created_at",
    "updated_at",
)
RUN_COLUMNS = (
    "run_id",
    "session_id",
    "run_order",
    "parent_run_id",
    "user_id",
    "agent_id",
    "team_id",
    "workflow_id",
    "status",
    "run_data",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = ("run_id", "sequence", "event", "created_at")
MEMORY_COLUMNS = (
    "memory_id",
    "user_id",
    "agent_id",
    "team_id",
    "memory",
    "topics",
    "input",
    "created_at",
    "updated_at",
)
# Columns a session write takes from the caller (run_count is the database's own counter).
SESSION_WRITE_COLUMNS = tuple(c for c in SESSION_COLUMNS if c != "run_count")
# Columns an upsert must not overwrite (as in ``_sql``).
_SESSION_KEEP = ("session_id", "created_at", "run_count")
_RUN_KEEP = ("run_id", "session_id", "run_order", "created_at")
_MEMORY_KEEP = ("memory_id", "created_at")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def where(conditions: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def escape_like(text: str) -> str:
    """Escape LIKE's wildcards with '/' (the escape character the statements declare)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


CONTAINS = "lower({column}) LIKE '%' || lower(?) || '%' ESCAPE '/'"
"""Case-insensitive "contains" (bind ``escape_like(text)``), as SQLAlchemy's ``icontains``."""


def _upsert(table: str, columns: Sequence[str], key: str, keep: Sequence[str], owner_check: bool) -> str:
    sets = [f"{c} = excluded.{c}" for c in columns if c not in keep]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders(len(columns))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(sets)}"
    )
    if owner_check:
        # A row stored without a user may be claimed; a row of another user may not.
        sql += f" WHERE {table}.user_id IS NULL OR {table}.user_id = excluded.user_id"
    return sql


class SqliteSql:
    """Every fixed statement of the fast path for one set of table names."""

    def __init__(self, names: TableNames) -> None:
        s = self.sessions = quote(names.session_table)
        r = self.runs = quote(names.run_table)
        e = self.events = quote(names.run_event_table)
        m = self.memories = quote(names.memory_table)
        self.names = names

        session_cols = ", ".join(SESSION_COLUMNS)
        self.select_sessions = f"SELECT {session_cols} FROM {s}"
        self.select_runs = f"SELECT {', '.join(RUN_COLUMNS)} FROM {r}"
        self.select_events = f"SELECT {', '.join(EVENT_COLUMNS)} FROM {e}"
        self.select_memories = f"SELECT {', '.join(MEMORY_COLUMNS)} FROM {m}"

        self.upsert_session = (
            _upsert(s, SESSION_WRITE_COLUMNS, "session_id", _SESSION_KEEP, owner_check=True)
            + f" RETURNING {session_cols}"
        )
        # save_run, statement 1: upsert the session row and bump its run counter; the counter
        # is the run's place in the session's order (NULL back: the session is another user's).
        save_cols = (*SESSION_WRITE_COLUMNS, "run_count")
        save_sets = [f"{c} = excluded.{c}" for c in save_cols if c not in _SESSION_KEEP]
        save_sets.append(f"run_count = {s}.run_count + 1")
        self.save_run_session = (
            f"INSERT INTO {s} ({', '.join(save_cols)}) VALUES ({placeholders(len(save_cols))}) "
            f"ON CONFLICT (session_id) DO UPDATE SET {', '.join(save_sets)} "
            f"WHERE {s}.user_id IS NULL OR {s}.user_id = excluded.user_id RETURNING run_count"
        )
        # save_run, statement 2: upsert the run row; a run keeps its session, place and creation
        # time, and a run id of another session is refused (nothing comes back).
        run_upsert = _upsert(r, RUN_COLUMNS, "run_id", _RUN_KEEP, owner_check=False)
        self.save_run_run = f"{run_upsert} WHERE {r}.session_id = excluded.session_id RETURNING run_id"

        self.session_by_id = f"{self.select_sessions} WHERE session_id = ?"
        self.run_by_id = f"{self.select_runs} WHERE run_id = ?"

        self.append_event = (
            f"INSERT INTO {e} ({', '.join(EVENT_COLUMNS)}) VALUES ({placeholders(len(EVENT_COLUMNS))}) "
            "ON CONFLICT (run_id, sequence) DO NOTHING"
        )
        # The same rows from ONE parameter: a JSON array of [sequence, event] pairs that SQLite
        # takes apart itself (json_each), so a batch is one statement that runs without the GIL
        # instead of a row binding per event (see ``_sqlite_ops.append_run_events``). The WHERE
        # keeps SQLite from reading ON CONFLICT as a join constraint.
        self.append_events_json = (
            f"INSERT INTO {e} ({', '.join(EVENT_COLUMNS)}) "
            "SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ? "
            "FROM json_each(?) WHERE true ON CONFLICT (run_id, sequence) DO NOTHING"
        )
        self.events_after = f"{self.select_events} WHERE run_id = ? AND sequence > ? ORDER BY sequence"

        self.upsert_memory = (
            _upsert(m, MEMORY_COLUMNS, "memory_id", _MEMORY_KEEP, owner_check=True)
            + f" RETURNING {', '.join(MEMORY_COLUMNS)}"
        )
        self.memory_by_id = f"{self.select_memories} WHERE memory_id = ?"
        # json_each() fails on malformed text: such a row counts as having no topics here
        # (reading the row itself reports the corruption).
        self.topics_array = f"CASE WHEN json_valid({m}.topics) = 1 THEN {m}.topics ELSE '[]' END"
        self.distinct_topics = (
            f"SELECT DISTINCT each.value FROM {m} JOIN json_each({self.topics_array}) AS each "
            "WHERE each.type = 'text'"
        )

    def topics_any(self, count: int) -> str:
        """Memories whose topics include any of ``count`` bound values."""
        return (
            f"EXISTS (SELECT 1 FROM json_each({self.topics_array}) AS each "
            f"WHERE each.value IN ({placeholders(count)}))"
        )
