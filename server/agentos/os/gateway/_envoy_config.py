"""The Envoy bootstrap for the REST gateway, built from a :class:`GatewayConfig` as plain JSON.

Decisions, each with its reason:

* **Transcoding** (``grpc_json_transcoder``) for every service of the descriptor set, only
  through the ``google.api.http`` bindings (``auto_mapping`` off: the REST surface is the one
  the contract documents, not ``POST /pkg.Service/Method``). JSON follows the proto3 mapping:
  lowerCamelCase names on output (both spellings accepted on input), enums as names,
  primitive fields always printed so that clients see a stable shape (``"totalSize": 0``
  rather than a missing key). Enum values are accepted in any case; ``+`` in a query string
  is a space, as HTML forms send it.
* **Strict requests**: an unknown path or method is 404 and an unknown query parameter is 400
  (``request_validation_options``), so a typo fails loudly instead of being ignored; a body
  field that repeats a path variable is 400 too (the path would silently win otherwise).
  Unknown fields inside a JSON body are ignored: the transcoder has no option to reject them.
* **Errors**: ``convert_grpc_status`` turns a gRPC error into the matching HTTP status with the
  ``google.rpc.Status`` (code, message, details such as ``ErrorInfo`` and ``BadRequest``) as
  the JSON body. Errors Envoy produces itself (unknown path, bad JSON, unknown query
  parameter, no healthy backend) are rewritten into the same JSON shape
  (``local_reply_config``), with the gRPC code that matches the HTTP status, so REST clients
  parse one error format; gRPC callers on the same port keep Envoy's gRPC-style replies.
* **Streams** go out as server-sent events (``data: {...}`` frames, one per RunEvent); every
  stream ends with an in-band terminal event, so HTTP/1.1 clients never need trailers.
* **No route timeout**: CreateRun waits for the run and streams last as long as the run, so a
  route timeout would cut legitimate calls; ``stream_idle_timeout`` bounds silent calls and a
  client may still send ``grpc-timeout``, which reaches the server as the call's deadline.
* **Pass-through**: request headers (``authorization``, ``cookie``, ``x-request-id``) reach the
  gRPC server as metadata, where the auth interceptor reads them. gRPC clients may use the
  same port (``application/grpc`` is not transcoded), which makes the gateway a gRPC load
  balancer as well.
* **Backends**: one HTTP/2 cluster, round robin over healthy hosts, active ``grpc.health.v1``
  checks (a replica that starts shutting down reports NOT_SERVING and stops getting calls);
  calls that never reached a backend (connect failure, refused stream) are retried once on
  another host. Circuit breakers are raised far above Envoy's defaults of 1024, which would
  otherwise turn load into 503s before the servers are busy.
* **CORS** (when origins are configured) runs before the transcoder so that preflight
  ``OPTIONS`` requests are answered by Envoy and never look like unknown methods.
* **Static routes** are ``direct_response`` routes with the transcoder disabled on them.
* **Admin** listens on 127.0.0.1 only, on a port the OS picks (read back from
  ``--admin-address-path``): the admin interface can stop Envoy and must not be exposed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentos.os.gateway._settings import Backend, GatewayConfig

CLUSTER = "agentos_grpc"
LISTENER = "agentos_rest"
TRANSCODER = "envoy.filters.http.grpc_json_transcoder"
CORS = "envoy.filters.http.cors"
ROUTER = "envoy.filters.http.router"

_CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
_CORS_HEADERS = "authorization, content-type, x-request-id, grpc-timeout, accept, last-event-id"
_CORS_EXPOSE = "grpc-status, grpc-message, x-request-id, content-type"
_DIRECT_RESPONSE_FLOOR = 4096  # Envoy's default limit for direct_response bodies


# HTTP status of a reply Envoy makes itself → the gRPC code its JSON google.rpc.Status carries
# (the inverse of the standard mapping that convert_grpc_status applies).
_LOCAL_REPLY_CODES = {
    400: 3,  # INVALID_ARGUMENT
    401: 16,  # UNAUTHENTICATED
    403: 7,  # PERMISSION_DENIED
    404: 5,  # NOT_FOUND
    408: 4,  # DEADLINE_EXCEEDED
    409: 10,  # ABORTED
    413: 8,  # RESOURCE_EXHAUSTED (body too large)
    429: 8,  # RESOURCE_EXHAUSTED
    431: 8,  # RESOURCE_EXHAUSTED (headers too large)
    499: 1,  # CANCELLED
    500: 13,  # INTERNAL
    501: 12,  # UNIMPLEMENTED
    502: 14,  # UNAVAILABLE
    503: 14,  # UNAVAILABLE
    504: 4,  # DEADLINE_EXCEEDED
}
_UNKNOWN = 2


def _duration(seconds: float) -> str:
    return f"{seconds:.3f}s"


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _socket(host: str, port: int) -> dict[str, Any]:
    return {"socket_address": {"address": host, "port_value": port}}


def _cluster(config: GatewayConfig, backends: tuple[Backend, ...]) -> dict[str, Any]:
    static = all(_is_ip(b.host) for b in backends)
    breakers = 1_000_000
    return {
        "name": CLUSTER,
        # Names (replica-1:50051, a Kubernetes headless service) are re-resolved by DNS.
        "type": "STATIC" if static else "STRICT_DNS",
        **({} if static else {"dns_lookup_family": "V4_PREFERRED"}),
        "connect_timeout": _duration(config.connect_timeout),
        "lb_policy": "ROUND_ROBIN",
        "typed_extension_protocol_options": {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "explicit_http_config": {
                    "http2_protocol_options": {
                        # The gRPC server permits pings every 10 s; 30 s keeps NAT paths open.
                        "connection_keepalive": {"interval": "30s", "timeout": "10s"},
                    }
                },
            }
        },
        "circuit_breakers": {
            "thresholds": [
                {
                    "max_connections": breakers,
                    "max_pending_requests": breakers,
                    "max_requests": breakers,
                    "max_retries": 1024,
                }
            ]
        },
        "health_checks": [
            {
                "timeout": _duration(config.health_check_timeout),
                "interval": _duration(config.health_check_interval),
                # Without traffic Envoy would otherwise check only once a minute.
                "no_traffic_interval": _duration(config.health_check_interval),
                "unhealthy_threshold": 2,
                "healthy_threshold": 1,
                "grpc_health_check": {},
            }
        ],
        "load_assignment": {
            "cluster_name": CLUSTER,
            "endpoints": [
                {"lb_endpoints": [{"endpoint": {"address": _socket(b.host, b.port)}} for b in backends]}
            ],
        },
    }


def _transcoder(config: GatewayConfig, descriptor: Path, services: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": TRANSCODER,
        "typed_config": {
            "@type": (
                "type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder"
            ),
            "proto_descriptor": str(descriptor),
            "services": list(services),
            "auto_mapping": False,
            "convert_grpc_status": True,
            "case_insensitive_enum_parsing": True,
            "query_param_unescape_plus": True,
            "max_request_body_size": config.max_request_body_bytes,
            "max_response_body_size": config.max_response_body_bytes,
            "print_options": {
                "add_whitespace": False,
                "always_print_primitive_fields": True,
                "always_print_enums_as_ints": False,
                "preserve_proto_field_names": False,
                "stream_sse_style_delimited": True,
            },
            "request_validation_options": {
                "reject_unknown_method": True,
                "reject_unknown_query_parameters": True,
                "reject_binding_body_field_collisions": True,
            },
        },
    }


def _cors_policy(origins: tuple[str, ...]) -> dict[str, Any]:
    any_origin = "*" in origins
    matchers: list[dict[str, Any]] = (
        [{"safe_regex": {"regex": ".*"}}] if any_origin else [{"exact": origin} for origin in origins]
    )
    return {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
        "allow_origin_string_match": matchers,
        "allow_methods": _CORS_METHODS,
        "allow_headers": _CORS_HEADERS,
        "expose_headers": _CORS_EXPOSE,
        "max_age": "86400",
        # Cookies only for origins named one by one: "*" with credentials would let any site
        # call the API with a visitor's cookie.
        "allow_credentials": not any_origin,
    }


def _status_filter(op: str, status: int) -> dict[str, Any]:
    return {
        "status_code_filter": {
            "comparison": {
                "op": op,
                "value": {"default_value": status, "runtime_key": f"agentos.local_reply.{op}.{status}"},
            }
        }
    }


def _local_reply_config() -> dict[str, Any]:
    """JSON ``google.rpc.Status`` bodies for Envoy's own error replies to REST requests."""
    # A REST request: not gRPC, or transcoded already (the transcoder rewrites content-type to
    # application/grpc and keeps the original path in x-envoy-original-path).
    rest = {
        "or_filter": {
            "filters": [
                {
                    "header_filter": {
                        "header": {
                            "name": "content-type",
                            "string_match": {"prefix": "application/grpc"},
                            "invert_match": True,
                            "treat_missing_header_as_empty": True,
                        }
                    }
                },
                {"header_filter": {"header": {"name": "x-envoy-original-path", "present_match": True}}},
            ]
        }
    }

    def mapper(status_filter: dict[str, Any], code: int) -> dict[str, Any]:
        return {
            "filter": {"and_filter": {"filters": [status_filter, rest]}},
            "body_format_override": {
                "json_format": {"code": code, "message": "%LOCAL_REPLY_BODY%", "details": []},
                "content_type": "application/json",
            },
        }

    mappers = [mapper(_status_filter("EQ", status), code) for status, code in _LOCAL_REPLY_CODES.items()]
    mappers.append(mapper(_status_filter("GE", 400), _UNKNOWN))
    return {"mappers": mappers}


def _static_route(path: str, body_file: Path, content_type: str) -> dict[str, Any]:
    return {
        "name": f"static:{path}",
        "match": {
            "path": path,
            "headers": [{"name": ":method", "string_match": {"safe_regex": {"regex": "GET|HEAD"}}}],
        },
        "direct_response": {"status": 200, "body": {"filename": str(body_file)}},
        "response_headers_to_add": [
            {
                "header": {"key": "content-type", "value": content_type},
                "append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
            }
        ],
        "typed_per_filter_config": {
            TRANSCODER: {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "disabled": True}
        },
    }


def _grpc_route() -> dict[str, Any]:
    return {
        "name": "grpc",
        "match": {"prefix": "/"},
        "route": {
            "cluster": CLUSTER,
            "timeout": "0s",
            "retry_policy": {
                # Only failures where the request cannot have reached a server: safe for runs.
                "retry_on": "connect-failure,refused-stream,reset-before-request",
                "num_retries": 1,
                "retry_host_predicate": [
                    {
                        "name": "envoy.retry_host_predicates.previous_hosts",
                        "typed_config": {
                            "@type": (
                                "type.googleapis.com/"
                                "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"
                            )
                        },
                    }
                ],
            },
        },
    }


def build_envoy_config(
    config: GatewayConfig,
    *,
    descriptor: Path,
    services: tuple[str, ...],
    port: int | None = None,
) -> dict[str, Any]:
    """The bootstrap (as JSON-ready dict) for ``config``; ``port`` overrides ``config.port``.

    Static route files must exist: their sizes set the direct-response limit, and a missing
    page should stop start-up rather than turn into a 404 later.
    """
    backends = config.backend_list
    if not backends:
        raise ValueError("a gateway needs at least one backend (GatewayConfig.backends)")
    routes: list[dict[str, Any]] = []
    largest = 0
    for path, static in sorted(config.static_routes.items()):
        file = static.file.resolve()
        if not file.is_file():
            raise FileNotFoundError(f"static route {path!r}: file {str(file)!r} does not exist")
        largest = max(largest, file.stat().st_size)
        routes.append(_static_route(path, file, static.content_type))
    routes.append(_grpc_route())

    virtual_host: dict[str, Any] = {"name": "agentos", "domains": ["*"], "routes": routes}
    http_filters: list[dict[str, Any]] = []
    origins = config.cors_allowed_origins
    if origins:
        virtual_host["typed_per_filter_config"] = {CORS: _cors_policy(tuple(origins))}
        http_filters.append(
            {
                "name": CORS,
                "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"},
            }
        )
    http_filters.append(_transcoder(config, descriptor, services))
    http_filters.append(
        {
            "name": ROUTER,
            "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"},
        }
    )
    route_config: dict[str, Any] = {"name": "agentos_routes", "virtual_hosts": [virtual_host]}
    if largest > _DIRECT_RESPONSE_FLOOR:
        route_config["max_direct_response_body_size_bytes"] = largest

    idle = config.stream_idle_timeout
    manager = {
        "@type": (
            "type.googleapis.com/"
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
        ),
        "stat_prefix": LISTENER,
        "codec_type": "AUTO",  # HTTP/1.1 and HTTP/2 (h2c) on the same port
        "server_name": "agentos",
        "use_remote_address": True,
        "normalize_path": True,
        "merge_slashes": True,
        "stream_idle_timeout": _duration(idle) if idle is not None else "0s",
        "request_timeout": "0s",
        "local_reply_config": _local_reply_config(),
        "route_config": route_config,
        "http_filters": http_filters,
    }
    return {
        "node": {"id": "agentos-gateway", "cluster": "agentos"},
        "admin": {"address": _socket("127.0.0.1", 0)},
        "static_resources": {
            "listeners": [
                {
                    "name": LISTENER,
                    "address": _socket(config.host, config.port if port is None else port),
                    "filter_chains": [
                        {
                            "filters": [
                                {
                                    "name": "envoy.filters.network.http_connection_manager",
                                    "typed_config": manager,
                                }
                            ]
                        }
                    ],
                }
            ],
            "clusters": [_cluster(config, backends)],
        },
        # Envoy warns without a connection limit; this one only protects against descriptor
        # exhaustion (far above what one machine serves).
        "overload_manager": {
            "resource_monitors": [
                {
                    "name": "envoy.resource_monitors.global_downstream_max_connections",
                    "typed_config": {
                        "@type": (
                            "type.googleapis.com/envoy.extensions.resource_monitors."
                            "downstream_connections.v3.DownstreamConnectionsConfig"
                        ),
                        "max_active_downstream_connections": 50_000,
                    },
                }
            ]
        },
    }
