"""Behaviour shared by the three session classes: in-memory runs and session_data access.

Runs are not part of a session's stored form (each run is its own row, see ``agentos.db``).
A caller that needs the history loads it with ``db.get_runs(session_id)`` and keeps it in
``session.runs``; these helpers work on whatever run objects it put there, as long as they
have a ``run_id``.
"""

from __future__ import annotations

from typing import Any


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
