"""The guardrail interface: a hook that inspects a run's input or output and raises to block it.

Contract with the run loop:

* as a **pre-hook** the engine calls ``await guardrail.async_check(run_input)`` (sync contexts:
  ``check``); raising :class:`~agentos.exceptions.InputCheckError` refuses the run;
* as a **post-hook** it calls ``await guardrail.async_check_output(run_output)`` (sync:
  ``check_output``); raising :class:`~agentos.exceptions.OutputCheckError` refuses the output.

``check``/``async_check`` also accept a ``RunOutput`` directly (told apart by its attributes, see
:func:`agentos.guardrails.guardrail_stage`), so a guardrail written only against ``check`` works
in both positions; the ``*_output`` methods exist so the engine can say what it is passing.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from typing import Any

from agentos.exceptions import CheckTrigger, InputCheckError, OutputCheckError
from agentos.guardrails._text import Stage


class BaseGuardrail(ABC):
    """Base of every guardrail. Instances are shared by concurrent runs: keep them stateless."""

    @abstractmethod
    def check(self, run_input: Any) -> None:
        """Inspect a run's input (or output); raise InputCheckError / OutputCheckError to block."""

    async def async_check(self, run_input: Any) -> None:
        """Async variant used by the async engine.

        The default runs :meth:`check` in a worker thread, because a user's ``check`` may block
        (I/O, a local classifier) and the event loop serves every other run. Guardrails that only
        do quick in-memory work, or real async I/O, override this.
        """
        await asyncio.to_thread(self.check, run_input)

    def check_output(self, run_output: Any) -> None:
        """Post-hook entry point: inspect a run's output; raise OutputCheckError to block."""
        self.check(run_output)

    async def async_check_output(self, run_output: Any) -> None:
        """Async post-hook entry point."""
        await self.async_check(run_output)


def check_error(
    stage: Stage,
    message: str,
    check_trigger: CheckTrigger,
    additional_data: dict[str, Any] | None = None,
) -> InputCheckError | OutputCheckError:
    """The exception for where the guardrail runs: input problems block the run, output ones the reply."""
    if stage == "output":
        return OutputCheckError(message, check_trigger=check_trigger, additional_data=additional_data)
    return InputCheckError(message, check_trigger=check_trigger, additional_data=additional_data)
