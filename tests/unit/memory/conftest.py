"""Fixtures for the memory, summary and compression tests.

``db`` runs a test against InMemoryDb, SqliteDb (a temp file) and PostgresDb (the throwaway
server of tests/support/postgres.py, a fresh schema per test), like the storage suite does.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from agentos.db import BaseDb, InMemoryDb, PostgresDb, SqliteDb
from postgres import disposable_postgres, postgres_server, postgres_url

__all__ = ["disposable_postgres", "postgres_server", "postgres_url"]

BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BaseDb]:
    backend: str = request.param
    store: BaseDb
    if backend == "memory":
        store = InMemoryDb()
    elif backend == "sqlite":
        store = SqliteDb(db_file=tmp_path / "memory-tests.db")
    else:
        store = PostgresDb(request.getfixturevalue("postgres_url"), db_schema=f"m_{uuid.uuid4().hex[:12]}")
    yield store
    await store.close()
