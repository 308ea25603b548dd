"""JSON schemas from signatures and docstrings, including OpenAI strict mode."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

import pytest
from agentos.run import RunContext
from agentos.tools import Function, StrictSchemaError, tool
from pydantic import BaseModel, Field
from typing_extensions import TypedDict


class Color(Enum):
    RED = "red"
    GREEN = "green"


class Address(BaseModel):
    street: str = Field(description="Street and number")
    city: str
    zip_code: str | None = None


class Point(TypedDict):
    x: int
    y: int


def props(fn: Function) -> dict[str, Any]:
    properties = fn.parameters["properties"]
    assert isinstance(properties, dict)
    return properties


def test_scalar_types() -> None:
    @tool
    def f(s: str, i: int, x: float, b: bool) -> None:
        """Scalars."""

    assert props(f) == {
        "s": {"type": "string"},
        "i": {"type": "integer"},
        "x": {"type": "number"},
        "b": {"type": "boolean"},
    }
    assert f.parameters["required"] == ["s", "i", "x", "b"]


def test_optional_and_defaults_are_not_required() -> None:
    @tool
    def f(a: str, b: int | None = None, c: str = "hi", d: float = 1.5) -> None:
        """Defaults."""

    assert f.parameters["required"] == ["a"]
    assert props(f)["b"] == {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None}
    assert props(f)["c"] == {"type": "string", "default": "hi"}
    assert props(f)["d"] == {"type": "number", "default": 1.5}


def test_literal_and_enum() -> None:
    @tool
    def f(mode: Literal["fast", "slow"], color: Color = Color.RED) -> None:
        """Choices."""

    assert props(f)["mode"] == {"enum": ["fast", "slow"], "type": "string"}
    assert props(f)["color"]["$ref"] == "#/$defs/Color"
    assert props(f)["color"]["default"] == "red"
    assert f.parameters["$defs"]["Color"]["enum"] == ["red", "green"]


def test_collections() -> None:
    @tool
    def f(tags: list[str], scores: dict[str, float], pairs: list[tuple[int, str]] | None = None) -> None:
        """Collections."""

    assert props(f)["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props(f)["scores"] == {"type": "object", "additionalProperties": {"type": "number"}}
    pair = props(f)["pairs"]["anyOf"][0]
    assert pair["items"]["prefixItems"] == [{"type": "integer"}, {"type": "string"}]


def test_pydantic_model_and_typed_dict() -> None:
    @tool
    def f(address: Address, point: Point) -> None:
        """Nested shapes."""

    assert props(f)["address"] == {"$ref": "#/$defs/Address"}
    address = f.parameters["$defs"]["Address"]
    assert address["required"] == ["street", "city"]
    assert address["properties"]["street"] == {"type": "string", "description": "Street and number"}
    assert "title" not in address and "title" not in address["properties"]["city"]
    assert f.parameters["$defs"]["Point"]["required"] == ["x", "y"]
    assert f.parameters["$defs"]["Point"]["additionalProperties"] is False


def test_injected_parameters_are_hidden() -> None:
    @tool
    def f(
        query: str,
        run_context: RunContext,
        agent: Any = None,
        team: Any = None,
        session_state: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        images: list[Any] | None = None,
        videos: list[Any] | None = None,
        audio: list[Any] | None = None,
        files: list[Any] | None = None,
    ) -> None:
        """Only query is the model's."""

    assert list(props(f)) == ["query"]
    assert f.parameters["required"] == ["query"]
    assert f.signature is not None
    assert f.signature.injected == {
        "run_context",
        "agent",
        "team",
        "session_state",
        "dependencies",
        "images",
        "videos",
        "audio",
        "files",
    }


def test_unannotated_and_var_parameters() -> None:
    def f(a, *args, b=3, **kwargs):  # type: ignore[no-untyped-def]
        """Loose."""

    fn = Function.from_callable(f)
    assert props(fn) == {"a": {}, "b": {"default": 3}}
    # A **kwargs tool does not promise closed arguments.
    assert "additionalProperties" not in fn.parameters


def test_names_that_clash_with_pydantic_attributes() -> None:
    @tool
    def f(json: str, model_config: int, schema: bool = False) -> str:
        """Odd names are still plain parameters."""
        return f"{json}{model_config}{schema}"

    assert list(props(f)) == ["json", "model_config", "schema"]


def test_arbitrary_python_types_become_unconstrained() -> None:
    class Opaque:
        pass

    @tool
    def f(thing: Opaque, n: int = 1) -> None:
        """Takes an object the model cannot build."""

    assert props(f)["thing"] == {}
    assert props(f)["n"]["type"] == "integer"


def test_schema_is_computed_once_and_shared() -> None:
    @tool
    def f(a: int) -> int:
        """Once."""
        return a

    assert f.to_definition().parameters is f.parameters
    assert f.to_definition().parameters is f.to_definition().parameters


# --------------------------------------------------------------------------- docstrings


def test_google_docstring() -> None:
    def f(city: str, days: int = 1) -> str:
        """Get the weather forecast.

        Uses the national service; results are cached upstream.

        Args:
            city (str): The city name,
                for example "Paris".
            days: How many days ahead.

        Returns:
            str: The forecast.
        """
        return city

    fn = Function.from_callable(f)
    assert fn.description == "Get the weather forecast."
    assert props(fn)["city"]["description"] == 'The city name, for example "Paris".'
    assert props(fn)["days"]["description"] == "How many days ahead."


def test_numpy_docstring() -> None:
    def f(city: str, days: int = 1) -> str:
        """Get the weather
        forecast.

        Parameters
        ----------
        city : str
            The city name.
        days : int, optional
            How many days
            ahead.

        Returns
        -------
        str
        """
        return city

    fn = Function.from_callable(f)
    assert fn.description == "Get the weather forecast."
    assert props(fn)["city"]["description"] == "The city name."
    assert props(fn)["days"]["description"] == "How many days ahead."


def test_rest_docstring() -> None:
    def f(city: str, days: int = 1) -> str:
        """Get the weather forecast.

        :param city: The city name.
        :param int days: How many days
            ahead.
        :returns: The forecast.
        """
        return city

    fn = Function.from_callable(f)
    assert fn.description == "Get the weather forecast."
    assert props(fn)["city"]["description"] == "The city name."
    assert props(fn)["days"]["description"] == "How many days ahead."


def test_no_docstring_and_overrides() -> None:
    def f(a: int) -> int:
        return a

    assert Function.from_callable(f).description is None
    named = Function.from_callable(f, name="double", description="Double a number.")
    assert (named.name, named.description) == ("double", "Double a number.")


# --------------------------------------------------------------------------- strict mode


def _assert_strict(node: Any) -> None:
    """Every object lists all its properties as required and forbids extras; no defaults."""
    if isinstance(node, list):
        for item in node:
            _assert_strict(item)
        return
    if not isinstance(node, dict):
        return
    assert "default" not in node
    if node.get("type") == "object" or "properties" in node:
        assert node["additionalProperties"] is False
        assert sorted(node["required"]) == sorted(node["properties"])
    if "$ref" in node:
        assert len(node) == 1, node
    for key, value in node.items():
        if key == "properties" or key == "$defs":
            _assert_strict(list(value.values()))
        elif isinstance(value, dict | list):
            _assert_strict(value)


def test_strict_schema() -> None:
    @tool(strict=True)
    def f(
        query: str,
        limit: int = 10,
        address: Address | None = None,
        color: Color = Color.GREEN,
        tags: list[str] | None = None,
    ) -> None:
        """Search.

        Args:
            query: What to look for.
            limit: Maximum results.
        """

    definition = f.to_definition()
    assert definition.strict is True
    params = definition.parameters
    _assert_strict(params)
    assert params["required"] == ["query", "limit", "address", "color", "tags"]
    assert params["properties"]["query"] == {"type": "string", "description": "What to look for."}
    # Optional parameters become nullable, their defaults move into the description.
    assert params["properties"]["limit"] == {
        "type": ["integer", "null"],
        "description": "Maximum results. (default: 10)",
    }
    assert {"type": "null"} in params["properties"]["address"]["anyOf"]
    assert params["properties"]["tags"]["anyOf"][-1] == {"type": "null"}
    # The non-strict schema is left as it was.
    assert f.parameters["required"] == ["query"]


def test_strict_rejects_free_form_mappings() -> None:
    with pytest.raises(StrictSchemaError, match="options"):

        @tool(strict=True)
        def f(options: dict[str, str]) -> None:
            """Free-form."""


async def test_strict_null_means_default() -> None:
    from agentos.tools import execute_function

    @tool(strict=True)
    def f(query: str, limit: int = 10, note: str | None = "x") -> str:
        """Search."""
        return f"{query}:{limit}:{note}"

    # A strict model sends null for parameters it does not want to set.
    result = await execute_function(
        f, {"query": "q", "limit": None, "note": None}, call_id="1", run_context=None
    )
    assert result.error is None
    # limit cannot be None so null means "use the default"; note accepts None, so None it is.
    assert result.content == "q:10:None"


class Opaque:
    """A class pydantic cannot describe in JSON schema."""


def test_module_level_arbitrary_type_is_validated_by_isinstance() -> None:
    @tool
    def f(thing: Opaque) -> str:
        """Takes an object."""
        return type(thing).__name__

    assert props(f)["thing"] == {}
