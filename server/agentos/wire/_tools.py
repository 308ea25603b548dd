"""Tool executions, user-input fields and run requirements <-> protobuf.

A ``RunRequirement`` on the wire repeats the decision fields of its tool execution
(``confirmed``, ``confirmation_note``, ``user_input``, ``external_execution_result``) so that a
client can resolve a requirement without touching the nested tool. On the way back those
requirement-level fields are laid over the tool execution, which is where the engine reads the
decisions.

``ToolExecution.result`` has presence on the wire, so an empty result stays ``""`` and no result
stays None (an external-execution tool with ``""`` as its result is resolved, one with None is
not). Lossy spot: ``UserInputField.field_type`` travels as a JSON-schema type name, so Python
types other than str/int/float/bool/dict/list come back as ``str``. A requirement without a
``created_at`` (from a client that did not echo it) takes its tool call's.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from agentos.models import ToolExecution, UserInputField
from agentos.run import RequirementKind, RunRequirement
from agentos.v1 import common_pb2
from agentos.wire._metrics import fill_metrics, metrics_from_proto
from agentos.wire._values import fill_struct, fill_value, from_struct, from_value, set_timestamp

_JSON_TYPE_OF: dict[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    dict: "object",
    list: "array",
}
_PY_TYPE_OF: dict[str, type] = {name: cls for cls, name in _JSON_TYPE_OF.items()}
# Python type names are accepted too, for clients that send what the domain's to_dict writes.
_PY_TYPE_OF.update({cls.__name__: cls for cls in _JSON_TYPE_OF})

_KIND_TO_PB = {
    RequirementKind.confirmation: common_pb2.REQUIREMENT_KIND_CONFIRMATION,
    RequirementKind.user_input: common_pb2.REQUIREMENT_KIND_USER_INPUT,
    RequirementKind.external_execution: common_pb2.REQUIREMENT_KIND_EXTERNAL_EXECUTION,
}
_KIND_FROM_PB = {pb: kind for kind, pb in _KIND_TO_PB.items()}


def json_type_name(field_type: Any) -> str:
    return _JSON_TYPE_OF.get(field_type, "string")


def python_type(name: str) -> type:
    return _PY_TYPE_OF.get(name, str)


# User input fields ---------------------------------------------------------------------------


def fill_user_input_field(target: common_pb2.UserInputField, item: UserInputField) -> None:
    target.name = item.name
    target.field_type = json_type_name(item.field_type)
    if item.description:
        target.description = item.description
    if item.value is not None:
        fill_value(target.value, item.value)


def user_input_field_from_proto(pb: common_pb2.UserInputField) -> UserInputField:
    return UserInputField(
        name=pb.name,
        field_type=python_type(pb.field_type),
        description=pb.description or None,
        value=from_value(pb.value) if pb.HasField("value") else None,
    )


# Tool executions -----------------------------------------------------------------------------


def fill_tool_execution(target: common_pb2.ToolExecution, tool: ToolExecution) -> None:
    if tool.tool_call_id:
        target.tool_call_id = tool.tool_call_id
    if tool.tool_name:
        target.tool_name = tool.tool_name
    if tool.tool_args is not None:
        target.tool_args.SetInParent()
        fill_struct(target.tool_args, tool.tool_args)
    if tool.result is not None:
        target.result = tool.result
    if tool.tool_call_error:
        target.tool_call_error = True
    if tool.confirmed is not None:
        target.confirmed = tool.confirmed
    if tool.confirmation_note:
        target.confirmation_note = tool.confirmation_note
    if tool.requires_confirmation:
        target.requires_confirmation = True
    if tool.requires_user_input:
        target.requires_user_input = True
    for item in tool.user_input_schema or ():
        fill_user_input_field(target.user_input_schema.add(), item)
    if tool.external_execution_required:
        target.external_execution_required = True
    if tool.answered:
        target.answered = True
    if tool.stop_after_tool_call:
        target.stop_after_tool_call = True
    if tool.show_result:
        target.show_result = True
    if tool.metrics is not None:
        fill_metrics(target.metrics, tool.metrics)
    set_timestamp(target.created_at, tool.created_at)


def tool_execution_to_proto(tool: ToolExecution) -> common_pb2.ToolExecution:
    out = common_pb2.ToolExecution()
    fill_tool_execution(out, tool)
    return out


def tool_execution_from_proto(pb: common_pb2.ToolExecution) -> ToolExecution:
    return ToolExecution(
        tool_call_id=pb.tool_call_id or None,
        tool_name=pb.tool_name or None,
        tool_args=from_struct(pb.tool_args) if pb.HasField("tool_args") else None,
        result=pb.result if pb.HasField("result") else None,
        tool_call_error=pb.tool_call_error,
        requires_confirmation=pb.requires_confirmation,
        confirmed=pb.confirmed if pb.HasField("confirmed") else None,
        confirmation_note=pb.confirmation_note or None,
        requires_user_input=pb.requires_user_input,
        user_input_schema=[user_input_field_from_proto(f) for f in pb.user_input_schema] or None,
        external_execution_required=pb.external_execution_required,
        answered=pb.answered,
        stop_after_tool_call=pb.stop_after_tool_call,
        show_result=pb.show_result,
        metrics=metrics_from_proto(pb.metrics) if pb.HasField("metrics") else None,
        created_at=int(pb.created_at.seconds) if pb.HasField("created_at") else int(time.time()),
    )


# Requirements --------------------------------------------------------------------------------


def requirement_kind_to_proto(kind: RequirementKind) -> common_pb2.RequirementKind:
    return _KIND_TO_PB[kind]


def requirement_kind_from_proto(kind: common_pb2.RequirementKind, tool: ToolExecution) -> RequirementKind:
    """The requirement kind; UNSPECIFIED is inferred from what the tool call waits for."""
    known = _KIND_FROM_PB.get(kind)
    if known is not None:
        return known
    if tool.requires_confirmation:
        return RequirementKind.confirmation
    if tool.requires_user_input:
        return RequirementKind.user_input
    return RequirementKind.external_execution


def fill_requirement(
    target: common_pb2.RunRequirement, requirement: RunRequirement, run_id: str = ""
) -> None:
    tool = requirement.tool_execution
    target.requirement_id = requirement.id
    target.kind = _KIND_TO_PB[requirement.kind]
    fill_tool_execution(target.tool_execution, tool)
    if run_id:
        target.run_id = run_id
    if tool.confirmed is not None:
        target.confirmed = tool.confirmed
    if tool.confirmation_note:
        target.confirmation_note = tool.confirmation_note
    if tool.requires_user_input:
        for item in tool.user_input_schema or ():
            fill_user_input_field(target.user_input.add(), item)
    if tool.external_execution_required and tool.result is not None:
        target.external_execution_result = tool.result
    target.resolved = requirement.is_resolved()
    set_timestamp(target.created_at, requirement.created_at)


def requirement_to_proto(requirement: RunRequirement, run_id: str = "") -> common_pb2.RunRequirement:
    out = common_pb2.RunRequirement()
    fill_requirement(out, requirement, run_id)
    return out


def requirement_from_proto(pb: common_pb2.RunRequirement) -> RunRequirement:
    """A requirement whose tool execution carries the decisions given at requirement level."""
    tool = tool_execution_from_proto(pb.tool_execution) if pb.HasField("tool_execution") else ToolExecution()
    if pb.HasField("confirmed"):
        tool.confirmed = pb.confirmed
    if pb.confirmation_note:
        tool.confirmation_note = pb.confirmation_note
    if pb.user_input:
        _merge_user_input(tool, pb.user_input)
    if pb.external_execution_result:
        tool.result = pb.external_execution_result
    return RunRequirement(
        tool_execution=tool,
        kind=requirement_kind_from_proto(pb.kind, tool),
        id=pb.requirement_id or str(uuid4()),
        # A client resolving a requirement may leave the output-only time out: the call's time
        # is the closest stand-in.
        created_at=int(pb.created_at.seconds) if pb.HasField("created_at") else tool.created_at,
    )


def _merge_user_input(tool: ToolExecution, fields: Any) -> None:
    """Set the values the user gave on the tool's schema fields (new names are appended)."""
    schema = tool.user_input_schema if tool.user_input_schema is not None else []
    by_name = {f.name: f for f in schema}
    for pb_field in fields:
        given = user_input_field_from_proto(pb_field)
        existing = by_name.get(given.name)
        if existing is None:
            schema.append(given)
            by_name[given.name] = given
        elif given.value is not None:
            existing.value = given.value
    tool.user_input_schema = schema
