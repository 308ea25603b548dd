"""Session summaries in the Agent's runs: the hook-up between the run loop and
``SessionSummaryManager``.

* ``enable_session_summaries`` (or a ``session_summary_manager``): once a run's answer is ready,
  the manager folds the run's messages into the session's summary. This happens before the turn
  is stored, so the summary is written with the session row in the run's one transaction, and
  it is part of the run (``SessionSummaryStarted``/``Completed`` events before the terminal
  event): unlike memories, a summary belongs to the session the run is saving.
* ``add_session_summary_to_context`` (default: on when summaries are on): the stored summary
  goes in the system message, so a long conversation stays in context without its history.

The summary lives on the stored session, so both need ``db``: without one there is no session
to keep a summary on, and the settings only log a warning. The summary model's token usage is
part of the run's metrics (per model in ``details``): it is known before the run is stored.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from agentos.models import Model, record_model_usage
from agentos.run import RunEvent, SessionSummaryCompletedEvent, SessionSummaryStartedEvent
from agentos.session import SessionSummary, SessionSummaryManager

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.agent._state import RunState
    from agentos.run import RunOutputEvent

logger = logging.getLogger("agentos.agent")


def summaries_enabled(agent: Agent) -> bool:
    return bool(agent.enable_session_summaries) or agent.session_summary_manager is not None


def summary_in_context(agent: Agent) -> bool:
    if agent.add_session_summary_to_context is not None:
        return bool(agent.add_session_summary_to_context)
    return summaries_enabled(agent)


def manager_for(agent: Agent, model: Model) -> SessionSummaryManager:
    configured = agent.session_summary_manager
    if configured is None:
        return SessionSummaryManager(model=model)
    if not isinstance(configured, SessionSummaryManager):
        raise TypeError(
            f"session_summary_manager must be a SessionSummaryManager, got {type(configured).__name__}"
        )
    return configured.with_defaults(model=model)


def format_summary(summary: SessionSummary) -> str:
    topics = f"\nTopics: {', '.join(summary.topics)}" if summary.topics else ""
    return (
        "Here is a summary of your earlier conversation with the user in this session:\n"
        f"<summary_of_previous_interactions>\n{summary.summary}{topics}\n</summary_of_previous_interactions>\n"
        "It may be incomplete: when this conversation says otherwise, trust this conversation."
    )


def summary_context(state: RunState) -> str | None:
    """The system-message section with the session's summary (None when off or there is none)."""
    if not summary_in_context(state.agent):
        return None
    summary = getattr(getattr(state, "session", None), "summary", None)
    return format_summary(summary) if isinstance(summary, SessionSummary) and summary.summary else None


async def update_session_summary(state: RunState) -> AsyncIterator[RunOutputEvent]:
    """Fold this run into the session's summary (before the turn is stored)."""
    agent = state.agent
    if not summaries_enabled(agent):
        return
    session = getattr(state, "session", None)
    if session is None:
        logger.warning(
            "agent %s: session summaries need a db (the summary is kept on the session)",
            agent.name or agent.id,
        )
        return
    options = state.options
    if options.wants(RunEvent.session_summary_started.value):
        yield state.emit(SessionSummaryStartedEvent())
    manager = manager_for(agent, state.model)
    with record_model_usage(state.metrics):
        summary = await state.cancel.guard(manager.acreate_session_summary(session, state.messages))
    if options.wants(RunEvent.session_summary_completed.value):
        yield state.emit(SessionSummaryCompletedEvent(session_summary=summary))
