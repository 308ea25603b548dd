"""Request validation shared by the services: ids, page sizes, page tokens, order_by, update masks.

Each helper raises an :class:`~agentos.os._errors.RpcError` (INVALID_ARGUMENT) that names the
offending field by its path in the request, so a client can point at the exact input to fix.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from agentos.os._errors import Reason, invalid_argument

MAX_ID_LENGTH = 256


def require_id(value: str, field_path: str) -> str:
    """A required id: non-empty, at most 256 characters, no control characters or whitespace ends."""
    if not value:
        raise invalid_argument(field_path, "is required")
    return check_id(value, field_path)


def check_id(value: str, field_path: str) -> str:
    """An optional id (``""`` allowed) that, when given, must be usable as a key."""
    if not value:
        return value
    if len(value) > MAX_ID_LENGTH:
        raise invalid_argument(field_path, f"must be at most {MAX_ID_LENGTH} characters")
    if value != value.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise invalid_argument(field_path, "must not contain control characters or surrounding whitespace")
    return value


def page_size(value: int, *, default: int, maximum: int, field_path: str = "page_size") -> int:
    """AIP-158: 0 means the default, values above the maximum are lowered to it, negatives are errors."""
    if value < 0:
        raise invalid_argument(field_path, "must not be negative")
    if value == 0:
        return default
    return min(value, maximum)


# -- page tokens for listings served from memory (the entity registry) ------------------------------


def _query_digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:16]


def encode_offset_token(offset: int, query: str) -> str:
    """An opaque token for "continue at ``offset``" that is only valid for the same ``query``.

    The query digest makes a token of one listing unusable for another (a client mixing them
    up gets INVALID_ARGUMENT, not a silently wrong page).
    """
    payload = json.dumps({"o": offset, "q": _query_digest(query)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_offset_token(token: str, query: str, *, field_path: str = "page_token") -> int:
    """The offset in ``token`` (0 for ``""``); INVALID_ARGUMENT naming ``field_path`` when it is not ours."""
    if not token:
        return 0
    try:
        raw = json.loads(base64.urlsafe_b64decode((token + "=" * (-len(token) % 4)).encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_token(field_path, "is not a page token issued by this server") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("o"), int) or raw["o"] < 0:
        raise _bad_token(field_path, "is not a page token issued by this server")
    if raw.get("q") != _query_digest(query):
        raise _bad_token(field_path, "was issued for a different query")
    offset: int = raw["o"]
    return offset


def wrap_page_token(inner: str | None, query: str) -> str:
    """A storage page token bound to ``query`` (the filters and order of the listing).

    Storage tokens encode the position and the ordering, not the filters; binding them to the
    whole query lets the server refuse a token reused with other filters, as the contract says.
    """
    if not inner:
        return ""
    payload = json.dumps({"t": inner, "q": _query_digest(query)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def unwrap_page_token(token: str, query: str, *, field_path: str = "page_token") -> str | None:
    """The storage token inside ``token`` (None for ``""``); INVALID_ARGUMENT when it is not ours."""
    if not token:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode((token + "=" * (-len(token) % 4)).encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_token(field_path, "is not a page token issued by this server") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("t"), str) or not raw["t"]:
        raise _bad_token(field_path, "is not a page token issued by this server")
    if raw.get("q") != _query_digest(query):
        raise _bad_token(field_path, "was issued for a different query")
    inner: str = raw["t"]
    return inner


def _bad_token(field_path: str, description: str) -> Exception:
    return invalid_argument(field_path, description, reason=Reason.ERROR_REASON_INVALID_PAGE_TOKEN)


def bad_page_token(description: str, field_path: str = "page_token") -> Exception:
    """INVALID_ARGUMENT (INVALID_PAGE_TOKEN) for a token the storage layer rejected."""
    return _bad_token(field_path, description)


# -- order_by --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderBy:
    field: str
    descending: bool


def parse_order_by(
    value: str, *, allowed: Collection[str], default: OrderBy, field_path: str = "order_by"
) -> OrderBy:
    """AIP-132 ``order_by`` with one field: ``"updated_at desc"``, ``"created_at"`` (ascending)."""
    text = value.strip()
    if not text:
        return default
    parts = text.split()
    if len(parts) > 2 or "," in text:
        raise invalid_argument(
            field_path,
            "expected one field and an optional direction",
            reason=Reason.ERROR_REASON_INVALID_ORDER_BY,
        )
    name = parts[0]
    if name not in allowed:
        raise invalid_argument(
            field_path,
            f"unknown field {name!r}; one of: {', '.join(sorted(allowed))}",
            reason=Reason.ERROR_REASON_INVALID_ORDER_BY,
        )
    direction = parts[1].lower() if len(parts) == 2 else "asc"
    if direction not in ("asc", "desc"):
        raise invalid_argument(
            field_path,
            f"unknown direction {parts[1]!r}; use asc or desc",
            reason=Reason.ERROR_REASON_INVALID_ORDER_BY,
        )
    return OrderBy(name, direction == "desc")


# -- update masks ----------------------------------------------------------------------------------------


def update_paths(
    paths: Sequence[str], *, allowed: Sequence[str], field_path: str = "update_mask"
) -> list[str]:
    """The fields an update replaces: the mask's paths, or every updatable field for an empty mask
    (or ``"*"``, AIP-134's full replacement).

    A path outside ``allowed`` (including output-only fields) is INVALID_ARGUMENT: silently
    ignoring it would let a client believe it changed something it did not.
    """
    if not paths or list(paths) == ["*"]:
        return list(allowed)
    out: list[str] = []
    for path in paths:
        if path not in allowed:
            raise invalid_argument(
                f"{field_path}.paths",
                f"{path!r} cannot be updated; updatable fields: {', '.join(allowed)}",
                reason=Reason.ERROR_REASON_INVALID_UPDATE_MASK,
            )
        if path not in out:
            out.append(path)
    return out
