"""Small helpers shared by the backends."""

from __future__ import annotations

import time


def now() -> int:
    """Timestamps are unix seconds, as Agno stores them."""
    return int(time.time())


def check_paging(limit: int | None, offset: int) -> None:
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    if offset < 0:
        raise ValueError("offset must not be negative")
