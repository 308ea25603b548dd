"""Sessions and session summaries <-> ``agentos.v1.Session`` / ``SessionSummary``.

The domain keeps the session's name, state and running metrics inside ``session_data``
(``session_name``, ``session_state``, ``session_metrics`` as a ``Metrics.to_dict()`` dict, as
Agno does); the contract has a field for each, and the other ``session_data`` keys travel in
the ``session_data`` Struct (JSON values; the three keys with their own field are not repeated
there, and the fields win if a client sends both). ``WorkflowSession.workflow_name`` has its own
field too. ``run_count`` is output-only and not in
the domain: the server passes it. A summary's ``updated_at`` comes back as an aware UTC
datetime (a naive one is taken to be UTC on the way out).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from agentos.models import Metrics
from agentos.session import AgentSession, Session, SessionSummary, SessionType, TeamSession, WorkflowSession
from agentos.v1 import sessions_pb2
from agentos.wire._metrics import fill_metrics, metrics_from_proto
from agentos.wire._values import fill_struct, from_struct, set_timestamp

_TYPE_TO_PB = {
    SessionType.AGENT: sessions_pb2.SESSION_TYPE_AGENT,
    SessionType.TEAM: sessions_pb2.SESSION_TYPE_TEAM,
    SessionType.WORKFLOW: sessions_pb2.SESSION_TYPE_WORKFLOW,
}
_TYPE_FROM_PB = {pb: kind for kind, pb in _TYPE_TO_PB.items()}
# session_data keys with a field of their own in the contract.
_SESSION_DATA_FIELDS = frozenset({"session_name", "session_state", "session_metrics"})


def session_type_to_proto(session_type: SessionType) -> sessions_pb2.SessionType:
    return _TYPE_TO_PB[session_type]


def session_type_from_proto(session_type: sessions_pb2.SessionType) -> SessionType | None:
    """The domain type, or None for SESSION_TYPE_UNSPECIFIED ("any type" in filters)."""
    return _TYPE_FROM_PB.get(session_type)


# Summaries -----------------------------------------------------------------------------------


def fill_session_summary(target: sessions_pb2.SessionSummary, summary: Any) -> None:
    """A ``SessionSummary`` (a dict of its shape, or plain text, is accepted too)."""
    target.SetInParent()
    if not isinstance(summary, SessionSummary):
        summary = _coerce_summary(summary)
    target.summary = summary.summary
    if summary.topics:
        target.topics.extend(summary.topics)
    if summary.updated_at is not None:
        updated = summary.updated_at
        if updated.tzinfo is None:
            updated = updated.replace(tzinfo=UTC)
        target.updated_at.FromDatetime(updated)


def _coerce_summary(value: Any) -> SessionSummary:
    if isinstance(value, Mapping):
        try:
            return SessionSummary.from_dict(value)
        except (TypeError, ValueError):
            pass
    return SessionSummary(summary=value if isinstance(value, str) else str(value))


def session_summary_to_proto(summary: SessionSummary) -> sessions_pb2.SessionSummary:
    out = sessions_pb2.SessionSummary()
    fill_session_summary(out, summary)
    return out


def session_summary_from_proto(pb: sessions_pb2.SessionSummary) -> SessionSummary:
    return SessionSummary(
        summary=pb.summary,
        topics=list(pb.topics) or None,
        updated_at=pb.updated_at.ToDatetime(tzinfo=UTC) if pb.HasField("updated_at") else None,
    )


# Sessions ------------------------------------------------------------------------------------


def fill_session(target: sessions_pb2.Session, session: Session, *, run_count: int = 0) -> None:
    target.session_id = session.session_id
    target.session_type = _TYPE_TO_PB[session.session_type]
    if session.user_id:
        target.user_id = session.user_id
    if session.workflow_id:
        target.workflow_id = session.workflow_id
    if isinstance(session, AgentSession):
        if session.agent_id:
            target.agent_id = session.agent_id
        if session.team_id:
            target.team_id = session.team_id
        _fill_optional_struct(target.agent_data, session.agent_data)
    elif isinstance(session, TeamSession):
        if session.team_id:
            target.team_id = session.team_id
        _fill_optional_struct(target.team_data, session.team_data)
    else:
        _fill_optional_struct(target.workflow_data, session.workflow_data)
    data = session.session_data or {}
    name = data.get("session_name")
    if isinstance(name, str) and name:
        target.session_name = name
    state = data.get("session_state")
    if isinstance(state, Mapping):
        _fill_optional_struct(target.session_state, state)
    metrics = data.get("session_metrics")
    if isinstance(metrics, Metrics):
        fill_metrics(target.metrics, metrics)
    elif isinstance(metrics, Mapping):
        fill_metrics(target.metrics, Metrics.from_dict(dict(metrics)))
    extra = {key: value for key, value in data.items() if key not in _SESSION_DATA_FIELDS}
    if extra:
        _fill_optional_struct(target.session_data, extra)
    if isinstance(session, WorkflowSession) and session.workflow_name:
        target.workflow_name = session.workflow_name
    _fill_optional_struct(target.metadata, session.metadata)
    summary = getattr(session, "summary", None)
    if summary is not None:
        fill_session_summary(target.summary, summary)
    if run_count:
        target.run_count = run_count
    if session.created_at is not None:
        set_timestamp(target.created_at, session.created_at)
    if session.updated_at is not None:
        set_timestamp(target.updated_at, session.updated_at)


def _fill_optional_struct(target: Any, data: Mapping[str, Any] | None) -> None:
    if data is not None:
        target.SetInParent()
        fill_struct(target, data)


def session_to_proto(session: Session, *, run_count: int = 0) -> sessions_pb2.Session:
    out = sessions_pb2.Session()
    fill_session(out, session, run_count=run_count)
    return out


def session_from_proto(pb: sessions_pb2.Session) -> Session:
    """The domain session; an unspecified type is inferred from which owner id is set."""
    session_type = _TYPE_FROM_PB.get(pb.session_type) or _infer_type(pb)
    session_data: dict[str, Any] = from_struct(pb.session_data) if pb.HasField("session_data") else {}
    if pb.session_name:
        session_data["session_name"] = pb.session_name
    if pb.HasField("session_state"):
        session_data["session_state"] = from_struct(pb.session_state)
    if pb.HasField("metrics"):
        session_data["session_metrics"] = metrics_from_proto(pb.metrics).to_dict()
    common: dict[str, Any] = {
        "session_id": pb.session_id,
        "user_id": pb.user_id or None,
        "workflow_id": pb.workflow_id or None,
        "session_data": session_data or None,
        "metadata": from_struct(pb.metadata) if pb.HasField("metadata") else None,
        "created_at": int(pb.created_at.seconds) if pb.HasField("created_at") else None,
        "updated_at": int(pb.updated_at.seconds) if pb.HasField("updated_at") else None,
    }
    summary = session_summary_from_proto(pb.summary) if pb.HasField("summary") else None
    if session_type is SessionType.AGENT:
        return AgentSession(
            **common,
            agent_id=pb.agent_id or None,
            team_id=pb.team_id or None,
            agent_data=from_struct(pb.agent_data) if pb.HasField("agent_data") else None,
            summary=summary,
        )
    if session_type is SessionType.TEAM:
        return TeamSession(
            **common,
            team_id=pb.team_id or None,
            team_data=from_struct(pb.team_data) if pb.HasField("team_data") else None,
            summary=summary,
        )
    return WorkflowSession(
        **common,
        workflow_name=pb.workflow_name or None,
        workflow_data=from_struct(pb.workflow_data) if pb.HasField("workflow_data") else None,
    )


def _infer_type(pb: sessions_pb2.Session) -> SessionType:
    if pb.agent_id:
        return SessionType.AGENT
    if pb.team_id:
        return SessionType.TEAM
    if pb.workflow_id:
        return SessionType.WORKFLOW
    raise ValueError("session has no session_type and no agent_id, team_id or workflow_id")
