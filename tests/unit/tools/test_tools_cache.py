"""Tool result caching: memory and file stores, TTL with a controllable clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentos.tools import Function, Toolkit, ToolResultCache, execute_function, tool


def json_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.json"))


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def counting_tool(calls: list[dict[str, Any]], **options: Any) -> Function:
    def lookup(city: str, units: str = "metric") -> dict[str, Any]:
        """Look up the weather."""
        calls.append({"city": city, "units": units})
        return {"city": city, "units": units, "n": len(calls)}

    return Function.from_callable(lookup, cache_results=True, **options)


async def test_memory_cache_hits_skip_execution() -> None:
    calls: list[dict[str, Any]] = []
    fn = counting_tool(calls)
    first = await execute_function(fn, {"city": "Oslo", "units": "metric"}, call_id="1", run_context=None)
    again = await execute_function(fn, {"units": "metric", "city": "Oslo"}, call_id="2", run_context=None)
    other = await execute_function(fn, {"city": "Rome"}, call_id="3", run_context=None)
    assert len(calls) == 2
    assert (first.cached, again.cached, other.cached) == (False, True, False)
    assert again.content == first.content == '{"city":"Oslo","units":"metric","n":1}'


async def test_ttl_expiry_uses_the_clock() -> None:
    calls: list[dict[str, Any]] = []
    clock = FakeClock()
    fn = counting_tool(calls, cache_ttl=60)
    fn.result_cache = ToolResultCache(ttl=60, clock=clock)
    await execute_function(fn, {"city": "Oslo"}, call_id="1", run_context=None)
    clock.now += 59
    assert (await execute_function(fn, {"city": "Oslo"}, call_id="2", run_context=None)).cached
    clock.now += 2
    expired = await execute_function(fn, {"city": "Oslo"}, call_id="3", run_context=None)
    assert not expired.cached
    assert len(calls) == 2


async def test_file_cache_is_shared_through_the_directory(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []
    clock = FakeClock()
    writer = counting_tool(calls, cache_dir=str(tmp_path))
    writer.result_cache = ToolResultCache(ttl=100, cache_dir=tmp_path, clock=clock)
    await execute_function(writer, {"city": "Oslo"}, call_id="1", run_context=None)
    stored = json_files(tmp_path)
    assert len(stored) == 1
    assert json.loads(stored[0].read_text())["result"]["city"] == "Oslo"

    # A second Function (e.g. another process) with the same name and directory reads the file.
    reader = counting_tool(calls, cache_dir=str(tmp_path))
    reader.result_cache = ToolResultCache(ttl=100, cache_dir=tmp_path, clock=clock)
    hit = await execute_function(reader, {"city": "Oslo"}, call_id="2", run_context=None)
    assert hit.cached and len(calls) == 1

    clock.now += 101
    miss = await execute_function(reader, {"city": "Oslo"}, call_id="3", run_context=None)
    assert not miss.cached and len(calls) == 2


async def test_errors_are_not_cached_and_hooks_do_not_run_on_hits() -> None:
    attempts: list[int] = []
    hook_calls: list[str] = []

    def hook(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        hook_calls.append(function_name)
        return function_call(**arguments)

    @tool(cache_results=True, tool_hooks=[hook])
    def flaky(x: int) -> str:
        """Fails the first time."""
        attempts.append(x)
        if len(attempts) == 1:
            raise RuntimeError("transient")
        return "ok"

    assert (await execute_function(flaky, {"x": 1}, call_id="1", run_context=None)).error
    assert (await execute_function(flaky, {"x": 1}, call_id="2", run_context=None)).content == "ok"
    hit = await execute_function(flaky, {"x": 1}, call_id="3", run_context=None)
    assert hit.cached and hit.content == "ok"
    assert len(attempts) == 2
    assert hook_calls == ["flaky", "flaky"]


async def test_non_json_results_stay_in_memory_with_a_cache_dir(tmp_path: Path) -> None:
    class Opaque:
        pass

    made: list[Opaque] = []

    @tool(cache_results=True, cache_dir=str(tmp_path))
    def make() -> Opaque:
        """Returns an object."""
        made.append(Opaque())
        return made[-1]

    first = await execute_function(make, {}, call_id="1", run_context=None)
    second = await execute_function(make, {}, call_id="2", run_context=None)
    assert second.cached and second.result is first.result
    assert json_files(tmp_path) == []


async def test_toolkit_cache_options_apply_to_every_tool(tmp_path: Path) -> None:
    calls: list[int] = []

    class Lookups(Toolkit):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(name="lookups", tools=[self.square], **kwargs)

        def square(self, n: int) -> int:
            """Square."""
            calls.append(n)
            return n * n

    kit = Lookups(cache_results=True, cache_ttl=5, cache_dir=str(tmp_path))
    fn = kit.functions["square"]
    assert (fn.cache_results, fn.cache_ttl, fn.cache_dir) == (True, 5, str(tmp_path))
    await execute_function(fn, {"n": 3}, call_id="1", run_context=None)
    assert (await execute_function(fn, {"n": 3}, call_id="2", run_context=None)).result == 9
    assert calls == [3]
