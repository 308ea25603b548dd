"""Behaviour shared by the three session classes: in-memory runs and session_data access.

Runs are not part of a session's stored form (each run is its own row, see ``agentos.db``).
A caller that needs the history loads it with ``db.get_runs(session_id)`` and keeps it in
``session.runs``; these helpers work on whatever run objects it put there, as long as they
have a ``run_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agentos.session import _messages

if TYPE_CHECKING:
    from agentos.models import Message, Metrics


class SessionRunsMixin:
    """Run-list and session_data helpers; the dataclasses that use it declare the fields."""

    runs: list[Any] | None
    session_data: dict[str, Any] | None

    def upsert_run(self, run: Any) -> None:
        """Add ``run`` to the in-memory runs, replacing a run with the same ``run_id``."""
        if self.runs is None:
            self.runs = []
        run_id = run.run_id
        for index, existing in enumerate(self.runs):
            if existing.run_id == run_id:
                self.runs[index] = run
                return
        self.runs.append(run)

    def get_run(self, run_id: str) -> Any | None:
        """The in-memory run with this id, or None when it is not loaded or does not exist."""
        for run in self.runs or ():
            if run.run_id == run_id:
                return run
        return None

    def get_messages(
        self,
        agent_id: str | None = None,
        team_id: str | None = None,
        last_n_runs: int | None = None,
        limit: int | None = None,
        skip_roles: Sequence[str] | None = None,
        skip_statuses: Sequence[Any] | None = None,
        skip_history_messages: bool = True,
        skip_member_messages: bool = True,
    ) -> list[Message]:
        """The conversation of the loaded runs (see ``agentos.session._messages`` for the rules):
        ``last_n_runs`` newest runs, then the ``limit`` newest messages."""
        return _messages.session_messages(
            self.runs or (),
            agent_id=agent_id,
            team_id=team_id,
            last_n_runs=last_n_runs,
            limit=limit,
            skip_roles=skip_roles,
            skip_statuses=skip_statuses,
            skip_history_messages=skip_history_messages,
            skip_member_runs=skip_member_messages,
        )

    def get_chat_history(self, last_n_runs: int | None = None) -> list[Message]:
        """User and assistant messages of the loaded runs."""
        return _messages.chat_history(self.runs or (), last_n_runs=last_n_runs)

    def get_tool_calls(self, num_calls: int | None = None) -> list[dict[str, Any]]:
        """The loaded runs' tool calls, newest first."""
        return _messages.recent_tool_calls(self.runs or [], num_calls)

    def get_session_summary(self) -> Any:
        """The session's summary (None when there is none or the session kind has none)."""
        return getattr(self, "summary", None)

    @property
    def session_metrics(self) -> Metrics | None:
        """Token and time totals of the session's finished runs, kept in ``session_data`` so
        that reading them costs one row, however long the session."""
        from agentos.models import Metrics

        raw = (self.session_data or {}).get("session_metrics")
        return Metrics.from_dict(raw) if isinstance(raw, dict) else None

    @session_metrics.setter
    def session_metrics(self, metrics: Metrics | None) -> None:
        data = dict(self.session_data or {})
        data["session_metrics"] = metrics.to_dict() if metrics is not None else None
        self.session_data = data

    @property
    def session_name(self) -> str | None:
        name = (self.session_data or {}).get("session_name")
        return name if isinstance(name, str) else None

    @session_name.setter
    def session_name(self, name: str | None) -> None:
        data = dict(self.session_data or {})
        data["session_name"] = name
        self.session_data = data

    @property
    def session_state(self) -> dict[str, Any]:
        """The session's state dict (created on first access so callers can update it in place)."""
        data = self.session_data if self.session_data is not None else {}
        state = data.get("session_state")
        if not isinstance(state, dict):
            state = {}
            data["session_state"] = state
        self.session_data = data
        return state
