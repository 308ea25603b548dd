"""EventLog: events held serialized, read back by sequence, filtered, stopped at the terminal event."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest
from agentos.db import InMemoryDb
from agentos.os.runs import DbEventWriter, EventLog
from agentos.os.runs._register import encoded_event
from agentos.os.runs._store import encoded_record, encoded_record_json, event_from_record
from agentos.v1 import events_pb2

RUN = "run-1"


def _event(sequence: int, case: str, *, run_id: str = RUN, text: str = "") -> events_pb2.RunEvent:
    event = events_pb2.RunEvent(run_id=run_id, sequence=sequence, event=case)
    getattr(event, case).SetInParent()
    if case == "run_content":
        event.run_content.content.string_value = text
    return event


def _log_of(*events: events_pb2.RunEvent) -> EventLog:
    log = EventLog(RUN)
    for event in events:
        log.append(event)
    return log


async def _collect(log: EventLog, after: int = 0, **options: bool) -> list[events_pb2.RunEvent]:
    return [events_pb2.RunEvent.FromString(data) async for data in log.follow_encoded(after, **options)]


def test_append_returns_the_serialized_event_and_readers_get_it_back() -> None:
    event = _event(1, "run_content", text="hello")
    log = EventLog(RUN)
    data = log.append(event)
    assert events_pb2.RunEvent.FromString(data) == event
    assert log.events == [event]
    assert log.last_event() == event
    assert (log.last_case, log.last_sequence, log.first_sequence, len(log)) == ("run_content", 1, 1, 1)


def test_an_empty_log_continues_after_its_base_sequence() -> None:
    log = EventLog(RUN, base_sequence=7)
    assert (log.last_case, log.last_event(), log.last_sequence, log.first_sequence) == (None, None, 7, 8)


async def test_follow_stops_at_this_runs_terminal_event_not_a_nested_runs() -> None:
    log = _log_of(
        _event(1, "run_started"),
        _event(2, "run_completed", run_id="member-run"),
        _event(3, "run_content", text="a"),
        _event(4, "run_completed"),
        _event(5, "run_content", text="after"),
    )
    assert [e.sequence for e in await _collect(log)] == [1, 2, 3, 4]
    assert [e.sequence for e in await _collect(log, 2)] == [3, 4]
    log.close()
    assert [e.sequence for e in await _collect(log, 3, stop_at_terminal=False)] == [4, 5]


async def test_send_writes_what_follow_would_yield() -> None:
    log = _log_of(
        _event(1, "run_started"),
        _event(2, "run_content", text="a"),
        _event(3, "run_completed"),
        _event(4, "run_content", text="next segment"),
    )
    written: list[bytes] = []

    async def write(data: bytes) -> None:
        written.append(data)

    await log.send(write)
    assert written == [data async for data in log.follow_encoded()]
    assert [events_pb2.RunEvent.FromString(d).sequence for d in written] == [1, 2, 3]
    written.clear()
    await log.send(write, 1, basic_only=True)
    assert [events_pb2.RunEvent.FromString(d).sequence for d in written] == [2, 3]


async def test_send_waits_for_live_events_until_the_terminal_one() -> None:
    log = EventLog(RUN)
    written: list[bytes] = []

    async def write(data: bytes) -> None:
        written.append(data)

    sender = asyncio.ensure_future(log.send(write))
    await asyncio.sleep(0)
    log.append(_event(1, "run_content", text="a"))
    await asyncio.sleep(0)
    assert not sender.done()
    log.append(_event(2, "run_error"))
    await sender
    assert len(written) == 2


async def test_basic_only_keeps_content_custom_and_terminal_events() -> None:
    log = _log_of(_event(1, "run_started"), _event(2, "run_content", text="a"), _event(3, "run_completed"))
    assert [e.WhichOneof("payload") for e in await _collect(log, basic_only=True)] == [
        "run_content",
        "run_completed",
    ]


async def test_live_readers_are_woken_by_appends_and_decoded_follow_matches() -> None:
    log = EventLog(RUN)
    reader = asyncio.ensure_future(_collect(log))
    decoded = asyncio.ensure_future(_async_list(log.follow()))
    await asyncio.sleep(0)
    log.append(_event(1, "run_content", text="a"))
    await asyncio.sleep(0)
    log.append(_event(2, "run_completed"))
    log.close()
    assert [e.sequence for e in await reader] == [1, 2]
    assert [e.sequence for e in await decoded] == [1, 2]


async def _async_list(items: object) -> list[events_pb2.RunEvent]:
    return [item async for item in items]  # type: ignore[attr-defined]


def test_stream_serializer_passes_bytes_through_and_serializes_messages() -> None:
    event = _event(1, "run_content", text="x")
    data = event.SerializeToString()
    assert encoded_event(data) is data
    assert encoded_event(event) == data


async def test_db_writer_stores_the_logged_bytes_and_serializes_messages_given_alone() -> None:
    db = InMemoryDb()
    writer = DbEventWriter(db)
    log = EventLog(RUN)
    first, second = _event(1, "run_content", text="a"), _event(2, "run_completed")
    writer.add(RUN, first, log.append(first))
    writer.add(RUN, second)
    await writer.close()
    stored = await db.get_run_events(RUN)
    assert [record.sequence for record in stored] == [1, 2]
    assert [event_from_record(record.event) for record in stored] == [first, second]
    assert [record.event["event"] for record in stored] == ["run_content", "run_completed"]


@pytest.mark.parametrize("name", ["RunContent", 'My "odd" \\ event', "Événement ☃", "tab\there"])
def test_a_stored_event_record_carries_its_exact_json(name: str) -> None:
    event = events_pb2.RunEvent(run_id="r", sequence=7, event=name)
    event.run_content.content.string_value = "héllo"
    data = event.SerializeToString()
    text = encoded_record_json(name, data)
    assert (
        json.loads(text)
        == encoded_record(name, data)
        == {"event": name, "pb": base64.b64encode(data).decode()}
    )
    assert event_from_record(json.loads(text)) == event
