"""Garbage collector tuning at server start (ServerSettings.gc_freeze / gc_young_threshold)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from agentos.os import AgentOS, ServerSettings
from agentos_server import serve_os

BASE = {"grace_period": 5.0, "cancel_grace": 1.0}


@pytest.fixture
def restored_threshold() -> Iterator[None]:
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*before)


async def test_starting_a_server_freezes_start_up_objects_and_raises_the_young_threshold(
    restored_threshold: None,
) -> None:
    gc.set_threshold(700, 10, 10)
    async with serve_os(AgentOS(id="gc-os"), settings=ServerSettings(**BASE)):
        assert gc.get_threshold() == (10_000, 10, 10)
        assert gc.get_freeze_count() > 0  # once per process: by this server or an earlier one


async def test_tuning_can_be_turned_off(restored_threshold: None) -> None:
    gc.set_threshold(700, 10, 10)
    settings = ServerSettings(**BASE, gc_freeze=False, gc_young_threshold=None)
    async with serve_os(AgentOS(id="gc-os"), settings=settings):
        assert gc.get_threshold() == (700, 10, 10)


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError, match="gc_young_threshold"):
        ServerSettings(gc_young_threshold=0)
