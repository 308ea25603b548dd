"""Plain records the storage layer returns besides sessions and memories.

Runs travel as ``RunRecord``: the columns the database indexes (ids, status, timestamps) next to
``run_data``, the run's full ``to_dict()`` form. The database never imports the run package;
the engine turns ``run_data`` back into a ``RunOutput``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    return str(value)


@dataclass(slots=True)
class RunRecord:
    """One stored run. ``status`` is the run status' string value (e.g. ``"COMPLETED"``)."""

    run_id: str
    session_id: str
    run_data: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    user_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    workflow_id: str | None = None
    parent_run_id: str | None = None
    created_at: int | None = None
    updated_at: int | None = None

    @classmethod
    def from_run_dict(cls, data: Mapping[str, Any]) -> RunRecord:
        """Build a record from a run's ``to_dict()`` output, taking the indexed fields from it.

        Raises ``ValueError`` when ``run_id`` or ``session_id`` is missing: a run without them
        cannot be stored or found again.
        """
        run_id = data.get("run_id")
        session_id = data.get("session_id")
        if not run_id or not session_id:
            raise ValueError("a run needs run_id and session_id to be stored")
        status = data.get("status")
        created_at = data.get("created_at")
        return cls(
            run_id=str(run_id),
            session_id=str(session_id),
            run_data=dict(data),
            # str() of a StrEnum member is its value, so RunStatus.completed becomes "COMPLETED".
            status=str(status) if status is not None else None,
            user_id=_opt_str(data, "user_id"),
            agent_id=_opt_str(data, "agent_id"),
            team_id=_opt_str(data, "team_id"),
            workflow_id=_opt_str(data, "workflow_id"),
            parent_run_id=_opt_str(data, "parent_run_id"),
            created_at=int(created_at) if isinstance(created_at, int | float) else None,
        )


@dataclass(slots=True)
class RunEventRecord:
    """One stored event of a run; ``sequence`` is strictly increasing per run."""

    run_id: str
    sequence: int
    event: dict[str, Any]
    created_at: int


@dataclass(slots=True)
class UserMemoryStats:
    """How many memories a user has and when the latest one changed."""

    user_id: str
    total_memories: int
    last_memory_updated_at: int | None


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of a listing. ``total`` counts every match of the filters, not just this page;
    ``next_page_token`` continues after the last item (None when there is nothing more)."""

    items: list[T]
    total: int
    next_page_token: str | None = None
