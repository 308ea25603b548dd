"""JWT verification: keys and JWKS loaded once, tokens checked per call, results cached.

Keys are parsed when the server starts (a bad PEM or JWKS file fails start-up, not the first
call), and each token is checked against the one configured algorithm: the token's own
``alg`` header is never trusted to pick it, which is what makes ``none`` and
HMAC-keyed-with-the-public-key forgeries fail. A ``kid`` selects the JWKS key; static keys are
tried in order after it, so tokens of several issuers are accepted.

Verifying an RS256/ES256 signature costs tens of microseconds of CPU, a noticeable share of a
call when a client sends the same token thousands of times. Verified tokens are therefore kept
in a small LRU cache (keyed by the token text, so a different token is always verified) until
their ``exp``; expiry is re-checked on every hit.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jwt
from agentos.os.auth._config import JWTMiddlewareConfig
from agentos.os.auth._errors import AuthenticationError
from agentos.os.auth._scopes import ScopeSet
from agentos.v1 import common_pb2

logger = logging.getLogger("agentos.os.auth")

_CACHE_SIZE = 1024
_MIN_HMAC_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}


@dataclass(frozen=True, slots=True)
class Identity:
    """What a verified token says about the caller (claim names already applied)."""

    token: str
    claims: Mapping[str, Any]
    user_id: str | None
    session_id: str | None
    scopes: ScopeSet
    audience: tuple[str, ...]
    dependencies: Mapping[str, Any]
    session_state: Mapping[str, Any]


def _load_jwks(path: str, algorithm: str) -> tuple[dict[str, Any], list[Any]]:
    """Keys of a JWKS file usable with ``algorithm``: by kid, and all of them in file order.

    Keys declared for another algorithm or for encryption are skipped, as are keys PyJWT
    cannot use (an unknown ``kty``): an identity provider's JWKS often lists such keys too.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot load JWKS file {path!r}: {exc}") from exc
    entries = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"JWKS file {path!r} has no 'keys' list")
    by_kid: dict[str, Any] = {}
    ordered: list[Any] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        kid = entry.get("kid")
        declared = entry.get("alg")
        if (declared is not None and declared != algorithm) or entry.get("use", "sig") != "sig":
            logger.info("JWKS %s: key %r is not a %s signing key; skipped", path, kid, algorithm)
            continue
        try:
            key = jwt.PyJWK(entry, algorithm=algorithm).key
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError) as exc:
            logger.warning("JWKS %s: key %r cannot be used: %s", path, kid, exc)
            continue
        ordered.append(key)
        if isinstance(kid, str):
            by_kid[kid] = key
    if not ordered:
        raise ValueError(f"JWKS file {path!r} has no signing key usable with {algorithm}")
    return by_kid, ordered


def _prepare_static_keys(keys: tuple[str, ...], algorithm: str) -> list[Any]:
    alg = jwt.get_algorithm_by_name(algorithm)
    prepared: list[Any] = []
    for index, key in enumerate(keys):
        try:
            prepared.append(alg.prepare_key(key))
        except (jwt.InvalidKeyError, ValueError, TypeError) as exc:
            raise ValueError(f"verification_keys[{index}] is not a valid {algorithm} key: {exc}") from exc
        minimum = _MIN_HMAC_BYTES.get(algorithm)
        if minimum is not None and len(key.encode()) < minimum:
            logger.warning(
                "verification_keys[%d] is shorter than %d bytes, too short for %s", index, minimum, algorithm
            )
    return prepared


class TokenVerifier:
    """Checks bearer tokens against one configuration; safe to share across calls and threads."""

    def __init__(self, config: JWTMiddlewareConfig, audience: str | None) -> None:
        self._config = config
        self._algorithm = config.algorithm
        self._expected_audience = audience
        if config.verify_audience and not audience:
            raise ValueError("verify_audience needs the AgentOS id (or an explicit audience) to compare with")
        keys = config.resolved_verification_keys()
        jwks_file = config.resolved_jwks_file()
        self._static_keys = _prepare_static_keys(keys, config.algorithm)
        self._jwks_by_kid: dict[str, Any] = {}
        self._jwks_keys: list[Any] = []
        if jwks_file:
            self._jwks_by_kid, self._jwks_keys = _load_jwks(jwks_file, config.algorithm)
        if config.validate and not self._static_keys and not self._jwks_keys:
            raise ValueError(
                "JWT verification needs a key: set verification_keys or jwks_file "
                "(or the JWT_VERIFICATION_KEY / JWT_JWKS_FILE environment variables), "
                "or validate=False when a gateway has verified the token already"
            )
        self._options: dict[str, Any] = {
            "verify_signature": config.validate,
            "verify_aud": False,  # checked below against audience_claim, which may not be "aud"
            "verify_exp": True,
            "verify_nbf": True,
            "verify_iat": True,
            "verify_iss": False,
        }
        self._cache: OrderedDict[str, tuple[Identity, float | None]] = OrderedDict()
        self._lock = threading.Lock()

    # -- signature and standard claims ----------------------------------------------------------

    def _candidates(self, kid: str | None) -> list[Any]:
        if kid is not None and kid in self._jwks_by_kid:
            return [self._jwks_by_kid[kid], *self._static_keys]
        if kid is None:
            return [*self._jwks_keys, *self._static_keys]
        return list(self._static_keys)

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as exc:
            raise AuthenticationError(f"malformed bearer token: {exc}", "malformed") from exc
        if not self._config.validate:
            return self._decode_with(token, None)
        if header.get("alg") != self._algorithm:
            raise AuthenticationError(
                f"token is signed with {header.get('alg')!r}; this server accepts only {self._algorithm}",
                "invalid_signature",
            )
        kid = header.get("kid")
        kid = kid if isinstance(kid, str) else None
        candidates = self._candidates(kid)
        if not candidates:
            raise AuthenticationError(f"no verification key has kid {kid!r}", "unknown_key")
        for key in candidates:
            try:
                return self._decode_with(token, key)
            except _SignatureMismatch:
                continue
        raise AuthenticationError("token signature verification failed", "invalid_signature")

    def _decode_with(self, token: str, key: Any) -> dict[str, Any]:
        try:
            if key is None:
                return jwt.decode(token, options=self._options, leeway=self._config.leeway)  # type: ignore[arg-type]
            return jwt.decode(
                token,
                key,
                algorithms=[self._algorithm],
                options=self._options,  # type: ignore[arg-type]
                leeway=self._config.leeway,
            )
        except jwt.InvalidSignatureError as exc:
            raise _SignatureMismatch from exc
        except jwt.ExpiredSignatureError as exc:
            raise _expired() from exc
        except jwt.ImmatureSignatureError as exc:
            raise AuthenticationError(f"bearer token is not valid yet: {exc}", "not_yet_valid") from exc
        except jwt.DecodeError as exc:
            raise AuthenticationError(f"malformed bearer token: {exc}", "malformed") from exc
        except (jwt.InvalidTokenError, jwt.InvalidKeyError) as exc:
            raise AuthenticationError(f"invalid bearer token: {exc}", "invalid_claims") from exc

    # -- the caller's identity, cached per token ----------------------------------------------------

    def verify(self, token: str) -> Identity:
        """The identity a token carries; raises ``AuthenticationError`` saying what is wrong.

        Only tokens that pass every check are cached, with everything derived from them (the
        indexed scopes included), so a repeated token costs a dictionary look-up and an
        expiry comparison.
        """
        now = time.time()
        with self._lock:
            hit = self._cache.get(token)
            if hit is not None:
                self._cache.move_to_end(token)
        if hit is not None:
            identity, expires_at = hit
            if expires_at is None or now < expires_at + self._config.leeway:
                return identity
            with self._lock:
                self._cache.pop(token, None)
            raise _expired()
        claims = self._decode(token)
        identity = self._identity(token, claims)
        exp = claims.get("exp")
        expires_at = float(exp) if isinstance(exp, int | float) else None
        with self._lock:
            self._cache[token] = (identity, expires_at)
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return identity

    def _identity(self, token: str, claims: dict[str, Any]) -> Identity:
        config = self._config
        audience = _string_list(claims.get(config.audience_claim), config.audience_claim)
        if config.verify_audience and self._expected_audience not in audience:
            shown = ", ".join(audience) or "none"
            raise AuthenticationError(
                f"token audience ({shown}) is not this AgentOS ({self._expected_audience})",
                "invalid_audience",
                common_pb2.ERROR_REASON_INVALID_AUDIENCE,
            )
        raw_scopes = claims.get(config.scopes_claim)
        if isinstance(raw_scopes, str):
            scopes: tuple[str, ...] = tuple(raw_scopes.split())
        else:
            scopes = _string_list(raw_scopes, config.scopes_claim)
        return Identity(
            token=token,
            claims=MappingProxyType(claims),
            user_id=_optional_string(claims.get(config.user_id_claim), config.user_id_claim),
            session_id=_optional_string(claims.get(config.session_id_claim), config.session_id_claim),
            scopes=ScopeSet(scopes, config.admin_scope),
            audience=audience,
            dependencies=_pick(claims, config.dependencies_claims),
            session_state=_pick(claims, config.session_state_claims),
        )


def _expired() -> AuthenticationError:
    return AuthenticationError("bearer token has expired", "expired", common_pb2.ERROR_REASON_TOKEN_EXPIRED)


def _pick(claims: Mapping[str, Any], names: Sequence[str]) -> Mapping[str, Any]:
    return MappingProxyType({name: claims[name] for name in names if name in claims})


class _SignatureMismatch(Exception):
    """This key did not sign the token; the next one may have."""


def _string_list(value: Any, claim: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise AuthenticationError(f"claim {claim!r} must be a string or a list of strings", "invalid_claims")


def _optional_string(value: Any, claim: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise AuthenticationError(f"claim {claim!r} must be a string", "invalid_claims")
