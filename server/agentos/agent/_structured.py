"""Structured output: which response format to ask for, what to tell the model, how to parse.

``output_schema`` is a pydantic model class or a JSON-schema dict. Models with native
structured outputs get a ``json_schema`` response format (unless ``structured_outputs=False``
or ``use_json_mode``); others get JSON mode plus the schema in the system message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from agentos.models import Model, ResponseFormat
from pydantic import BaseModel, ValidationError

OutputSchema = type[BaseModel] | dict[str, Any]

_FENCE = re.compile(r"^```(?:json|JSON)?\s*\n?(.*?)\n?```$", re.S)


class StructuredOutputError(ValueError):
    """The model's answer could not be turned into the output schema."""


def schema_name(schema: OutputSchema) -> str:
    if isinstance(schema, dict):
        title = schema.get("title") or schema.get("name")
        return str(title) if title else "dict"
    return schema.__name__


def json_schema_of(schema: OutputSchema) -> dict[str, Any]:
    if isinstance(schema, dict):
        # Accept both a bare JSON schema and OpenAI's {"name":..., "schema": {...}} wrapper.
        inner = schema.get("schema")
        return dict(inner) if isinstance(inner, dict) and "type" not in schema else dict(schema)
    return schema.model_json_schema()


def uses_json_mode(model: Model, *, use_json_mode: bool, structured_outputs: bool | None) -> bool:
    if use_json_mode or structured_outputs is False:
        return True
    return not model.supports_native_structured_outputs


def response_format_for(schema: OutputSchema, *, json_mode: bool) -> ResponseFormat:
    if json_mode:
        return ResponseFormat(kind="json_object")
    name = re.sub(r"[^A-Za-z0-9_-]", "_", schema_name(schema))[:64] or "output"
    return ResponseFormat(kind="json_schema", schema=json_schema_of(schema), name=name)


def json_mode_instructions(schema: OutputSchema) -> str:
    """What a model without native structured outputs is told about the expected JSON."""
    schema_json = json.dumps(json_schema_of(schema), indent=2)
    return (
        "Provide your output as a single JSON object that matches this JSON schema; "
        "reply with the JSON only, with no surrounding text or code fences.\n"
        f"<json_schema>\n{schema_json}\n</json_schema>"
    )


def _strip(text: str) -> str:
    text = text.strip()
    match = _FENCE.match(text)
    if match:
        return match.group(1).strip()
    if not text.startswith(("{", "[")):
        # Tolerate a sentence around the JSON: take the outermost object.
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            return text[start : end + 1]
    return text


def parse_structured(text: str | None, schema: OutputSchema) -> Any:
    """The answer as an instance of the schema (pydantic) or a dict (JSON schema)."""
    if text is None or not text.strip():
        raise StructuredOutputError(f"the model returned no content to parse into {schema_name(schema)}")
    raw = _strip(text)
    if isinstance(schema, dict):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise StructuredOutputError(
                f"the model's answer is not valid JSON for {schema_name(schema)}: "
                f"{exc.msg} at position {exc.pos}"
            ) from exc
        json_schema = json_schema_of(schema)
        if json_schema.get("type", "object") == "object":
            if not isinstance(value, dict):
                raise StructuredOutputError(
                    f"expected a JSON object for {schema_name(schema)}, got {type(value).__name__}"
                )
            missing = [key for key in json_schema.get("required", []) if key not in value]
            if missing:
                raise StructuredOutputError(f"the model's answer lacks required field(s) {missing}")
        return value
    try:
        return schema.model_validate_json(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise StructuredOutputError(
            f"the model's answer does not match {schema.__name__}: {problems}"
        ) from exc


def content_type_of(value: Any) -> str:
    if isinstance(value, str) or value is None:
        return "str"
    return type(value).__name__
