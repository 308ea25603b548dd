"""Measurement methods shared by both sides of the comparison (standard library only).

Both ``side_ours.py`` (our venv) and ``side_agno.py`` (the separate Agno venv) import this
module, so the two engines are timed by exactly the same code: a difference in the table is a
difference between the engines, never between two ways of measuring.

``agno_method_*`` reproduce the method of Agno's ``PerformanceEval``: warm-up calls, then each
call timed on its own (median reported), and memory as the tracemalloc *peak* of one call minus
the peak of an empty function (the baseline), median over the iterations.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any


def _empty() -> None:
    return None


def tracemalloc_baseline(samples: int = 3) -> float:
    """Mean tracemalloc peak (bytes) of calling an empty function: subtracted from every sample."""
    peaks = []
    for _ in range(samples):
        gc.collect()
        tracemalloc.start()
        _empty()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peaks.append(peak)
    return sum(peaks) / len(peaks)


def agno_method_time(fn: Callable[[], object], *, iterations: int, warmup: int = 10) -> float:
    """Median seconds per call, each call timed on its own after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def agno_method_memory(fn: Callable[[], object], *, iterations: int) -> float:
    """Median bytes (tracemalloc peak of one call, baseline subtracted, floored at 0)."""
    baseline = tracemalloc_baseline()
    samples = []
    for _ in range(iterations):
        gc.collect()
        tracemalloc.start()
        result = fn()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        samples.append(max(0.0, peak - baseline))
    return statistics.median(samples)


async def async_time_per_call(
    fn: Callable[[], Awaitable[object]], *, iterations: int, warmup: int = 20
) -> float:
    """Median seconds per awaited call, each timed on its own, after ``warmup`` untimed calls.

    The garbage collector is left on (it is part of what a run costs); calls are sequential.
    """
    for _ in range(warmup):
        await fn()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run_async(coro: Awaitable[Any]) -> Any:
    """Run ``coro`` on a fresh default event loop (the same loop policy on both sides)."""

    async def main() -> Any:
        return await coro

    return asyncio.run(main())


def emit(result: dict[str, Any]) -> None:
    """Write one result as the last line of stdout: the runner parses exactly that line."""
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
