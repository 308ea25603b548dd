"""The two ways to configure auth: Agno's ``AuthorizationConfig`` and the full ``JWTMiddlewareConfig``.

``AuthorizationConfig`` is what ``AgentOS(authorization=True, authorization_config=...)``
takes, with Agno's four knobs (keys, JWKS file, algorithm, audience check): enough for the
usual deployment, where RBAC uses the default scope map. ``JWTMiddlewareConfig`` carries every
option of Agno's ``JWTMiddleware``, translated from HTTP to gRPC: the token comes from request
metadata (``authorization: Bearer <token>``; gRPC metadata keys are lower-case, so the
configured header name is lower-cased), ``scope_mappings`` keys may be gRPC method names as
well as Agno's ``"METHOD /path"`` route keys, and ``excluded_methods`` replaces
``excluded_route_paths``. Both are frozen: one configuration serves every call concurrently.

Keys and secrets are read from the environment (``JWT_VERIFICATION_KEY``, ``JWT_JWKS_FILE``)
when not given, as in Agno; the check that at least one is present happens when the
verifier is built, so a misconfigured server fails at start-up rather than on the first call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

ADMIN_SCOPE = "agent_os:admin"
"""The scope that grants everything, unless a config names another one."""

SUPPORTED_ALGORITHMS = frozenset(
    {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}
)


class TokenSource(StrEnum):
    """Where the bearer token is looked for.

    ``COOKIE`` exists for calls that arrive through the REST gateway, which forwards the HTTP
    ``cookie`` header as metadata; ``BOTH`` tries the header first.
    """

    HEADER = "header"
    COOKIE = "cookie"
    BOTH = "both"


def _env_keys() -> tuple[str, ...]:
    value = os.environ.get("JWT_VERIFICATION_KEY")
    return (value,) if value else ()


def _env_jwks_file() -> str | None:
    return os.environ.get("JWT_JWKS_FILE") or None


@dataclass(frozen=True, kw_only=True)
class JWTMiddlewareConfig:
    """Every JWT/RBAC option, named after Agno's ``JWTMiddleware`` parameters.

    - ``verification_keys``: public keys (PEM, for RS*/ES*) or shared secrets (HS*), tried in
      order so tokens of several issuers are accepted. ``None`` reads ``JWT_VERIFICATION_KEY``.
    - ``jwks_file``: a static JWKS file; a token's ``kid`` picks the key. ``None`` reads
      ``JWT_JWKS_FILE``. JWKS keys are tried before ``verification_keys``.
    - ``algorithm``: the one algorithm tokens must be signed with (never taken from the token,
      which would let a forger pick ``none`` or HMAC-with-the-public-key).
    - ``validate``: ``False`` trusts the token's claims without checking its signature (for a
      gateway that already verified it); expiry and audience are still checked.
    - ``authorization``: RBAC on or off. Off, a valid token is enough for every RPC. ``None``
      means on exactly when ``scope_mappings`` is given, as in Agno.
    - ``token_source`` / ``token_header_key`` / ``cookie_name``: where the token is found.
    - ``scopes_claim`` (a list, or one space-separated string), ``user_id_claim``,
      ``session_id_claim``, ``audience_claim``: claim names.
    - ``verify_audience``: the audience claim must contain ``audience`` (default: the OS id).
    - ``dependencies_claims`` / ``session_state_claims``: claims copied into the run's
      ``dependencies`` / ``session_state`` (see ``AuthContext``).
    - ``scope_mappings``: required scopes per RPC, replacing the default for the RPCs they
      name (the others keep theirs). Keys: ``"/agentos.v1.RunService/CreateRun"`` (``*`` globs
      allowed) or ``"POST /v1/agents/{agent_id}/runs"`` (resolved through the RPCs'
      ``google.api.http`` bindings; ``*`` or ``{var}`` match any id, a concrete id only that
      one; the ``/v1`` prefix may be left out as in Agno's routes). ``[]`` means no scope is
      needed (a valid token still is: use ``excluded_methods`` for a method that needs none).
    - ``excluded_methods``: methods served without any auth, added to health and reflection,
      which are always excluded. Same key forms as ``scope_mappings`` (route keys may not name
      a concrete id). Their handlers get the *disabled* ``AuthContext`` (admin-equivalent, user
      id from the request), so exclude only methods that expose nothing per user.
    - ``admin_scope``: the scope that grants everything.
    - ``leeway``: seconds of clock skew tolerated on ``exp``/``nbf``/``iat``.
    """

    verification_keys: Sequence[str] | None = None
    jwks_file: str | None = None
    algorithm: str = "RS256"
    validate: bool = True
    authorization: bool | None = None
    token_source: TokenSource = TokenSource.HEADER
    token_header_key: str = "authorization"
    cookie_name: str = "access_token"
    scopes_claim: str = "scopes"
    user_id_claim: str = "sub"
    session_id_claim: str = "session_id"
    audience_claim: str = "aud"
    verify_audience: bool = False
    audience: str | None = None
    dependencies_claims: Sequence[str] = ()
    session_state_claims: Sequence[str] = ()
    scope_mappings: Mapping[str, Sequence[str]] | None = None
    excluded_methods: Sequence[str] = ()
    admin_scope: str = ADMIN_SCOPE
    leeway: float = 0.0

    def __post_init__(self) -> None:
        if self.algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(
                f"algorithm {self.algorithm!r} is not supported; use one of {sorted(SUPPORTED_ALGORITHMS)}"
            )
        if not self.token_header_key:
            raise ValueError("token_header_key must not be empty")
        if not self.admin_scope:
            raise ValueError("admin_scope must not be empty")
        if self.leeway < 0:
            raise ValueError("leeway must not be negative")
        # Normalise containers so the frozen config cannot be changed through a caller's list.
        object.__setattr__(self, "token_header_key", self.token_header_key.lower())
        if self.verification_keys is not None:
            object.__setattr__(self, "verification_keys", tuple(self.verification_keys))
        object.__setattr__(self, "dependencies_claims", tuple(self.dependencies_claims))
        object.__setattr__(self, "session_state_claims", tuple(self.session_state_claims))
        object.__setattr__(self, "excluded_methods", tuple(self.excluded_methods))
        if self.scope_mappings is not None:
            mappings = {str(k): tuple(v) for k, v in self.scope_mappings.items()}
            for key, scopes in mappings.items():
                if isinstance(self.scope_mappings[key], str):
                    raise ValueError(f"scope_mappings[{key!r}] must be a list of scopes, not a string")
                if not all(isinstance(s, str) and s for s in scopes):
                    raise ValueError(f"scope_mappings[{key!r}] must hold non-empty scope strings")
            object.__setattr__(self, "scope_mappings", mappings)

    @property
    def rbac_enabled(self) -> bool:
        """Whether scopes are checked (``authorization``, or ``None`` with ``scope_mappings``)."""
        if self.authorization is None:
            return self.scope_mappings is not None
        return self.authorization

    def resolved_verification_keys(self) -> tuple[str, ...]:
        """The configured keys, or ``JWT_VERIFICATION_KEY`` when none were given."""
        if self.verification_keys is None:
            return _env_keys()
        return tuple(self.verification_keys)

    def resolved_jwks_file(self) -> str | None:
        """The configured JWKS file, or ``JWT_JWKS_FILE`` when none was given."""
        return self.jwks_file if self.jwks_file is not None else _env_jwks_file()


@dataclass(frozen=True, kw_only=True)
class AuthorizationConfig:
    """Agno's ``AuthorizationConfig``: how ``AgentOS(authorization=True)`` verifies tokens.

    RBAC is on with the default scope map. ``verification_keys`` / ``jwks_file`` default to the
    ``JWT_VERIFICATION_KEY`` / ``JWT_JWKS_FILE`` environment variables. ``verify_audience``
    requires the token's ``aud`` to name this AgentOS (its id, or ``audience`` when given);
    leave it off for control-plane tokens, which are not minted per OS. Anything beyond these
    knobs is a :class:`JWTMiddlewareConfig`; :meth:`to_middleware_config` gives the equivalent.
    """

    verification_keys: Sequence[str] | None = None
    jwks_file: str | None = None
    algorithm: str = "RS256"
    verify_audience: bool = False
    audience: str | None = None
    admin_scope: str = ADMIN_SCOPE

    def to_middleware_config(self, *, authorization: bool = True) -> JWTMiddlewareConfig:
        return JWTMiddlewareConfig(
            verification_keys=self.verification_keys,
            jwks_file=self.jwks_file,
            algorithm=self.algorithm,
            verify_audience=self.verify_audience,
            audience=self.audience,
            admin_scope=self.admin_scope,
            authorization=authorization,
        )


def as_middleware_config(
    config: AuthorizationConfig | JWTMiddlewareConfig | None, *, authorization: bool = False
) -> JWTMiddlewareConfig:
    """One ``JWTMiddlewareConfig`` from whatever ``AgentOS`` was given.

    ``authorization=True`` (AgentOS's flag) switches RBAC on in a ``JWTMiddlewareConfig`` whose
    own ``authorization`` is unset; an ``AuthorizationConfig`` always means RBAC on.
    """
    if config is None:
        return AuthorizationConfig().to_middleware_config()
    if isinstance(config, AuthorizationConfig):
        return config.to_middleware_config()
    if config.authorization is None and authorization:
        return replace(config, authorization=True)
    return config


__all__ = [
    "ADMIN_SCOPE",
    "SUPPORTED_ALGORITHMS",
    "AuthorizationConfig",
    "JWTMiddlewareConfig",
    "TokenSource",
    "as_middleware_config",
]
