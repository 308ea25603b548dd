"""Which kind of component a session belongs to."""

from __future__ import annotations

from enum import StrEnum


class SessionType(StrEnum):
    """Agent, team and workflow sessions share one table; this column tells them apart.

    The values are lower-case words because they are stored and filtered on; Agno exposes the
    same three members under ``agno.db.base.SessionType``.
    """

    AGENT = "agent"
    TEAM = "team"
    WORKFLOW = "workflow"
