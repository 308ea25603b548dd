"""SessionService over a real server and real storage (InMemoryDb and SQLite)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, InMemoryDb, SqliteDb
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS
from agentos.v1 import sessions_pb2
from agentos.wire import from_struct, to_struct
from google.protobuf import field_mask_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status


def reason_of(error: grpc.aio.AioRpcError) -> tuple[str, list[str]]:
    """The ErrorInfo reason and the fields named by BadRequest."""
    status = rpc_status.from_call(error)
    assert status is not None
    reason, fields = "", []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields = [v.field for v in bad.field_violations]
    return reason, fields


@pytest.fixture(params=["memory", "sqlite"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> BaseDb:
    if request.param == "sqlite":
        return SqliteDb(db_file=tmp_path / "sessions.db", id="sqlite-db")
    return InMemoryDb(id="memory-db")


@pytest.fixture
async def sessions(start_os: Any, db: BaseDb) -> Any:
    agent = Agent(id="helper", name="Helper", model=ScriptedModel(steps=["hello back"]), db=db)
    other = Agent(id="other", name="Other", model=ScriptedModel(steps=["x"]), db=db)
    harness = await start_os(AgentOS(agents=[agent, other], db=db))
    harness.test_agent = agent
    return harness


def new_session(**fields: Any) -> sessions_pb2.CreateSessionRequest:
    request_id = fields.pop("request_id", "")
    return sessions_pb2.CreateSessionRequest(session=sessions_pb2.Session(**fields), request_id=request_id)


async def test_create_and_get(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    created = (
        await stub.CreateSession(
            new_session(
                agent_id="helper",
                user_id="u1",
                session_name="Trip planning",
                session_state=to_struct({"city": "Lisbon", "days": 3}),
                metadata=to_struct({"source": "test"}),
                run_count=99,  # output only: ignored
            )
        )
    ).session
    assert created.session_id and created.session_type == sessions_pb2.SESSION_TYPE_AGENT
    assert (created.agent_id, created.user_id, created.session_name) == ("helper", "u1", "Trip planning")
    assert from_struct(created.session_state) == {"city": "Lisbon", "days": 3}
    assert from_struct(created.metadata) == {"source": "test"}
    assert from_struct(created.agent_data)["name"] == "Helper"
    assert created.run_count == 0 and created.created_at.seconds > 0

    got = (await stub.GetSession(sessions_pb2.GetSessionRequest(session_id=created.session_id))).session
    assert got.session_name == "Trip planning" and got.user_id == "u1"


async def test_run_count_reflects_stored_runs(sessions: Any) -> None:
    await sessions.test_agent.arun("hi", session_id="s-run", user_id="u1")
    await sessions.test_agent.arun("again", session_id="s-run", user_id="u1")
    got = (
        await sessions.stubs.sessions.GetSession(sessions_pb2.GetSessionRequest(session_id="s-run"))
    ).session
    assert got.agent_id == "helper" and got.run_count == 2
    listed = await sessions.stubs.sessions.ListSessions(sessions_pb2.ListSessionsRequest(user_id="u1"))
    assert [(s.session_id, s.run_count) for s in listed.sessions] == [("s-run", 2)]


async def test_create_validation(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    cases = [
        (sessions_pb2.CreateSessionRequest(), grpc.StatusCode.INVALID_ARGUMENT, "INVALID_INPUT", ["session"]),
        (
            new_session(user_id="u1"),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_INPUT",
            ["session.session_type"],
        ),
        (
            new_session(session_type=sessions_pb2.SESSION_TYPE_AGENT, team_id="t"),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_INPUT",
            ["session.agent_id"],
        ),
        (new_session(agent_id="ghost"), grpc.StatusCode.NOT_FOUND, "AGENT_NOT_FOUND", []),
        (new_session(team_id="t1"), grpc.StatusCode.NOT_FOUND, "TEAM_NOT_FOUND", []),
        (
            new_session(agent_id="helper", session_id=" padded"),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_INPUT",
            ["session.session_id"],
        ),
        (
            new_session(agent_id="helper", session_id="x" * 300),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_INPUT",
            ["session.session_id"],
        ),
    ]
    for request, code, reason, fields in cases:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stub.CreateSession(request)
        assert error.value.code() == code, request
        assert reason_of(error.value) == (reason, fields), request


async def test_chosen_id_taken_is_already_exists(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    await stub.CreateSession(new_session(agent_id="helper", session_id="fixed"))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.CreateSession(new_session(agent_id="helper", session_id="fixed", user_id="someone"))
    assert error.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert reason_of(error.value)[0] == "ALREADY_EXISTS"


async def test_request_id_makes_create_idempotent(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    request = new_session(agent_id="helper", user_id="u1", session_name="once", request_id="req-1")
    first = (await stub.CreateSession(request)).session
    retry = (await stub.CreateSession(request)).session
    assert retry.session_id == first.session_id and retry.created_at == first.created_at

    # Concurrent retries of a new request create one session.
    burst = new_session(agent_id="helper", user_id="u1", session_name="burst", request_id="req-2")
    results = await asyncio.gather(*(stub.CreateSession(burst) for _ in range(8)))
    assert len({r.session.session_id for r in results}) == 1
    listed = await stub.ListSessions(sessions_pb2.ListSessionsRequest(session_name="burst"))
    assert listed.total_size == 1

    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await stub.CreateSession(
            new_session(agent_id="helper", user_id="u1", session_name="changed", request_id="req-1")
        )
    assert reused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert reason_of(reused.value)[0] == "REQUEST_ID_REUSED"

    # A failed attempt is not remembered: the retry runs again.
    bad = new_session(agent_id="ghost", request_id="req-3")
    for _ in range(2):
        with pytest.raises(grpc.aio.AioRpcError) as failed:
            await stub.CreateSession(bad)
        assert failed.value.code() == grpc.StatusCode.NOT_FOUND


async def test_list_filters_order_and_pages(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    ids = []
    for index in range(5):
        created = await stub.CreateSession(
            new_session(agent_id="helper", user_id="u1", session_id=f"s{index}", session_name=f"Chat {index}")
        )
        ids.append(created.session.session_id)
    await stub.CreateSession(
        new_session(agent_id="other", user_id="u2", session_id="t0", session_name="Other")
    )

    everyone = await stub.ListSessions(sessions_pb2.ListSessionsRequest())
    assert everyone.total_size == 6
    only_u1 = await stub.ListSessions(sessions_pb2.ListSessionsRequest(user_id="u1"))
    assert only_u1.total_size == 5 and {s.user_id for s in only_u1.sessions} == {"u1"}
    by_agent = await stub.ListSessions(sessions_pb2.ListSessionsRequest(agent_id="other"))
    assert [s.session_id for s in by_agent.sessions] == ["t0"]
    by_name = await stub.ListSessions(sessions_pb2.ListSessionsRequest(session_name="chat 3"))
    assert [s.session_id for s in by_name.sessions] == ["s3"]
    typed = await stub.ListSessions(
        sessions_pb2.ListSessionsRequest(session_type=sessions_pb2.SESSION_TYPE_TEAM)
    )
    assert typed.total_size == 0

    seen: list[str] = []
    token = ""
    while True:
        page = await stub.ListSessions(
            sessions_pb2.ListSessionsRequest(
                user_id="u1", page_size=2, page_token=token, order_by="created_at"
            )
        )
        assert page.total_size == 5 and len(page.sessions) <= 2
        seen.extend(s.session_id for s in page.sessions)
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5

    first = await stub.ListSessions(sessions_pb2.ListSessionsRequest(user_id="u1", page_size=2))
    with pytest.raises(grpc.aio.AioRpcError) as other_query:
        await stub.ListSessions(
            sessions_pb2.ListSessionsRequest(user_id="u2", page_token=first.next_page_token)
        )
    assert reason_of(other_query.value) == ("INVALID_PAGE_TOKEN", ["page_token"])
    with pytest.raises(grpc.aio.AioRpcError) as bad_order:
        await stub.ListSessions(sessions_pb2.ListSessionsRequest(order_by="session_id desc"))
    assert reason_of(bad_order.value) == ("INVALID_ORDER_BY", ["order_by"])


async def test_update_with_mask(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    created = (
        await stub.CreateSession(
            new_session(
                agent_id="helper",
                session_id="u-1",
                session_name="old",
                session_state=to_struct({"a": 1}),
                metadata=to_struct({"keep": True}),
            )
        )
    ).session

    renamed = (
        await stub.UpdateSession(
            sessions_pb2.UpdateSessionRequest(
                session=sessions_pb2.Session(
                    session_id="u-1", session_name="new", session_state=to_struct({"b": 2})
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["session_name"]),
            )
        )
    ).session
    assert renamed.session_name == "new"
    assert from_struct(renamed.session_state) == {"a": 1}  # not in the mask: unchanged
    assert renamed.created_at == created.created_at

    state = (
        await stub.UpdateSession(
            sessions_pb2.UpdateSessionRequest(
                session=sessions_pb2.Session(
                    session_id="u-1",
                    session_state=to_struct({"b": 2}),
                    summary=sessions_pb2.SessionSummary(summary="talked", topics=["x"]),
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["session_state", "summary"]),
            )
        )
    ).session
    assert from_struct(state.session_state) == {"b": 2} and state.summary.summary == "talked"
    assert from_struct(state.metadata) == {"keep": True}

    # An empty mask replaces every updatable field: unset ones are cleared.
    replaced = (
        await stub.UpdateSession(
            sessions_pb2.UpdateSessionRequest(
                session=sessions_pb2.Session(session_id="u-1", session_name="only")
            )
        )
    ).session
    assert replaced.session_name == "only"
    assert not replaced.HasField("metadata") and not replaced.HasField("session_state")

    for paths in (["run_count"], ["session_name", "bogus"]):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stub.UpdateSession(
                sessions_pb2.UpdateSessionRequest(
                    session=sessions_pb2.Session(session_id="u-1"),
                    update_mask=field_mask_pb2.FieldMask(paths=paths),
                )
            )
        assert reason_of(error.value) == ("INVALID_UPDATE_MASK", ["update_mask.paths"])
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await stub.UpdateSession(
            sessions_pb2.UpdateSessionRequest(session=sessions_pb2.Session(session_id="nope"))
        )
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert reason_of(missing.value)[0] == "SESSION_NOT_FOUND"
    with pytest.raises(grpc.aio.AioRpcError) as no_id:
        await stub.UpdateSession(sessions_pb2.UpdateSessionRequest(session=sessions_pb2.Session()))
    assert reason_of(no_id.value) == ("INVALID_INPUT", ["session.session_id"])


async def test_delete_and_batch_delete(sessions: Any) -> None:
    stub = sessions.stubs.sessions
    for name in ("d1", "d2", "d3"):
        await stub.CreateSession(new_session(agent_id="helper", session_id=name))
    await sessions.test_agent.arun("hi", session_id="d1")

    await stub.DeleteSession(sessions_pb2.DeleteSessionRequest(session_id="d1"))
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await stub.GetSession(sessions_pb2.GetSessionRequest(session_id="d1"))
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await stub.DeleteSession(sessions_pb2.DeleteSessionRequest(session_id="d1"))
    assert again.value.code() == grpc.StatusCode.NOT_FOUND
    await stub.DeleteSession(sessions_pb2.DeleteSessionRequest(session_id="d1", allow_missing=True))

    deleted = await stub.BatchDeleteSessions(
        sessions_pb2.BatchDeleteSessionsRequest(session_ids=["d2", "d3", "zz"])
    )
    assert deleted.deleted_count == 2
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await stub.BatchDeleteSessions(sessions_pb2.BatchDeleteSessionsRequest(session_ids=["ok", ""]))
    assert reason_of(bad.value) == ("INVALID_INPUT", ["session_ids[1]"])
