"""Pre- and post-hooks: plain callables (sync or async) and guardrail objects.

Callables receive the arguments they name among: agent, run_input, run_output, session,
session_state, dependencies, metadata, user_id, run_context, debug_mode. Objects with
``async_check`` / ``check`` (guardrails) are duck-typed so that this module does not depend on
the guardrails package; as post-hooks they get the run output (``async_check_output`` when they
have it).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from typing import Any

from agentos.agent._messages import select_kwargs
from agentos.agent._state import RunState
from agentos.run import (
    PostHookCompletedEvent,
    PostHookStartedEvent,
    PreHookCompletedEvent,
    PreHookStartedEvent,
    RunEvent,
    RunOutputEvent,
)


def hook_name(hook: Any) -> str:
    name = getattr(hook, "__name__", None)
    return str(name) if name else type(hook).__name__


def _is_guardrail(hook: Any) -> bool:
    return (
        not inspect.isfunction(hook)
        and not inspect.ismethod(hook)
        and (hasattr(hook, "async_check") or hasattr(hook, "check"))
    )


async def _call(hook: Any, available: dict[str, Any]) -> None:
    kwargs = select_kwargs(hook, available)
    if inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(type(hook).__call__):
        await hook(**kwargs)
        return
    result = await asyncio.to_thread(hook, **kwargs)
    if inspect.isawaitable(result):
        await result


async def _run_guardrail(hook: Any, subject: Any, *, output: bool) -> None:
    if output:
        for name in ("async_check_output", "check_output"):
            method = getattr(hook, name, None)
            if method is not None:
                await _invoke(method, subject)
                return
    method = getattr(hook, "async_check", None) or hook.check
    await _invoke(method, subject)


async def _invoke(method: Any, subject: Any) -> None:
    if inspect.iscoroutinefunction(method):
        await method(subject)
        return
    result = await asyncio.to_thread(method, subject)
    if inspect.isawaitable(result):
        await result


def _available(state: RunState) -> dict[str, Any]:
    context = state.context
    return {
        "agent": state.agent,
        "run_context": context,
        "session": state.session,  # None without a db
        "session_state": context.session_state,
        "dependencies": context.dependencies,
        "metadata": context.metadata,
        "user_id": context.user_id,
        "debug_mode": state.options.debug_mode,
    }


async def run_pre_hooks(state: RunState) -> AsyncIterator[RunOutputEvent]:
    hooks = state.agent.pre_hooks or ()
    run_input = state.output.input
    available = _available(state)
    available["run_input"] = run_input
    options = state.options
    for hook in hooks:
        name = hook_name(hook)
        if options.wants(RunEvent.pre_hook_started.value):
            yield state.emit(PreHookStartedEvent(pre_hook_name=name, run_input=run_input))
        if _is_guardrail(hook):
            await state.cancel.guard(_run_guardrail(hook, run_input, output=False))
        else:
            await state.cancel.guard(_call(hook, available))
        if options.wants(RunEvent.pre_hook_completed.value):
            yield state.emit(PreHookCompletedEvent(pre_hook_name=name, run_input=run_input))


async def run_post_hooks(state: RunState) -> AsyncIterator[RunOutputEvent]:
    hooks = state.agent.post_hooks or ()
    available = _available(state)
    available["run_output"] = state.output
    options = state.options
    for hook in hooks:
        name = hook_name(hook)
        if options.wants(RunEvent.post_hook_started.value):
            yield state.emit(PostHookStartedEvent(post_hook_name=name))
        if _is_guardrail(hook):
            await state.cancel.guard(_run_guardrail(hook, state.output, output=True))
        else:
            await state.cancel.guard(_call(hook, available))
        if options.wants(RunEvent.post_hook_completed.value):
            yield state.emit(PostHookCompletedEvent(post_hook_name=name))
