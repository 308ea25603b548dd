"""``AuthInterceptor``: JWT authentication and RBAC for every RPC of a ``grpc.aio`` server.

The interceptor does not decide in ``intercept_service`` itself: it wraps the method handler's
behaviour, and the wrapper authenticates, authorizes and then runs the real handler with the
caller's :class:`AuthContext` in a context variable. Two reasons. The wrapper runs inside the
handler's own task, so the context variable is visible to the handler (and to everything it
awaits) whether it is unary or streaming, and never to another call. And the wrapper sees the
deserialized request, which rules such as ``CreateRun`` → ``agents:<agent_id>:run`` need.

Failures end the call with UNAUTHENTICATED (``TOKEN_MISSING``, ``TOKEN_INVALID``, ``TOKEN_EXPIRED`` or
``INVALID_AUDIENCE`` reasons) or PERMISSION_DENIED (``PERMISSION_DENIED``, with the missing
scopes in the message and in ErrorInfo metadata ``required_scopes``). An :class:`AuthError`
raised by the handler (from ``AuthContext.require`` and friends) is reported the same way.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import aclosing
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any

import grpc
from agentos.os.auth._config import (
    AuthorizationConfig,
    JWTMiddlewareConfig,
    TokenSource,
    as_middleware_config,
)
from agentos.os.auth._context import AuthContext, reset_current_auth, set_current_auth
from agentos.os.auth._errors import AuthenticationError, AuthError, abort_for_auth_error
from agentos.os.auth._policy import Decision, ScopePolicy
from agentos.os.auth._verifier import TokenVerifier

if TYPE_CHECKING:  # grpc's classes are generic only in the stubs
    _Handler = grpc.RpcMethodHandler[Any, Any]
    _Context = grpc.aio.ServicerContext[Any, Any]
_Metadata = Sequence[tuple[str, Any]]


def _bearer(value: str | bytes, key: str) -> str:
    text = value.decode() if isinstance(value, bytes) else value
    scheme, _, token = text.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError(f"'{key}' metadata must be 'Bearer <token>'", "malformed")
    return token.strip()


class AuthInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]
    """Server interceptor enforcing ``config`` for an AgentOS whose id is ``os_id``.

    ``os_id`` is the audience tokens must carry when ``verify_audience`` is on (unless the
    config names an explicit ``audience``). Building the interceptor loads keys and resolves
    the scope map, so configuration errors raise ``ValueError`` here, at start-up.
    """

    def __init__(self, config: AuthorizationConfig | JWTMiddlewareConfig, os_id: str | None = None) -> None:
        self.config = as_middleware_config(config)
        self.os_id = os_id
        self._verifier = TokenVerifier(self.config, self.config.audience or os_id)
        self._policy = ScopePolicy(self.config.scope_mappings, self.config.excluded_methods)
        self._rbac = self.config.rbac_enabled
        self._wrapped: dict[str, tuple[_Handler, _Handler]] = {}

    # -- the per-call decision ------------------------------------------------------------------

    def _token(self, metadata: _Metadata) -> str:
        config = self.config
        if config.token_source in (TokenSource.HEADER, TokenSource.BOTH):
            for key, value in metadata:
                if key == config.token_header_key:
                    return _bearer(value, key)
        if config.token_source in (TokenSource.COOKIE, TokenSource.BOTH):
            for key, value in metadata:
                if key != "cookie":
                    continue
                try:
                    jar: SimpleCookie = SimpleCookie(value.decode() if isinstance(value, bytes) else value)
                except CookieError:
                    continue
                morsel = jar.get(config.cookie_name)
                if morsel is not None and morsel.value:
                    return morsel.value
        where = {
            TokenSource.HEADER: f"'{config.token_header_key}' metadata",
            TokenSource.COOKIE: f"cookie '{config.cookie_name}'",
            TokenSource.BOTH: f"'{config.token_header_key}' metadata or cookie '{config.cookie_name}'",
        }[config.token_source]
        raise AuthenticationError(f"missing bearer token ({where})", "missing")

    def authenticate(self, method: str, metadata: _Metadata, request: Any = None) -> AuthContext:
        """The caller's context for one call, or ``AuthError`` saying why it is refused.

        ``request`` is the deserialized request (``None`` for client-streaming calls).
        """
        identity = self._verifier.verify(self._token(metadata))
        scopes = identity.scopes
        decision = (
            self._policy.authorize(method, request, scopes)
            if self._rbac
            else Decision(ScopePolicy.target_of(self._policy.rule(method), request), None)
        )
        return AuthContext(
            authenticated=True,
            authorization_enabled=self._rbac,
            is_admin=scopes.is_admin,
            user_id=identity.user_id,
            session_id=identity.session_id,
            scopes=scopes.raw,
            audience=identity.audience,
            token=identity.token,
            claims=identity.claims,
            dependencies=identity.dependencies,
            session_state=identity.session_state,
            method=method,
            target=decision.target,
            admin_scope=self.config.admin_scope,
            _scope_set=scopes,
            _run_access=decision.run_access,
        )

    # -- grpc.aio plumbing ----------------------------------------------------------------------

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[_Handler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> _Handler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or self._policy.is_excluded(method):
            return handler
        cached = self._wrapped.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        wrapped = self._wrap(method, handler)
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    async def _enter(self, method: str, request: Any, context: _Context) -> AuthContext:
        try:
            metadata: _Metadata = tuple(context.invocation_metadata() or ())
            return self.authenticate(method, metadata, request)
        except AuthError as exc:
            await abort_for_auth_error(context, exc)

    def _wrap(self, method: str, handler: _Handler) -> _Handler:
        if handler.request_streaming and handler.response_streaming:
            return grpc.stream_stream_rpc_method_handler(
                self._streaming_response(method, handler.stream_stream, request_streaming=True),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.request_streaming:
            return grpc.stream_unary_rpc_method_handler(
                self._unary_response(method, handler.stream_unary, request_streaming=True),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(
                self._streaming_response(method, handler.unary_stream, request_streaming=False),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return grpc.unary_unary_rpc_method_handler(
            self._unary_response(method, handler.unary_unary, request_streaming=False),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )

    def _unary_response(
        self, method: str, behaviour: Any, *, request_streaming: bool
    ) -> Callable[[Any, _Context], Awaitable[Any]]:
        async def call(request: Any, context: _Context) -> Any:
            auth = await self._enter(method, None if request_streaming else request, context)
            token = set_current_auth(auth)
            try:
                result = behaviour(request, context)
                if inspect.isawaitable(result):
                    result = await result
                return result
            except AuthError as exc:
                await abort_for_auth_error(context, exc)
            finally:
                reset_current_auth(token)

        return call

    def _streaming_response(
        self, method: str, behaviour: Any, *, request_streaming: bool
    ) -> Callable[[Any, _Context], Awaitable[None]]:
        # A coroutine that writes through the context rather than an async generator: the
        # context variable is set and reset in one frame of the handler's task, whereas a
        # generator's frames run wherever the server resumes it.
        async def call(request: Any, context: _Context) -> None:
            auth = await self._enter(method, None if request_streaming else request, context)
            token = set_current_auth(auth)
            try:
                result = behaviour(request, context)
                if inspect.isawaitable(result):
                    result = await result  # a handler that writes through context.write itself
                if result is None:
                    return
                if hasattr(result, "__aiter__"):
                    stream: AsyncIterator[Any] = result
                    if hasattr(stream, "aclose"):
                        async with aclosing(stream):  # type: ignore[type-var]
                            async for message in stream:
                                await context.write(message)
                    else:
                        async for message in stream:
                            await context.write(message)
                else:
                    for message in result:
                        await context.write(message)
            except AuthError as exc:
                await abort_for_auth_error(context, exc)
            finally:
                reset_current_auth(token)

        return call


def build_auth_interceptor(
    authorization: bool = False,
    authorization_config: AuthorizationConfig | JWTMiddlewareConfig | None = None,
    os_id: str | None = None,
) -> AuthInterceptor | None:
    """The interceptor ``AgentOS(authorization=..., authorization_config=...)`` asks for, if any.

    No auth when neither is given. ``authorization=True`` alone verifies tokens with the
    ``JWT_VERIFICATION_KEY`` / ``JWT_JWKS_FILE`` environment variables and enforces the default
    scope map. A ``JWTMiddlewareConfig`` whose ``authorization`` is unset takes the flag.
    """
    if not authorization and authorization_config is None:
        return None
    config = as_middleware_config(authorization_config, authorization=authorization)
    return AuthInterceptor(config, os_id)
