"""Schema migrations: versions, up/down per table type, idempotent and concurrent start-up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from agentos.db import (
    TABLE_TYPES,
    BaseDb,
    InMemoryDb,
    MigrationManager,
    PostgresDb,
    SchemaVersion,
    SchemaVersionError,
    SqliteDb,
)
from agentos.memory import UserMemory
from agentos.session import AgentSession
from sqlalchemy import inspect, text

V1 = SchemaVersion(1, 0, 0)
LATEST = SchemaVersion(1, 1, 0)  # 1.1.0: run control tables join the run table type
DbFactory = Callable[[], Awaitable[BaseDb]]


async def table_names(db: BaseDb) -> set[str]:
    assert isinstance(db, SqliteDb | PostgresDb)
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names(schema=db.db_schema))
    return set(names)


def test_versions_are_listed() -> None:
    manager = MigrationManager(InMemoryDb())
    assert manager.latest_schema_version == LATEST
    assert manager.available_versions == [("v1_0_0", V1), ("v1_1_0", LATEST)]
    assert str(V1) == "1.0.0" and SchemaVersion.parse("v1_0_0") == V1


async def test_first_use_provisions_every_table(db: BaseDb) -> None:
    manager = MigrationManager(db)
    assert set((await manager.current_versions()).values()) == {None}
    await db.upsert_session(AgentSession(session_id="s"))
    assert await manager.current_versions() == dict.fromkeys(TABLE_TYPES, LATEST)
    # Up again is a no-op; force re-runs every step harmlessly.
    assert await manager.up() == []
    forced = await manager.up(force=True)
    assert sorted(step.table_type for step in forced) == sorted(TABLE_TYPES * 2)  # every version
    assert await db.get_session("s") is not None


async def test_down_and_up_one_table_type(db: BaseDb) -> None:
    manager = MigrationManager(db)
    await db.upsert_user_memory(UserMemory("remember me", user_id="u"))
    await db.upsert_session(AgentSession(session_id="s"))

    steps = await manager.down("0.0.0", table_type="memory")
    assert [(s.table_type, s.direction, s.version) for s in steps] == [
        ("memory", "down", LATEST),
        ("memory", "down", V1),
    ]
    versions = await manager.current_versions()
    assert versions["memory"] is None
    assert all(versions[t] == LATEST for t in TABLE_TYPES if t != "memory")
    if isinstance(db, SqliteDb | PostgresDb):
        names = await table_names(db)
        assert db.table_names.memory_table not in names
        assert db.table_names.session_table in names
    # Already at the target: nothing to do.
    assert await manager.down("0.0.0", table_type="memory") == []

    # An ordinary call provisions the table again (empty) and leaves the others untouched.
    assert (await db.get_user_memories()).total == 0
    assert (await manager.current_versions())["memory"] == LATEST
    assert await db.get_session("s") is not None

    await manager.down("0.0.0")
    assert set((await manager.current_versions()).values()) == {None}
    up_steps = await manager.up(table_type="session")
    assert [(s.table_type, s.direction, s.result_version) for s in up_steps] == [
        ("session", "up", V1),
        ("session", "up", LATEST),
    ]


async def test_bad_arguments_are_rejected(db: BaseDb) -> None:
    manager = MigrationManager(db)
    with pytest.raises(ValueError, match="table_type"):
        await manager.up(table_type="culture")
    with pytest.raises(ValueError, match="schema version"):
        await manager.up(target_version="7.0.0")
    with pytest.raises(ValueError, match="not a schema version"):
        await manager.down("latest")


async def test_concurrent_first_calls_share_one_provisioning(db: BaseDb) -> None:
    await asyncio.gather(
        db.upsert_session(AgentSession(session_id="a")),
        db.upsert_session(AgentSession(session_id="b")),
        db.upsert_user_memory(UserMemory("m", user_id="u")),
        db.get_sessions(),
        db.append_run_events("r", [(1, {"event": "RunStarted"})]),
        db.get_run("r"),
    )
    assert (await db.get_sessions()).total == 2
    assert await MigrationManager(db).current_versions() == dict.fromkeys(TABLE_TYPES, LATEST)


@pytest.mark.sql_only
async def test_start_up_is_idempotent_across_processes(make_db: DbFactory) -> None:
    first = await make_db()
    await first.upsert_session(AgentSession(session_id="kept", user_id="u"))
    second = await make_db()
    assert await MigrationManager(second).up() == []
    stored = await second.get_session("kept")
    assert stored is not None and stored.user_id == "u"


@pytest.mark.sql_only
async def test_concurrent_migrators_apply_each_step_once(make_db: DbFactory) -> None:
    dbs = [await make_db() for _ in range(4)]
    results = await asyncio.gather(*(MigrationManager(db).up() for db in dbs))
    applied = [step for steps in results for step in steps]
    assert sorted(step.table_type for step in applied) == sorted(TABLE_TYPES * 2)
    await asyncio.gather(*(db.upsert_session(AgentSession(session_id=f"s{i}")) for i, db in enumerate(dbs)))
    assert (await dbs[0].get_sessions()).total == 4


@pytest.mark.sql_only
async def test_schema_newer_than_the_code_is_refused(make_db: DbFactory) -> None:
    db = await make_db()
    await db.get_sessions()
    assert isinstance(db, SqliteDb | PostgresDb)
    versions = db.table_names.versions_table
    qualified = f'"{db.db_schema}"."{versions}"' if db.db_schema else f'"{versions}"'
    async with db.engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE {qualified} SET version = '9.0.0' WHERE table_name = :name"),
            {"name": db.table_names.session_table},
        )
    newer = await make_db()
    with pytest.raises(SchemaVersionError, match=r"9\.0\.0"):
        await newer.get_sessions()
