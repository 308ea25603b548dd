"""``Toolkit``: a named group of tools with shared instructions, filters and flags."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from agentos.tools._function import Function


def _tool_name(tool: Callable[..., Any] | Function) -> str:
    if isinstance(tool, Function):
        return tool.name
    return str(getattr(tool, "__name__", type(tool).__name__))


class Toolkit:
    """A group of tools, usually methods of a subclass::

        class WeatherTools(Toolkit):
            def __init__(self, **kwargs: Any) -> None:
                super().__init__(name="weather", tools=[self.forecast], **kwargs)

            def forecast(self, city: str) -> str:
                \"\"\"Tomorrow's forecast for a city.\"\"\"
                ...

    ``include_tools`` / ``exclude_tools`` select tools by name; the ``*_tools`` lists set the
    matching flag on the named tools; ``cache_results`` / ``cache_ttl`` / ``cache_dir`` apply to
    every tool. Unknown names raise ``ValueError`` so a typo does not silently drop a guard
    such as ``requires_confirmation_tools``.
    """

    def __init__(
        self,
        name: str = "toolkit",
        tools: Sequence[Callable[..., Any] | Function] = (),
        instructions: str | None = None,
        add_instructions: bool = False,
        include_tools: Sequence[str] | None = None,
        exclude_tools: Sequence[str] | None = None,
        requires_confirmation_tools: Sequence[str] | None = None,
        external_execution_required_tools: Sequence[str] | None = None,
        stop_after_tool_call_tools: Sequence[str] | None = None,
        show_result_tools: Sequence[str] | None = None,
        cache_results: bool = False,
        cache_ttl: int | None = 3600,
        cache_dir: str | None = None,
        auto_register: bool = True,
    ) -> None:
        self.name = name
        self.tools: list[Callable[..., Any] | Function] = list(tools)
        self.instructions = instructions
        self.add_instructions = add_instructions
        self.include_tools = list(include_tools) if include_tools is not None else None
        self.exclude_tools = list(exclude_tools or [])
        self.requires_confirmation_tools = list(requires_confirmation_tools or [])
        self.external_execution_required_tools = list(external_execution_required_tools or [])
        self.stop_after_tool_call_tools = list(stop_after_tool_call_tools or [])
        self.show_result_tools = list(show_result_tools or [])
        self.cache_results = cache_results
        self.cache_ttl = cache_ttl
        self.cache_dir = cache_dir
        self.functions: dict[str, Function] = {}
        self._check_names()
        if auto_register:
            for item in self.tools:
                self.register(item)

    def _check_names(self) -> None:
        available = {_tool_name(t) for t in self.tools}
        for option in (
            "include_tools",
            "exclude_tools",
            "requires_confirmation_tools",
            "external_execution_required_tools",
            "stop_after_tool_call_tools",
            "show_result_tools",
        ):
            names = getattr(self, option) or []
            unknown = [n for n in names if n not in available]
            if unknown:
                raise ValueError(
                    f"toolkit '{self.name}': {option} names unknown tool(s) {', '.join(unknown)}; "
                    f"available: {', '.join(sorted(available)) or '(none)'}"
                )

    def register(self, fn: Callable[..., Any] | Function, name: str | None = None) -> Function | None:
        """Add a tool, applying this toolkit's filters and flags.

        Returns the registered Function, or None when include/exclude filters leave it out.
        """
        tool_name = name or _tool_name(fn)
        if self.include_tools is not None and tool_name not in self.include_tools:
            return None
        if tool_name in self.exclude_tools:
            return None
        options: dict[str, Any] = {}
        if name is not None:
            options["name"] = name
        if tool_name in self.requires_confirmation_tools:
            options["requires_confirmation"] = True
        if tool_name in self.external_execution_required_tools:
            options["external_execution"] = True
        if tool_name in self.stop_after_tool_call_tools:
            options["stop_after_tool_call"] = True
        if tool_name in self.show_result_tools:
            options["show_result"] = True
        if self.cache_results:
            options.update(cache_results=True, cache_ttl=self.cache_ttl, cache_dir=self.cache_dir)
        function = Function.from_callable(fn, **options)
        self.functions[function.name] = function
        return function

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, functions={list(self.functions)})"
