"""What a paused run needs from a human before it can continue.

A ``RunRequirement`` wraps one paused ``ToolExecution`` (shared with ``RunOutput.tools``, so
resolving the requirement updates the tool record the engine reads on continue).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import uuid4

from agentos._ids import new_id
from agentos.models import ToolExecution, UserInputField
from agentos.run._serialize import to_jsonable


class RequirementKind(StrEnum):
    confirmation = "confirmation"
    user_input = "user_input"
    external_execution = "external_execution"


def requirement_kind(tool: ToolExecution) -> RequirementKind:
    """Which human action a paused tool call waits for."""
    if tool.requires_confirmation:
        return RequirementKind.confirmation
    if tool.requires_user_input:
        return RequirementKind.user_input
    return RequirementKind.external_execution


@dataclass(slots=True)
class RunRequirement:
    """One paused tool call and the action that resolves it."""

    tool_execution: ToolExecution
    kind: RequirementKind = RequirementKind.confirmation
    id: str = field(default_factory=new_id)
    created_at: int = field(default_factory=lambda: int(time.time()))

    @classmethod
    def for_tool(cls, tool: ToolExecution) -> RunRequirement:
        return cls(tool_execution=tool, kind=requirement_kind(tool))

    # What is needed -------------------------------------------------------------------------
    @property
    def needs_confirmation(self) -> bool:
        return self.tool_execution.requires_confirmation and self.tool_execution.confirmed is None

    @property
    def needs_user_input(self) -> bool:
        return self.tool_execution.requires_user_input and not self.tool_execution.answered

    @property
    def needs_external_execution(self) -> bool:
        return self.tool_execution.external_execution_required and self.tool_execution.result is None

    @property
    def user_input_schema(self) -> list[UserInputField] | None:
        return self.tool_execution.user_input_schema

    def is_resolved(self) -> bool:
        """True once the human action was taken (confirmed or rejected, input given, result set)."""
        if self.tool_execution.requires_user_input and not self.tool_execution.answered:
            schema = self.tool_execution.user_input_schema or []
            if schema and all(f.value is not None for f in schema):
                return True
        return not self.tool_execution.is_paused

    # Resolving ------------------------------------------------------------------------------
    def confirm(self, note: str | None = None) -> None:
        self.tool_execution.confirmed = True
        self.tool_execution.confirmation_note = note

    def reject(self, note: str | None = None) -> None:
        self.tool_execution.confirmed = False
        self.tool_execution.confirmation_note = note

    def provide_user_input(self, values: dict[str, Any]) -> None:
        """Fill the user-input fields by name; unknown names raise ValueError."""
        schema = self.tool_execution.user_input_schema or []
        by_name = {f.name: f for f in schema}
        unknown = sorted(set(values) - set(by_name))
        if unknown:
            raise ValueError(
                f"tool {self.tool_execution.tool_name!r} has no user input field(s) {unknown}; "
                f"expected some of {sorted(by_name)}"
            )
        for name, value in values.items():
            by_name[name].value = value
        if all(f.value is not None for f in schema):
            self.tool_execution.answered = True

    def set_external_execution_result(self, result: Any) -> None:
        self.tool_execution.result = (
            result if isinstance(result, str) else json.dumps(to_jsonable(result), default=str)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "created_at": self.created_at,
            "tool_execution": to_jsonable(self.tool_execution),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRequirement:
        from agentos.run._restore import tool_execution_from_dict

        return cls(
            tool_execution=tool_execution_from_dict(data["tool_execution"]),
            kind=RequirementKind(data.get("kind", RequirementKind.confirmation.value)),
            id=data.get("id") or str(uuid4()),
            created_at=data.get("created_at") or int(time.time()),
        )
