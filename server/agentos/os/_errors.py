"""How the runtime reports failures: canonical gRPC codes with ``google.rpc.Status`` details.

Every service method is wrapped by :func:`rpc_method`. Inside, code raises :class:`RpcError`
(built with the helpers below) or lets domain exceptions escape; the wrapper turns both into one
status with an ``ErrorInfo`` (reason = ``ErrorReason`` name without its prefix, domain
``agentos.dev``, as common.proto documents), plus ``BadRequest`` field violations for invalid
input and ``ResourceInfo`` for unknown ids. Clients can therefore branch on a stable reason
instead of parsing messages, and no exception ever reaches gRPC's default handler, which would
answer UNKNOWN with the exception text.

Mapping of domain exceptions (one table, so that every service agrees):

* ``ModelNotConfiguredError`` → FAILED_PRECONDITION (the message says what to set);
* ``ModelRateLimitError`` → RESOURCE_EXHAUSTED; other ``ModelProviderError`` → UNAVAILABLE when
  retrying may help (timeouts, 5xx, connection errors), INTERNAL when it will not (a 4xx);
* ``StorageUnavailableError`` → UNAVAILABLE;
* ``InputCheckError`` (an input guardrail) → INVALID_ARGUMENT / ``INPUT_REJECTED``;
  ``OutputCheckError`` (an output guardrail) → FAILED_PRECONDITION / ``OUTPUT_REJECTED``: the
  request was valid, the answer produced for it was refused (the same table as
  ``agentos.wire``'s run errors); ErrorInfo metadata ``check_trigger`` says which check;
* ``OwnershipError`` → NOT_FOUND: a caller must not learn that another user's session or
  memory exists, so "yours does not exist" and "it is someone else's" look the same;
* ``ValueError`` → INVALID_ARGUMENT (validation code raises it with a message written for the
  caller; a ``field`` attribute, when present, becomes a field violation);
* anything else → INTERNAL with a short message and an error id that is also logged with the
  traceback, so operators can find the cause and clients never see server internals.
"""

from __future__ import annotations

import functools
import inspect
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeVar, cast, runtime_checkable

import grpc
from agentos.db import CorruptRecordError, OwnershipError, StorageError, StorageUnavailableError
from agentos.exceptions import (
    InputCheckError,
    ModelNotConfiguredError,
    ModelProviderError,
    ModelRateLimitError,
    ModelTimeoutError,
    OutputCheckError,
)
from agentos.v1 import common_pb2
from google.rpc import error_details_pb2, status_pb2  # type: ignore[import-untyped, unused-ignore]
from grpc_status import rpc_status

logger = logging.getLogger("agentos.os")

ERROR_DOMAIN = "agentos.dev"
_REASON_PREFIX = "ERROR_REASON_"

Reason = common_pb2.ErrorReason


def reason_name(reason: int) -> str:
    """``ERROR_REASON_RUN_NOT_FOUND`` → ``"RUN_NOT_FOUND"`` (the string sent in ErrorInfo)."""
    return common_pb2.ErrorReason.Name(cast(Any, reason)).removeprefix(_REASON_PREFIX)


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """One invalid request field, named by its path in the request (e.g. ``session.agent_id``)."""

    field: str
    description: str


@dataclass(frozen=True, slots=True)
class Resource:
    """The resource a NOT_FOUND (or ALREADY_EXISTS) error is about."""

    resource_type: str
    resource_name: str
    owner: str = ""
    description: str = ""


@dataclass(slots=True)
class RpcError(Exception):
    """A failure to report to the caller as it is: code, reason, message and details."""

    code: grpc.StatusCode
    reason: int
    message: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    violations: Sequence[FieldViolation] = ()
    resource: Resource | None = None

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message)

    def __str__(self) -> str:
        return self.message

    def to_status(self) -> grpc.Status:
        """The ``grpc.Status`` (code, message and ``grpc-status-details-bin``) to abort with."""
        status = status_pb2.Status(code=self.code.value[0], message=self.message)
        info = error_details_pb2.ErrorInfo(
            reason=reason_name(self.reason), domain=ERROR_DOMAIN, metadata=dict(self.metadata)
        )
        status.details.add().Pack(info)
        if self.violations:
            bad_request = error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
                    for v in self.violations
                ]
            )
            status.details.add().Pack(bad_request)
        if self.resource is not None:
            r = self.resource
            status.details.add().Pack(
                error_details_pb2.ResourceInfo(
                    resource_type=r.resource_type,
                    resource_name=r.resource_name,
                    owner=r.owner,
                    description=r.description,
                )
            )
        return rpc_status.to_status(status)


# -- constructors ------------------------------------------------------------------------------


def invalid_argument(
    field_path: str, description: str, *, reason: int = Reason.ERROR_REASON_INVALID_INPUT
) -> RpcError:
    """INVALID_ARGUMENT naming one field; the message repeats it so logs are self-explanatory."""
    return RpcError(
        grpc.StatusCode.INVALID_ARGUMENT,
        reason,
        f"{field_path}: {description}",
        metadata={"field": field_path},
        violations=(FieldViolation(field_path, description),),
    )


def invalid_arguments(violations: Sequence[FieldViolation]) -> RpcError:
    """INVALID_ARGUMENT for several bad fields at once (the caller fixes them in one go)."""
    if not violations:
        raise ValueError("invalid_arguments needs at least one violation")
    message = "; ".join(f"{v.field}: {v.description}" for v in violations)
    return RpcError(
        grpc.StatusCode.INVALID_ARGUMENT,
        Reason.ERROR_REASON_INVALID_INPUT,
        message,
        metadata={"field": violations[0].field},
        violations=tuple(violations),
    )


def not_found(resource_type: str, resource_id: str, *, reason: int, id_field: str | None = None) -> RpcError:
    """NOT_FOUND with a ResourceInfo; ErrorInfo metadata carries the id under ``id_field``."""
    key = id_field or f"{resource_type}_id"
    return RpcError(
        grpc.StatusCode.NOT_FOUND,
        reason,
        f"{resource_type} {resource_id!r} not found",
        metadata={key: resource_id},
        resource=Resource(resource_type=f"agentos.v1.{_camel(resource_type)}", resource_name=resource_id),
    )


def already_exists(
    resource_type: str, resource_id: str, *, reason: int, id_field: str | None = None
) -> RpcError:
    key = id_field or f"{resource_type}_id"
    return RpcError(
        grpc.StatusCode.ALREADY_EXISTS,
        reason,
        f"{resource_type} {resource_id!r} already exists",
        metadata={key: resource_id},
        resource=Resource(resource_type=f"agentos.v1.{_camel(resource_type)}", resource_name=resource_id),
    )


def failed_precondition(reason: int, message: str, **metadata: str) -> RpcError:
    return RpcError(grpc.StatusCode.FAILED_PRECONDITION, reason, message, metadata=metadata)


def unavailable(reason: int, message: str, **metadata: str) -> RpcError:
    return RpcError(grpc.StatusCode.UNAVAILABLE, reason, message, metadata=metadata)


def unimplemented(method: str, missing: str) -> RpcError:
    """UNIMPLEMENTED for an RPC of the contract this server does not serve yet.

    ``method`` is ``Service.Method``; ``missing`` names what is missing, so callers (and the
    people reading their logs) know it is a gap of this server, not a bad request.
    """
    return RpcError(
        grpc.StatusCode.UNIMPLEMENTED,
        Reason.ERROR_REASON_UNSPECIFIED,
        f"{method}: {missing}",
        metadata={"method": method},
    )


def internal(message: str = "internal error", **metadata: str) -> RpcError:
    return RpcError(grpc.StatusCode.INTERNAL, Reason.ERROR_REASON_INTERNAL, message, metadata=metadata)


def _camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


# -- mapping of exceptions -----------------------------------------------------------------------

_OWNERSHIP_RESOURCES: dict[str, tuple[str, int]] = {
    "sessions": ("session", Reason.ERROR_REASON_SESSION_NOT_FOUND),
    "memories": ("memory", Reason.ERROR_REASON_MEMORY_NOT_FOUND),
    "runs": ("run", Reason.ERROR_REASON_RUN_NOT_FOUND),
}


def _ownership_not_found(exc: OwnershipError) -> RpcError:
    for table_suffix, (resource_type, reason) in _OWNERSHIP_RESOURCES.items():
        if exc.table.endswith(table_suffix):
            return not_found(resource_type, exc.row_id, reason=reason)
    return RpcError(grpc.StatusCode.NOT_FOUND, Reason.ERROR_REASON_INVALID_INPUT, f"{exc.row_id!r} not found")


def _model_error(exc: ModelProviderError) -> RpcError:
    meta = {k: str(v) for k, v in (("model_id", exc.model_id), ("status_code", exc.status_code)) if v}
    if isinstance(exc, ModelNotConfiguredError):
        return RpcError(
            grpc.StatusCode.FAILED_PRECONDITION, Reason.ERROR_REASON_MODEL_NOT_CONFIGURED, exc.message, meta
        )
    if isinstance(exc, ModelRateLimitError):
        if exc.retry_after is not None:
            meta["retry_after_seconds"] = f"{exc.retry_after:g}"
        return RpcError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            Reason.ERROR_REASON_MODEL_PROVIDER_RATE_LIMITED,
            f"model provider rate limit: {exc.message}",
            meta,
        )
    status = exc.status_code
    if (
        isinstance(exc, ModelTimeoutError)
        or exc.retryable
        or status is None
        or status >= 500
        or status == 408
    ):
        return RpcError(
            grpc.StatusCode.UNAVAILABLE,
            Reason.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE,
            f"model provider unavailable: {exc.message}",
            meta,
        )
    return RpcError(
        grpc.StatusCode.INTERNAL,
        Reason.ERROR_REASON_MODEL_PROVIDER_ERROR,
        f"model provider error: {exc.message}",
        meta,
    )


def to_rpc_error(exc: BaseException, *, method: str = "") -> RpcError:
    """The RpcError an exception escaping a service method is reported as (see module doc)."""
    if isinstance(exc, RpcError):
        return exc
    if isinstance(exc, ModelProviderError):
        return _model_error(exc)
    if isinstance(exc, InputCheckError):
        return RpcError(
            grpc.StatusCode.INVALID_ARGUMENT,
            Reason.ERROR_REASON_INPUT_REJECTED,
            exc.message,
            metadata={"check_trigger": str(exc.check_trigger)},
        )
    if isinstance(exc, OutputCheckError):
        return failed_precondition(
            Reason.ERROR_REASON_OUTPUT_REJECTED, exc.message, check_trigger=str(exc.check_trigger)
        )
    if isinstance(exc, StorageUnavailableError):
        return unavailable(
            Reason.ERROR_REASON_DATABASE_UNAVAILABLE, "the database is unavailable; retry later"
        )
    if isinstance(exc, OwnershipError):
        return _ownership_not_found(exc)
    if isinstance(exc, ValueError):
        violations = getattr(exc, "violations", None)
        if isinstance(violations, list | tuple) and violations:
            # e.g. agentos.wire.WireValidationError: (field, description) pairs.
            return invalid_arguments([FieldViolation(str(v[0]), str(v[1])) for v in violations])
        field_path = getattr(exc, "field", None)
        text = str(exc) or "invalid request"
        if isinstance(field_path, str) and field_path:
            return invalid_argument(field_path, text)
        return RpcError(grpc.StatusCode.INVALID_ARGUMENT, Reason.ERROR_REASON_INVALID_INPUT, text)
    error_id = uuid.uuid4().hex[:12]
    if isinstance(exc, CorruptRecordError):
        logger.error("%s: corrupt stored record (error_id=%s): %s", method or "rpc", error_id, exc)
        return internal(f"a stored record could not be read (error_id={error_id})", error_id=error_id)
    kind = "storage error" if isinstance(exc, StorageError) else "unexpected error"
    logger.error("%s: %s (error_id=%s)", method or "rpc", kind, error_id, exc_info=exc)
    return internal(f"internal error (error_id={error_id})", error_id=error_id)


async def abort(context: grpc.aio.ServicerContext[Any, Any], error: RpcError | StatusError) -> NoReturn:
    """End the RPC with ``error`` (same as ``context.abort_with_status(error.to_status())``)."""
    status = error.to_status()
    await context.abort(status.code, status.details, status.trailing_metadata)


@runtime_checkable
class StatusError(Protocol):
    """An exception that already knows its status (``RpcError``, the auth package's ``AuthError``)."""

    def to_status(self) -> grpc.Status: ...


# -- the wrapper ---------------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def rpc_method(func: F) -> F:
    """Wrap a servicer method (coroutine or async generator) so every failure becomes a status.

    gRPC's own abort (``context.abort``) and cancellation pass through untouched; exceptions
    that carry their own status (:class:`StatusError`, e.g. the auth package's errors) are
    sent as they are; everything else goes through :func:`to_rpc_error`.
    """
    method = func.__qualname__

    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def stream_wrapper(
            self: Any, request: Any, context: grpc.aio.ServicerContext[Any, Any]
        ) -> AsyncIterator[Any]:
            try:
                async for item in func(self, request, context):
                    yield item
            except grpc.aio.AbortError:
                raise
            except Exception as exc:
                await abort(context, _mapped(exc, method))

        return cast(F, stream_wrapper)

    @functools.wraps(func)
    async def unary_wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        try:
            return await cast(Callable[..., Awaitable[Any]], func)(self, request, context)
        except grpc.aio.AbortError:
            raise
        except Exception as exc:
            await abort(context, _mapped(exc, method))

    return cast(F, unary_wrapper)


def _mapped(exc: Exception, method: str) -> RpcError | StatusError:
    if isinstance(exc, StatusError):
        return exc
    return to_rpc_error(exc, method=method)
