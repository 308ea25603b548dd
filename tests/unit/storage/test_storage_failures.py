"""Failures: corrupt stored rows, values JSON cannot hold, and the database going away."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from agentos.db import (
    BaseDb,
    CorruptRecordError,
    PostgresDb,
    SqliteDb,
    StorageError,
    StorageUnavailableError,
)
from agentos.memory import UserMemory
from agentos.session import AgentSession
from postgres import PostgresServer
from sqlalchemy import text

DbFactory = Callable[[], Awaitable[BaseDb]]


async def tamper(db: BaseDb, table: str, column: str, key: str, row_id: str, value: str) -> None:
    """Write a raw value behind the storage layer's back, as a broken tool or manual edit would."""
    assert isinstance(db, SqliteDb | PostgresDb)
    qualified = f'"{db.db_schema}"."{table}"' if db.db_schema else f'"{table}"'
    param = "CAST(:v AS jsonb)" if isinstance(db, PostgresDb) else ":v"
    async with db.engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE {qualified} SET {column} = {param} WHERE {key} = :id"), {"v": value, "id": row_id}
        )


@pytest.mark.sql_only
async def test_unexpected_session_json_names_table_and_row(db: BaseDb) -> None:
    await db.upsert_session(AgentSession(session_id="good"))
    await db.upsert_session(AgentSession(session_id="broken"))
    table = db.table_names.session_table
    await tamper(db, table, "session_data", "session_id", "broken", '"just a string"')
    with pytest.raises(CorruptRecordError) as info:
        await db.get_session("broken")
    assert info.value.table == table and info.value.row_id == "broken"
    assert "session_data" in str(info.value)
    with pytest.raises(CorruptRecordError, match="broken"):
        await db.get_sessions()
    assert await db.get_session("good") is not None

    await tamper(db, table, "summary", "session_id", "good", "[1, 2]")
    with pytest.raises(CorruptRecordError, match="'good'"):
        await db.get_session("good")


@pytest.mark.sql_only
async def test_unexpected_run_memory_and_event_json(db: BaseDb) -> None:
    await db.save_run(AgentSession(session_id="s"), {"run_id": "r1", "session_id": "s"})
    await tamper(db, db.table_names.run_table, "run_data", "run_id", "r1", "[]")
    with pytest.raises(CorruptRecordError, match="'r1'"):
        await db.get_run("r1")
    with pytest.raises(CorruptRecordError, match="'r1'"):
        await db.get_runs("s")

    memory = await db.upsert_user_memory(UserMemory("m", topics=["a"], user_id="u"))
    await tamper(db, db.table_names.memory_table, "topics", "memory_id", str(memory.memory_id), '{"a": 1}')
    with pytest.raises(CorruptRecordError, match=str(memory.memory_id)):
        await db.get_user_memory(str(memory.memory_id))

    await db.append_run_events("r1", [(1, {"event": "RunStarted"})])
    await tamper(db, db.table_names.run_event_table, "event", "run_id", "r1", "7")
    with pytest.raises(CorruptRecordError, match="r1#1"):
        await db.get_run_events("r1")


async def test_text_that_is_not_json_is_reported_not_crashed(tmp_path: Path) -> None:
    db = SqliteDb(db_file=tmp_path / "corrupt.db")
    await db.upsert_session(AgentSession(session_id="s", metadata={"ok": True}))
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE agentos_sessions SET metadata = '{not json' WHERE session_id = 's'"))
    with pytest.raises(CorruptRecordError) as info:
        await db.get_session("s")
    assert info.value.row_id == "s" and "metadata" in info.value.reason
    # Listing topics skips unparsable rows rather than failing the whole call.
    await db.upsert_user_memory(UserMemory("m", memory_id="m1", topics=["x"], user_id="u"))
    await db.upsert_user_memory(UserMemory("n", memory_id="m2", topics=["y"], user_id="u"))
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE agentos_memories SET topics = '[oops' WHERE memory_id = 'm1'"))
    assert await db.get_all_memory_topics() == ["y"]
    assert [m.memory_id for m in (await db.get_user_memories(topics=["y"])).items] == ["m2"]
    await db.close()


async def test_values_json_cannot_hold_are_refused_before_writing(db: BaseDb) -> None:
    session = AgentSession(session_id="s", session_data={"session_state": {"when": object()}})
    with pytest.raises(StorageError, match="session_data"):
        await db.upsert_session(session)
    with pytest.raises(StorageError):
        await db.save_run(AgentSession(session_id="s"), {"run_id": "r", "session_id": "s", "bad": {1, 2}})
    assert await db.get_session("s") is None
    assert await db.get_run("r") is None


async def test_sqlite_file_gone_is_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = SqliteDb(db_file=folder / "agentos.db")
    session = AgentSession(session_id="s", user_id="u", session_data={"session_state": {"n": 1}})
    await db.save_run(session, {"run_id": "r1", "session_id": "s"})
    await db.close()
    shutil.rmtree(folder)
    with pytest.raises(StorageUnavailableError):
        await db.get_session("s")
    run: dict[str, Any] = {"run_id": "r2", "session_id": "s", "content": "keep me"}
    with pytest.raises(StorageUnavailableError):
        await db.save_run(session, run)
    # The caller still holds its input, untouched, to retry or report.
    assert run == {"run_id": "r2", "session_id": "s", "content": "keep me"}
    assert session.session_state == {"n": 1}
    await db.close()


@pytest.mark.postgres
async def test_postgres_going_away_is_unavailable_and_nothing_is_half_written(
    disposable_postgres: PostgresServer,
) -> None:
    db = PostgresDb(disposable_postgres.url, db_schema="outage", connect_timeout=5)
    session = AgentSession(session_id="s", user_id="u")
    await db.save_run(session, {"run_id": "r1", "session_id": "s"})

    disposable_postgres.stop()
    run = {"run_id": "r2", "session_id": "s", "content": "the second turn"}
    with pytest.raises(StorageUnavailableError):
        await db.save_run(session, run)
    with pytest.raises(StorageUnavailableError):
        await db.get_runs("s")

    disposable_postgres.start()
    assert [r.run_id for r in await db.get_runs("s")] == ["r1"]
    await db.save_run(session, run)
    assert [r.run_id for r in await db.get_runs("s")] == ["r1", "r2"]
    await db.close()
