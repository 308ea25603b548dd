"""``Function``: one tool as the engine knows it (schema, entrypoint, behaviour flags)."""

from __future__ import annotations

import contextlib
import copy
import inspect
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.models import ToolDefinition, UserInputField
from agentos.tools._cache import ToolResultCache
from agentos.tools._schema import SignatureInfo, analyse_signature, make_strict, python_type_for_field

# The options accepted by ``Function.from_callable`` and ``@tool``.
FUNCTION_OPTIONS = frozenset(
    {
        "name",
        "description",
        "strict",
        "instructions",
        "add_instructions",
        "show_result",
        "stop_after_tool_call",
        "requires_confirmation",
        "requires_user_input",
        "user_input_fields",
        "external_execution",
        "pre_hook",
        "post_hook",
        "tool_hooks",
        "cache_results",
        "cache_dir",
        "cache_ttl",
        "user_input_schema_builder",
    }
)


def _empty_parameters() -> dict[str, Any]:
    return {"type": "object", "properties": {}}


@dataclass(eq=False)
class Function:
    """A tool: what the model sees (name, description, JSON schema) and how to run it.

    Build one with ``Function.from_callable(fn, ...)`` or ``@tool``; a Function with no
    ``entrypoint`` is executed outside the agent (external execution). ``parameters`` is computed
    once from the signature and docstring; the strict variant (``strict=True``) is derived from
    it on first use. A Function is shared by every run that uses it, so it holds no per-run state
    (the result cache is deliberately shared: that is its purpose).

    ``user_input_schema_builder`` lets a tool decide which fields the user must fill when it
    pauses for input (``UserControlFlowTools.get_user_input`` builds them from the fields the
    model asked for); by default they come from the signature and ``user_input_fields``.
    """

    name: str
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=_empty_parameters)
    entrypoint: Callable[..., Any] | None = None
    strict: bool = False
    instructions: str | None = None
    add_instructions: bool = True
    show_result: bool = False
    stop_after_tool_call: bool = False
    requires_confirmation: bool = False
    requires_user_input: bool = False
    user_input_fields: list[str] = field(default_factory=list)
    external_execution: bool = False
    pre_hook: Callable[..., Any] | None = None
    post_hook: Callable[..., Any] | None = None
    tool_hooks: list[Callable[..., Any]] = field(default_factory=list)
    cache_results: bool = False
    cache_dir: str | None = None
    cache_ttl: int | None = 3600
    user_input_schema_builder: Callable[[dict[str, Any]], list[UserInputField]] | None = field(
        default=None, repr=False
    )
    signature: SignatureInfo | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.entrypoint is not None and self.signature is None:
            self.signature = analyse_signature(self.entrypoint)
            if not self.parameters.get("properties"):
                self.parameters = self.signature.parameters
            if self.description is None:
                self.description = self.signature.description
        self._strict_parameters: tuple[int, dict[str, Any]] | None = None
        self._result_cache: ToolResultCache | None = None
        self._attr_name: str | None = None
        self._check_flags()
        if self.strict:
            self.strict_parameters()  # fail at definition time, not on the first run

    def _check_flags(self) -> None:
        hitl = [
            flag
            for flag in ("requires_confirmation", "requires_user_input", "external_execution")
            if getattr(self, flag)
        ]
        if len(hitl) > 1:
            raise ValueError(f"tool '{self.name}': only one of {', '.join(hitl)} may be set")
        if self.user_input_fields and self.signature is not None:
            unknown = [f for f in self.user_input_fields if f not in self.signature.param_names]
            if unknown:
                raise ValueError(
                    f"tool '{self.name}': user_input_fields names unknown parameter(s) {', '.join(unknown)}"
                )

    @classmethod
    def from_callable(cls, fn: Callable[..., Any], **options: Any) -> Function:
        """Make a Function from a plain or async function, generator, method or callable object.

        ``options`` are the ``@tool`` options (name, description, strict, flags, hooks, caching).
        """
        if isinstance(fn, Function):
            return fn.with_options(**options) if options else fn
        unknown = set(options) - FUNCTION_OPTIONS
        if unknown:
            raise TypeError(f"unknown tool option(s): {', '.join(sorted(unknown))}")
        if not callable(fn):
            raise TypeError(f"a tool must be callable, got {type(fn).__name__}")
        # ``self`` of a function decorated in a class body is bound later, by ``__get__``.
        skip_first = inspect.isfunction(fn) and next(iter(inspect.signature(fn).parameters), None) == "self"
        signature = analyse_signature(fn, skip_first=skip_first)
        name = options.pop("name", None) or getattr(fn, "__name__", None) or type(fn).__name__
        description = options.pop("description", None) or signature.description
        tool_hooks = list(options.pop("tool_hooks", None) or [])
        user_input_fields = list(options.pop("user_input_fields", None) or [])
        return cls(
            name=name,
            description=description,
            parameters=signature.parameters,
            entrypoint=fn,
            signature=signature,
            tool_hooks=tool_hooks,
            user_input_fields=user_input_fields,
            **options,
        )

    def with_options(self, **options: Any) -> Function:
        """A copy with some options changed (the signature analysis is reused)."""
        unknown = set(options) - FUNCTION_OPTIONS
        if unknown:
            raise TypeError(f"unknown tool option(s): {', '.join(sorted(unknown))}")
        clone = copy.copy(self)
        for key, value in options.items():
            if key in ("tool_hooks", "user_input_fields"):
                value = list(value or [])
            setattr(clone, key, value)
        clone._strict_parameters = None
        clone._result_cache = None
        clone._check_flags()
        if clone.strict:
            clone.strict_parameters()
        return clone

    # ----------------------------------------------------------------- model-facing schema

    def strict_parameters(self) -> dict[str, Any]:
        """``parameters`` rewritten for OpenAI strict mode (computed once per parameters dict)."""
        cached = self._strict_parameters
        if cached is not None and cached[0] == id(self.parameters):
            return cached[1]
        strict = make_strict(self.parameters)
        self._strict_parameters = (id(self.parameters), strict)
        return strict

    def to_definition(self) -> ToolDefinition:
        """The tool as sent to the model."""
        parameters = self.strict_parameters() if self.strict else self.parameters
        return ToolDefinition(
            name=self.name, description=self.description, parameters=parameters, strict=self.strict
        )

    # ----------------------------------------------------------------- human in the loop

    def user_input_schema(self, args: Mapping[str, Any] | None = None) -> list[UserInputField]:
        """The fields shown to the user when this tool pauses for input.

        Fields the user must supply (every parameter when ``user_input_fields`` is empty, else
        the ones named) have ``value=None``; the others carry the value the model gave.
        """
        arguments = dict(args or {})
        if self.user_input_schema_builder is not None:
            return self.user_input_schema_builder(arguments)
        required_from_user = set(self.user_input_fields)
        fields: list[UserInputField] = []
        for name, annotation, description in self._parameter_specs():
            user_supplies = not required_from_user or name in required_from_user
            fields.append(
                UserInputField(
                    name=name,
                    field_type=python_type_for_field(annotation),
                    description=description,
                    value=None if user_supplies else arguments.get(name),
                )
            )
        return fields

    def apply_user_input(
        self, args: Mapping[str, Any] | None, fields: Sequence[UserInputField]
    ) -> dict[str, Any]:
        """The arguments to execute the tool with once the user filled ``fields``."""
        merged = dict(args or {})
        for user_field in fields:
            if user_field.value is not None:
                merged[user_field.name] = user_field.value
        return merged

    def _parameter_specs(self) -> list[tuple[str, Any, str | None]]:
        properties = self.parameters.get("properties", {})
        if self.signature is not None:
            # Descriptions from the schema cover both docstrings and Annotated[..., Field(description=)].
            return [
                (
                    name,
                    self.signature.annotations[name],
                    properties.get(name, {}).get("description")
                    or self.signature.param_descriptions.get(name),
                )
                for name in self.signature.param_names
            ]
        json_types: dict[str, type] = {
            "string": str,
            "integer": int,
            "number": float,
            "boolean": bool,
            "array": list,
            "object": dict,
        }
        return [
            (name, json_types.get(str(spec.get("type")), str), spec.get("description"))
            for name, spec in properties.items()
        ]

    # ----------------------------------------------------------------- caching

    @property
    def result_cache(self) -> ToolResultCache:
        """The cache used when ``cache_results`` is on (created on first use; assignable)."""
        if self._result_cache is None:
            self._result_cache = ToolResultCache(ttl=self.cache_ttl, cache_dir=self.cache_dir)
        return self._result_cache

    @result_cache.setter
    def result_cache(self, cache: ToolResultCache) -> None:
        self._result_cache = cache

    # ----------------------------------------------------------------- Python protocol

    def __set_name__(self, owner: type, attr_name: str) -> None:
        self._attr_name = attr_name

    def __get__(self, instance: object, owner: type | None = None) -> Function:
        """``@tool`` on a method: accessing it on an instance gives a Function bound to it."""
        # Only a function written as a method binds; a module-level tool stored as a class
        # attribute must not receive the instance as its first argument.
        if (
            instance is None
            or self.signature is None
            or not self.signature.skipped_self
            or not inspect.isfunction(self.entrypoint)
        ):
            return self
        bound = copy.copy(self)
        bound.entrypoint = types.MethodType(self.entrypoint, instance)
        bound._result_cache = None
        if self._attr_name is not None:
            # Cache per instance so repeated access gives the same Function (not on slotted objects).
            with contextlib.suppress(TypeError):
                vars(instance)[self._attr_name] = bound
        return bound

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the underlying function directly (no validation, hooks or caching)."""
        if self.entrypoint is None:
            raise TypeError(f"tool '{self.name}' has no entrypoint: it is executed externally")
        return self.entrypoint(*args, **kwargs)
