"""Authentication and authorization for the AgentOS gRPC runtime.

JWT bearer tokens (HS*/RS*/ES*, static keys or a JWKS file, audience = the OS id) are verified
by :class:`AuthInterceptor`, a ``grpc.aio`` server interceptor, which also enforces Agno's RBAC
scopes per RPC (the default map is documented in ``_scope_map``) and hands each handler an
:class:`AuthContext` through :func:`current_auth`. Handlers use it for what only they can
check: :meth:`AuthContext.authorize_run` once a run is loaded, :func:`effective_user_id` for
per-user isolation, :meth:`AuthContext.accessible_resource_ids` to filter lists.

Typical wiring::

    interceptor = build_auth_interceptor(authorization=True, authorization_config=AuthorizationConfig(
        verification_keys=[public_pem], algorithm="RS256", verify_audience=True), os_id="my-os")
    server = grpc.aio.server(interceptors=[interceptor] if interceptor else [])
"""

from agentos.os.auth._config import (
    ADMIN_SCOPE,
    SUPPORTED_ALGORITHMS,
    AuthorizationConfig,
    JWTMiddlewareConfig,
    TokenSource,
)
from agentos.os.auth._context import (
    AuthContext,
    current_auth,
    effective_user_id,
    reset_current_auth,
    set_current_auth,
)
from agentos.os.auth._errors import (
    ERROR_DOMAIN,
    AuthenticationError,
    AuthError,
    PermissionDeniedError,
    UnauthorizableRequestError,
    abort_for_auth_error,
    abort_with_error,
    error_status,
    reason_name,
)
from agentos.os.auth._interceptor import AuthInterceptor, build_auth_interceptor
from agentos.os.auth._scope_map import ALWAYS_EXCLUDED, DEFAULT_SCOPE_MAP, MethodRule
from agentos.os.auth._scopes import ScopeSet, Target, parse_scope

__all__ = [
    "ADMIN_SCOPE",
    "ALWAYS_EXCLUDED",
    "DEFAULT_SCOPE_MAP",
    "ERROR_DOMAIN",
    "SUPPORTED_ALGORITHMS",
    "AuthContext",
    "AuthError",
    "AuthInterceptor",
    "AuthenticationError",
    "AuthorizationConfig",
    "JWTMiddlewareConfig",
    "MethodRule",
    "PermissionDeniedError",
    "ScopeSet",
    "Target",
    "TokenSource",
    "UnauthorizableRequestError",
    "abort_for_auth_error",
    "abort_with_error",
    "build_auth_interceptor",
    "current_auth",
    "effective_user_id",
    "error_status",
    "parse_scope",
    "reason_name",
    "reset_current_auth",
    "set_current_auth",
]
