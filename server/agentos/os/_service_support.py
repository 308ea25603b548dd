"""What the Session and Memory services share: checks, idempotent creation, paged listings.

Both services are CRUD over one kind of owned record with the same conventions (AIP-style):
a required resource field, id fields checked for shape, a client-chosen ``request_id`` making
a create idempotent per caller, listings ordered by ``created_at``/``updated_at`` whose page
tokens are bound to the query that issued them, and batch deletes of at most
:data:`MAX_BATCH` ids. Keeping those conventions here makes the two services agree by
construction rather than by copy.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Literal, Protocol, TypeVar

from agentos.db import Page
from agentos.os._caller import caller_key
from agentos.os._errors import invalid_argument
from agentos.os._runtime import RuntimeState
from agentos.os._validation import (
    OrderBy,
    bad_page_token,
    check_id,
    page_size,
    parse_order_by,
    require_id,
    unwrap_page_token,
    wrap_page_token,
)
from google.protobuf.message import Message

R = TypeVar("R", bound=Message)
T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_BATCH = 1000
ORDER_FIELDS = ("created_at", "updated_at")
DEFAULT_ORDER = OrderBy("updated_at", True)


class _Listing(Protocol):
    @property
    def page_size(self) -> int: ...
    @property
    def order_by(self) -> str: ...


def required(request: Message, field: str) -> Any:
    """The message field ``field`` of ``request``; INVALID_ARGUMENT when it is not set."""
    if not request.HasField(field):
        raise invalid_argument(field, "is required")
    return getattr(request, field)


def check_ids(message: Any, names: Iterable[str], prefix: str = "") -> None:
    """Check the shape of the (optional) id fields ``names`` of ``message``."""
    for name in names:
        check_id(getattr(message, name), f"{prefix}{name}")


def batch_ids(values: Sequence[str], field_path: str) -> list[str]:
    """The ids of a batch request, each required and well formed, without repeats (in order)."""
    ids = list(values)
    if len(ids) > MAX_BATCH:
        raise invalid_argument(field_path, f"at most {MAX_BATCH} ids per call")
    for index, value in enumerate(ids):
        require_id(value, f"{field_path}[{index}]")
    return list(dict.fromkeys(ids))


async def idempotent_create(
    runtime: RuntimeState, method: str, request: Any, create: Callable[[], Awaitable[R]]
) -> R:
    """``create()``, once per (method, caller, ``request.request_id``) when a request id is given:
    a retry with the same id gets the first result (see ``_idempotency``)."""
    if not request.request_id:
        return await create()
    check_id(request.request_id, "request_id")
    key = (method, caller_key(), request.request_id)
    return await runtime.idempotency.run(key, request, create)


def listing_window(request: _Listing) -> tuple[int, OrderBy]:
    """(page size, order) of a List request ordered by ``created_at`` or ``updated_at``."""
    size = page_size(request.page_size, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    order = parse_order_by(request.order_by, allowed=ORDER_FIELDS, default=DEFAULT_ORDER)
    return size, order


def storage_order(order: OrderBy) -> Literal["created_at", "updated_at"]:
    """The storage layer's ``order_by`` for a parsed listing order."""
    return "created_at" if order.field == "created_at" else "updated_at"


async def fetch_page(
    page_token: str, query: list[Any], fetch: Callable[[str | None], Awaitable[Page[T]]]
) -> tuple[Page[T], str]:
    """One page from storage and the token of the next one, both bound to ``query``.

    ``query`` lists the method and every filter that shapes the listing; a token issued for
    another query is INVALID_ARGUMENT. ``fetch(inner_token)`` reads the page; the storage
    layer's ValueError for a token it cannot read is INVALID_ARGUMENT on ``page_token``.
    """
    bound_to = json.dumps(query)
    inner = unwrap_page_token(page_token, bound_to)
    try:
        page = await fetch(inner)
    except ValueError as exc:
        if inner is not None:
            raise bad_page_token(str(exc)) from None
        raise
    return page, wrap_page_token(page.next_page_token, bound_to)
