"""Authentication over a real gRPC server: which tokens get in, and what refusals look like."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time

import grpc
import jwt
import pytest
from agentos.os.auth import AuthInterceptor, AuthorizationConfig, JWTMiddlewareConfig, TokenSource
from agentos.v1 import agent_os_pb2
from auth_harness import (
    HS_SECRET,
    OS_ID,
    Keys,
    ServerFactory,
    bearer,
    call_error,
    hs_token,
    make_token,
)

ADMIN = ["agent_os:admin"]
LIST = agent_os_pb2.ListAgentsRequest()


async def test_missing_token_is_unauthenticated(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(server.agent_os.ListAgents(LIST))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "TOKEN_MISSING"
    assert error.domain == "agentos.dev"
    assert error.metadata["cause"] == "missing"
    assert "missing bearer token" in error.message and "authorization" in error.message
    assert server.recorder.seen == []  # the handler never ran


async def test_header_without_bearer_scheme_is_refused(start_server: ServerFactory) -> None:
    server = await start_server()
    metadata = (("authorization", f"Basic {hs_token(scopes=ADMIN)}"),)
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=metadata))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.metadata["cause"] == "malformed"
    assert "Bearer <token>" in error.message


async def test_malformed_token_is_unauthenticated(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer("not.a-jwt")))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "TOKEN_INVALID"
    assert error.metadata["cause"] == "malformed"
    assert "malformed" in error.message


async def test_token_signed_with_another_secret_is_refused(start_server: ServerFactory) -> None:
    server = await start_server()
    forged = make_token("another-secret-that-is-also-long-enough!!", "HS256", scopes=ADMIN)
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(forged)))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "TOKEN_INVALID"
    assert error.metadata["cause"] == "invalid_signature"
    assert "signature" in error.message


async def test_tampered_payload_is_refused(start_server: ServerFactory) -> None:
    server = await start_server()
    header, _, signature = hs_token(scopes=["agents:read"]).split(".")
    _, payload, _ = hs_token(scopes=ADMIN).split(".")
    error = await call_error(
        server.agent_os.ListAgents(LIST, metadata=bearer(f"{header}.{payload}x.{signature}"))
    )
    assert error.code == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize(
    ("algorithm", "private", "public"),
    [("RS256", "rsa_private", "rsa_public"), ("ES256", "ec_private", "ec_public")],
)
async def test_asymmetric_tokens_verify_with_the_public_key(
    start_server: ServerFactory, keys: Keys, algorithm: str, private: str, public: str
) -> None:
    server = await start_server(verification_keys=[getattr(keys, public)], algorithm=algorithm)
    token = make_token(getattr(keys, private), algorithm, scopes=["agents:read"])
    response = await server.agent_os.ListAgents(LIST, metadata=bearer(token))
    assert [a.agent_id for a in response.agents] == ["a1", "a2", "a3"]
    assert server.last.authenticated and server.last.user_id == "u1"


async def test_rs256_token_of_another_key_pair_is_refused(start_server: ServerFactory, keys: Keys) -> None:
    server = await start_server(verification_keys=[keys.rsa_public], algorithm="RS256")
    forged = make_token(keys.rsa2_private, "RS256", scopes=ADMIN)
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(forged)))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.metadata["cause"] == "invalid_signature"


async def test_hmac_keyed_with_the_public_key_cannot_pass_for_rs256(
    start_server: ServerFactory, keys: Keys
) -> None:
    """The classic algorithm-confusion forgery: the token picks HS256 and the public PEM as secret."""
    server = await start_server(verification_keys=[keys.rsa_public], algorithm="RS256")
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    payload = jwt.utils.base64url_encode(b'{"sub":"u1","scopes":["agent_os:admin"]}')
    signing_input = header + b"." + payload
    signature = hmac.new(keys.rsa_public.encode(), signing_input, hashlib.sha256).digest()
    forged = (signing_input + b"." + jwt.utils.base64url_encode(signature)).decode()
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(forged)))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert "RS256" in error.message


async def test_unsigned_alg_none_token_is_refused(start_server: ServerFactory) -> None:
    server = await start_server()
    unsigned = jwt.encode({"sub": "u1", "scopes": ADMIN}, None, algorithm="none")
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(unsigned)))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED


async def test_expired_token_has_reason_token_expired(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(
        server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN, expires_in=-60)))
    )
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "TOKEN_EXPIRED"
    assert "expired" in error.message


async def test_leeway_tolerates_clock_skew(start_server: ServerFactory) -> None:
    server = await start_server(leeway=120)
    token = hs_token(scopes=ADMIN, expires_in=-60)
    await server.agent_os.ListAgents(LIST, metadata=bearer(token))


async def test_token_not_valid_yet_is_refused(start_server: ServerFactory) -> None:
    server = await start_server()
    token = hs_token(scopes=ADMIN, nbf=int(time.time()) + 3600)
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(token)))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.metadata["cause"] == "not_yet_valid"


async def test_a_cached_token_is_still_refused_once_it_expires(start_server: ServerFactory) -> None:
    """Verified tokens are cached; the cache must not outlive ``exp``."""
    server = await start_server()
    expires_at = int(time.time()) + 1
    token = make_token(HS_SECRET, scopes=ADMIN, expires_in=None, exp=expires_at)
    await server.agent_os.ListAgents(LIST, metadata=bearer(token))
    await asyncio.sleep(max(0.0, expires_at + 0.05 - time.time()))
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(token)))
    assert error.reason == "TOKEN_EXPIRED"


async def test_audience_must_name_this_os_when_verified(start_server: ServerFactory) -> None:
    server = await start_server(verify_audience=True)
    wrong = hs_token(scopes=ADMIN, aud="another-os")
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(wrong)))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "INVALID_AUDIENCE"
    assert "another-os" in error.message and OS_ID in error.message

    missing = hs_token(scopes=ADMIN)
    assert (await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(missing)))).reason == (
        "INVALID_AUDIENCE"
    )
    await server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN, aud=OS_ID)))
    await server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN, aud=["x", OS_ID])))
    assert server.last.audience == ("x", OS_ID)


async def test_audience_is_ignored_unless_verified(start_server: ServerFactory) -> None:
    server = await start_server()
    await server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN, aud="another-os")))
    assert server.last.audience == ("another-os",)


async def test_custom_audience_claim_and_explicit_audience(start_server: ServerFactory) -> None:
    server = await start_server(verify_audience=True, audience_claim="os", audience="prod-os")
    await server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN, os="prod-os")))
    error = await call_error(
        server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN, os=OS_ID)))
    )
    assert error.reason == "INVALID_AUDIENCE"


async def test_verification_keys_are_tried_in_order(start_server: ServerFactory) -> None:
    second = "the-second-issuer-secret-long-enough-for-hs256"
    server = await start_server(verification_keys=[HS_SECRET, second])
    await server.agent_os.ListAgents(LIST, metadata=bearer(make_token(second, scopes=ADMIN)))
    await server.agent_os.ListAgents(LIST, metadata=bearer(make_token(HS_SECRET, scopes=ADMIN)))


async def test_jwks_keys_are_matched_by_kid(start_server: ServerFactory, keys: Keys, jwks_file: str) -> None:
    server = await start_server(verification_keys=None, jwks_file=jwks_file, algorithm="RS256")
    for private, kid in ((keys.rsa_private, "k1"), (keys.rsa2_private, "k2")):
        token = make_token(private, "RS256", scopes=ADMIN, headers={"kid": kid})
        await server.agent_os.ListAgents(LIST, metadata=bearer(token))

    wrong_kid = make_token(keys.rsa_private, "RS256", scopes=ADMIN, headers={"kid": "k2"})
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(wrong_kid)))
    assert error.metadata["cause"] == "invalid_signature"

    unknown = make_token(keys.rsa_private, "RS256", scopes=ADMIN, headers={"kid": "k9"})
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(unknown)))
    assert error.metadata["cause"] == "unknown_key"
    assert "k9" in error.message

    no_kid = make_token(keys.rsa2_private, "RS256", scopes=ADMIN)
    await server.agent_os.ListAgents(LIST, metadata=bearer(no_kid))


async def test_static_keys_back_up_the_jwks(start_server: ServerFactory, keys: Keys, jwks_file: str) -> None:
    server = await start_server(verification_keys=[keys.rsa_public], jwks_file=jwks_file, algorithm="RS256")
    token = make_token(keys.rsa_private, "RS256", scopes=ADMIN, headers={"kid": "not-in-jwks"})
    await server.agent_os.ListAgents(LIST, metadata=bearer(token))


async def test_keys_come_from_the_environment_when_not_given(
    start_server: ServerFactory, keys: Keys, jwks_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWT_VERIFICATION_KEY", HS_SECRET)
    server = await start_server(AuthorizationConfig(algorithm="HS256"))
    await server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=["agents:read"])))
    assert server.last.authorization_enabled  # AuthorizationConfig means RBAC on

    monkeypatch.delenv("JWT_VERIFICATION_KEY")
    monkeypatch.setenv("JWT_JWKS_FILE", jwks_file)
    server = await start_server(AuthorizationConfig())
    token = make_token(keys.rsa2_private, "RS256", scopes=["agents:read"], headers={"kid": "k2"})
    await server.agent_os.ListAgents(LIST, metadata=bearer(token))


async def test_validate_false_trusts_claims_but_not_expiry(start_server: ServerFactory) -> None:
    server = await start_server(verification_keys=None, validate=False)
    unverified = make_token(
        "whatever-key-the-gateway-had-it-is-long-enough", scopes=["agents:read"], sub="gw-user"
    )
    await server.agent_os.ListAgents(LIST, metadata=bearer(unverified))
    assert server.last.user_id == "gw-user"
    expired = make_token("whatever-key-the-gateway-had-it-is-long-enough", scopes=ADMIN, expires_in=-60)
    assert (
        await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(expired)))
    ).reason == "TOKEN_EXPIRED"


async def test_token_from_a_cookie(start_server: ServerFactory) -> None:
    server = await start_server(token_source=TokenSource.COOKIE, cookie_name="session_jwt")
    cookie = (("cookie", f"theme=dark; session_jwt={hs_token(scopes=ADMIN, sub='cookie-user')}"),)
    await server.agent_os.ListAgents(LIST, metadata=cookie)
    assert server.last.user_id == "cookie-user"
    # The header is not looked at with TokenSource.COOKIE.
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN))))
    assert "session_jwt" in error.message

    both = await start_server(token_source=TokenSource.BOTH)
    await both.agent_os.ListAgents(LIST, metadata=(("cookie", f"access_token={hs_token(scopes=ADMIN)}"),))
    await both.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes=ADMIN)))


async def test_custom_header_key(start_server: ServerFactory) -> None:
    server = await start_server(token_header_key="X-Agentos-Token")
    metadata = (("x-agentos-token", f"Bearer {hs_token(scopes=ADMIN)}"),)
    await server.agent_os.ListAgents(LIST, metadata=metadata)


async def test_space_separated_scope_string_and_claim_names(start_server: ServerFactory) -> None:
    server = await start_server(scopes_claim="scope", user_id_claim="uid", session_id_claim="sid")
    token = hs_token(sub=None, scope="agents:read sessions:read", uid="user-7", sid="sess-3")
    await server.agent_os.ListAgents(LIST, metadata=bearer(token))
    assert server.last.scopes == ("agents:read", "sessions:read")
    assert (server.last.user_id, server.last.session_id) == ("user-7", "sess-3")


async def test_malformed_scopes_claim_is_unauthenticated(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(
        server.agent_os.ListAgents(LIST, metadata=bearer(hs_token(scopes={"read": True})))
    )
    assert error.code == grpc.StatusCode.UNAUTHENTICATED
    assert error.metadata["cause"] == "invalid_claims"
    assert "scopes" in error.message


# -- configuration errors surface when the interceptor is built -------------------------------------


def test_no_key_at_all_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JWT_VERIFICATION_KEY", raising=False)
    monkeypatch.delenv("JWT_JWKS_FILE", raising=False)
    with pytest.raises(ValueError, match="JWT_VERIFICATION_KEY"):
        AuthInterceptor(AuthorizationConfig(), OS_ID)


def test_bad_public_key_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match=r"verification_keys\[0\]"):
        AuthInterceptor(JWTMiddlewareConfig(verification_keys=["not a pem"], algorithm="RS256"), OS_ID)


def test_unreadable_jwks_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="JWKS"):
        AuthInterceptor(JWTMiddlewareConfig(jwks_file="/nonexistent/jwks.json"), OS_ID)


def test_jwks_without_usable_key_is_a_configuration_error(jwks_file: str) -> None:
    with pytest.raises(ValueError, match="no signing key usable with ES256"):
        AuthInterceptor(JWTMiddlewareConfig(jwks_file=jwks_file, algorithm="ES256"), OS_ID)


def test_unknown_algorithm_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="not supported"):
        JWTMiddlewareConfig(verification_keys=[HS_SECRET], algorithm="none")


def test_verify_audience_needs_an_os_id() -> None:
    with pytest.raises(ValueError, match="verify_audience"):
        AuthInterceptor(
            JWTMiddlewareConfig(verification_keys=[HS_SECRET], algorithm="HS256", verify_audience=True)
        )
