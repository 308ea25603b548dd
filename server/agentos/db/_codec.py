"""Rows ↔ domain objects, shared by the SQL and in-memory backends.

Rows are plain dicts keyed by column name. JSON columns hold decoded values, or a
``CorruptJson`` marker when the stored text was not JSON: decoding never raises, so the error
can be reported where the row id is known, as a ``CorruptRecordError`` naming table and row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentos.db._errors import CorruptRecordError, StorageError
from agentos.db._records import RunEventRecord, RunRecord
from agentos.memory import UserMemory
from agentos.session import Session, session_from_dict
from pydantic_core import from_json


@dataclass(frozen=True, slots=True)
class CorruptJson:
    """Stands in for a JSON column whose stored text does not parse."""

    raw: str


# One encoder for every column: ``json.dumps`` with non-default arguments builds a new
# JSONEncoder per call (a third of the cost of encoding a stored event).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def encode_json(value: Any) -> str:
    return _ENCODER.encode(value)


def decode_json(text: str | bytes) -> Any:
    """Parse a JSON column. pydantic-core's parser reads a stored run in about half the time of
    ``json.loads`` (every turn with history reads a few); the rare text it refuses but the
    standard parser accepts (a lone surrogate escape, say) is read by the standard parser."""
    try:
        return from_json(text)
    except ValueError:
        pass
    try:
        return json.loads(text)
    except ValueError:
        return CorruptJson(text if isinstance(text, str) else text.decode(errors="replace"))


def check_json(table: str, row_id: str, row: Mapping[str, Any], columns: tuple[str, ...]) -> None:
    """Fail before writing when a JSON column holds something JSON cannot represent."""
    for column in columns:
        try:
            encode_json(row[column])
        except (TypeError, ValueError) as exc:
            raise StorageError(f"cannot store {table}.{column} of row {row_id!r}: {exc}") from exc


def check_event_texts(run_id: str, events: Sequence[tuple[int, str]]) -> None:
    """Fail before writing when a run event given as JSON text is no object (``append_run_events_json``;
    whether the text is JSON at all the database checks as it stores it)."""
    for sequence, text in events:
        if text[:1] != "{":
            raise StorageError(f"run event {run_id}#{sequence} is not a JSON object: {text[:100]!r}")


def _json(table: str, row_id: str, row: Mapping[str, Any], column: str) -> Any:
    value = row.get(column)
    if isinstance(value, CorruptJson):
        raise CorruptRecordError(table, row_id, f"column {column} is not valid JSON: {value.raw[:80]!r}")
    return value


SESSION_JSON_COLUMNS = ("session_data", "agent_data", "team_data", "workflow_data", "metadata", "summary")


def session_to_row(session: Session) -> dict[str, Any]:
    """The stored form: ``session_name`` gets its own column (filtered, sorted and renamed
    without JSON functions) and is taken out of ``session_data`` so it has one source of truth."""
    data = session.to_dict()
    session_data = data.get("session_data")
    session_name = None
    if session_data is not None:
        session_data = dict(session_data)
        session_name = session_data.pop("session_name", None)
    return {
        "session_id": session.session_id,
        "session_type": session.session_type.value,
        "user_id": session.user_id,
        "agent_id": data.get("agent_id"),
        "team_id": data.get("team_id"),
        "workflow_id": session.workflow_id,
        "workflow_name": data.get("workflow_name"),
        "session_name": session_name,
        "session_data": session_data,
        "agent_data": data.get("agent_data"),
        "team_data": data.get("team_data"),
        "workflow_data": data.get("workflow_data"),
        "metadata": session.metadata,
        "summary": data.get("summary"),
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    }


def row_to_session(table: str, row: Mapping[str, Any]) -> Session:
    session_id = str(row.get("session_id"))
    data = {key: row.get(key) for key in row if key not in SESSION_JSON_COLUMNS}
    for column in SESSION_JSON_COLUMNS:
        data[column] = _json(table, session_id, row, column)
    session_data = data.get("session_data")
    name = row.get("session_name")
    if name is not None:
        if session_data is not None and not isinstance(session_data, dict):
            raise CorruptRecordError(table, session_id, "column session_data is not an object")
        data["session_data"] = {**(session_data or {}), "session_name": name}
    try:
        return session_from_dict(data)
    except (TypeError, ValueError, KeyError) as exc:
        raise CorruptRecordError(table, session_id, str(exc)) from exc


MEMORY_JSON_COLUMNS = ("topics",)


def memory_to_row(memory: UserMemory) -> dict[str, Any]:
    return memory.to_dict()


def row_to_memory(table: str, row: Mapping[str, Any]) -> UserMemory:
    memory_id = str(row.get("memory_id"))
    data = dict(row)
    data["topics"] = _json(table, memory_id, row, "topics")
    try:
        return UserMemory.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise CorruptRecordError(table, memory_id, str(exc)) from exc


RUN_JSON_COLUMNS = ("run_data",)


def run_to_row(run: RunRecord) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "session_id": run.session_id,
        "parent_run_id": run.parent_run_id,
        "user_id": run.user_id,
        "agent_id": run.agent_id,
        "team_id": run.team_id,
        "workflow_id": run.workflow_id,
        "status": run.status,
        "run_data": run.run_data,
        "created_at": run.created_at,
        "updated_at": run.updated_at,
    }


def row_to_run(table: str, row: Mapping[str, Any]) -> RunRecord:
    run_id = str(row.get("run_id"))
    run_data = _json(table, run_id, row, "run_data")
    if not isinstance(run_data, dict):
        raise CorruptRecordError(table, run_id, "column run_data is not an object")
    return RunRecord(
        run_id=run_id,
        session_id=str(row["session_id"]),
        run_data=run_data,
        status=row.get("status"),
        user_id=row.get("user_id"),
        agent_id=row.get("agent_id"),
        team_id=row.get("team_id"),
        workflow_id=row.get("workflow_id"),
        parent_run_id=row.get("parent_run_id"),
        created_at=row.get("created_at"),
        updated_at=row.get("updated_at"),
    )


def row_to_event(table: str, row: Mapping[str, Any]) -> RunEventRecord:
    row_id = f"{row.get('run_id')}#{row.get('sequence')}"
    event = _json(table, row_id, row, "event")
    if not isinstance(event, dict):
        raise CorruptRecordError(table, row_id, "column event is not an object")
    return RunEventRecord(
        run_id=str(row["run_id"]),
        sequence=int(row["sequence"]),
        event=event,
        created_at=int(row["created_at"]),
    )
