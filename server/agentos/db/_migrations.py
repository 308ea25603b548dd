"""``MigrationManager``: upgrade or downgrade the storage tables by schema version.

Databases migrate themselves to the latest version on first use; the manager is for operators
who want to do it ahead of a deploy, migrate one table type, or go back to an older version.
How versions are planned is in ``_versions``; why there is no Alembic, in ``_sql_migrations``.
"""

from __future__ import annotations

from agentos.db._base import BaseDb
from agentos.db._versions import (
    LATEST_VERSION,
    MigrationRequest,
    MigrationStep,
    SchemaVersion,
    check_table_types,
    check_target,
    versions_list,
)


class MigrationManager:
    """``await MigrationManager(db).up()`` brings every table to the latest schema version."""

    def __init__(self, db: BaseDb) -> None:
        self.db = db

    @property
    def latest_schema_version(self) -> SchemaVersion:
        return LATEST_VERSION

    @property
    def available_versions(self) -> list[tuple[str, SchemaVersion]]:
        """``[("v1_0_0", SchemaVersion(1, 0, 0)), ...]``, oldest first."""
        return list(versions_list())

    async def current_versions(self) -> dict[str, SchemaVersion | None]:
        """Table type → its schema version (None when the table does not exist)."""
        return await self.db.schema_versions()

    async def up(
        self, target_version: str | None = None, table_type: str | None = None, force: bool = False
    ) -> list[MigrationStep]:
        """Upgrade to ``target_version`` (default: latest), every table type or just one.

        Tables already at or past the target are left alone unless ``force`` re-runs the steps
        (they are idempotent). Returns the steps that ran.
        """
        target = check_target(target_version) if target_version is not None else LATEST_VERSION
        request = MigrationRequest("up", target, check_table_types(table_type), force)
        return await self.db.migrate(request)

    async def down(
        self, target_version: str, table_type: str | None = None, force: bool = False
    ) -> list[MigrationStep]:
        """Downgrade to ``target_version``; ``"0.0.0"`` removes the tables altogether.

        Tables already at or below the target are left alone unless ``force``. Returns the
        steps that ran. The database object re-provisions the latest schema on its next
        ordinary call, as on first use.
        """
        request = MigrationRequest("down", check_target(target_version), check_table_types(table_type), force)
        return await self.db.migrate(request)
