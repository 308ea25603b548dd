"""Async storage: sessions, runs, run events and user memories.

``SqliteDb`` (embedded default), ``PostgresDb`` (replicas sharing a database) and ``InMemoryDb``
(tests, demos) implement ``BaseDb``. Tables are created on first use; ``MigrationManager``
upgrades or downgrades them explicitly.
"""

from agentos.db._base import BaseDb
from agentos.db._errors import (
    CorruptRecordError,
    OwnershipError,
    SchemaVersionError,
    StorageError,
    StorageUnavailableError,
)
from agentos.db._in_memory import InMemoryDb
from agentos.db._migrations import MigrationManager
from agentos.db._postgres import PostgresDb
from agentos.db._records import Page, RunEventRecord, RunRecord, UserMemoryStats
from agentos.db._sqlite import SqliteDb
from agentos.db._tables import TableNames
from agentos.db._versions import TABLE_TYPES, MigrationStep, SchemaVersion
from agentos.session import SessionType

__all__ = [
    "TABLE_TYPES",
    "BaseDb",
    "CorruptRecordError",
    "InMemoryDb",
    "MigrationManager",
    "MigrationStep",
    "OwnershipError",
    "Page",
    "PostgresDb",
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
