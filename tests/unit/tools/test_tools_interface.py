"""The tools interface end to end: decorate, resolve, execute."""

from __future__ import annotations

from typing import Any

from agentos.run._context import RunContext
from agentos.tools import Function, FunctionResult, Toolkit, execute_function, resolve_tools, tool


@tool
def add(a: int, b: int = 2) -> int:
    """Add two integers.

    Args:
        a: The first integer.
        b: The second integer.
    """
    return a + b


def test_decorated_function_is_a_function_with_schema() -> None:
    assert isinstance(add, Function)
    assert add.name == "add"
    assert add.description == "Add two integers."
    assert add.parameters == {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "description": "The first integer."},
            "b": {"type": "integer", "description": "The second integer.", "default": 2},
        },
        "required": ["a"],
        "additionalProperties": False,
    }
    assert add(1, 2) == 3  # still callable directly


async def test_execute_coerces_and_returns_content() -> None:
    result = await execute_function(add, {"a": "3"}, call_id="c1", run_context=None)
    assert isinstance(result, FunctionResult)
    assert result.error is None
    assert result.result == 5
    assert result.content == "5"
    assert result.duration >= 0


async def test_resolve_then_execute_with_run_context() -> None:
    def remember(key: str, value: str, run_context: RunContext) -> str:
        """Store a value in the session state."""
        run_context.session_state[key] = value
        return "ok"

    class Notes(Toolkit):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(name="notes", tools=[self.count], **kwargs)

        def count(self, session_state: dict[str, Any]) -> int:
            """How many notes are stored."""
            return len(session_state)

    resolved = resolve_tools([remember, Notes()])
    assert list(resolved.functions) == ["remember", "count"]
    assert [d.name for d in resolved.definitions] == ["remember", "count"]
    assert "run_context" not in resolved.functions["remember"].parameters["properties"]
    assert resolved.functions["count"].parameters["properties"] == {}

    ctx = RunContext(run_id="r", session_id="s")
    stored = await execute_function(
        resolved.functions["remember"], {"key": "k", "value": "v"}, call_id="1", run_context=ctx
    )
    assert stored.content == "ok"
    assert ctx.session_state == {"k": "v"}
    counted = await execute_function(resolved.functions["count"], {}, call_id="2", run_context=ctx)
    assert counted.result == 1
