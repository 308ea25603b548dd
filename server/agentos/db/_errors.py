"""Storage errors: the only exceptions the storage layer lets out.

Driver exceptions never escape: callers (the engine, the gRPC services) need to tell "the
database is not reachable, try again" (``StorageUnavailableError`` → UNAVAILABLE) from "this
stored row is unusable" (``CorruptRecordError``) and from "that row is someone else's"
(``OwnershipError``), and to show a message that names the table and row.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base class for storage failures."""


class StorageUnavailableError(StorageError):
    """The database could not be reached or is busy; nothing was written, retrying may succeed."""


class CorruptRecordError(StorageError):
    """A stored row cannot be turned back into a domain object (bad JSON or an unexpected shape)."""

    def __init__(self, table: str, row_id: str, reason: str) -> None:
        super().__init__(f"corrupt row {row_id!r} in table {table!r}: {reason}")
        self.table = table
        self.row_id = row_id
        self.reason = reason


class OwnershipError(StorageError):
    """A write tried to take over a row that belongs to another user or another session."""

    def __init__(self, table: str, row_id: str, reason: str) -> None:
        super().__init__(f"refused to overwrite row {row_id!r} in table {table!r}: {reason}")
        self.table = table
        self.row_id = row_id
        self.reason = reason


class SchemaVersionError(StorageError):
    """The stored schema is newer than this code, or a migration request is inconsistent."""
