"""Sessions, session summaries and user memories through the wire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import wire_samples as s
from agentos.memory import UserMemory
from agentos.session import AgentSession, SessionSummary, SessionType, TeamSession, WorkflowSession
from agentos.v1 import memories_pb2, sessions_pb2
from agentos.wire import (
    session_from_proto,
    session_summary_from_proto,
    session_summary_to_proto,
    session_to_proto,
    session_type_from_proto,
    session_type_to_proto,
    user_memory_from_proto,
    user_memory_to_proto,
)
from google.protobuf import json_format

SESSION_DATA = {
    "session_name": "Trip planning",
    "session_state": {"city": "Paris", "days": 3, "empty": {}},
    "session_metrics": s.metrics().to_dict(),
}


def through_bytes(pb: sessions_pb2.Session) -> sessions_pb2.Session:
    wire = sessions_pb2.Session.FromString(pb.SerializeToString())
    assert json_format.Parse(json_format.MessageToJson(wire), sessions_pb2.Session()) == wire
    return wire


@pytest.mark.parametrize(
    "session",
    [
        AgentSession(
            session_id="s-1",
            agent_id="agent-1",
            team_id="team-1",
            user_id="user-1",
            workflow_id="wf-1",
            session_data=SESSION_DATA,
            metadata={"tag": "x"},
            agent_data={"name": "Agent One", "model": {"id": "gpt-4o"}},
            summary=s.session_summary(),
            created_at=s.CREATED_AT,
            updated_at=s.CREATED_AT + 60,
        ),
        TeamSession(
            session_id="s-2",
            team_id="team-1",
            user_id="user-1",
            workflow_id="wf-1",
            team_data={"name": "Team"},
            session_data=SESSION_DATA,
            metadata={"tag": "y"},
            summary=s.session_summary(),
            created_at=s.CREATED_AT,
            updated_at=s.CREATED_AT + 1,
        ),
        WorkflowSession(
            session_id="s-3",
            user_id="user-1",
            workflow_id="wf-1",
            session_data=SESSION_DATA,
            workflow_data={"steps": ["a", "b"]},
            metadata={"tag": "z"},
            created_at=s.CREATED_AT,
            updated_at=s.CREATED_AT + 2,
        ),
        AgentSession(session_id="minimal"),
    ],
    ids=["agent", "team", "workflow", "minimal"],
)
def test_sessions_round_trip(session: AgentSession | TeamSession | WorkflowSession) -> None:
    pb = session_to_proto(session, run_count=4)
    assert pb.session_type == session_type_to_proto(session.session_type)
    assert pb.run_count == 4
    assert session_from_proto(through_bytes(pb)) == session


def test_session_fields_are_where_clients_expect_them() -> None:
    pb = session_to_proto(AgentSession(session_id="s", agent_id="a", session_data=SESSION_DATA))
    assert pb.session_name == "Trip planning"
    assert json_format.MessageToDict(pb.session_state) == {"city": "Paris", "days": 3, "empty": {}}
    assert pb.metrics.input_tokens == 11 and len(pb.metrics.models) == 2


def test_other_session_data_and_workflow_name_travel() -> None:
    session = WorkflowSession(
        session_id="w",
        workflow_id="wf",
        workflow_name="Pipeline",
        session_data={"other": 1, "nested": {"tags": ["a", "b"]}, "session_name": "Run 1"},
    )
    pb = session_to_proto(session)
    assert pb.workflow_name == "Pipeline" and pb.session_name == "Run 1"
    # Keys with their own field are not repeated in session_data.
    assert json_format.MessageToDict(pb.session_data) == {"other": 1, "nested": {"tags": ["a", "b"]}}
    back = session_from_proto(through_bytes(pb))
    assert isinstance(back, WorkflowSession)
    assert back == session
    only_fields = session_to_proto(AgentSession(session_id="s", agent_id="a", session_data=SESSION_DATA))
    assert not only_fields.HasField("session_data")


def test_dedicated_session_fields_win_over_session_data_keys() -> None:
    pb = sessions_pb2.Session(session_id="s", agent_id="a", session_name="from the field")
    pb.session_data.update({"session_name": "from the struct", "x": True})
    back = session_from_proto(pb)
    assert back.session_data == {"session_name": "from the field", "x": True}


def test_session_type_is_inferred_or_rejected() -> None:
    assert isinstance(session_from_proto(sessions_pb2.Session(session_id="x", team_id="t")), TeamSession)
    assert isinstance(
        session_from_proto(sessions_pb2.Session(session_id="x", workflow_id="w")), WorkflowSession
    )
    with pytest.raises(ValueError, match="session_type"):
        session_from_proto(sessions_pb2.Session(session_id="x"))
    assert session_type_from_proto(sessions_pb2.SESSION_TYPE_UNSPECIFIED) is None
    assert {session_type_from_proto(session_type_to_proto(t)) for t in SessionType} == set(SessionType)


def test_summary_times_come_back_as_aware_utc() -> None:
    original = s.session_summary()
    assert session_summary_from_proto(session_summary_to_proto(original)) == original
    paris = SessionSummary(
        summary="x", updated_at=datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    )
    back = session_summary_from_proto(session_summary_to_proto(paris))
    assert back.updated_at == paris.updated_at and back.updated_at is not None
    assert back.updated_at.tzinfo == UTC
    naive = SessionSummary(summary="x", updated_at=datetime(2024, 5, 1, 12, 0))
    assert session_summary_from_proto(session_summary_to_proto(naive)).updated_at == datetime(
        2024, 5, 1, 12, 0, tzinfo=UTC
    )
    bare = SessionSummary(summary="just text")
    assert session_summary_from_proto(session_summary_to_proto(bare)) == bare


def test_memories_round_trip() -> None:
    memory = UserMemory(
        memory="Likes hiking",
        memory_id="m-1",
        topics=["hobbies", "outdoors"],
        input="I love hiking",
        user_id="user-1",
        agent_id="agent-1",
        team_id="team-1",
        created_at=s.CREATED_AT,
        updated_at=s.CREATED_AT + 10,
    )
    pb = user_memory_to_proto(memory)
    wire = memories_pb2.UserMemory.FromString(pb.SerializeToString())
    assert user_memory_from_proto(wire) == memory
    minimal = UserMemory(memory="x")
    assert user_memory_from_proto(user_memory_to_proto(minimal)) == minimal
