"""``{placeholder}`` substitution in instructions and messages (Agno's ``resolve_in_context``).

Values come from the run's session_state, dependencies and metadata (plus user_id, session_id
and run_id). Unknown placeholders, and braces that are not placeholders (JSON examples in a
prompt), are left exactly as written: a prompt must never crash a run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from agentos.run import RunContext

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholder_values(context: RunContext) -> dict[str, Any]:
    values: dict[str, Any] = {"run_id": context.run_id, "session_id": context.session_id}
    if context.user_id is not None:
        values["user_id"] = context.user_id
    for source in (context.metadata, context.dependencies, context.session_state):
        if source:
            values.update(source)
    return values


def resolve_placeholders(text: str, values: Mapping[str, Any]) -> str:
    if "{" not in text:
        return text

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        value = values[key]
        if isinstance(value, str):
            return value
        if isinstance(value, dict | list):
            try:
                return json.dumps(value, default=str)
            except (TypeError, ValueError):
                return str(value)
        return str(value)

    return _PLACEHOLDER.sub(substitute, text)
