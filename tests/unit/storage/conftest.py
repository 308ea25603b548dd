"""Storage fixtures: every test that takes ``db`` runs against InMemoryDb, SqliteDb (temp file)
and PostgresDb (throwaway server, a fresh schema per test)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
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
SQL_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]

DbFactory = Callable[[], Awaitable[BaseDb]]


@pytest.fixture
async def make_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DbFactory]:
    """Opens database objects on one fresh store of the test's backend (``backend`` param).

    Several objects from one factory share the store (same SQLite file, same PostgreSQL schema),
    as separate processes or replicas would; InMemoryDb cannot be shared, so it is one object.
    """
    backend: str = request.param
    opened: list[BaseDb] = []
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    memory = InMemoryDb()

    async def factory() -> BaseDb:
        db: BaseDb
        if backend == "memory":
            return memory
        if backend == "sqlite":
            db = SqliteDb(db_file=tmp_path / "store" / "agentos.db")
        else:
            assert url is not None
            db = PostgresDb(url, db_schema=schema)
        opened.append(db)
        return db

    yield factory
    for db in opened:
        await db.close()


@pytest.fixture
async def db(make_db: DbFactory) -> BaseDb:
    return await make_db()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``make_db`` over the backends (SQL ones only for tests marked ``sql_only``)."""
    if "make_db" in metafunc.fixturenames:
        params = SQL_BACKENDS if metafunc.definition.get_closest_marker("sql_only") else BACKENDS
        metafunc.parametrize("make_db", params, indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sql_only: storage test for the SQL backends only (not InMemoryDb)")
