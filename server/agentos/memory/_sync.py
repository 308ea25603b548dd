"""Sync twins of the managers' async methods (memory, session summaries, compression).

As for ``Agent.run``, there is one async implementation; the sync method drives it on the
private per-thread event loop of ``agentos.agent._sync`` (so database engines and HTTP clients
bound to that loop are reused across calls). From inside a running loop the sync twin would
block the loop, so it refuses and names the async method instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")


def call_sync(owner: str, method: str, make: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run ``make()`` to completion from sync code; ``owner.method`` names the caller in errors.

    ``make`` builds the coroutine only after the check, so a refused call leaves no coroutine
    that was never awaited.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        raise RuntimeError(
            f"{owner}.{method}() was called from inside a running event loop, where it would block "
            f"the loop; use `await ....a{method}(...)` (the async twin) instead"
        )
    # Imported here: agentos.agent imports this package (through the db), not the other way round.
    from agentos.agent._sync import run_sync

    return run_sync(make())
