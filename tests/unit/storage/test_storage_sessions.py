"""Sessions on every backend: round trips, filters, paging, bulk operations, ownership."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from agentos.db import BaseDb, OwnershipError
from agentos.session import AgentSession, SessionSummary, SessionType, TeamSession, WorkflowSession


def agent_session(session_id: str, **kwargs: object) -> AgentSession:
    return AgentSession(session_id=session_id, **kwargs)  # type: ignore[arg-type]


async def test_each_session_kind_round_trips(db: BaseDb) -> None:
    summary = SessionSummary("talked about tea", ["tea"], datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    sessions = [
        AgentSession(
            session_id="a",
            agent_id="agent-1",
            user_id="u1",
            session_data={"session_name": "Tea", "session_state": {"cups": 2}},
            metadata={"source": "test"},
            agent_data={"name": "Barista", "model": {"id": "m"}},
            summary=summary,
            created_at=1000,
        ),
        TeamSession(
            session_id="t",
            team_id="team-1",
            user_id="u1",
            team_data={"name": "Crew", "mode": "coordinate"},
            session_data={"session_state": {}},
            summary=summary,
        ),
        WorkflowSession(
            session_id="w",
            workflow_id="wf-1",
            workflow_name="Pipeline",
            workflow_data={"steps": ["a", "b"]},
            session_data={"session_name": "Flow"},
        ),
    ]
    for session in sessions:
        stored = await db.upsert_session(session)
        assert type(stored) is type(session)
        assert stored.updated_at is not None and stored.created_at is not None
        loaded = await db.get_session(session.session_id)
        assert loaded == stored
        expected = session.to_dict()
        expected["created_at"] = stored.created_at
        expected["updated_at"] = stored.updated_at
        assert loaded.to_dict() == expected
    first = await db.get_session("a")
    assert isinstance(first, AgentSession)
    assert first.created_at == 1000
    assert first.summary == summary
    assert first.session_name == "Tea"
    assert first.session_state == {"cups": 2}
    assert first.runs is None


async def test_get_session_filters_by_type_and_user(db: BaseDb) -> None:
    await db.upsert_session(agent_session("s", user_id="alice"))
    assert await db.get_session("s", session_type=SessionType.AGENT) is not None
    assert await db.get_session("s", session_type=SessionType.TEAM) is None
    assert await db.get_session("s", user_id="alice") is not None
    assert await db.get_session("s", user_id="bob") is None
    assert await db.get_session("missing") is None


async def test_upsert_keeps_created_at_and_replaces_fields(db: BaseDb) -> None:
    first = await db.upsert_session(agent_session("s", user_id="u", metadata={"v": 1}, created_at=10))
    again = agent_session("s", user_id="u", metadata={"v": 2}, created_at=999)
    second = await db.upsert_session(again)
    assert second.created_at == first.created_at == 10
    assert second.metadata == {"v": 2}


async def test_caller_objects_are_not_aliased_with_storage(db: BaseDb) -> None:
    session = agent_session("s", session_data={"session_state": {"n": 1}})
    await db.upsert_session(session)
    session.session_state["n"] = 99
    loaded = await db.get_session("s")
    assert loaded is not None and loaded.session_state == {"n": 1}
    loaded.session_state["n"] = 5
    reloaded = await db.get_session("s")
    assert reloaded is not None and reloaded.session_state == {"n": 1}


async def test_writes_refuse_another_users_session(db: BaseDb) -> None:
    await db.upsert_session(agent_session("s", user_id="alice", metadata={"v": 1}))
    with pytest.raises(OwnershipError) as info:
        await db.upsert_session(agent_session("s", user_id="mallory", metadata={"v": 666}))
    assert "'s'" in str(info.value)
    stored = await db.get_session("s")
    assert stored is not None and stored.user_id == "alice" and stored.metadata == {"v": 1}
    # A session stored without a user may be claimed by one.
    await db.upsert_session(agent_session("anon"))
    claimed = await db.upsert_session(agent_session("anon", user_id="bob"))
    assert claimed.user_id == "bob"


async def test_get_sessions_filters(db: BaseDb) -> None:
    await db.upsert_sessions(
        [
            agent_session("a1", agent_id="x", user_id="u1", session_data={"session_name": "Trip to Rome"}),
            agent_session("a2", agent_id="y", user_id="u2", session_data={"session_name": "rome again"}),
            agent_session("a3", agent_id="x", user_id="u1", session_data={"session_name": "50% off_sale"}),
            TeamSession(session_id="t1", team_id="tm", user_id="u1"),
            WorkflowSession(session_id="w1", workflow_id="wf", user_id="u2"),
        ]
    )

    async def ids(**filters: object) -> list[str]:
        page = await db.get_sessions(order_by="created_at", descending=False, **filters)  # type: ignore[arg-type]
        assert page.total == len(page.items)
        return sorted(s.session_id for s in page.items)

    assert await ids() == ["a1", "a2", "a3", "t1", "w1"]
    assert await ids(session_type=SessionType.AGENT) == ["a1", "a2", "a3"]
    assert await ids(session_type=SessionType.TEAM) == ["t1"]
    assert await ids(user_id="u1") == ["a1", "a3", "t1"]
    assert await ids(agent_id="x") == ["a1", "a3"]
    assert await ids(team_id="tm") == ["t1"]
    assert await ids(workflow_id="wf") == ["w1"]
    assert await ids(session_name="ROME") == ["a1", "a2"]
    assert await ids(user_id="u1", session_name="rome") == ["a1"]
    # LIKE wildcards in the search text are literal characters.
    assert await ids(session_name="50%") == ["a3"]
    assert await ids(session_name="f_s") == ["a3"]
    assert await ids(session_name="%") == ["a3"]


async def test_get_sessions_pages_by_offset_and_by_token(db: BaseDb) -> None:
    await db.upsert_sessions(
        [agent_session(f"s{i:02}", user_id="u", created_at=100 + i // 2) for i in range(11)]
    )
    by_offset = await db.get_sessions(order_by="created_at", limit=4, offset=4)
    assert by_offset.total == 11
    assert len(by_offset.items) == 4

    seen: list[str] = []
    token = None
    pages = 0
    while True:
        page = await db.get_sessions(order_by="created_at", descending=True, limit=4, page_token=token)
        assert page.total == 11
        seen.extend(s.session_id for s in page.items)
        pages += 1
        token = page.next_page_token
        if token is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 11
    created = [(await db.get_session(sid)).created_at for sid in seen]  # type: ignore[union-attr]
    assert created == sorted(created, reverse=True)
    assert [s.session_id for s in by_offset.items] == seen[4:8]

    ascending = await db.get_sessions(order_by="created_at", descending=False)
    assert [s.session_id for s in ascending.items] == list(reversed(seen))
    assert ascending.next_page_token is None

    descending_token = (await db.get_sessions(order_by="created_at", limit=2)).next_page_token
    assert descending_token is not None
    with pytest.raises(ValueError, match="different ordering"):
        await db.get_sessions(order_by="created_at", descending=False, page_token=descending_token)
    with pytest.raises(ValueError, match="page_token"):
        await db.get_sessions(page_token="not-a-token")
    with pytest.raises(ValueError):
        await db.get_sessions(order_by="session_id")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await db.get_sessions(limit=-1)


async def test_keyset_paging_is_stable_when_rows_are_added(db: BaseDb) -> None:
    await db.upsert_sessions([agent_session(f"s{i}", created_at=100 + i) for i in range(6)])
    first = await db.get_sessions(order_by="created_at", limit=3)
    assert [s.session_id for s in first.items] == ["s5", "s4", "s3"]
    await db.upsert_session(agent_session("newest", created_at=500))
    second = await db.get_sessions(order_by="created_at", limit=3, page_token=first.next_page_token)
    assert [s.session_id for s in second.items] == ["s2", "s1", "s0"]
    assert second.total == 7


async def test_rename_session(db: BaseDb) -> None:
    await db.upsert_session(
        agent_session("s", user_id="u", session_data={"session_name": "Old", "session_state": {"k": 1}})
    )
    assert await db.rename_session("s", "New", user_id="someone-else") is None
    assert await db.rename_session("s", "New", session_type=SessionType.TEAM) is None
    renamed = await db.rename_session("s", "New", user_id="u")
    assert renamed is not None and renamed.session_name == "New"
    assert renamed.session_state == {"k": 1}
    loaded = await db.get_session("s")
    assert loaded is not None and loaded.session_name == "New"
    assert (await db.get_sessions(session_name="new")).total == 1
    assert await db.rename_session("missing", "x") is None


async def test_delete_session_enforces_user_and_removes_runs_and_events(db: BaseDb) -> None:
    session = agent_session("s", user_id="u")
    other = agent_session("keep", user_id="u")
    await db.save_run(session, {"run_id": "r1", "session_id": "s", "status": "COMPLETED"})
    await db.save_run(other, {"run_id": "r2", "session_id": "keep", "status": "COMPLETED"})
    await db.append_run_events("r1", [(1, {"event": "RunStarted"})])
    await db.append_run_events("r2", [(1, {"event": "RunStarted"})])

    assert await db.delete_session("s", user_id="intruder") is False
    assert await db.get_session("s") is not None
    assert await db.delete_session("s", user_id="u") is True
    assert await db.get_session("s") is None
    assert await db.get_run("r1") is None
    assert await db.get_run_events("r1") == []
    assert await db.delete_session("s") is False
    assert await db.get_run("r2") is not None
    assert len(await db.get_run_events("r2")) == 1


async def test_bulk_upsert_and_delete(db: BaseDb) -> None:
    stored = await db.upsert_sessions(
        [agent_session(f"s{i}", user_id="u1" if i % 2 else "u2") for i in range(6)]
    )
    assert [s.session_id for s in stored] == [f"s{i}" for i in range(6)]
    assert await db.upsert_sessions([]) == []
    assert await db.delete_sessions(["s0", "s1", "s2", "nope"], user_id="u1") == 1
    assert (await db.get_sessions()).total == 5
    assert await db.delete_sessions(["s0", "s2", "s3"]) == 3
    assert sorted(s.session_id for s in (await db.get_sessions()).items) == ["s4", "s5"]
    assert await db.delete_sessions([]) == 0


async def test_bulk_upsert_is_all_or_nothing(db: BaseDb) -> None:
    await db.upsert_session(agent_session("owned", user_id="alice"))
    with pytest.raises(OwnershipError):
        await db.upsert_sessions(
            [agent_session("fresh", user_id="bob"), agent_session("owned", user_id="bob")]
        )
    assert await db.get_session("fresh") is None
