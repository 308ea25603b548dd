"""The ``@tool`` decorator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from agentos.tools._function import Function


@overload
def tool(fn: Callable[..., Any], /) -> Function: ...


@overload
def tool(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    strict: bool = False,
    instructions: str | None = None,
    add_instructions: bool = True,
    show_result: bool = False,
    stop_after_tool_call: bool = False,
    requires_confirmation: bool = False,
    requires_user_input: bool = False,
    user_input_fields: list[str] | None = None,
    external_execution: bool = False,
    pre_hook: Callable[..., Any] | None = None,
    post_hook: Callable[..., Any] | None = None,
    tool_hooks: list[Callable[..., Any]] | None = None,
    cache_results: bool = False,
    cache_dir: str | None = None,
    cache_ttl: int | None = 3600,
) -> Callable[[Callable[..., Any]], Function]: ...


def tool(fn: Callable[..., Any] | None = None, /, **options: Any) -> Any:
    """Turn a function into a tool: bare ``@tool`` or ``@tool(name=..., ...)``.

    The decorated name becomes a ``Function``; it stays callable (``fn(...)`` calls the original)
    and, inside a class body, binds to the instance like a method.
    """
    if fn is not None:
        return Function.from_callable(fn, **options)

    def decorate(inner: Callable[..., Any]) -> Function:
        return Function.from_callable(inner, **options)

    return decorate
