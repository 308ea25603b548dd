"""The SQLite fast path (one sqlite3 connection on a dedicated thread, one function per
operation) and ``get_session_with_runs`` (a run's reads in one round trip), on every backend
where it applies."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, OwnershipError, SqliteDb, StorageUnavailableError
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo
from agentos.session import AgentSession, SessionType


def run(run_id: str, session_id: str = "s", **extra: Any) -> dict[str, Any]:
    return {"run_id": run_id, "session_id": session_id, "status": "COMPLETED", **extra}


async def test_session_with_runs_matches_the_two_separate_reads(db: BaseDb) -> None:
    session = AgentSession(
        session_id="s", agent_id="a", user_id="u", session_data={"session_state": {"n": 1}}
    )
    for i in range(5):
        await db.save_run(session, run(f"r{i}", user_id="u"))
    await db.save_run(session, run("paused", status="PAUSED", user_id="u"))
    await db.save_run(session, run("member", parent_run_id="r4", user_id="u"))

    found, runs = await db.get_session_with_runs("s", last_n_runs=3, statuses=["COMPLETED"], root_only=True)
    assert found == await db.get_session("s")
    expected = await db.get_runs("s", limit=3, statuses=["COMPLETED"], root_only=True)
    assert [r.run_id for r in runs] == [r.run_id for r in expected] == ["r2", "r3", "r4"]
    assert [r.run_data for r in runs] == [r.run_data for r in expected]

    # None reads every run (oldest first); 0 reads none.
    _, every = await db.get_session_with_runs("s")
    assert [r.run_id for r in every] == [r.run_id for r in await db.get_runs("s")]
    assert await db.get_session_with_runs("s", last_n_runs=0) == (found, [])

    # A session that is not found (absent, another type, another user's) comes with no runs.
    assert await db.get_session_with_runs("missing", last_n_runs=3) == (None, [])
    assert await db.get_session_with_runs("s", SessionType.TEAM, last_n_runs=3) == (None, [])
    assert await db.get_session_with_runs("s", user_id="other", last_n_runs=3) == (None, [])
    mine, my_runs = await db.get_session_with_runs("s", SessionType.AGENT, "u", last_n_runs=2)
    assert mine is not None and [r.run_id for r in my_runs] == ["paused", "member"]
    with pytest.raises(ValueError):
        await db.get_session_with_runs("s", last_n_runs=-1)


class Trace:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, statement: str) -> None:
        self.statements.append(statement.split()[0].upper())


def reply(messages: list[Message], info: ModelCallInfo) -> str:
    return f"I was sent {len(messages)} messages."


async def test_a_turn_with_history_is_one_read_and_one_write_transaction(tmp_path: Path) -> None:
    db = SqliteDb(db_file=tmp_path / "agent.db")
    agent = Agent(model=FunctionModel(fn=reply), db=db, add_history_to_context=True, num_history_runs=2)
    for turn in range(3):
        await agent.arun(f"turn {turn}", session_id="s")
    trace = Trace()
    await db.trace_statements(trace)
    out = await agent.arun("turn 3", session_id="s")
    await db.trace_statements(None)
    # The session row and the two history runs in one snapshot; the run and session rows in
    # one write transaction.
    assert trace.statements == ["BEGIN", "SELECT", "SELECT", "COMMIT", "BEGIN", "INSERT", "INSERT", "COMMIT"]
    # The history reached the model: user + 2 runs x (user, assistant).
    assert out.content == "I was sent 5 messages."
    await db.close()


async def test_concurrent_writers_of_one_object_never_wait_on_sqlite_locks(tmp_path: Path) -> None:
    # A busy timeout of zero: any lock wait between this object's own writes would fail.
    db = SqliteDb(db_file=tmp_path / "busy.db", busy_timeout_ms=0)
    await db.upsert_session(AgentSession(session_id="warm"))
    sessions = [AgentSession(session_id=f"s{i % 4}") for i in range(40)]
    await asyncio.gather(*(db.save_run(s, run(f"r{i}", s.session_id)) for i, s in enumerate(sessions)))
    counts = [len(await db.get_runs(f"s{i}")) for i in range(4)]
    assert counts == [10, 10, 10, 10]
    # Each session's runs got distinct places in its order.
    orders = [r.run_id for r in await db.get_runs("s0")]
    assert len(set(orders)) == 10
    await db.close()


async def test_another_connection_holding_the_write_lock_is_unavailable_then_recovers(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    db = SqliteDb(db_file=path, busy_timeout_ms=50)
    session = AgentSession(session_id="s")
    await db.save_run(session, run("r1"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(
            StorageUnavailableError, match="save_run: database unavailable: database is locked"
        ):
            await db.save_run(session, run("r2"))
        # Readers are not blocked by the writer (WAL).
        assert [r.run_id for r in await db.get_runs("s")] == ["r1"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    await db.save_run(session, run("r2"))
    assert [r.run_id for r in await db.get_runs("s")] == ["r1", "r2"]
    await db.close()


async def test_writes_queued_together_share_one_commit_and_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "group.db"
    db = SqliteDb(db_file=path, busy_timeout_ms=10_000)
    await db.upsert_session(AgentSession(session_id="theirs", user_id="alice"))
    other = sqlite3.connect(path, isolation_level=None)
    trace = Trace()
    await db.trace_statements(trace)
    # Another connection holds the write lock: the first save waits for it, and everything
    # queued meanwhile (20 saves, one of them into another user's session) runs after it.
    other.execute("BEGIN IMMEDIATE")
    saves = [db.save_run(AgentSession(session_id=f"s{i}"), run(f"r{i}", f"s{i}")) for i in range(20)]
    intruder = AgentSession(session_id="theirs", user_id="bob")
    saves.insert(10, db.save_run(intruder, run("intruder", "theirs", user_id="bob")))
    tasks = [asyncio.ensure_future(save) for save in saves]
    await asyncio.sleep(0.3)
    other.execute("ROLLBACK")
    other.close()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    await db.trace_statements(None)

    assert isinstance(results.pop(10), OwnershipError)
    assert results == [None] * 20
    for i in range(20):
        assert [r.run_id for r in await db.get_runs(f"s{i}")] == [f"r{i}"]
    assert await db.get_runs("theirs") == []
    theirs = await db.get_session("theirs")
    assert theirs is not None and theirs.user_id == "alice"
    # At most two transactions for 21 writes (whatever the thread had taken when it found the
    # lock held, then the rest), each write in a savepoint; the refused one rolled back alone.
    assert trace.statements.count("COMMIT") in (1, 2)
    assert trace.statements.count("SAVEPOINT") >= 20
    await db.close()


def remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def test_a_file_removed_under_an_open_database_is_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    db = SqliteDb(db_file=path)
    await db.upsert_session(AgentSession(session_id="s"))
    await db.close()
    remove_database_files(path)
    with pytest.raises(StorageUnavailableError, match="get_session: database unavailable"):
        await db.get_session("s")
    assert not await asyncio.to_thread(path.exists)
    await db.close()


def fast_path_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("agentos-sqlite-")]


async def test_close_stops_the_thread_and_the_next_call_starts_one(tmp_path: Path) -> None:
    before = set(fast_path_threads())
    db = SqliteDb(db_file=tmp_path / "threads.db")
    await db.upsert_session(AgentSession(session_id="s"))
    started = set(fast_path_threads()) - before
    assert len(started) == 1
    await db.close()
    (thread,) = started
    await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive()
    assert await db.get_session("s") is not None  # reconnects on a new thread
    await db.close()


async def test_a_collected_database_stops_its_thread(tmp_path: Path) -> None:
    before = set(fast_path_threads())
    db: SqliteDb | None = SqliteDb(db_file=tmp_path / "collected.db")
    assert db is not None
    await db.upsert_session(AgentSession(session_id="s"))
    await db.close()  # the migration engine's connections; the thread is restarted below
    await db.get_session("s")
    (thread,) = set(fast_path_threads()) - before
    db = None
    gc.collect()
    await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive()


async def test_results_go_back_to_each_callers_loop(tmp_path: Path) -> None:
    db = SqliteDb(db_file=tmp_path / "loops.db")
    await db.upsert_session(AgentSession(session_id="main"))

    def other_loop(name: str) -> list[str]:
        async def work() -> list[str]:
            await db.save_run(AgentSession(session_id=name), run(f"{name}-1", name))
            found, runs = await db.get_session_with_runs(name, last_n_runs=5)
            assert found is not None
            return [r.run_id for r in runs]

        return asyncio.run(work())

    results = await asyncio.gather(*(asyncio.to_thread(other_loop, f"t{i}") for i in range(3)))
    assert results == [["t0-1"], ["t1-1"], ["t2-1"]]
    assert await db.get_session("main") is not None
    await db.close()


async def test_a_cancelled_caller_leaves_the_database_usable(tmp_path: Path) -> None:
    db = SqliteDb(db_file=tmp_path / "cancel.db")
    session = AgentSession(session_id="s")
    await db.save_run(session, run("r0"))
    tasks = [asyncio.ensure_future(db.save_run(session, run(f"r{i}"))) for i in range(1, 20)]
    await asyncio.sleep(0)
    for task in tasks[::2]:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stored = {r.run_id for r in await db.get_runs("s")}
    # Completed saves are all there; a cancelled one is either whole or absent.
    assert {f"r{i}" for i in range(2, 20, 2)} <= stored
    assert "r0" in stored
    await db.save_run(session, run("after"))
    assert (await db.get_runs("s", limit=1))[0].run_id == "after"
    await db.close()


async def test_two_objects_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    first = SqliteDb(db_file=tmp_path / "shared.db")
    second = SqliteDb(db_file=tmp_path / "shared.db")
    await first.save_run(AgentSession(session_id="s", user_id="u"), run("r1", user_id="u"))
    found, runs = await second.get_session_with_runs("s", last_n_runs=3)
    assert found is not None and found.user_id == "u" and [r.run_id for r in runs] == ["r1"]
    await asyncio.gather(
        first.save_run(AgentSession(session_id="s", user_id="u"), run("r2", user_id="u")),
        second.save_run(AgentSession(session_id="s", user_id="u"), run("r3", user_id="u")),
    )
    assert sorted(r.run_id for r in await first.get_runs("s")) == ["r1", "r2", "r3"]
    await first.close()
    await second.close()


def aiosqlite_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "_connection_worker_thread" in t.name and t.is_alive()]


async def test_no_aiosqlite_connection_outlives_the_schema_work(tmp_path: Path) -> None:
    """SQLAlchemy (over aiosqlite) only creates and migrates the schema; its connection is
    closed when that is done. A pooled one would stay open (with its thread) as long as the
    loop that opened it, and be finalised unclosed if that loop ends without disposing it."""
    before = set(aiosqlite_threads())
    db = SqliteDb(db_file=tmp_path / "pooled.db")
    await db.upsert_session(AgentSession(session_id="here"))  # creates the schema in this loop
    await db.record_cancel_request("r1")
    assert await db.get_cancel_requests(["r1"])
    left = set(aiosqlite_threads()) - before
    for thread in left:  # a closing connection's thread may take a moment to finish
        await asyncio.to_thread(thread.join, 10)
    assert not [t for t in left if t.is_alive()]
    await db.close()
