"""``UserControlFlowTools``: lets the model ask the user for information mid-run.

The model calls ``get_user_input`` with the fields it needs; the tool is marked
``requires_user_input``, so the run pauses and the requested fields become the tool's
``user_input_schema`` (built by ``Function.user_input_schema(args)`` from the model's request,
not from the tool's signature). The user fills ``field.value`` on each entry and continues the
run; the engine merges the values into the call's arguments (``Function.apply_user_input``)
and executes the tool, whose result tells the model what the user answered.
"""

from __future__ import annotations

import json
from typing import Any

from agentos.models import UserInputField
from agentos.tools._function import Function
from agentos.tools._toolkit import Toolkit
from typing_extensions import TypedDict  # pydantic needs this TypedDict on Python < 3.12

_TYPES: dict[str, type] = {
    "str": str,
    "string": str,
    "int": int,
    "integer": int,
    "float": float,
    "number": float,
    "bool": bool,
    "boolean": bool,
    "list": list,
    "array": list,
    "dict": dict,
    "object": dict,
}

DEFAULT_INSTRUCTIONS = """\
You have the get_user_input tool to ask the user for information you need and do not have.
- Call it whenever a task needs details the user has not given (for example an address, a date \
or a choice between options); do not guess such values.
- Ask for all the missing fields in one call, each with a name, a type (str, int, float, bool, \
list or dict) and a short description the user will read.
- Do not call any other tool in the same turn as get_user_input; wait for the answers.
- Once the user has answered, continue the task with the values they gave."""


class RequestedField(TypedDict):
    """One piece of information the model asks the user for."""

    field_name: str
    field_type: str
    field_description: str


class UserControlFlowTools(Toolkit):
    """A toolkit with ``get_user_input``, which pauses the run until the user answers."""

    def __init__(
        self,
        instructions: str | None = None,
        add_instructions: bool = True,
        get_user_input: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("name", "user_control_flow")
        super().__init__(
            tools=[self.get_user_input] if get_user_input else [],
            instructions=instructions if instructions is not None else DEFAULT_INSTRUCTIONS,
            add_instructions=add_instructions,
            **kwargs,
        )

    def register(self, fn: Any, name: str | None = None) -> Function | None:
        function = super().register(fn, name)
        if function is not None and function.name == "get_user_input":
            function.requires_user_input = True
            function.user_input_schema_builder = requested_fields
        return function

    def get_user_input(self, user_input_fields: list[RequestedField], **answers: Any) -> str:
        """Ask the user for information needed to continue the task; the run waits for the answers.

        Args:
            user_input_fields: The fields to ask for, each with field_name, field_type (str, int,
                float, bool, list or dict) and field_description.
        """
        values: dict[str, Any] = {}
        missing: list[str] = []
        for spec in user_input_fields:
            name = spec["field_name"]
            if name in answers and answers[name] is not None:
                values[name] = answers[name]
            else:
                missing.append(name)
        if missing:
            return json.dumps({"user_input": values, "not_provided": missing})
        return json.dumps({"user_input": values})


def requested_fields(arguments: dict[str, Any]) -> list[UserInputField]:
    """The ``UserInputField``s for a ``get_user_input`` call: one per field the model asked for."""
    fields: list[UserInputField] = []
    for spec in arguments.get("user_input_fields") or []:
        if not isinstance(spec, dict) or not spec.get("field_name"):
            continue
        field_type = _TYPES.get(str(spec.get("field_type", "str")).strip().lower(), str)
        fields.append(
            UserInputField(
                name=str(spec["field_name"]),
                field_type=field_type,
                description=spec.get("field_description"),
                value=None,
            )
        )
    return fields
