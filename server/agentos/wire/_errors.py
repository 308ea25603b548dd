"""Run errors (``RunErrorEvent``, ``RunOutput.error``) <-> ``agentos.v1.ErrorDetail``.

The domain records a failure as a message, the exception class name (``error_type``) and an
optional dict of extra data; the contract as a message, an ``ErrorReason``, a gRPC code and a
string map. The reason and code are derived from ``error_type`` with the same table the
runtime uses for RPC errors (provider outage -> UNAVAILABLE, rate limit -> RESOURCE_EXHAUSTED,
guardrail -> INVALID_ARGUMENT...). ``error_type`` itself travels in ``metadata["error_type"]``
so that it comes back exactly. The extra data travels twice: in ``details`` (a Struct, so
values keep their JSON types and come back as they were, up to JSON: tuples come back as lists)
and flattened into the other metadata entries (strings as they are, other values as JSON text)
for clients that only read the string map. Reading, ``details`` wins when present; an
ErrorDetail without it (from an older server) gives the metadata strings. A data key named
``error_type`` is overwritten by the class name in metadata only.

Guardrail refusals: an input guardrail (``InputCheckError``) is INPUT_REJECTED with
INVALID_ARGUMENT, since the caller's input is what failed; an output guardrail
(``OutputCheckError``) is OUTPUT_REJECTED with FAILED_PRECONDITION: the request was valid, but
the answer produced for it did not pass the checks (a retry may pass), so INVALID_ARGUMENT
would blame the caller wrongly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from agentos.v1 import common_pb2
from agentos.wire._values import fill_struct, from_struct, jsonable

ERROR_TYPE_KEY = "error_type"

Reason = common_pb2.ErrorReason


class Code:
    """The canonical ``google.rpc.Code`` values used here (google.rpc ships no type stubs)."""

    INVALID_ARGUMENT = 3
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    INTERNAL = 13
    UNAVAILABLE = 14


_BY_ERROR_TYPE: dict[str, tuple[Reason, int]] = {
    "InputCheckError": (common_pb2.ERROR_REASON_INPUT_REJECTED, Code.INVALID_ARGUMENT),
    "OutputCheckError": (common_pb2.ERROR_REASON_OUTPUT_REJECTED, Code.FAILED_PRECONDITION),
    "ModelNotConfiguredError": (common_pb2.ERROR_REASON_MODEL_NOT_CONFIGURED, Code.FAILED_PRECONDITION),
    "ModelRateLimitError": (common_pb2.ERROR_REASON_MODEL_PROVIDER_RATE_LIMITED, Code.RESOURCE_EXHAUSTED),
    "ModelTimeoutError": (common_pb2.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE, Code.UNAVAILABLE),
    "StructuredOutputError": (common_pb2.ERROR_REASON_OUTPUT_PARSE_FAILED, Code.INTERNAL),
    "StorageUnavailableError": (common_pb2.ERROR_REASON_DATABASE_UNAVAILABLE, Code.UNAVAILABLE),
    "RemoteServerUnavailableError": (common_pb2.ERROR_REASON_REMOTE_SERVER_UNAVAILABLE, Code.UNAVAILABLE),
}
_INTERNAL: tuple[Reason, int] = (common_pb2.ERROR_REASON_INTERNAL, Code.INTERNAL)


def error_reason_for(error_type: str | None, data: Mapping[str, Any] | None = None) -> tuple[Reason, int]:
    """The ``ErrorReason`` and gRPC code a run failure of this exception class maps to."""
    if not error_type:
        return _INTERNAL
    known = _BY_ERROR_TYPE.get(error_type)
    if known is not None:
        return known
    if error_type == "ModelProviderError":
        status = (data or {}).get("status_code")
        try:
            status_code = int(status) if status is not None else None
        except (TypeError, ValueError):
            status_code = None
        if status_code is None or status_code >= 500 or status_code == 408:
            return common_pb2.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE, Code.UNAVAILABLE
        if status_code == 429:
            return common_pb2.ERROR_REASON_MODEL_PROVIDER_RATE_LIMITED, Code.RESOURCE_EXHAUSTED
        return common_pb2.ERROR_REASON_MODEL_PROVIDER_ERROR, Code.INTERNAL
    return _INTERNAL


def fill_error_detail(
    target: common_pb2.ErrorDetail,
    message: str | None,
    error_type: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> None:
    target.SetInParent()
    if message:
        target.message = message
    target.reason, target.code = error_reason_for(error_type, data)
    metadata = target.metadata
    for key, value in (data or {}).items():
        metadata[str(key)] = value if isinstance(value, str) else json.dumps(jsonable(value))
    if data:
        target.details.SetInParent()
        fill_struct(target.details, data)
    if error_type:
        metadata[ERROR_TYPE_KEY] = error_type


def error_detail(
    message: str | None, error_type: str | None = None, data: Mapping[str, Any] | None = None
) -> common_pb2.ErrorDetail:
    out = common_pb2.ErrorDetail()
    fill_error_detail(out, message, error_type, data)
    return out


def error_parts_from_proto(
    pb: common_pb2.ErrorDetail,
) -> tuple[str | None, str | None, dict[str, Any] | None]:
    """``(message, error_type, additional_data)`` of an ErrorDetail."""
    data: dict[str, Any] = dict(pb.metadata)
    error_type = data.pop(ERROR_TYPE_KEY, None)
    if pb.HasField("details"):
        data = from_struct(pb.details)
    return pb.message or None, error_type, data or None
