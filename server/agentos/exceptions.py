"""Exceptions users raise from tools and hooks, and errors the engine reports.

Names follow Agno so that existing tool code keeps working: ``RetryAgentRun`` and
``StopAgentRun`` steer the tool loop, ``InputCheckError`` / ``OutputCheckError`` are raised by
guardrails, ``ModelProviderError`` wraps provider failures.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class AgentRunException(Exception):
    """Base for exceptions a tool raises to steer the current run's tool loop.

    ``user_message`` / ``agent_message`` / ``messages`` are appended to the conversation so the
    model sees why the tool stopped.
    """

    def __init__(
        self,
        exc: str | BaseException | None = None,
        user_message: Any = None,
        agent_message: Any = None,
        messages: list[Any] | None = None,
        stop_execution: bool = False,
    ) -> None:
        super().__init__(str(exc) if exc is not None else "")
        self.user_message = user_message
        self.agent_message = agent_message
        self.messages = messages
        self.stop_execution = stop_execution


class RetryAgentRun(AgentRunException):
    """The model receives the exception as the tool's error and the current loop continues."""


class StopAgentRun(AgentRunException):
    """Leave the tool loop at once; the run ends with status COMPLETED (not cancelled)."""

    def __init__(
        self,
        exc: str | BaseException | None = None,
        user_message: Any = None,
        agent_message: Any = None,
        messages: list[Any] | None = None,
    ) -> None:
        super().__init__(exc, user_message, agent_message, messages, stop_execution=True)


class CheckTrigger(StrEnum):
    """Why a guardrail refused the input or output."""

    OFF_TOPIC = "off_topic"
    INPUT_NOT_ALLOWED = "input_not_allowed"
    OUTPUT_NOT_ALLOWED = "output_not_allowed"
    VALIDATION_FAILED = "validation_failed"
    PROMPT_INJECTION = "prompt_injection"
    PII_DETECTED = "pii_detected"
    MODERATION_FLAGGED = "moderation_flagged"


class _CheckError(Exception):
    def __init__(
        self,
        message: str,
        check_trigger: CheckTrigger = CheckTrigger.INPUT_NOT_ALLOWED,
        additional_data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.check_trigger = check_trigger
        self.additional_data = additional_data


class InputCheckError(_CheckError):
    """Raised by a pre-hook or guardrail to refuse a run's input."""


class OutputCheckError(_CheckError):
    """Raised by a post-hook or guardrail to refuse a run's output."""

    def __init__(
        self,
        message: str,
        check_trigger: CheckTrigger = CheckTrigger.OUTPUT_NOT_ALLOWED,
        additional_data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, check_trigger, additional_data)


class ModelProviderError(Exception):
    """A model provider failed: HTTP error, timeout, malformed response, or retries exhausted.

    ``retryable`` tells the engine whether another attempt may succeed (429, 5xx, timeouts);
    ``status_code`` is the HTTP status when there was one. The runtime maps provider outages to
    gRPC UNAVAILABLE.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        model_name: str | None = None,
        model_id: str | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.model_name = model_name
        self.model_id = model_id
        self.retryable = retryable
        self.retry_after = retry_after


class ModelRateLimitError(ModelProviderError):
    """HTTP 429 from the provider."""


class ModelTimeoutError(ModelProviderError):
    """The provider did not answer in time."""


class ModelNotConfiguredError(ModelProviderError):
    """No model, or a model without credentials; the message says what to set."""


class RunCancelledError(Exception):
    """Raised inside a run's task when the run was cancelled; the engine turns it into RunCancelled."""

    def __init__(self, run_id: str, reason: str | None = None) -> None:
        super().__init__(reason or f"run {run_id} was cancelled")
        self.run_id = run_id
        self.reason = reason
