"""Runs and run events on every backend: one row per run, constant write cost, ordering, paging."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from agentos.db import BaseDb, OwnershipError, PostgresDb, RunRecord, SqliteDb, StorageError
from agentos.session import AgentSession, TeamSession
from sqlalchemy import event


def run_dict(run_id: str, session_id: str = "s", **extra: Any) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "session_id": session_id,
        "status": "COMPLETED",
        "agent_id": "agent",
        "user_id": "u",
        "content": f"answer of {run_id}",
        "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
        **extra,
    }


async def test_save_run_stores_run_and_session_in_one_call(db: BaseDb) -> None:
    session = AgentSession(
        session_id="s", agent_id="agent", user_id="u", session_data={"session_state": {"n": 1}}
    )
    await db.save_run(session, run_dict("r1", created_at=1234))
    stored_session = await db.get_session("s")
    assert stored_session is not None and stored_session.session_state == {"n": 1}
    run = await db.get_run("r1")
    assert run is not None
    assert run.run_data == run_dict("r1", created_at=1234)
    assert (run.run_id, run.session_id, run.status, run.agent_id, run.user_id) == (
        "r1",
        "s",
        "COMPLETED",
        "agent",
        "u",
    )
    assert run.created_at == 1234 and run.updated_at is not None
    assert await db.get_run("r1", user_id="u") is not None
    assert await db.get_run("r1", user_id="other") is None
    assert await db.get_run("nope") is None


async def test_get_runs_returns_last_n_oldest_first(db: BaseDb) -> None:
    session = AgentSession(session_id="s", user_id="u")
    for i in range(7):
        await db.save_run(session, run_dict(f"r{i}", status="ERROR" if i == 3 else "COMPLETED"))
    assert [r.run_id for r in await db.get_runs("s")] == [f"r{i}" for i in range(7)]
    assert [r.run_id for r in await db.get_runs("s", limit=3)] == ["r4", "r5", "r6"]
    assert await db.get_runs("s", limit=0) == []
    assert [r.run_id for r in await db.get_runs("s", statuses=["ERROR"])] == ["r3"]
    assert len(await db.get_runs("s", statuses=["COMPLETED"], limit=10)) == 6
    assert await db.get_runs("s", user_id="someone-else") == []
    assert await db.get_runs("other-session") == []


async def test_saving_a_run_again_replaces_it_in_place(db: BaseDb) -> None:
    session = AgentSession(session_id="s")
    await db.save_run(session, run_dict("r1", status="PAUSED", created_at=50))
    await db.save_run(session, run_dict("r2"))
    await db.save_run(session, run_dict("r1", status="COMPLETED", content="resumed", created_at=50))
    runs = await db.get_runs("s")
    assert [r.run_id for r in runs] == ["r1", "r2"]
    assert runs[0].status == "COMPLETED" and runs[0].run_data["content"] == "resumed"
    assert runs[0].created_at == 50


async def test_run_of_another_session_is_refused_without_partial_write(db: BaseDb) -> None:
    await db.save_run(AgentSession(session_id="s1"), run_dict("r1", "s1"))
    with pytest.raises(OwnershipError, match="r1"):
        await db.save_run(AgentSession(session_id="s2"), run_dict("r1", "s2"))
    # The failed turn wrote nothing: not the session row, not the run.
    assert await db.get_session("s2") is None
    run = await db.get_run("r1")
    assert run is not None and run.session_id == "s1"


async def test_save_run_refuses_another_users_session(db: BaseDb) -> None:
    await db.save_run(AgentSession(session_id="s", user_id="alice"), run_dict("r1"))
    with pytest.raises(OwnershipError):
        await db.save_run(AgentSession(session_id="s", user_id="mallory"), run_dict("r2"))
    assert [r.run_id for r in await db.get_runs("s")] == ["r1"]


async def test_save_run_rejects_inconsistent_input(db: BaseDb) -> None:
    with pytest.raises(ValueError, match="session"):
        await db.save_run(AgentSession(session_id="s"), run_dict("r1", "another"))
    with pytest.raises(ValueError, match="run_id"):
        await db.save_run(AgentSession(session_id="s"), {"session_id": "s"})


async def test_run_records_and_nested_runs(db: BaseDb) -> None:
    session = TeamSession(session_id="s", team_id="team")
    await db.save_run(
        session, RunRecord(run_id="team-run", session_id="s", team_id="team", status="COMPLETED")
    )
    await db.save_run(
        session,
        RunRecord(
            run_id="member-run", session_id="s", agent_id="m", parent_run_id="team-run", status="COMPLETED"
        ),
    )
    assert [r.run_id for r in await db.get_runs("s")] == ["team-run", "member-run"]
    assert [r.run_id for r in await db.get_runs("s", root_only=True)] == ["team-run"]
    assert [r.run_id for r in await db.get_runs("s", agent_id="m")] == ["member-run"]
    assert [r.run_id for r in await db.get_runs("s", team_id="team")] == ["team-run"]
    member = await db.get_run("member-run")
    assert member is not None and member.parent_run_id == "team-run" and member.run_data == {}


async def test_concurrent_save_run_on_one_session_keeps_every_run(db: BaseDb) -> None:
    session = AgentSession(session_id="s", user_id="u")
    await asyncio.gather(*(db.save_run(session, run_dict(f"r{i}")) for i in range(12)))
    runs = await db.get_runs("s")
    assert sorted(r.run_id for r in runs) == sorted(f"r{i}" for i in range(12))
    page = await db.list_runs(session_id="s", descending=False)
    assert [r.run_id for r in page.items] == [r.run_id for r in runs]


async def test_list_runs_pages_across_sessions(db: BaseDb) -> None:
    for i in range(9):
        session = AgentSession(session_id=f"s{i % 3}", user_id="u")
        await db.save_run(session, run_dict(f"r{i}", session.session_id, created_at=1000 + i // 2))
    seen: list[str] = []
    token = None
    while True:
        page = await db.list_runs(limit=4, page_token=token)
        assert page.total == 9
        seen.extend(r.run_id for r in page.items)
        token = page.next_page_token
        if token is None:
            break
    assert len(seen) == len(set(seen)) == 9
    created = [(await db.get_run(run_id)).created_at for run_id in seen]  # type: ignore[union-attr]
    assert created == sorted(created, reverse=True)
    in_session = await db.list_runs(session_id="s1", descending=False)
    assert [r.run_id for r in in_session.items] == ["r1", "r4", "r7"]
    assert (await db.list_runs(statuses=["ERROR"])).total == 0
    second = await db.list_runs(limit=3, offset=3)
    assert [r.run_id for r in second.items] == seen[3:6]


async def test_run_events_append_and_replay(db: BaseDb) -> None:
    await db.append_run_events(
        "r", [(2, {"event": "RunContent", "content": "b"}), (1, {"event": "RunStarted"})]
    )
    await db.append_run_events("r", [(3, {"event": "RunCompleted"})])
    # Re-appending a stored sequence (a retried write) changes nothing.
    await db.append_run_events("r", [(1, {"event": "Duplicate"}), (4, {"event": "Late"})])
    await db.append_run_events("r", [])
    await db.append_run_events("other", [(1, {"event": "RunStarted"})])
    events = await db.get_run_events("r")
    assert [(e.sequence, e.event["event"]) for e in events] == [
        (1, "RunStarted"),
        (2, "RunContent"),
        (3, "RunCompleted"),
        (4, "Late"),
    ]
    assert [e.sequence for e in await db.get_run_events("r", after_sequence=2)] == [3, 4]
    assert [e.sequence for e in await db.get_run_events("r", after_sequence=1, limit=2)] == [2, 3]
    assert await db.get_run_events("missing") == []


async def test_run_event_records_come_back_as_stored(db: BaseDb) -> None:
    """Whatever JSON a record holds survives the batch insert (SQLite splits one JSON array)."""
    records = [
        {"event": "RunContent", "pb": "AAEC/+8=", "content": 'héllo \u2603 "quoted" \\ \n'},
        {"event": "Custom", "data": {"nested": [1, 2.5, -3e-07, 12345678901234567890, None, True]}},
        {"event": "Empty"},
    ]
    await db.append_run_events("r", list(enumerate(records, start=1)))
    assert [e.event for e in await db.get_run_events("r")] == records


async def test_a_run_event_json_cannot_hold_is_refused_and_nothing_is_stored(db: BaseDb) -> None:
    with pytest.raises((StorageError, TypeError, ValueError)):
        await db.append_run_events("r", [(1, {"event": "Fine"}), (2, {"event": object()})])
    assert await db.get_run_events("r") == []


async def test_sqlite_without_json_functions_stores_run_events_row_by_row(tmp_path: Any) -> None:
    """The fallback for a SQLite built without json_each: the same rows, one binding each."""
    from agentos.db import _sqlite_ops

    db = SqliteDb(db_file=str(tmp_path / "plain.db"))
    _sqlite_ops._JSON_FUNCTIONS[0] = False
    try:
        await db.append_run_events("r", [(2, {"event": "B"}), (1, {"event": "A"})])
        await db.append_run_events("r", [(1, {"event": "Duplicate"})])
        with pytest.raises(StorageError):
            await db.append_run_events_json("r", [(3, "{not json")])
    finally:
        _sqlite_ops._JSON_FUNCTIONS[0] = True
    assert [(e.sequence, e.event) for e in await db.get_run_events("r")] == [
        (1, {"event": "A"}),
        (2, {"event": "B"}),
    ]
    await db.close()


class StatementCounter:
    """Counts the SQL statements sent to the database and their size.

    PostgresDb: SQLAlchemy's ``before_cursor_execute`` (bound parameters measured apart).
    SqliteDb: its statement tracer on the sqlite3 fast path, whose text has the bound values
    expanded (so the size counts both); BEGIN and COMMIT are statements there.
    """

    def __init__(self) -> None:
        self.statements = 0
        self.parameter_bytes = 0

    @classmethod
    async def attach(cls, db: BaseDb) -> StatementCounter:
        counter = cls()
        if isinstance(db, SqliteDb):
            await db.trace_statements(counter._count_traced)
        else:
            assert isinstance(db, PostgresDb)
            event.listen(db.engine.sync_engine, "before_cursor_execute", counter._count)
        return counter

    def _count(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        self.statements += 1
        self.parameter_bytes += len(repr(parameters))

    def _count_traced(self, statement: str) -> None:
        self.statements += 1
        self.parameter_bytes += len(statement)

    def reset(self) -> tuple[int, int]:
        taken = (self.statements, self.parameter_bytes)
        self.statements = self.parameter_bytes = 0
        return taken


@pytest.mark.sql_only
async def test_write_cost_of_a_turn_does_not_grow_with_the_session(db: BaseDb) -> None:
    session = AgentSession(
        session_id="s", agent_id="agent", user_id="u", session_data={"session_state": {"n": 0}}
    )
    await db.save_run(session, run_dict("warm-up"))
    counter = await StatementCounter.attach(db)
    costs: dict[int, tuple[int, int]] = {}
    for turn in range(1, 51):
        counter.reset()
        # Same-sized runs, so any growth would come from the session's history.
        await db.save_run(session, run_dict(f"run-{turn:04}"))
        costs[turn] = counter.reset()
    statements_1, _ = costs[1]
    statements_50, bytes_50 = costs[50]
    assert statements_1 == statements_50
    assert 2 <= statements_1 <= 4  # session upsert + run upsert (+ BEGIN/COMMIT where the driver sends them)
    # Turns 10 and 50 bind values of equal length (the run's place in the session has two
    # digits in both), so the bytes sent must be equal: nothing grows with the history.
    assert costs[10][1] == bytes_50
    assert len(await db.get_runs("s")) == 51


async def test_run_events_given_as_json_text_are_stored_as_their_records(db: BaseDb) -> None:
    """``append_run_events_json``: SQLite stores the texts as given, the others decode them."""
    await db.append_run_events_json(
        "r", [(2, '{"event":"RunContent","pb":"AAE=","n":[1,2.5]}'), (1, '{"event":"RunStarted"}')]
    )
    await db.append_run_events_json("r", [(1, '{"event":"Duplicate"}')])
    assert [(e.sequence, e.event) for e in await db.get_run_events("r")] == [
        (1, {"event": "RunStarted"}),
        (2, {"event": "RunContent", "pb": "AAE=", "n": [1, 2.5]}),
    ]


@pytest.mark.parametrize("text", ["not json", "[1, 2]", "{not json"])
async def test_a_run_event_text_that_is_no_json_object_is_refused(db: BaseDb, text: str) -> None:
    with pytest.raises(StorageError):
        await db.append_run_events_json("r", [(1, '{"event":"Fine"}'), (2, text)])
    assert await db.get_run_events("r") == []
