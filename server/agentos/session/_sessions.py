"""AgentSession, TeamSession and WorkflowSession: the stored identity and state of a conversation.

Attributes follow Agno. ``to_dict`` is the storable form and leaves ``runs`` out on purpose:
runs live in their own table so that saving a turn writes one run row and one session row,
whatever the length of the conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from agentos.session._fields import optional_dict, optional_int, optional_str, required_str
from agentos.session._runs import SessionRunsMixin
from agentos.session._summary import SessionSummary
from agentos.session._type import SessionType


def _summary(value: Any) -> SessionSummary | None:
    if value is None or isinstance(value, SessionSummary):
        return value
    if isinstance(value, Mapping):
        return SessionSummary.from_dict(value)
    raise TypeError(f"summary must be an object, got {type(value).__name__}")


def _common(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "session_id": required_str(data.get("session_id"), "session_id"),
        "user_id": optional_str(data.get("user_id"), "user_id"),
        "workflow_id": optional_str(data.get("workflow_id"), "workflow_id"),
        "session_data": optional_dict(data.get("session_data"), "session_data"),
        "metadata": optional_dict(data.get("metadata"), "metadata"),
        "created_at": optional_int(data.get("created_at"), "created_at"),
        "updated_at": optional_int(data.get("updated_at"), "updated_at"),
    }


@dataclass
class AgentSession(SessionRunsMixin):
    """A conversation with one agent. ``team_id``/``workflow_id`` are set when the agent ran as a
    team member or a workflow step."""

    session_type: ClassVar[SessionType] = SessionType.AGENT

    session_id: str
    agent_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None
    workflow_id: str | None = None
    session_data: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    agent_data: dict[str, Any] | None = None
    runs: list[Any] | None = None
    summary: SessionSummary | None = None
    created_at: int | None = None
    updated_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_type": self.session_type.value,
            "session_id": self.session_id,
            "agent_id": self.agent_id,
            "team_id": self.team_id,
            "user_id": self.user_id,
            "workflow_id": self.workflow_id,
            "session_data": self.session_data,
            "metadata": self.metadata,
            "agent_data": self.agent_data,
            "summary": self.summary.to_dict() if self.summary is not None else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AgentSession:
        """Rebuild from ``to_dict`` output; ``runs`` are not read (load them from the db)."""
        return cls(
            **_common(data),
            agent_id=optional_str(data.get("agent_id"), "agent_id"),
            team_id=optional_str(data.get("team_id"), "team_id"),
            agent_data=optional_dict(data.get("agent_data"), "agent_data"),
            summary=_summary(data.get("summary")),
        )


@dataclass
class TeamSession(SessionRunsMixin):
    """A conversation with a team; member runs are linked to team runs by ``parent_run_id``."""

    session_type: ClassVar[SessionType] = SessionType.TEAM

    session_id: str
    team_id: str | None = None
    user_id: str | None = None
    workflow_id: str | None = None
    team_data: dict[str, Any] | None = None
    session_data: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    runs: list[Any] | None = None
    summary: SessionSummary | None = None
    created_at: int | None = None
    updated_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_type": self.session_type.value,
            "session_id": self.session_id,
            "team_id": self.team_id,
            "user_id": self.user_id,
            "workflow_id": self.workflow_id,
            "team_data": self.team_data,
            "session_data": self.session_data,
            "metadata": self.metadata,
            "summary": self.summary.to_dict() if self.summary is not None else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TeamSession:
        """Rebuild from ``to_dict`` output; ``runs`` are not read (load them from the db)."""
        return cls(
            **_common(data),
            team_id=optional_str(data.get("team_id"), "team_id"),
            team_data=optional_dict(data.get("team_data"), "team_data"),
            summary=_summary(data.get("summary")),
        )


@dataclass
class WorkflowSession(SessionRunsMixin):
    """A workflow's session; its id becomes the session of the agents and teams it runs."""

    session_type: ClassVar[SessionType] = SessionType.WORKFLOW

    session_id: str
    user_id: str | None = None
    workflow_id: str | None = None
    workflow_name: str | None = None
    runs: list[Any] | None = None
    session_data: dict[str, Any] | None = None
    workflow_data: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    created_at: int | None = None
    updated_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_type": self.session_type.value,
            "session_id": self.session_id,
            "user_id": self.user_id,
            "workflow_id": self.workflow_id,
            "workflow_name": self.workflow_name,
            "session_data": self.session_data,
            "workflow_data": self.workflow_data,
            "metadata": self.metadata,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkflowSession:
        """Rebuild from ``to_dict`` output; ``runs`` are not read (load them from the db)."""
        return cls(
            **_common(data),
            workflow_name=optional_str(data.get("workflow_name"), "workflow_name"),
            workflow_data=optional_dict(data.get("workflow_data"), "workflow_data"),
        )


Session = AgentSession | TeamSession | WorkflowSession
"""Any of the three session kinds; the storage layer accepts and returns this union."""

SESSION_CLASSES: dict[SessionType, type[AgentSession] | type[TeamSession] | type[WorkflowSession]] = {
    SessionType.AGENT: AgentSession,
    SessionType.TEAM: TeamSession,
    SessionType.WORKFLOW: WorkflowSession,
}


def session_from_dict(data: Mapping[str, Any]) -> Session:
    """Rebuild a session of the kind named by ``data["session_type"]``."""
    raw_type = data.get("session_type")
    try:
        session_type = SessionType(str(raw_type))
    except ValueError:
        raise ValueError(f"unknown session_type {raw_type!r}") from None
    return SESSION_CLASSES[session_type].from_dict(data)
