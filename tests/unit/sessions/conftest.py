"""Session tests run against every backend: ``make_db`` opens databases on one fresh store of
InMemoryDb, SqliteDb (a temp file) or PostgresDb (the throwaway server, a schema per test).

Several objects from one factory share the store, as separate processes or replicas would
(InMemoryDb cannot be shared, so it is one object). ``sql_only`` tests skip InMemoryDb.
"""

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
SQL_BACKENDS = BACKENDS[1:]

DbFactory = Callable[[], Awaitable[BaseDb]]


class Store:
    """Where a test's databases live, so that a subprocess can open the same store."""

    def __init__(self, backend: str, sqlite_file: Path, postgres_url: str | None, schema: str) -> None:
        self.backend = backend
        self.sqlite_file = sqlite_file
        self.postgres_url = postgres_url
        self.schema = schema

    def open(self) -> BaseDb:
        if self.backend == "sqlite":
            return SqliteDb(db_file=self.sqlite_file)
        assert self.postgres_url is not None
        return PostgresDb(self.postgres_url, db_schema=self.schema)

    def source(self) -> str:
        """Python code that opens this store (for subprocesses)."""
        if self.backend == "sqlite":
            return f"SqliteDb(db_file={str(self.sqlite_file)!r})"
        return f"PostgresDb({self.postgres_url!r}, db_schema={self.schema!r})"


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    backend: str = request.param
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    return Store(backend, tmp_path / "store" / "agentos.db", url, f"s_{uuid.uuid4().hex[:12]}")


@pytest.fixture
async def make_db(store: Store) -> AsyncIterator[DbFactory]:
    opened: list[BaseDb] = []
    memory = InMemoryDb()

    async def factory() -> BaseDb:
        if store.backend == "memory":
            return memory
        db = store.open()
        opened.append(db)
        return db

    yield factory
    for db in opened:
        await db.close()


@pytest.fixture
async def db(make_db: DbFactory) -> BaseDb:
    return await make_db()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``store`` over the backends (SQL ones only for tests marked ``sql_only``)."""
    if "store" in metafunc.fixturenames:
        params = SQL_BACKENDS if metafunc.definition.get_closest_marker("sql_only") else BACKENDS
        metafunc.parametrize("store", params, indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sql_only: session test for the SQL backends only (not InMemoryDb)")
