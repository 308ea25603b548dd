"""Schema versions and migration planning, shared by every backend.

Planning is pure: given what each table is at and what was asked, it lists the steps to run.
Backends call it while holding their migration lock, so two processes starting at once plan
from the same, current, state and the second one finds nothing left to do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from agentos.db._errors import SchemaVersionError

Direction = Literal["up", "down"]

TABLE_TYPES: tuple[str, ...] = (
    "session",
    "run",
    "run_event",
    "memory",
    "knowledge",
    "metrics",
    "eval",
    "trace",
    "span",
)
"""Every kind of table the storage layer manages; ``table_type`` arguments take these values."""

_VERSION_RE = re.compile(r"^v?(\d+)[._](\d+)[._](\d+)$")


@dataclass(frozen=True, order=True, slots=True)
class SchemaVersion:
    """A schema version; compares numerically, prints as ``1.0.0``, is named ``v1_0_0``."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> SchemaVersion:
        match = _VERSION_RE.match(text.strip())
        if match is None:
            raise ValueError(f"not a schema version: {text!r} (expected e.g. '1.0.0' or 'v1_0_0')")
        return cls(int(match[1]), int(match[2]), int(match[3]))

    @property
    def name(self) -> str:
        return f"v{self.major}_{self.minor}_{self.patch}"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


BEFORE_FIRST = SchemaVersion(0, 0, 0)
"""The state of a table that no migration has created; ``down`` to it drops the table."""

SCHEMA_VERSIONS: tuple[SchemaVersion, ...] = (SchemaVersion(1, 0, 0), SchemaVersion(1, 1, 0))
"""Every released schema version, oldest first. Each version migrates every table type
(a version that does not change some table has a no-op step for it).

1.1.0 adds the run control tables to the ``run`` table type: cancel requests for runs executing
on another replica (or not started yet) and ``request_id`` claims, so that replicas sharing a
database agree on cancellation and idempotency."""

LATEST_VERSION = SCHEMA_VERSIONS[-1]


@dataclass(frozen=True, slots=True)
class MigrationRequest:
    direction: Direction
    target: SchemaVersion
    table_types: tuple[str, ...]
    force: bool = False


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """Run ``version``'s up or down step on one table type; record ``result_version`` after it."""

    table_type: str
    version: SchemaVersion
    direction: Direction
    result_version: SchemaVersion


def check_table_types(table_type: str | None) -> tuple[str, ...]:
    if table_type is None:
        return TABLE_TYPES
    if table_type not in TABLE_TYPES:
        raise ValueError(f"unknown table_type {table_type!r}; expected one of {', '.join(TABLE_TYPES)}")
    return (table_type,)


def check_target(version: str | SchemaVersion) -> SchemaVersion:
    target = version if isinstance(version, SchemaVersion) else SchemaVersion.parse(version)
    if target != BEFORE_FIRST and target not in SCHEMA_VERSIONS:
        known = ", ".join(str(v) for v in SCHEMA_VERSIONS)
        raise ValueError(f"unknown schema version {target}; known versions: {known} (or 0.0.0)")
    return target


def plan_migrations(
    request: MigrationRequest, current: Mapping[str, SchemaVersion | None]
) -> list[MigrationStep]:
    """The steps that bring each requested table type from ``current`` to the request's target.

    Without ``force``, up never re-runs a version a table already has and down never touches a
    table already at or below the target. With ``force`` every step between the first version
    and the target is run again: steps are idempotent, so this repairs a half-created schema.
    """
    steps: list[MigrationStep] = []
    for table_type in request.table_types:
        at = current.get(table_type) or BEFORE_FIRST
        if at > LATEST_VERSION:
            raise SchemaVersionError(
                f"the {table_type} table is at schema {at}, newer than this code's {LATEST_VERSION}; "
                "upgrade agentos before using this database"
            )
        if request.direction == "up":
            for version in SCHEMA_VERSIONS:
                if version <= request.target and (request.force or version > at):
                    steps.append(MigrationStep(table_type, version, "up", version))
        else:
            for index in range(len(SCHEMA_VERSIONS) - 1, -1, -1):
                version = SCHEMA_VERSIONS[index]
                if version > request.target and (request.force or version <= at):
                    previous = SCHEMA_VERSIONS[index - 1] if index > 0 else BEFORE_FIRST
                    steps.append(MigrationStep(table_type, version, "down", previous))
    return steps


def versions_list() -> Sequence[tuple[str, SchemaVersion]]:
    return [(version.name, version) for version in SCHEMA_VERSIONS]
