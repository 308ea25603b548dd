"""Identifiers made by ``agentos._ids.new_id`` are valid, distinct UUID4 text."""

from __future__ import annotations

import uuid

from agentos._ids import new_id
from agentos.models import Message


def test_new_ids_are_distinct_version_4_uuids() -> None:
    ids = [new_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == text
    # The variant digit is always 8, 9, a or b, and all four occur.
    assert {text[19] for text in ids} == set("89ab")


def test_messages_get_their_own_ids() -> None:
    first, second = Message(role="user", content="a"), Message(role="user", content="a")
    assert first.id != second.id
    assert uuid.UUID(first.id).version == 4
