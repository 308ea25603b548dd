"""Find the AgentOS a ``MODULE:ATTR`` string names (the CLI's argument, as uvicorn's ``app``).

``ATTR`` may be dotted (``mod:obj.agent_os``) and may name an AgentOS or a zero-argument
factory returning one (``mod:create_os``), so apps can build their AgentOS lazily. Every way
this can go wrong raises :class:`AppLoadError` with a message that says what to fix; an
exception raised while importing the user's module is reported as such (with its cause), not
confused with "module not found".
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from typing import Any

from agentos.os._agent_os import AgentOS


class AppLoadError(Exception):
    """``MODULE:ATTR`` could not be turned into an AgentOS; the message says why."""


def load_agent_os(spec: str, *, search_cwd: bool = True) -> AgentOS:
    """Import ``MODULE`` and return the AgentOS ``ATTR`` names (calling it if it is a factory).

    The current directory is put on ``sys.path`` first (``search_cwd``) so that
    ``agentos serve app:agent_os`` works from the project directory without installing it.
    """
    module_name, sep, attr_path = spec.partition(":")
    if not sep or not module_name or not attr_path:
        raise AppLoadError(f"expected MODULE:ATTR (e.g. examples.demo:agent_os), got {spec!r}")
    if search_cwd and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise AppLoadError(
                f"cannot import module {module_name!r}: no module named {exc.name!r} "
                f"(run from the directory that contains it, or set PYTHONPATH)"
            ) from None
        raise AppLoadError(f"importing {module_name!r} failed: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        raise AppLoadError(f"importing {module_name!r} failed: {type(exc).__name__}: {exc}") from exc
    target: Any = module
    walked = module_name
    for part in attr_path.split("."):
        if not part.isidentifier():
            raise AppLoadError(f"invalid attribute path {attr_path!r} in {spec!r}")
        if not hasattr(target, part):
            raise AppLoadError(f"{walked!r} has no attribute {part!r}")
        target = getattr(target, part)
        walked = f"{walked}.{part}" if walked != module_name else f"{module_name}:{part}"
    if isinstance(target, AgentOS):
        return target
    if callable(target) and not isinstance(target, type):
        if _needs_arguments(target):
            raise AppLoadError(f"{spec} is a callable that needs arguments; expected a zero-argument factory")
        try:
            produced = target()
        except Exception as exc:
            raise AppLoadError(f"calling {spec}() failed: {type(exc).__name__}: {exc}") from exc
        if isinstance(produced, AgentOS):
            return produced
        raise AppLoadError(f"{spec}() returned a {type(produced).__name__}, expected an AgentOS")
    raise AppLoadError(f"{spec} is a {type(target).__name__}, expected an AgentOS or a zero-argument factory")


def _needs_arguments(func: Any) -> bool:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return False
    return any(
        p.default is inspect.Parameter.empty
        and p.kind
        in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        for p in signature.parameters.values()
    )
