"""Opaque keyset page tokens.

A token records the sort key and id of the last item served, so the next page starts right
after it even when rows are inserted or deleted between calls (offsets would skip or repeat
rows). It also records which ordering it belongs to: a token used with another ordering is
rejected rather than silently returning the wrong page.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PageCursor:
    order_by: str
    descending: bool
    key: Any
    row_id: str


def encode_page_token(cursor: PageCursor) -> str:
    payload = json.dumps([cursor.order_by, cursor.descending, cursor.key, cursor.row_id])
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_page_token(token: str, *, order_by: str, descending: bool) -> PageCursor:
    """Parse a token; ``ValueError`` when it is malformed or belongs to another ordering."""
    try:
        padded = token + "=" * (-len(token) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError("invalid page_token") from None
    if not (isinstance(raw, list) and len(raw) == 4 and isinstance(raw[3], str)):
        raise ValueError("invalid page_token")
    cursor = PageCursor(order_by=raw[0], descending=raw[1], key=raw[2], row_id=raw[3])
    if cursor.order_by != order_by or cursor.descending != descending:
        raise ValueError("page_token was issued for a different ordering")
    if not isinstance(cursor.key, int | str) or isinstance(cursor.key, bool):
        raise ValueError("invalid page_token")
    return cursor
