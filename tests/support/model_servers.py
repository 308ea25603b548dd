"""Pytest fixtures that start the fake model servers on 127.0.0.1 (one per test).

Make them available in a test directory by importing them into its ``conftest.py``:
``from model_servers import fake_anthropic_server, fake_openai_server``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_anthropic import FakeAnthropic
from fake_openai import FakeOpenAI


@pytest.fixture
def fake_openai_server() -> Iterator[FakeOpenAI]:
    """A fresh OpenAI-compatible server; script it with ``.script(...)``, point models at ``.base_url``."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake_anthropic_server() -> Iterator[FakeAnthropic]:
    """A fresh Anthropic-compatible server; script it with ``.script(...)``, point models at ``.base_url``."""
    with FakeAnthropic() as server:
        yield server
