"""One value per event loop (``LoopLocal``), and the per-loop ``asyncio.Lock`` every backend uses.

Kept apart from ``_loops`` (the per-loop SQLAlchemy engines) so that ``BaseDb``, and with it
``import agentos.agent``, does not import SQLAlchemy: only the SQL backends need it. Why a value
per loop at all is explained in ``_loops``.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LoopLocal(Generic[T]):
    """One value per event loop, made on first use by ``factory``; thread-safe."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._values: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        with self._lock:
            value = self._values.get(loop)
            if value is None:
                value = self._values[loop] = self._factory()
            return value


class LoopLocks(LoopLocal[asyncio.Lock]):
    """An ``asyncio.Lock`` per event loop."""

    def __init__(self) -> None:
        super().__init__(asyncio.Lock)
