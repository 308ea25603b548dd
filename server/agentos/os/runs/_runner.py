"""``Runner``: what the run service needs from a target (agent now; teams and workflows later).

The manager and the service only deal with runners, so a team or workflow engine plugs in by
providing one (``runner_for`` picks it by target kind). A runner starts and resumes runs as
async streams of every event (``stream_events``), ending with the final ``RunOutput`` after the
terminal event, and says where its runs are stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from agentos._ids import new_id
from agentos.agent import Agent
from agentos.db import BaseDb
from agentos.run import BaseRunEvent, RunOutput
from agentos.wire import ContinueArguments, RunArguments

RunStream = AsyncIterator[BaseRunEvent | RunOutput]
"""Every event of a run (or of a continued segment), then its RunOutput."""


class Runner(Protocol):
    """One servable target: an agent, a team or a workflow."""

    @property
    def kind(self) -> str:
        """``agent``, ``team`` or ``workflow`` (the Run's target field is ``<kind>_id``)."""
        ...

    @property
    def target_id(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    @property
    def db(self) -> BaseDb | None:
        """Where the target stores its runs (None: runs live in memory only)."""
        ...

    def default_session_id(self) -> str:
        """The session a run goes to when the request names none."""
        ...

    def start(self, args: RunArguments, *, run_id: str, session_id: str, user_id: str | None) -> RunStream:
        """Start a run; raises at once for problems found before the run (e.g. no model)."""
        ...

    def resume(self, args: ContinueArguments, *, user_id: str | None) -> RunStream:
        """Continue a paused run (from this process's memory or from the database)."""
        ...


@dataclass(frozen=True, slots=True)
class AgentRunner:
    """Runs an ``Agent``: the one engine call per request, always streamed with every event."""

    agent: Agent

    @property
    def kind(self) -> str:
        return "agent"

    @property
    def target_id(self) -> str:
        return self.agent.id

    @property
    def name(self) -> str | None:
        return self.agent.name

    @property
    def db(self) -> BaseDb | None:
        db = self.agent.db
        return db if isinstance(db, BaseDb) else None

    def default_session_id(self) -> str:
        return self.agent.session_id or new_id()

    def start(self, args: RunArguments, *, run_id: str, session_id: str, user_id: str | None) -> RunStream:
        kwargs: dict[str, Any] = args.agent_run_kwargs()
        kwargs["run_id"] = run_id
        kwargs["session_id"] = session_id
        kwargs["user_id"] = user_id
        return self.agent.arun(args.input, stream=True, stream_events=True, yield_run_output=True, **kwargs)

    def resume(self, args: ContinueArguments, *, user_id: str | None) -> RunStream:
        kwargs: dict[str, Any] = args.agent_continue_kwargs()
        kwargs["user_id"] = user_id
        return self.agent.acontinue_run(stream=True, stream_events=True, yield_run_output=True, **kwargs)
