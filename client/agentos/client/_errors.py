"""Typed client errors: one class per gRPC status code, built from ``google.rpc.Status`` details.

The server reports every failure as a canonical code plus ``google.rpc.Status`` details
(``ErrorInfo`` with a stable ``reason``, ``BadRequest`` field violations, ``ResourceInfo``), so
callers can branch on classes and reasons instead of parsing messages. All classes derive from
:class:`AgentOSClientError`; catching it catches every failure of a call.

``RemoteServerUnavailableError`` (Agno's name, with ``.message`` and ``.base_url``) means "the
server could not be reached or is going away": a transport failure (connection refused, reset,
TLS failure), a deadline that expired before a connection was made, or a server that is
shutting down. An UNAVAILABLE that the server itself reports for something behind it (its model
provider or database) is a plain :class:`UnavailableError`: the server is up, retrying it later
may help, but switching servers will not.

This module does not import grpc at import time (``import agentos.client`` stays light); codes
are ``grpc.StatusCode`` members all the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import grpc

ERROR_DOMAIN = "agentos.dev"


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """One invalid request field (``google.rpc.BadRequest.FieldViolation``)."""

    field: str
    description: str


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """The resource a NOT_FOUND / ALREADY_EXISTS error is about (``google.rpc.ResourceInfo``)."""

    resource_type: str
    resource_name: str
    owner: str = ""
    description: str = ""


class AgentOSClientError(Exception):
    """A call to an AgentOS failed.

    - ``code``: the ``grpc.StatusCode``;
    - ``message``: the server's message (or the transport's);
    - ``reason``: ``ErrorInfo.reason`` (e.g. ``"RUN_NOT_FOUND"``; ``""`` when the status had none);
    - ``metadata``: ``ErrorInfo.metadata`` (e.g. ``{"agent_id": "a1"}``);
    - ``field_violations``: ``BadRequest`` violations (INVALID_ARGUMENT);
    - ``resource``: ``ResourceInfo`` (NOT_FOUND, ALREADY_EXISTS);
    - ``details``: every unpacked detail message, in order (also kinds this client does not know,
      as ``google.protobuf.Any``);
    - ``base_url``: the server the call went to.
    """

    def __init__(
        self,
        message: str,
        *,
        code: grpc.StatusCode | None = None,
        reason: str = "",
        metadata: Mapping[str, str] | None = None,
        field_violations: Sequence[FieldViolation] = (),
        resource: ResourceInfo | None = None,
        details: Sequence[Any] = (),
        base_url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: grpc.StatusCode = code if code is not None else _default_code(type(self))
        self.reason = reason
        self.metadata: dict[str, str] = dict(metadata or {})
        self.field_violations: list[FieldViolation] = list(field_violations)
        self.resource = resource
        self.details: list[Any] = list(details)
        self.base_url = base_url

    def __str__(self) -> str:
        prefix = f"{self.code.name}"
        if self.reason:
            prefix += f" ({self.reason})"
        return f"{prefix}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code.name}, reason={self.reason!r}, message={self.message!r})"
        )


class RequestCancelledError(AgentOSClientError):
    """CANCELLED: the call was cancelled (by the caller, or by the server during shutdown)."""


class UnknownError(AgentOSClientError):
    """UNKNOWN: the server failed without a status (never sent by an AgentOS on purpose)."""


class InvalidArgumentError(AgentOSClientError):
    """INVALID_ARGUMENT: the request is wrong; ``field_violations`` names each offending field."""


class DeadlineExceededError(AgentOSClientError):
    """DEADLINE_EXCEEDED: the call (or a stream's wait for its next event) outlived ``timeout``."""


class NotFoundError(AgentOSClientError):
    """NOT_FOUND: the agent, run, session, memory... does not exist (or is not the caller's)."""


class AlreadyExistsError(AgentOSClientError):
    """ALREADY_EXISTS: e.g. a session or run id that is taken."""


class PermissionDeniedError(AgentOSClientError):
    """PERMISSION_DENIED: the token is valid but lacks a scope (``metadata["required_scopes"]``)."""


class ResourceExhaustedError(AgentOSClientError):
    """RESOURCE_EXHAUSTED: a rate limit (e.g. of the model provider) or a server capacity limit."""


class FailedPreconditionError(AgentOSClientError):
    """FAILED_PRECONDITION: the resource is in the wrong state (e.g. continuing a run not paused)."""


class AbortedError(AgentOSClientError):
    """ABORTED: a concurrency conflict; retrying the whole operation may succeed."""


class OutOfRangeError(AgentOSClientError):
    """OUT_OF_RANGE."""


class UnimplementedError(AgentOSClientError):
    """UNIMPLEMENTED: this server does not provide the RPC (yet); the message says what is missing."""


class InternalError(AgentOSClientError):
    """INTERNAL: the server failed; ``metadata["error_id"]`` points operators to its log."""


class UnavailableError(AgentOSClientError):
    """UNAVAILABLE reported by a reachable server about something behind it (model provider, database)."""


class DataLossError(AgentOSClientError):
    """DATA_LOSS."""


class UnauthenticatedError(AgentOSClientError):
    """UNAUTHENTICATED: no token, a malformed, invalid or expired one, or the wrong audience."""


class RemoteServerUnavailableError(UnavailableError):
    """The AgentOS at ``base_url`` could not be reached, or is shutting down (see the module doc)."""

    def __init__(
        self,
        message: str,
        base_url: str | None = None,
        *,
        code: grpc.StatusCode | None = None,
        reason: str = "",
        metadata: Mapping[str, str] | None = None,
        details: Sequence[Any] = (),
    ) -> None:
        super().__init__(
            message, code=code, reason=reason, metadata=metadata, details=details, base_url=base_url
        )


class RemoteStreamError(AgentOSClientError):
    """A run stream ended without the terminal event every stream must end with (a broken stream)."""


_CLASS_BY_CODE_NAME: dict[str, type[AgentOSClientError]] = {
    "CANCELLED": RequestCancelledError,
    "UNKNOWN": UnknownError,
    "INVALID_ARGUMENT": InvalidArgumentError,
    "DEADLINE_EXCEEDED": DeadlineExceededError,
    "NOT_FOUND": NotFoundError,
    "ALREADY_EXISTS": AlreadyExistsError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "RESOURCE_EXHAUSTED": ResourceExhaustedError,
    "FAILED_PRECONDITION": FailedPreconditionError,
    "ABORTED": AbortedError,
    "OUT_OF_RANGE": OutOfRangeError,
    "UNIMPLEMENTED": UnimplementedError,
    "INTERNAL": InternalError,
    "UNAVAILABLE": UnavailableError,
    "DATA_LOSS": DataLossError,
    "UNAUTHENTICATED": UnauthenticatedError,
}
_CODE_NAME_BY_CLASS = {cls: name for name, cls in _CLASS_BY_CODE_NAME.items()}
_CODE_NAME_BY_CLASS[RemoteServerUnavailableError] = "UNAVAILABLE"
_CODE_NAME_BY_CLASS[RemoteStreamError] = "UNAVAILABLE"

# UNAVAILABLE reasons that mean "this server (or the one it federates) cannot serve you now".
_SERVER_GONE_REASONS = frozenset({"SERVER_SHUTTING_DOWN", "REMOTE_SERVER_UNAVAILABLE"})


def _default_code(cls: type[AgentOSClientError]) -> grpc.StatusCode:
    import grpc

    for klass in cls.__mro__:
        name = _CODE_NAME_BY_CLASS.get(klass)
        if name is not None:
            return grpc.StatusCode[name]
    return grpc.StatusCode.UNKNOWN


def error_class_for(code: grpc.StatusCode) -> type[AgentOSClientError]:
    """The error class of a status code (``AgentOSClientError`` for OK or codes not listed)."""
    return _CLASS_BY_CODE_NAME.get(code.name, AgentOSClientError)


def error_from_status(
    code: grpc.StatusCode,
    message: str,
    trailing_metadata: Sequence[tuple[str, str | bytes]] | None,
    *,
    base_url: str | None,
    connected: bool = True,
) -> AgentOSClientError:
    """The typed error for a failed call: its code, message and ``grpc-status-details-bin``.

    ``connected`` is False when the channel never reached READY: a deadline then means the server
    could not be reached, which is reported as RemoteServerUnavailableError.
    """
    details, info, violations, resource = _parse_details(trailing_metadata)
    reason = info.reason if info is not None else ""
    metadata = dict(info.metadata) if info is not None else {}
    name = code.name
    if name == "UNAVAILABLE" and (info is None or reason in _SERVER_GONE_REASONS):
        text = message or "the server is unavailable"
        return RemoteServerUnavailableError(
            f"{text} (AgentOS at {base_url})" if base_url and base_url not in text else text,
            base_url,
            code=code,
            reason=reason,
            metadata=metadata,
            details=details,
        )
    if name == "DEADLINE_EXCEEDED" and not connected:
        return RemoteServerUnavailableError(
            f"could not connect to the AgentOS at {base_url} before the deadline",
            base_url,
            code=code,
            details=details,
        )
    cls = error_class_for(code)
    return cls(
        message or name,
        code=code,
        reason=reason,
        metadata=metadata,
        field_violations=violations,
        resource=resource,
        details=details,
        base_url=base_url,
    )


def _parse_details(
    trailing_metadata: Sequence[tuple[str, str | bytes]] | None,
) -> tuple[list[Any], Any, list[FieldViolation], ResourceInfo | None]:
    raw = None
    for key, value in trailing_metadata or ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            raw = value
            break
    if raw is None:
        return [], None, [], None
    from google.rpc import error_details_pb2, status_pb2  # type: ignore[import-untyped, unused-ignore]

    status = status_pb2.Status()
    try:
        status.ParseFromString(raw)
    except Exception:  # a malformed detail must not hide the error itself
        return [], None, [], None
    details: list[Any] = []
    info = None
    violations: list[FieldViolation] = []
    resource: ResourceInfo | None = None
    known = (
        error_details_pb2.ErrorInfo,
        error_details_pb2.BadRequest,
        error_details_pb2.ResourceInfo,
        error_details_pb2.RetryInfo,
        error_details_pb2.DebugInfo,
        error_details_pb2.QuotaFailure,
        error_details_pb2.PreconditionFailure,
        error_details_pb2.RequestInfo,
        error_details_pb2.Help,
        error_details_pb2.LocalizedMessage,
    )
    for packed in status.details:
        for cls in known:
            if packed.Is(cls.DESCRIPTOR):
                message = cls()
                packed.Unpack(message)
                details.append(message)
                if isinstance(message, error_details_pb2.ErrorInfo) and info is None:
                    info = message
                elif isinstance(message, error_details_pb2.BadRequest):
                    violations.extend(
                        FieldViolation(v.field, v.description) for v in message.field_violations
                    )
                elif isinstance(message, error_details_pb2.ResourceInfo) and resource is None:
                    resource = ResourceInfo(
                        message.resource_type, message.resource_name, message.owner, message.description
                    )
                break
        else:
            details.append(packed)
    return details, info, violations, resource
