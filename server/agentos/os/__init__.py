"""AgentOS: the gRPC runtime that serves agents, sessions and memories.

``AgentOS`` is the composition root (entities, database, configuration, auth); ``serve()``
starts a ``grpc.aio`` server with every service of the contract, gRPC health and server
reflection. ``agentos serve MODULE:ATTR`` (``agentos.os.cli``) does the same from a shell.
"""

from agentos.os._agent_os import DEFAULT_HOST, DEFAULT_PORT, AgentOS
from agentos.os._caller import acting_user, caller_key, visible_ids
from agentos.os._config import (
    AgentOSConfig,
    ChatConfig,
    DatabaseConfig,
    DomainConfig,
    DomainSettings,
    EvalsConfig,
    KnowledgeConfig,
    MemoryConfig,
    MetricsConfig,
    SessionConfig,
    TracesConfig,
)
from agentos.os._errors import (
    ERROR_DOMAIN,
    FieldViolation,
    Resource,
    RpcError,
    rpc_method,
    to_rpc_error,
)
from agentos.os._idempotency import IdempotencyCache
from agentos.os._inflight import InflightWork
from agentos.os._registry import EntityRegistry
from agentos.os._runtime import RuntimeState
from agentos.os._server import RunningServer, ServerSettings
from agentos.os._services import ServiceRegistrar, ServiceSpec, builtin_services

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "ERROR_DOMAIN",
    "AgentOS",
    "AgentOSConfig",
    "ChatConfig",
    "DatabaseConfig",
    "DomainConfig",
    "DomainSettings",
    "EntityRegistry",
    "EvalsConfig",
    "FieldViolation",
    "IdempotencyCache",
    "InflightWork",
    "KnowledgeConfig",
    "MemoryConfig",
    "MetricsConfig",
    "Resource",
    "RpcError",
    "RunningServer",
    "RuntimeState",
    "ServerSettings",
    "ServiceRegistrar",
    "ServiceSpec",
    "SessionConfig",
    "TracesConfig",
    "acting_user",
    "builtin_services",
    "caller_key",
    "rpc_method",
    "to_rpc_error",
    "visible_ids",
]
