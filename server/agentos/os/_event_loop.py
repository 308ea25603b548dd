"""The event loop that ``AgentOS.serve()`` runs the server on: uvloop when it is installed.

Why: the server's one loop carries every run, stream and RPC, and under streaming load a
large part of the server's CPU is the loop's own machinery (waking on grpc's completions,
running ready callbacks, timers) rather than the runs. uvloop does that machinery in C; grpc.aio
runs on any asyncio loop. Measured with 8 concurrent streamed runs of 1000 chunks each (the
suite's workload 5, alternated A/B, 18 batches per side): server CPU per streamed event
-12% (73.5 -> 64.8 us median), events/s +7%. It is an optional dependency
(``pip install 'agentos[uvloop]'``; not available on Windows); without it, or with
``ServerSettings(event_loop="asyncio")``, the standard loop runs the server.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable

EVENT_LOOPS = ("auto", "asyncio", "uvloop")
"""``ServerSettings.event_loop`` values: ``auto`` takes uvloop when it can be imported."""

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


class EventLoopUnavailableError(RuntimeError):
    """The event loop asked for cannot be had here (uvloop is not installed)."""


def event_loop_factory(choice: str) -> LoopFactory:
    """The factory of the loop ``choice`` names; ``uvloop`` without uvloop installed is an error."""
    if choice not in EVENT_LOOPS:
        raise ValueError(f"event_loop must be one of {', '.join(EVENT_LOOPS)}, not {choice!r}")
    if choice == "asyncio":
        return asyncio.new_event_loop
    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        if choice == "uvloop":
            raise EventLoopUnavailableError(
                "ServerSettings(event_loop='uvloop') needs uvloop: pip install 'agentos[uvloop]'"
            ) from None
        return asyncio.new_event_loop
    factory: LoopFactory = uvloop.new_event_loop
    return factory


def loop_name(loop: asyncio.AbstractEventLoop) -> str:
    """``uvloop`` or ``asyncio`` (what the start-up log says the server runs on)."""
    return "uvloop" if type(loop).__module__.startswith("uvloop") else "asyncio"
