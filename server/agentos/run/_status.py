"""Run status, as Agno names it."""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """Lifecycle of a run. ``pending`` is where workflow and background runs start."""

    pending = "PENDING"
    running = "RUNNING"
    completed = "COMPLETED"
    paused = "PAUSED"
    cancelled = "CANCELLED"
    error = "ERROR"

    @property
    def is_terminal(self) -> bool:
        return self in (RunStatus.completed, RunStatus.cancelled, RunStatus.error)
