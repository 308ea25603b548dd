"""The entities an AgentOS serves, by id, and the databases they use.

Ids are the addresses clients use (``GetAgent(agent_id)``, runs, sessions), so two entities of
one kind with the same id are refused at construction: serving one of them silently would route
calls to the wrong agent. Agents without an explicit id get their automatic one (``Agent.id``).

Agents may also be remote (``agentos.client.RemoteAgent``, recognised by ``is_remote``): the
AgentOS then federates them, describing them from their remote configuration and proxying their
runs (``runs/_remote.py``). Their databases are the remote server's, so none is collected here.

Teams and workflows are accepted only as instances of ``agentos.team.Team`` /
``agentos.workflow.Workflow``; until those packages exist, passing any raises
NotImplementedError rather than serving objects nothing can run.

Databases: AgentOS never injects its ``db`` into agents (an Agent is a shared definition the
user owns). The databases it reports are its own ``db`` and those of its entities, by ``db.id``.
The Session and Memory services use :attr:`EntityRegistry.default_db`: ``AgentOS(db=...)``
when given, else the one database all entities share; with several and none chosen they
answer FAILED_PRECONDITION naming them (the contracts have no db selector yet).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.agent import Agent
from agentos.db import BaseDb


def _entity_class(module: str, name: str) -> type[Any] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return None
        raise
    cls = getattr(mod, name, None)
    return cls if isinstance(cls, type) else None


def _is_remote(entity: Any) -> bool:
    """A RemoteAgent (gateway federation): served by another AgentOS, proxied by this one."""
    return bool(getattr(entity, "is_remote", False)) and callable(getattr(entity, "arun", None))


def _label(entity: Any) -> str:
    if _is_remote(entity):  # its name is remote configuration: not fetched for a message
        return f"{type(entity).__name__}(id={entity.id!r})"
    name = getattr(entity, "name", None)
    return f"{type(entity).__name__}(name={name!r})" if name else type(entity).__name__


def _index(kind: str, entities: Sequence[Any]) -> dict[str, Any]:
    by_id: dict[str, Any] = {}
    positions: dict[str, int] = {}
    duplicates: list[str] = []
    for position, entity in enumerate(entities):
        entity_id = str(entity.id)
        if not entity_id:
            raise ValueError(f"{kind}s[{position}] ({_label(entity)}) has an empty id")
        if entity_id in by_id:
            duplicates.append(
                f"{entity_id!r} ({kind}s[{positions[entity_id]}] {_label(by_id[entity_id])} "
                f"and {kind}s[{position}] {_label(entity)})"
            )
            continue
        by_id[entity_id] = entity
        positions[entity_id] = position
    if duplicates:
        raise ValueError(f"duplicate {kind} ids: {'; '.join(duplicates)}")
    return by_id


def _check_types(kind: str, entities: Sequence[Any], cls: type[Any] | None, where: str) -> None:
    if entities and cls is None:
        raise NotImplementedError(
            f"{kind}s are not supported by this server yet: {where} does not exist, so nothing could run them"
        )
    for position, entity in enumerate(entities):
        if cls is not None and not isinstance(entity, cls):
            raise TypeError(f"{kind}s[{position}] is a {type(entity).__name__}, expected {cls.__name__}")


@dataclass(frozen=True, slots=True)
class DatabaseEntry:
    """A database the AgentOS uses and which data kinds it holds for it."""

    db: BaseDb
    domains: tuple[str, ...]


@dataclass(slots=True)
class EntityRegistry:
    """Agents, teams and workflows by id (insertion order kept for listings), plus databases."""

    agents: dict[str, Agent] = field(default_factory=dict)  # RemoteAgents too (duck-typed)
    teams: dict[str, Any] = field(default_factory=dict)
    workflows: dict[str, Any] = field(default_factory=dict)
    os_db: BaseDb | None = None
    databases: dict[str, DatabaseEntry] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        agents: Sequence[Any] | None,
        teams: Sequence[Any] | None,
        workflows: Sequence[Any] | None,
        db: BaseDb | None,
    ) -> EntityRegistry:
        agent_list = list(agents or ())
        for position, agent in enumerate(agent_list):
            if not isinstance(agent, Agent) and not _is_remote(agent):
                raise TypeError(
                    f"agents[{position}] is a {type(agent).__name__}, "
                    "expected agentos.agent.Agent or agentos.client.RemoteAgent"
                )
        team_list = list(teams or ())
        workflow_list = list(workflows or ())
        _check_types("team", team_list, _entity_class("agentos.team", "Team"), "agentos.team.Team")
        _check_types(
            "workflow",
            workflow_list,
            _entity_class("agentos.workflow", "Workflow"),
            "agentos.workflow.Workflow",
        )
        if db is not None and not isinstance(db, BaseDb):
            raise TypeError(f"db must be an agentos.db.BaseDb, not {type(db).__name__}")
        registry = cls(
            agents=_index("agent", agent_list),
            teams=_index("team", team_list),
            workflows=_index("workflow", workflow_list),
            os_db=db,
        )
        registry.databases = _collect_databases(db, [*agent_list, *team_list, *workflow_list])
        return registry

    def default_db(self) -> BaseDb | None:
        """The database of the Session and Memory services (see the module docstring)."""
        if self.os_db is not None:
            return self.os_db
        if len(self.databases) == 1:
            return next(iter(self.databases.values())).db
        return None

    def default_db_problem(self) -> str:
        """Why there is no default database, phrased as what to do about it."""
        if not self.databases:
            return "no database is configured: pass AgentOS(db=...) or give the agents a db"
        ids = ", ".join(sorted(self.databases))
        return f"the agents use several databases ({ids}): choose one with AgentOS(db=...)"


def _collect_databases(os_db: BaseDb | None, entities: Iterable[Any]) -> dict[str, DatabaseEntry]:
    found: dict[str, BaseDb] = {}
    if os_db is not None:
        found[os_db.id] = os_db
    for entity in entities:
        if _is_remote(entity):
            continue  # its database belongs to the remote AgentOS
        entity_db = getattr(entity, "db", None)
        if isinstance(entity_db, BaseDb) and entity_db.id not in found:
            found[entity_db.id] = entity_db
    # Every backend keeps sessions (with their runs) and memories in the same database.
    return {db_id: DatabaseEntry(db=value, domains=("session", "memory")) for db_id, value in found.items()}
