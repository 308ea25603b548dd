"""Built-in toolkits: CalculatorTools and UserControlFlowTools."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentos.models import UserInputField
from agentos.tools import Function, execute_function, resolve_tools
from agentos.tools.calculator import CalculatorTools
from agentos.tools.user_control_flow import UserControlFlowTools


async def call(fn: Function, **arguments: Any) -> dict[str, Any]:
    result = await execute_function(fn, arguments, call_id="c", run_context=None)
    assert result.error is None, result.error
    decoded = json.loads(result.content)
    assert isinstance(decoded, dict)
    return decoded


ALL = ["add", "subtract", "multiply", "divide", "exponentiate", "factorial", "is_prime", "square_root"]


def test_calculator_tools_and_selection() -> None:
    assert list(CalculatorTools().functions) == ALL
    assert list(CalculatorTools(factorial=False, is_prime=False).functions) == [
        "add",
        "subtract",
        "multiply",
        "divide",
        "exponentiate",
        "square_root",
    ]
    assert list(CalculatorTools(include_tools=["add"]).functions) == ["add"]
    assert "divide" not in CalculatorTools(exclude_tools=["divide"]).functions
    assert CalculatorTools().name == "calculator"
    definition = {d.name: d for d in resolve_tools([CalculatorTools()]).definitions}["divide"]
    assert definition.parameters["required"] == ["a", "b"]
    assert definition.parameters["properties"]["b"]["description"] == "The divisor (must not be zero)."


@pytest.mark.parametrize(
    ("name", "arguments", "expected"),
    [
        ("add", {"a": 2, "b": 3.5}, 5.5),
        ("add", {"a": "2", "b": "4"}, 6),
        ("subtract", {"a": 10, "b": 4}, 6),
        ("multiply", {"a": 6, "b": 7}, 42),
        ("divide", {"a": 1, "b": 4}, 0.25),
        ("exponentiate", {"a": 2, "b": 10}, 1024),
        ("factorial", {"n": 5}, 120),
        ("factorial", {"n": 0}, 1),
        ("is_prime", {"n": 97}, True),
        ("is_prime", {"n": 1}, False),
        ("is_prime", {"n": 91}, False),
        ("is_prime", {"n": 2}, True),
        ("is_prime", {"n": 1_000_000_007}, True),
        ("is_prime", {"n": 1_000_000_007 * 998_244_353}, False),
        ("is_prime", {"n": 2**61 - 1}, True),
        ("square_root", {"n": 16}, 4),
        ("square_root", {"n": 2}, 2**0.5),
    ],
)
async def test_calculator_results(name: str, arguments: dict[str, Any], expected: Any) -> None:
    kit = CalculatorTools()
    out = await call(kit.functions[name], **arguments)
    assert out["result"] == expected


@pytest.mark.parametrize(
    ("name", "arguments", "needle"),
    [
        ("divide", {"a": 1, "b": 0}, "Division by zero"),
        ("factorial", {"n": -1}, "negative"),
        ("factorial", {"n": 5000}, "limited"),
        ("square_root", {"n": -4}, "negative"),
        ("exponentiate", {"a": 10, "b": 400}, "Cannot compute"),
    ],
)
async def test_calculator_refusals(name: str, arguments: dict[str, Any], needle: str) -> None:
    out = await call(CalculatorTools().functions[name], **arguments)
    assert needle in out["error"]


async def test_calculator_rejects_non_numbers() -> None:
    result = await execute_function(
        CalculatorTools().functions["add"], {"a": "two", "b": 1}, call_id="c", run_context=None
    )
    assert result.error is not None and "a: Input should be a valid number" in result.error


# --------------------------------------------------------------------------- user control flow


REQUEST = {
    "user_input_fields": [
        {"field_name": "to_address", "field_type": "str", "field_description": "Recipient email"},
        {"field_name": "copies", "field_type": "int", "field_description": "How many copies"},
    ]
}


def test_get_user_input_pauses_for_the_requested_fields() -> None:
    kit = UserControlFlowTools()
    resolved = resolve_tools([kit])
    fn = resolved.functions["get_user_input"]
    assert fn.requires_user_input
    assert resolved.instructions and "get_user_input" in resolved.instructions[0]
    schema = fn.to_definition().parameters
    assert schema["required"] == ["user_input_fields"]
    item = schema["$defs"]["RequestedField"]
    assert item["required"] == ["field_name", "field_type", "field_description"]
    fields = fn.user_input_schema(REQUEST)
    assert [(f.name, f.field_type, f.description, f.value) for f in fields] == [
        ("to_address", str, "Recipient email", None),
        ("copies", int, "How many copies", None),
    ]


async def test_get_user_input_reports_the_answers() -> None:
    fn = UserControlFlowTools().functions["get_user_input"]
    fields = fn.user_input_schema(REQUEST)
    fields[0].value = "ann@example.com"
    fields[1].value = 2
    arguments = fn.apply_user_input(REQUEST, fields)
    out = await call(fn, **arguments)
    assert out == {"user_input": {"to_address": "ann@example.com", "copies": 2}}


async def test_get_user_input_names_unanswered_fields() -> None:
    fn = UserControlFlowTools().functions["get_user_input"]
    fields = fn.user_input_schema(REQUEST)
    fields[0].value = "ann@example.com"
    out = await call(fn, **fn.apply_user_input(REQUEST, fields))
    assert out == {"user_input": {"to_address": "ann@example.com"}, "not_provided": ["copies"]}


def test_user_control_flow_options() -> None:
    kit = UserControlFlowTools(instructions="Ask politely.", add_instructions=False)
    assert resolve_tools([kit]).instructions == []
    assert UserControlFlowTools(instructions="Ask politely.").instructions == "Ask politely."
    unknown_type = (
        UserControlFlowTools()
        .functions["get_user_input"]
        .user_input_schema(
            {"user_input_fields": [{"field_name": "x", "field_type": "datetime", "field_description": "d"}]}
        )
    )
    assert unknown_type == [UserInputField(name="x", field_type=str, description="d", value=None)]
