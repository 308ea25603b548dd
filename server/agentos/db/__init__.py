"""Async storage: sessions, runs, run events and user memories.

``SqliteDb`` (embedded default), ``PostgresDb`` (replicas sharing a database) and ``InMemoryDb``
(tests, demos) implement ``BaseDb``. Tables are created on first use; ``MigrationManager``
upgrades or downgrades them explicitly.

The backends and ``MigrationManager`` are imported on first access (``from agentos.db import
SqliteDb`` works as usual): the SQL ones pull in SQLAlchemy and database drivers (~170 ms), and
the engine imports this package for its errors and records only, so ``import agentos.agent``
must not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentos.db._base import BaseDb
from agentos.db._errors import (
    CorruptRecordError,
    OwnershipError,
    SchemaVersionError,
    StorageError,
    StorageUnavailableError,
)
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._run_controls import CancelRequest, RequestClaim
from agentos.db._tables import TableNames
from agentos.db._versions import TABLE_TYPES, MigrationStep, SchemaVersion
from agentos.session import SessionType

if TYPE_CHECKING:
    from agentos.db._in_memory import InMemoryDb
    from agentos.db._migrations import MigrationManager
    from agentos.db._postgres import PostgresDb
    from agentos.db._sqlite import SqliteDb

# Public name -> private module, for the names imported on first access.
_LAZY = {
    "InMemoryDb": "agentos.db._in_memory",
    "MigrationManager": "agentos.db._migrations",
    "PostgresDb": "agentos.db._postgres",
    "SqliteDb": "agentos.db._sqlite",
}

__all__ = [
    "TABLE_TYPES",
    "BaseDb",
    "CancelRequest",
    "CorruptRecordError",
    "InMemoryDb",
    "MigrationManager",
    "MigrationStep",
    "OwnershipError",
    "Page",
    "PostgresDb",
    "RequestClaim",
    "RunEventRecord",
    "RunRecord",
    "SchemaVersion",
    "SchemaVersionError",
    "SessionType",
    "SqliteDb",
    "StorageError",
    "StorageUnavailableError",
    "TableNames",
    "UserMemoryStats",
]


if not TYPE_CHECKING:  # hidden from mypy, which sees the imports above: a typo stays an error

    def __getattr__(name: str) -> Any:
        module_name = _LAZY.get(name)
        if module_name is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module_name), name)
        globals()[name] = value  # later accesses skip this hook
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
