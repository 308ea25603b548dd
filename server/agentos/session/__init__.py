"""Sessions: what is stored about a conversation besides its runs."""

from agentos.session._sessions import (
    AgentSession,
    Session,
    TeamSession,
    WorkflowSession,
    session_from_dict,
)
from agentos.session._summary import SessionSummary, SessionSummaryManager
from agentos.session._type import SessionType

__all__ = [
    "AgentSession",
    "Session",
    "SessionSummary",
    "SessionSummaryManager",
    "SessionType",
    "TeamSession",
    "WorkflowSession",
    "session_from_dict",
]
