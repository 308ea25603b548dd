"""Session, summary, memory and run-record objects: stored forms and in-memory run handling."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import pytest
from agentos.db import RunRecord
from agentos.memory import UserMemory
from agentos.session import (
    AgentSession,
    SessionSummary,
    SessionType,
    TeamSession,
    WorkflowSession,
    session_from_dict,
)


def test_summary_round_trips_with_its_timestamp() -> None:
    summary = SessionSummary("short", ["a", "b"], datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC))
    data = summary.to_dict()
    assert data == {"summary": "short", "topics": ["a", "b"], "updated_at": "2025-05-06T07:08:09+00:00"}
    assert SessionSummary.from_dict(data) == summary
    with pytest.raises(TypeError, match="summary"):
        SessionSummary.from_dict({"summary": 3})
    with pytest.raises(TypeError, match="topics"):
        SessionSummary.from_dict({"summary": "x", "topics": "not-a-list"})


def test_stored_form_leaves_runs_out() -> None:
    session = AgentSession(session_id="s", agent_id="a", runs=[RunRecord(run_id="r", session_id="s")])
    data = session.to_dict()
    assert "runs" not in data
    assert data["session_type"] == "agent"
    rebuilt = AgentSession.from_dict({**data, "runs": [{"run_id": "ignored"}]})
    assert rebuilt.runs is None
    assert rebuilt == AgentSession(session_id="s", agent_id="a")


@pytest.mark.parametrize(
    "session",
    [
        AgentSession(
            session_id="a", team_id="t", workflow_id="w", agent_data={"name": "n"}, metadata={"k": 1}
        ),
        TeamSession(session_id="t", team_id="t", team_data={"mode": "route"}, summary=SessionSummary("s")),
        WorkflowSession(session_id="w", workflow_id="w", workflow_name="Flow", workflow_data={"steps": 2}),
    ],
)
def test_every_kind_round_trips_through_its_dict(
    session: AgentSession | TeamSession | WorkflowSession,
) -> None:
    assert session_from_dict(session.to_dict()) == session
    assert type(session).session_type == SessionType(session.to_dict()["session_type"])


def test_malformed_dicts_say_which_field_is_wrong() -> None:
    with pytest.raises(ValueError, match="session_type"):
        session_from_dict({"session_type": "robot", "session_id": "x"})
    with pytest.raises(TypeError, match="session_id"):
        AgentSession.from_dict({"session_id": ""})
    with pytest.raises(TypeError, match="session_data"):
        AgentSession.from_dict({"session_id": "x", "session_data": ["not", "a", "dict"]})
    with pytest.raises(TypeError, match="created_at"):
        TeamSession.from_dict({"session_id": "x", "created_at": "yesterday"})


def test_in_memory_runs_are_upserted_by_id() -> None:
    session = TeamSession(session_id="s")
    first = RunRecord(run_id="r1", session_id="s", status="PAUSED")
    session.upsert_run(first)
    session.upsert_run(RunRecord(run_id="r2", session_id="s"))
    replacement = RunRecord(run_id="r1", session_id="s", status="COMPLETED")
    session.upsert_run(replacement)
    assert session.runs == [replacement, RunRecord(run_id="r2", session_id="s")]
    assert session.get_run("r1") is replacement
    assert session.get_run("missing") is None


def test_session_name_and_state_helpers() -> None:
    session = WorkflowSession(session_id="w")
    assert session.session_name is None
    session.session_state["step"] = 1
    session.session_name = "Nightly"
    assert session.session_data == {"session_state": {"step": 1}, "session_name": "Nightly"}


def test_user_memory_round_trips() -> None:
    memory = UserMemory(
        "likes tea", memory_id="m", topics=["food"], input="I like tea", user_id="u", updated_at=5
    )
    assert UserMemory.from_dict(memory.to_dict()) == memory
    with pytest.raises(TypeError, match="memory"):
        UserMemory.from_dict({"memory": None})
    with pytest.raises(TypeError, match="topics"):
        UserMemory.from_dict({"memory": "x", "topics": [1]})


class Status(StrEnum):
    completed = "COMPLETED"


def test_run_record_takes_indexed_fields_from_a_run_dict() -> None:
    data = {
        "run_id": "r",
        "session_id": "s",
        "status": Status.completed,
        "agent_id": "a",
        "parent_run_id": "p",
        "created_at": 12.7,
        "content": "hi",
    }
    record = RunRecord.from_run_dict(data)
    assert (record.run_id, record.session_id, record.status, record.agent_id, record.parent_run_id) == (
        "r",
        "s",
        "COMPLETED",
        "a",
        "p",
    )
    assert record.created_at == 12
    assert record.run_data == data
    with pytest.raises(ValueError):
        RunRecord.from_run_dict({"run_id": "r"})
