"""The SQL migration steps of each schema version, per table type.

Why not Alembic: Alembic is built around one linear history per database and a CLI with
script files, while this layer needs per-table-type versions (``MigrationManager(db).up(
table_type="memory")``), configurable table names and schemas decided at run time, migrations
applied automatically and concurrently-safely on first use by every replica, and the same
contract on the in-memory backend. A small registry does that in a few dozen lines: each
version maps every table type to an idempotent ``(up, down)`` pair of functions run on a
synchronous SQLAlchemy connection inside the migration transaction; ``schema_versions``
records where each table is.

Adding a version: append it to ``_versions.SCHEMA_VERSIONS``, add its steps here (use
``checkfirst``-style guards so ``force`` re-runs stay harmless), and freeze the table shapes the
earlier versions create (they must keep creating the old shape that later steps alter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from agentos.db._sql_schema import RUN_CONTROL_TABLES
from agentos.db._versions import SCHEMA_VERSIONS, TABLE_TYPES, SchemaVersion
from sqlalchemy import Connection, Table

SqlStep = Callable[[Connection, Mapping[str, Table]], None]


def _create(table_type: str) -> SqlStep:
    def step(conn: Connection, tables: Mapping[str, Table]) -> None:
        tables[table_type].create(conn, checkfirst=True)

    return step


def _drop(table_type: str) -> SqlStep:
    def step(conn: Connection, tables: Mapping[str, Table]) -> None:
        tables[table_type].drop(conn, checkfirst=True)

    return step


def _create_controls(conn: Connection, tables: Mapping[str, Table]) -> None:
    for key in RUN_CONTROL_TABLES:
        tables[key].create(conn, checkfirst=True)


def _drop_controls(conn: Connection, tables: Mapping[str, Table]) -> None:
    for key in RUN_CONTROL_TABLES:
        tables[key].drop(conn, checkfirst=True)


def _unchanged(conn: Connection, tables: Mapping[str, Table]) -> None:
    """A version that does not touch this table type."""


SQL_MIGRATIONS: dict[SchemaVersion, dict[str, tuple[SqlStep, SqlStep]]] = {
    SchemaVersion(1, 0, 0): {
        table_type: (_create(table_type), _drop(table_type)) for table_type in TABLE_TYPES
    },
    # The run control tables (cancel requests, request_id claims) join the run table type.
    SchemaVersion(1, 1, 0): {
        table_type: ((_create_controls, _drop_controls) if table_type == "run" else (_unchanged, _unchanged))
        for table_type in TABLE_TYPES
    },
}

assert set(SQL_MIGRATIONS) == set(SCHEMA_VERSIONS), "every schema version needs its SQL steps"
