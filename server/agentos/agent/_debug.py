"""Debug logging of runs: ``debug_mode`` / ``debug_level`` (and ``AGENTOS_DEBUG=true``).

As Agno's debug mode (``AGNO_DEBUG``), for developers watching what a run does:

* level 1: the run's start and end (status, metrics per model), every model call with its token
  usage and duration, every tool call with its arguments and result (truncated to
  ``TRUNCATE_AT`` characters), and the reasoning pass;
* level 2: also every message sent to the model, in full, and the model's reply.

Records go to the ``agentos`` logger at DEBUG level (``agentos.team`` and ``agentos.workflow``
are reserved for teams and workflows), so applications route and filter them like any other
logging. Debug mode is chosen per run: the run's ``debug_mode`` argument, else the Agent's
``debug_mode``, else the ``AGENTOS_DEBUG`` environment variable. A run without it gets no
``RunDebug`` at all: call sites test ``state.debug is not None``, so nothing is formatted and
no logging call is made when debugging is off.

So that ``Agent(debug_mode=True)`` shows something in a plain script, the first debug run sets
the ``agentos`` logger to DEBUG when nobody configured its level (it is NOTSET and DEBUG is not
enabled), and gives it a stderr handler when no handler would receive its records at all.
A level set on ``agentos`` by the application is never changed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentos.agent._state import RunState
    from agentos.models import Message, Metrics, Model, ToolExecution
    from agentos.reasoning import ReasoningStep

LOGGER_NAME = "agentos"
TEAM_LOGGER_NAME = "agentos.team"
WORKFLOW_LOGGER_NAME = "agentos.workflow"
ENV_VAR = "AGENTOS_DEBUG"
TRUNCATE_AT = 500

logger = logging.getLogger(LOGGER_NAME)

_configured = False


def debug_from_env() -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() in ("true", "1", "yes", "on")


def _make_visible() -> None:
    """Once per process: let debug records through when logging was not configured for them."""
    global _configured
    if _configured:
        return
    _configured = True
    if logger.level != logging.NOTSET or logger.isEnabledFor(logging.DEBUG):
        return
    logger.setLevel(logging.DEBUG)
    if not logger.hasHandlers():
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("DEBUG %(name)s: %(message)s"))
        logger.addHandler(handler)


def _truncate(text: str, limit: int = TRUNCATE_AT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def _json(value: Any) -> str:
    try:
        return json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _usage(metrics: Metrics | None) -> str:
    if metrics is None:
        return "no usage reported"
    parts = [
        f"input_tokens={metrics.input_tokens}",
        f"output_tokens={metrics.output_tokens}",
        f"total_tokens={metrics.total_tokens}",
    ]
    if metrics.reasoning_tokens:
        parts.append(f"reasoning_tokens={metrics.reasoning_tokens}")
    if metrics.cache_read_tokens:
        parts.append(f"cache_read_tokens={metrics.cache_read_tokens}")
    return " ".join(parts)


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}s"


class RunDebug:
    """The debug log of one run (created only when the run is in debug mode)."""

    __slots__ = ("level", "prefix")

    def __init__(self, level: int, run_id: str | None) -> None:
        _make_visible()
        self.level = level
        self.prefix = f"run {run_id}"

    @classmethod
    def for_run(cls, enabled: bool, level: int, run_id: str | None) -> RunDebug | None:
        return cls(level, run_id) if enabled else None

    # -- run -----------------------------------------------------------------------------------

    def run_started(self, state: RunState, *, continued: bool = False) -> None:
        agent = state.agent
        context = state.context
        logger.debug(
            "%s: %s agent=%r (id %s) session=%s user=%s model=%s",
            self.prefix,
            "continued" if continued else "started",
            agent.name,
            agent.id,
            context.session_id,
            context.user_id,
            state.model.key,
        )

    def run_ended(self, state: RunState) -> None:
        output = state.output
        metrics = state.metrics
        logger.debug(
            "%s: ended with status %s; %s, duration=%s, time_to_first_token=%s",
            self.prefix,
            output.status.name,
            _usage(metrics),
            _seconds(metrics.duration),
            _seconds(metrics.time_to_first_token),
        )
        for key, sub in metrics.details.items():
            logger.debug("%s: metrics of %s: %s", self.prefix, key, _usage(sub))
        if output.error:
            logger.debug("%s: error: %s", self.prefix, output.error)

    # -- model calls ---------------------------------------------------------------------------

    def model_request(self, model: Model, messages: Sequence[Message], tool_names: Sequence[str]) -> None:
        """Log what is sent (level 2 only)."""
        if self.level >= 2:
            logger.debug(
                "%s: calling %s with %d message(s), tools: %s",
                self.prefix,
                model.key,
                len(messages),
                ", ".join(tool_names) or "none",
            )
            for index, message in enumerate(messages):
                logger.debug("%s: message %d %s", self.prefix, index, _describe_message(message))

    def model_response(
        self,
        model: Model,
        started: float,
        usage: Metrics | None,
        content: str | None,
        tool_calls: Sequence[str],
    ) -> None:
        logger.debug(
            "%s: model call to %s took %s; %s; tool calls: %s",
            self.prefix,
            model.key,
            _seconds(time.perf_counter() - started),
            _usage(usage),
            ", ".join(tool_calls) or "none",
        )
        if self.level >= 2 and content:
            logger.debug("%s: model reply: %s", self.prefix, content)

    # -- tools and reasoning -------------------------------------------------------------------

    def tool_call(self, execution: ToolExecution) -> None:
        duration = execution.metrics.duration if execution.metrics is not None else None
        logger.debug(
            "%s: tool %s(%s) %s in %s: %s",
            self.prefix,
            execution.tool_name,
            _truncate(_json(execution.tool_args or {})),
            "failed" if execution.tool_call_error else "returned",
            _seconds(duration),
            _truncate(str(execution.result)),
        )

    def tool_paused(self, execution: ToolExecution) -> None:
        logger.debug(
            "%s: tool %s(%s) waits for the user",
            self.prefix,
            execution.tool_name,
            _truncate(_json(execution.tool_args or {})),
        )

    def reasoning_done(self, model: Model, steps: Sequence[ReasoningStep], usage: Metrics) -> None:
        logger.debug(
            "%s: reasoning with %s gave %d step(s); %s",
            self.prefix,
            model.key,
            len(steps),
            _usage(usage),
        )
        if self.level >= 2:
            for number, step in enumerate(steps, start=1):
                logger.debug("%s: reasoning step %d: %s", self.prefix, number, _json(step.model_dump()))


def _describe_message(message: Message) -> str:
    text = f"[{message.role}] {message.content_text()}"
    if message.tool_calls:
        calls = ", ".join(f"{c.name}({c.arguments})" for c in message.tool_calls)
        text += f" tool calls: {calls}"
    if message.tool_call_id:
        text += f" (answers {message.tool_call_id})"
    return text
