"""Executing one tool call: validation, injection, hooks, caching, generators, errors.

Everything a tool can do wrong comes back as a ``FunctionResult`` with ``error`` set, so the
run loop has one code path; only ``asyncio.CancelledError`` propagates, so a run can be
cancelled while its tools run.

Threads: sync tools and sync hooks run in worker threads, never on the event loop. A chain of
sync hooks around a sync tool runs in a single worker thread (each hook's ``function_call``
calls the next layer directly); the chain hops back to the loop only for async layers and for
delivering ``CustomEvent``s, so it never holds two pool threads waiting on each other unless
async and sync layers alternate.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentos.exceptions import RetryAgentRun, StopAgentRun
from agentos.media import Audio, File, Image, Video
from agentos.run._context import RunContext
from agentos.tools._cache import cache_key
from agentos.tools._function import Function
from agentos.tools._result import FunctionCall, FunctionResult, ToolResult
from agentos.tools._schema import ArgumentError, validate_arguments
from pydantic_core import to_json

EventSink = Callable[[object], Awaitable[None]]

_HOOK_NAME_KEYS = ("function_name", "name")
_HOOK_CALL_KEYS = ("function_call", "func", "next_func")
_HOOK_ARGS_KEYS = ("arguments", "args")


async def execute_function(
    function: Function,
    arguments: dict[str, Any],
    *,
    call_id: str,
    run_context: RunContext | None,
    agent: object | None = None,
    team: object | None = None,
    tool_hooks: Sequence[Callable[..., Any]] = (),
    on_event: EventSink | None = None,
    images: Sequence[Image] | None = None,
    videos: Sequence[Video] | None = None,
    audio: Sequence[Audio] | None = None,
    files: Sequence[File] | None = None,
) -> FunctionResult:
    """Run ``function`` with the model's ``arguments`` and report what happened.

    ``tool_hooks`` (agent/team level) wrap the function's own ``tool_hooks``; the first hook is
    the outermost. ``images``/``videos``/``audio``/``files`` are what tools declaring those
    parameters receive (the run's input media). ``on_event`` receives the ``CustomEvent``s a
    generator tool yields, in order, before this coroutine returns.
    """
    started = time.perf_counter()
    try:
        result = await _execute(
            function,
            arguments,
            call_id=call_id,
            run_context=run_context,
            agent=agent,
            team=team,
            tool_hooks=tool_hooks,
            on_event=on_event,
            media={"images": images, "videos": videos, "audio": audio, "files": files},
        )
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # last line of defence: never raise into the run loop
        result = _error_result(function, exc)
    result.duration = time.perf_counter() - started
    return result


async def _execute(
    function: Function,
    arguments: dict[str, Any],
    *,
    call_id: str,
    run_context: RunContext | None,
    agent: object | None,
    team: object | None,
    tool_hooks: Sequence[Callable[..., Any]],
    on_event: EventSink | None,
    media: dict[str, Sequence[Any] | None],
) -> FunctionResult:
    if function.entrypoint is None:
        message = f"tool '{function.name}' has no entrypoint: its result must be supplied externally"
        return FunctionResult(content=message, error=message)
    if arguments is not None and not isinstance(arguments, Mapping):
        message = (
            f"invalid arguments for tool '{function.name}': expected a JSON object, "
            f"got {type(arguments).__name__}"
        )
        return FunctionResult(content=message, error=message)
    if function.signature is not None:
        try:
            kwargs = validate_arguments(function.signature, arguments or {})
        except ArgumentError as exc:
            message = f"invalid arguments for tool '{function.name}': {exc}"
            return FunctionResult(content=message, error=message)
    else:
        kwargs = dict(arguments or {})
    context = _CallContext(
        function=function,
        run_context=run_context,
        agent=agent,
        team=team,
        on_event=on_event,
        loop=asyncio.get_running_loop(),
        injected=_injected_values(function, run_context, agent, team, media),
    )
    call = FunctionCall(function=function, arguments=kwargs, call_id=call_id, run_context=run_context)
    cached = False
    try:
        if function.pre_hook is not None:
            await _call_lifecycle_hook(function.pre_hook, call, context)
        cache = function.result_cache if function.cache_results else None
        key = cache_key(function.name, call.arguments) if cache is not None else ""
        raw: Any = None
        if cache is not None:
            raw = await cache.get(key)
            cached = not cache.is_miss(raw)
        if not cached:
            chain = _build_chain([*tool_hooks, *function.tool_hooks], context)
            raw = await chain.acall(call.arguments)
            if cache is not None:
                await cache.set(key, raw)
        call.result = raw
        if function.post_hook is not None:
            await _call_lifecycle_hook(function.post_hook, call, context)
    except (RetryAgentRun, StopAgentRun) as exc:
        message = str(exc) or type(exc).__name__
        return FunctionResult(
            content=message,
            error=message,
            retry=exc if isinstance(exc, RetryAgentRun) else None,
            stop=exc if isinstance(exc, StopAgentRun) else None,
        )
    except asyncio.CancelledError:
        raise
    except (Exception, SystemExit) as exc:  # a tool calling sys.exit() must not stop the server
        return _error_result(function, exc)
    return _success_result(call.result, cached=cached)


def _error_result(function: Function, exc: BaseException) -> FunctionResult:
    detail = str(exc)
    message = f"tool '{function.name}' failed: {type(exc).__name__}" + (f": {detail}" if detail else "")
    return FunctionResult(content=message, error=message)


def _success_result(value: Any, *, cached: bool) -> FunctionResult:
    if isinstance(value, ToolResult):
        return FunctionResult(
            result=value,
            content=value.content,
            images=list(value.images) if value.images else None,
            videos=list(value.videos) if value.videos else None,
            audio=list(value.audio) if value.audio else None,
            files=list(value.files) if value.files else None,
            cached=cached,
        )
    return FunctionResult(result=value, content=render_content(value), cached=cached)


def render_content(value: Any) -> str:
    """The text the model sees for a tool's return value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, ToolResult):
        return value.content
    try:
        return to_json(value, fallback=str).decode("utf-8")
    except Exception:
        return str(value)


# --------------------------------------------------------------------------- injection


@dataclass(slots=True)
class _CallContext:
    function: Function
    run_context: RunContext | None
    agent: object | None
    team: object | None
    on_event: EventSink | None
    loop: asyncio.AbstractEventLoop
    injected: dict[str, Any]


def _injected_values(
    function: Function,
    run_context: RunContext | None,
    agent: object | None,
    team: object | None,
    media: dict[str, Sequence[Any] | None],
) -> dict[str, Any]:
    if function.signature is None or not function.signature.injected:
        return {}
    values: dict[str, Any] = {}
    for name in function.signature.injected:
        if name == "run_context":
            values[name] = run_context
        elif name == "agent":
            values[name] = agent
        elif name == "team":
            values[name] = team
        elif name == "session_state":
            # The run's own dict, so a tool's changes are the run's changes.
            values[name] = run_context.session_state if run_context is not None else None
        elif name == "dependencies":
            values[name] = run_context.dependencies if run_context is not None else None
        else:
            given = media.get(name)
            if given is None and run_context is not None:
                given = getattr(run_context, name, None)
            values[name] = list(given) if given is not None else None
    return values


# --------------------------------------------------------------------------- custom events


@functools.cache
def _custom_event_class() -> type | None:
    try:
        module = importlib.import_module("agentos.run")
    except ImportError:
        return None
    cls = getattr(module, "CustomEvent", None)
    return cls if isinstance(cls, type) else None


def _is_custom_event(item: object) -> bool:
    cls = _custom_event_class()
    return cls is not None and isinstance(item, cls)


# --------------------------------------------------------------------------- invocation


def _is_async_callable(fn: Callable[..., Any]) -> bool:
    if inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn):
        return True
    call = getattr(type(fn), "__call__", None)  # noqa: B004 - callable objects with async __call__
    return call is not None and (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call))


class _Layer(ABC):
    """One layer of the call chain, callable from the loop (``acall``) or a worker (``call``)."""

    def __init__(self, context: _CallContext) -> None:
        self.context = context

    @abstractmethod
    async def acall(self, arguments: dict[str, Any]) -> Any:
        """Run this layer (and the layers inside it) from the event loop."""

    def call(self, arguments: dict[str, Any]) -> Any:
        """Run this layer from a worker thread (blocking that thread, not the loop)."""
        return asyncio.run_coroutine_threadsafe(self.acall(arguments), self.context.loop).result()


class _ToolLayer(_Layer):
    """The innermost layer: the tool itself, with injected parameters added."""

    async def acall(self, arguments: dict[str, Any]) -> Any:
        entrypoint = self.context.function.entrypoint
        assert entrypoint is not None
        kwargs = {**arguments, **self.context.injected}
        if _is_async_callable(entrypoint):
            return await _settle(entrypoint(**kwargs), self.context)
        cancelled = threading.Event()
        try:
            return await asyncio.to_thread(self._run_sync, kwargs, cancelled)
        except asyncio.CancelledError:
            cancelled.set()  # a sync generator stops at its next item
            raise

    def call(self, arguments: dict[str, Any]) -> Any:
        entrypoint = self.context.function.entrypoint
        assert entrypoint is not None
        if _is_async_callable(entrypoint):
            return super().call(arguments)
        return self._run_sync({**arguments, **self.context.injected}, threading.Event())

    def _run_sync(self, kwargs: dict[str, Any], cancelled: threading.Event) -> Any:
        entrypoint = self.context.function.entrypoint
        assert entrypoint is not None
        result = entrypoint(**kwargs)
        if isinstance(result, Generator):
            return self._drain_sync(result, cancelled)
        if inspect.isawaitable(result) or isinstance(result, AsyncGenerator):
            return asyncio.run_coroutine_threadsafe(_settle(result, self.context), self.context.loop).result()
        return result

    def _drain_sync(self, gen: Generator[Any, Any, Any], cancelled: threading.Event) -> str:
        parts: list[str] = []
        try:
            for item in gen:
                if cancelled.is_set():
                    break
                if _is_custom_event(item):
                    sink = self.context.on_event
                    if sink is not None:
                        asyncio.run_coroutine_threadsafe(_deliver(sink, item), self.context.loop).result()
                    continue
                parts.append(render_content(item))
        finally:
            gen.close()
        return "".join(parts)


async def _deliver(sink: EventSink, item: object) -> None:
    await sink(item)


async def _settle(result: Any, context: _CallContext) -> Any:
    """Await coroutines and drain async generators an async tool returned."""
    while inspect.isawaitable(result):
        result = await result
    if isinstance(result, AsyncGenerator):
        parts: list[str] = []
        try:
            async for item in result:
                if _is_custom_event(item):
                    if context.on_event is not None:
                        await context.on_event(item)
                    continue
                parts.append(render_content(item))
        finally:
            await result.aclose()
        return "".join(parts)
    if isinstance(result, Generator):
        layer = _ToolLayer(context)
        return await asyncio.to_thread(layer._drain_sync, result, threading.Event())
    return result


class _HookLayer(_Layer):
    """A tool hook around the next layer (Agno semantics: the hook calls ``function_call``)."""

    def __init__(self, context: _CallContext, hook: Callable[..., Any], inner: _Layer) -> None:
        super().__init__(context)
        self.hook = hook
        self.inner = inner
        self.is_async = _is_async_callable(hook)

    def _kwargs(self, arguments: dict[str, Any], function_call: Callable[..., Any]) -> dict[str, Any]:
        spec = _hook_spec(self.hook)
        available: dict[str, Any] = {
            "agent": self.context.agent,
            "team": self.context.team,
            "run_context": self.context.run_context,
        }
        for key in _HOOK_NAME_KEYS:
            available[key] = self.context.function.name
        for key in _HOOK_CALL_KEYS:
            available[key] = function_call
        for key in _HOOK_ARGS_KEYS:
            available[key] = arguments
        if spec.var_kwargs:
            return {
                "function_name": self.context.function.name,
                "function_call": function_call,
                "arguments": arguments,
                "agent": self.context.agent,
                "team": self.context.team,
                "run_context": self.context.run_context,
                **{k: available[k] for k in spec.names if k in available},
            }
        return {k: available[k] for k in spec.names if k in available}

    async def acall(self, arguments: dict[str, Any]) -> Any:
        if self.is_async:

            def next_async(**kwargs: Any) -> Awaitable[Any]:
                return self.inner.acall(kwargs)

            result = self.hook(**self._kwargs(arguments, next_async))
            while inspect.isawaitable(result):
                result = await result
            return result
        return await asyncio.to_thread(self.call, arguments)

    def call(self, arguments: dict[str, Any]) -> Any:
        if self.is_async:
            return super().call(arguments)

        def next_sync(**kwargs: Any) -> Any:
            return self.inner.call(kwargs)

        return self.hook(**self._kwargs(arguments, next_sync))


def _build_chain(hooks: Sequence[Callable[..., Any]], context: _CallContext) -> _Layer:
    layer: _Layer = _ToolLayer(context)
    for hook in reversed(hooks):
        layer = _HookLayer(context, hook, layer)
    return layer


@dataclass(frozen=True, slots=True)
class _HookSpec:
    names: tuple[str, ...]
    var_kwargs: bool
    positional: int  # parameters that can be passed positionally


def _hook_spec(hook: Callable[..., Any]) -> _HookSpec:
    try:
        return _cached_hook_spec(hook)
    except TypeError:  # unhashable callable
        return _compute_hook_spec(hook)


@functools.lru_cache(maxsize=1024)
def _cached_hook_spec(hook: Callable[..., Any]) -> _HookSpec:
    return _compute_hook_spec(hook)


def _compute_hook_spec(hook: Callable[..., Any]) -> _HookSpec:
    params = inspect.signature(hook).parameters.values()
    names = tuple(
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    )
    positional = sum(
        1
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    )
    var_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    return _HookSpec(names=names, var_kwargs=var_kwargs, positional=positional)


# --------------------------------------------------------------------------- pre/post hooks


async def _call_lifecycle_hook(hook: Callable[..., Any], call: FunctionCall, context: _CallContext) -> None:
    """Call a Function's pre_hook / post_hook with what it asks for by parameter name.

    Recognised names: ``fc`` / ``function_call`` (the ``FunctionCall``), ``function_name``,
    ``arguments``, ``result``, ``agent``, ``team``, ``run_context``. A hook with a single
    parameter of another name receives the ``FunctionCall`` positionally.
    """
    spec = _hook_spec(hook)
    available: dict[str, Any] = {
        "fc": call,
        "function_call": call,
        "function_name": call.function.name,
        "arguments": call.arguments,
        "result": call.result,
        "agent": context.agent,
        "team": context.team,
        "run_context": context.run_context,
    }
    args: tuple[Any, ...] = ()
    kwargs = {k: available[k] for k in spec.names if k in available}
    if spec.var_kwargs:
        kwargs = {**available, **kwargs}
    elif not kwargs and spec.positional == 1:
        args = (call,)
    if _is_async_callable(hook):
        outcome = hook(*args, **kwargs)
    else:
        outcome = await asyncio.to_thread(hook, *args, **kwargs)
    while inspect.isawaitable(outcome):
        outcome = await outcome
