"""Turning an agent's ``tools=[...]`` list into the functions, definitions and instructions of a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.models import ToolDefinition
from agentos.tools._function import Function
from agentos.tools._toolkit import Toolkit

ToolLike = Toolkit | Function | Callable[..., Any] | Mapping[str, Any]


@dataclass(slots=True)
class ResolvedTools:
    """The tools of an agent, flattened: name -> Function (in order), their definitions, instructions."""

    functions: dict[str, Function] = field(default_factory=dict)
    definitions: list[ToolDefinition] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)


def resolve_tools(tools: Sequence[ToolLike] | None) -> ResolvedTools:
    """Flatten toolkits, functions, callables and OpenAI-format dicts.

    Two tools with the same name raise ``ValueError`` naming where each came from: the model
    could not tell them apart. Definitions are computed here, once per resolution.
    """
    functions: dict[str, Function] = {}
    origins: dict[str, str] = {}
    instructions: list[str] = []

    def add(function: Function, origin: str) -> None:
        if function.name in functions:
            raise ValueError(
                f"duplicate tool name '{function.name}': defined by {origins[function.name]} and by {origin}"
            )
        functions[function.name] = function
        origins[function.name] = origin
        if function.instructions and function.add_instructions:
            instructions.append(function.instructions)

    for index, item in enumerate(tools or []):
        if isinstance(item, Toolkit):
            if item.instructions and item.add_instructions:
                instructions.append(item.instructions)
            for function in item.functions.values():
                add(function, f"toolkit '{item.name}'")
        elif isinstance(item, Function):
            add(item, f"function '{item.name}'")
        elif isinstance(item, Mapping):
            function = function_from_dict(item)
            add(function, f"tool definition #{index} ('{function.name}')")
        elif callable(item):
            function = Function.from_callable(item)
            add(function, f"callable '{function.name}'")
        else:
            raise TypeError(
                f"tools[{index}] is a {type(item).__name__}: expected a Toolkit, Function, callable or dict"
            )
    return ResolvedTools(
        functions=functions,
        definitions=[f.to_definition() for f in functions.values()],
        instructions=instructions,
    )


def function_from_dict(spec: Mapping[str, Any]) -> Function:
    """An OpenAI-format tool (``{"type": "function", "function": {...}}`` or the bare inner dict).

    It has no entrypoint, so the run pauses for external execution when the model calls it.
    """
    inner = spec.get("function") if spec.get("type") == "function" else spec
    if not isinstance(inner, Mapping) or not isinstance(inner.get("name"), str) or not inner["name"]:
        raise ValueError(f"a dict tool needs a 'name' (OpenAI format), got keys {sorted(spec)}")
    parameters = inner.get("parameters") or {"type": "object", "properties": {}}
    if not isinstance(parameters, Mapping):
        raise ValueError(f"tool '{inner['name']}': 'parameters' must be a JSON schema object")
    return Function(
        name=inner["name"],
        description=inner.get("description"),
        parameters=dict(parameters),
        strict=bool(inner.get("strict", False)),
        external_execution=True,
    )
