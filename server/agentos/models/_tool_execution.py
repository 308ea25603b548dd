"""The record of one tool call within a run, including its human-in-the-loop state."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from agentos.models._metrics import Metrics


@dataclass(slots=True)
class UserInputField:
    """A value the user must supply before a tool runs (``requires_user_input``).

    ``field_type`` is the Python type of the parameter; ``value`` is filled by the user (or was
    already filled by the model for fields the user does not have to supply).
    """

    name: str
    field_type: type = str
    description: str | None = None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "field_type": getattr(self.field_type, "__name__", str(self.field_type)),
            "description": self.description,
            "value": self.value,
        }


@dataclass(slots=True)
class ToolExecution:
    """One tool call: what was asked, what came back, and whether a human must act first."""

    tool_call_id: str | None = None
    tool_name: str | None = None
    tool_args: dict[str, Any] | None = None
    result: str | None = None
    tool_call_error: bool = False
    # Human in the loop.
    requires_confirmation: bool = False
    confirmed: bool | None = None
    confirmation_note: str | None = None
    requires_user_input: bool = False
    user_input_schema: list[UserInputField] | None = None
    external_execution_required: bool = False
    answered: bool = False
    stop_after_tool_call: bool = False
    show_result: bool = False
    metrics: Metrics | None = None
    created_at: int = field(default_factory=lambda: int(time.time()))

    @property
    def is_paused(self) -> bool:
        """True while this call waits for a confirmation, user input or an external result."""
        return (
            (self.requires_confirmation and self.confirmed is None)
            or (self.requires_user_input and not self.answered)
            or (self.external_execution_required and self.result is None)
        )
