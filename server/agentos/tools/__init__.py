"""Tools: ``@tool``, ``Function``, ``Toolkit``, resolution of an agent's tool list, and execution.

A tool is described to the model from its signature and docstring (a JSON schema built once
with pydantic) and executed with validated, coerced arguments; sync tools run in worker threads
so the event loop never blocks. Built-in toolkits live in public submodules
(``agentos.tools.calculator``, ``agentos.tools.user_control_flow``).
"""

from agentos.tools._cache import ToolResultCache
from agentos.tools._decorator import tool
from agentos.tools._execute import execute_function, render_content
from agentos.tools._function import Function
from agentos.tools._resolve import ResolvedTools, function_from_dict, resolve_tools
from agentos.tools._result import FunctionCall, FunctionResult, ToolResult
from agentos.tools._schema import INJECTED_PARAMETERS, StrictSchemaError
from agentos.tools._toolkit import Toolkit

__all__ = [
    "INJECTED_PARAMETERS",
    "Function",
    "FunctionCall",
    "FunctionResult",
    "ResolvedTools",
    "StrictSchemaError",
    "ToolResult",
    "ToolResultCache",
    "Toolkit",
    "execute_function",
    "function_from_dict",
    "render_content",
    "resolve_tools",
    "tool",
]
