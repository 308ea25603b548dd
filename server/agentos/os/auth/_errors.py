"""Auth failures as exceptions, and how they become a ``google.rpc.Status``.

Authentication and authorization fail in two places: in the interceptor, before the service
handler runs, and inside the handler, where a check needs data only the handler has (the run
a ``CancelRun`` names, the owner of a session). Both raise :class:`AuthError`, so there is one
description of each failure; the interceptor turns it into a status with
:func:`abort_with_error`. The status follows the contract in ``common.proto``: a canonical code
plus a ``google.rpc.ErrorInfo`` whose reason is the ``ErrorReason`` name without its prefix and
whose domain is ``agentos.dev``, so clients branch on ``TOKEN_EXPIRED`` rather than on text.

Service code that wraps its handlers in a catch-all must let :class:`AuthError` through (or
convert it with :meth:`AuthError.to_status`): otherwise a denial would be reported as INTERNAL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NoReturn, cast

import grpc
from agentos.v1 import common_pb2
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2  # type: ignore[import-untyped, unused-ignore]
from grpc_status import rpc_status

ERROR_DOMAIN = "agentos.dev"
"""``ErrorInfo.domain`` of every error this server reports (see ``common.proto``)."""

_REASON_PREFIX = "ERROR_REASON_"


def reason_name(reason: int) -> str:
    """``ERROR_REASON_TOKEN_EXPIRED`` → ``"TOKEN_EXPIRED"``: the string sent in ``ErrorInfo``."""
    return common_pb2.ErrorReason.Name(cast(Any, reason)).removeprefix(_REASON_PREFIX)


def error_status(
    code: grpc.StatusCode,
    reason: int,
    message: str,
    metadata: Mapping[str, str] | None = None,
    extra_details: Sequence[Message] = (),
) -> grpc.Status:
    """A ``grpc.Status`` carrying ``google.rpc.Status`` details (ErrorInfo first, then extras).

    ``extra_details`` are packed after the ErrorInfo, e.g. a ``BadRequest`` naming fields.
    """
    status = status_pb2.Status(code=code.value[0], message=message)
    info = error_details_pb2.ErrorInfo(
        reason=reason_name(reason), domain=ERROR_DOMAIN, metadata=dict(metadata or {})
    )
    status.details.add().Pack(info)
    for detail in extra_details:
        status.details.add().Pack(detail)
    result: grpc.Status = rpc_status.to_status(status)
    return result


async def abort_with_error(
    context: grpc.aio.ServicerContext[Any, Any],
    code: grpc.StatusCode,
    reason: int,
    message: str,
    metadata: Mapping[str, str] | None = None,
    extra_details: Sequence[Message] = (),
) -> NoReturn:
    """End the RPC with ``code`` and the ``google.rpc.Status`` details of :func:`error_status`."""
    status = error_status(code, reason, message, metadata, extra_details)
    await context.abort(status.code, status.details, status.trailing_metadata)
    raise AssertionError("context.abort returned")  # pragma: no cover - abort always raises


class AuthError(Exception):
    """An auth failure: the canonical code, the ``ErrorReason``, a message and ErrorInfo metadata."""

    code: grpc.StatusCode = grpc.StatusCode.UNAUTHENTICATED
    reason: int = common_pb2.ERROR_REASON_UNAUTHENTICATED

    def __init__(self, message: str, metadata: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.metadata: Mapping[str, str] = MappingProxyType(dict(metadata or {}))

    def details(self) -> Sequence[Message]:
        """Status details after the ErrorInfo (none by default)."""
        return ()

    def to_status(self) -> grpc.Status:
        return error_status(self.code, self.reason, self.message, self.metadata, self.details())


class AuthenticationError(AuthError):
    """UNAUTHENTICATED: no token, or one that cannot be trusted.

    ``metadata["cause"]`` says which (``missing``, ``malformed``, ``invalid_signature``,
    ``unknown_key``, ``not_yet_valid``, ``invalid_claims``, ``expired``, ``invalid_audience``).
    The reason is the contract's coarser split: ``TOKEN_MISSING`` for ``missing``,
    ``TOKEN_EXPIRED`` and ``INVALID_AUDIENCE`` when given explicitly, ``TOKEN_INVALID`` for
    every other cause, so clients can tell "log in" from "your token is broken" without text.
    """

    def __init__(self, message: str, cause: str, reason: int | None = None) -> None:
        super().__init__(message, {"cause": cause})
        self.cause = cause
        if reason is None:
            reason = (
                common_pb2.ERROR_REASON_TOKEN_MISSING
                if cause == "missing"
                else common_pb2.ERROR_REASON_TOKEN_INVALID
            )
        self.reason = reason


class PermissionDeniedError(AuthError):
    """PERMISSION_DENIED: the caller is known but may not do this.

    ``required_scopes`` are the scopes that would have allowed it (ErrorInfo metadata
    ``required_scopes``, space-separated like an OAuth ``scope`` string). It is empty when no
    scope helps, e.g. a non-admin acting for another user.
    """

    code = grpc.StatusCode.PERMISSION_DENIED
    reason = common_pb2.ERROR_REASON_PERMISSION_DENIED

    def __init__(self, message: str, required_scopes: Sequence[str] = (), **metadata: str) -> None:
        meta = dict(metadata)
        if required_scopes:
            meta["required_scopes"] = " ".join(required_scopes)
        super().__init__(message, meta)
        self.required_scopes = tuple(required_scopes)


class UnauthorizableRequestError(AuthError):
    """INVALID_ARGUMENT: the request lacks the field that says what it acts on.

    A ``CreateRun`` without a target cannot be checked against ``agents:<id>:run``; refusing
    it here is safer than letting it reach a handler unauthorized.
    """

    code = grpc.StatusCode.INVALID_ARGUMENT
    reason = common_pb2.ERROR_REASON_INVALID_INPUT

    def __init__(self, field: str, description: str) -> None:
        super().__init__(f"{field}: {description}", {"field": field})
        self.field = field
        self.description = description

    def details(self) -> Sequence[Message]:
        violation = error_details_pb2.BadRequest.FieldViolation(
            field=self.field, description=self.description
        )
        return (error_details_pb2.BadRequest(field_violations=[violation]),)


async def abort_for_auth_error(context: grpc.aio.ServicerContext[Any, Any], error: AuthError) -> NoReturn:
    """End the RPC with the status ``error`` describes."""
    await abort_with_error(context, error.code, error.reason, error.message, error.metadata, error.details())
