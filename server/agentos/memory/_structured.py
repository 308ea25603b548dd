"""Asking a helper model for a small JSON object, whatever the model supports.

The memory and summary managers need a few fields back from a model (memory ids, a summary and
its topics). Models differ: some constrain output to a JSON schema, some only promise "JSON",
some neither. This asks in the strongest way the model offers and parses leniently (code fences,
text around the object), so one code path serves every provider; the caller decides what to do
when no JSON comes back (e.g. use the whole text as a summary).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from agentos.models import Message, Model, ResponseFormat

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)\n?```", re.S)


def json_instructions(schema: dict[str, Any]) -> str:
    """What a model without native structured output is told about the JSON to produce."""
    return (
        "Reply with a single JSON object matching this JSON schema, and nothing else "
        "(no text around it, no code fences):\n"
        f"<json_schema>\n{json.dumps(schema, indent=2)}\n</json_schema>"
    )


def plan_request(model: Model, schema: dict[str, Any], name: str) -> tuple[ResponseFormat | None, str | None]:
    """The response format to send and the extra instructions to add to the system message."""
    if model.supports_native_structured_outputs:
        return ResponseFormat(kind="json_schema", schema=schema, name=name), None
    if model.supports_json_mode:
        return ResponseFormat(kind="json_object"), json_instructions(schema)
    return None, json_instructions(schema)


async def ask_json(
    model: Model, messages: Sequence[Message], schema: dict[str, Any], name: str
) -> tuple[dict[str, Any] | None, str]:
    """Ask ``model`` for an object following ``schema``; returns (parsed object or None, raw text).

    The first message must be the system message: JSON instructions are appended to it when the
    model cannot be constrained natively.
    """
    response_format, extra = plan_request(model, schema, name)
    to_send = list(messages)
    if extra is not None and to_send and to_send[0].role == "system":
        first = to_send[0]
        to_send[0] = Message(role="system", content=f"{first.content_text()}\n\n{extra}")
    response = await model.ainvoke(to_send, response_format=response_format)
    text = response.content or ""
    return parse_json_object(text), text


def parse_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in ``text`` (bare, fenced, or surrounded by prose), or None."""
    candidates = [text.strip()]
    fenced = _FENCE.search(text)
    if fenced:
        candidates.append(fenced.group(1).strip())
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except (json.JSONDecodeError, ValueError):
            continue
        if isinstance(value, dict):
            return value
    return None
