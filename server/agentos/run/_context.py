"""Per-run state handed to tools and hooks.

Everything that varies between runs lives here, never on the shared Agent: one Agent object
serves many concurrent runs for many users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RunContext:
    """What a tool or hook may read or change during a run.

    A tool declares a parameter named ``run_context`` to receive it; changes to
    ``session_state`` are persisted with the run's session.
    """

    run_id: str
    session_id: str
    user_id: str | None = None
    session_state: dict[str, Any] = field(default_factory=dict)
    dependencies: dict[str, Any] | None = None
    knowledge_filters: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    parent_run_id: str | None = None
    workflow_id: str | None = None
    workflow_run_id: str | None = None
