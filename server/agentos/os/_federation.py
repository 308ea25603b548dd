"""Gateway federation, discovery side: remote agents described from their remote configuration.

A ``RemoteAgent`` registered in an AgentOS is listed by GetConfig/ListAgents/GetAgent like a
local agent, with the details its own AgentOS reports (tools, model, instructions...) plus
``is_remote`` and ``remote_url``. The configuration is the RemoteAgent's TTL cache, refreshed
(concurrently, off the hot path of runs) before a discovery call answers; when the remote
server cannot be reached, the last known configuration is served, and an agent never seen is
listed with its id only (GetAgent of it is UNAVAILABLE / REMOTE_SERVER_UNAVAILABLE).

Runs of remote agents are proxied by ``runs/_remote.py``. Remote entities are duck-typed
(``is_remote``, ``aconfig``, ``cached_config``, ``base_url``): the runtime does not import the
client package.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from agentos.os._errors import Reason, unavailable
from agentos.v1 import agent_os_pb2
from agentos.wire._entities import agent_to_proto

logger = logging.getLogger("agentos.os")

REFRESH_TIMEOUT = 2.0
"""Longest a discovery call waits for a remote configuration (a silent remote must not stall it)."""


def is_remote(entity: Any) -> bool:
    return bool(getattr(entity, "is_remote", False))


async def refresh_remote_configs(entities: Iterable[Any]) -> None:
    """Bring the cached configurations of the remote entities up to date (failures are logged)."""
    remote = [entity for entity in entities if is_remote(entity)]
    if not remote:
        return
    results = await asyncio.gather(
        *(asyncio.wait_for(entity.aconfig(), REFRESH_TIMEOUT) for entity in remote), return_exceptions=True
    )
    for entity, result in zip(remote, results, strict=True):
        if isinstance(result, Exception):
            logger.warning(
                "remote agent %s at %s: configuration not refreshed: %s", entity.id, entity.base_url, result
            )


async def require_remote_config(entity: Any) -> None:
    """For GetAgent: the remote configuration, or UNAVAILABLE when it was never reachable."""
    try:
        await asyncio.wait_for(entity.aconfig(), REFRESH_TIMEOUT)
    except Exception as exc:
        if getattr(entity, "_config", None) is not None:
            logger.warning("remote agent %s: serving its last known configuration: %s", entity.id, exc)
            return
        raise unavailable(
            Reason.ERROR_REASON_REMOTE_SERVER_UNAVAILABLE,
            f"remote agent {entity.id!r}: its AgentOS at {entity.base_url} cannot be reached: {exc}",
            agent_id=str(entity.id),
            remote_url=str(entity.base_url),
        ) from exc


def remote_agent_to_proto(entity: Any) -> agent_os_pb2.Agent:
    """A remote agent as its own AgentOS describes it, marked remote (never blocks)."""
    message = agent_os_pb2.Agent()
    config = entity.cached_config()
    raw = getattr(config, "raw", None)
    if isinstance(raw, agent_os_pb2.Agent):
        message.CopyFrom(raw)
    message.agent_id = str(entity.id)
    message.is_remote = True
    message.remote_url = str(entity.base_url)
    return message


def describe_agent(agent: Any) -> agent_os_pb2.Agent:
    """GetAgent/ListAgents details of a local or remote agent."""
    return remote_agent_to_proto(agent) if is_remote(agent) else agent_to_proto(agent)
