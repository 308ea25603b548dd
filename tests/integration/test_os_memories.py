"""MemoryService over a real server and real storage (InMemoryDb and SQLite)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, InMemoryDb, SqliteDb
from agentos.memory import UserMemory
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS
from agentos.v1 import memories_pb2
from google.protobuf import field_mask_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status


def reason_of(error: grpc.aio.AioRpcError) -> tuple[str, list[str]]:
    status = rpc_status.from_call(error)
    assert status is not None
    reason, fields = "", []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields = [v.field for v in bad.field_violations]
    return reason, fields


@pytest.fixture(params=["memory", "sqlite"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> BaseDb:
    if request.param == "sqlite":
        return SqliteDb(db_file=tmp_path / "memories.db", id="sqlite-db")
    return InMemoryDb(id="memory-db")


@pytest.fixture
async def memories(start_os: Any, db: BaseDb) -> Any:
    harness = await start_os(AgentOS(agents=[Agent(id="helper", model=ScriptedModel(steps=["ok"]))], db=db))
    harness.test_db = db
    return harness


def new_memory(request_id: str = "", **fields: Any) -> memories_pb2.CreateMemoryRequest:
    return memories_pb2.CreateMemoryRequest(memory=memories_pb2.UserMemory(**fields), request_id=request_id)


async def test_create_get_update_delete(memories: Any) -> None:
    stub = memories.stubs.memories
    created = (
        await stub.CreateMemory(
            new_memory(
                memory="Likes hiking",
                topics=["hobbies", " outdoors ", "hobbies"],
                user_id="u1",
                agent_id="helper",
            )
        )
    ).memory
    assert created.memory_id and created.memory == "Likes hiking"
    assert list(created.topics) == ["hobbies", "outdoors"]  # trimmed, deduplicated
    assert (created.user_id, created.agent_id) == ("u1", "helper") and created.created_at.seconds > 0

    got = (await stub.GetMemory(memories_pb2.GetMemoryRequest(memory_id=created.memory_id))).memory
    assert got == created

    updated = (
        await stub.UpdateMemory(
            memories_pb2.UpdateMemoryRequest(
                memory=memories_pb2.UserMemory(
                    memory_id=created.memory_id, memory="Loves hiking", topics=["x"]
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["memory"]),
            )
        )
    ).memory
    assert updated.memory == "Loves hiking" and list(updated.topics) == ["hobbies", "outdoors"]
    assert updated.created_at == created.created_at and updated.user_id == "u1"

    cleared = (
        await stub.UpdateMemory(
            memories_pb2.UpdateMemoryRequest(
                memory=memories_pb2.UserMemory(memory_id=created.memory_id, memory="Loves hiking"),
            )
        )
    ).memory
    assert list(cleared.topics) == []  # empty mask: every updatable field replaced

    with pytest.raises(grpc.aio.AioRpcError) as blank:
        await stub.UpdateMemory(
            memories_pb2.UpdateMemoryRequest(
                memory=memories_pb2.UserMemory(memory_id=created.memory_id, memory="  "),
                update_mask=field_mask_pb2.FieldMask(paths=["memory"]),
            )
        )
    assert reason_of(blank.value) == ("INVALID_INPUT", ["memory.memory"])
    with pytest.raises(grpc.aio.AioRpcError) as mask:
        await stub.UpdateMemory(
            memories_pb2.UpdateMemoryRequest(
                memory=memories_pb2.UserMemory(memory_id=created.memory_id),
                update_mask=field_mask_pb2.FieldMask(paths=["user_id"]),
            )
        )
    assert reason_of(mask.value) == ("INVALID_UPDATE_MASK", ["update_mask.paths"])

    await stub.DeleteMemory(memories_pb2.DeleteMemoryRequest(memory_id=created.memory_id))
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await stub.GetMemory(memories_pb2.GetMemoryRequest(memory_id=created.memory_id))
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND and reason_of(gone.value)[0] == "MEMORY_NOT_FOUND"
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await stub.DeleteMemory(memories_pb2.DeleteMemoryRequest(memory_id=created.memory_id))
    assert again.value.code() == grpc.StatusCode.NOT_FOUND
    await stub.DeleteMemory(memories_pb2.DeleteMemoryRequest(memory_id=created.memory_id, allow_missing=True))


async def test_create_validation_and_idempotency(memories: Any) -> None:
    stub = memories.stubs.memories
    for request, fields in (
        (memories_pb2.CreateMemoryRequest(), ["memory"]),
        (new_memory(memory="no user"), ["memory.user_id"]),
        (new_memory(memory="", user_id="u1"), ["memory.memory"]),
        (new_memory(memory="x", user_id="u1", topics=["ok", ""]), ["memory.topics[1]"]),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stub.CreateMemory(request)
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert reason_of(error.value) == ("INVALID_INPUT", fields)

    request = new_memory(memory="Has a cat", user_id="u1", request_id="m-1")
    results = await asyncio.gather(*(stub.CreateMemory(request) for _ in range(5)))
    assert len({r.memory.memory_id for r in results}) == 1
    listed = await stub.ListMemories(memories_pb2.ListMemoriesRequest(user_id="u1"))
    assert listed.total_size == 1
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await stub.CreateMemory(new_memory(memory="Has a dog", user_id="u1", request_id="m-1"))
    assert reason_of(reused.value)[0] == "REQUEST_ID_REUSED"

    await stub.CreateMemory(new_memory(memory="fixed id", user_id="u1", memory_id="mem-fixed"))
    with pytest.raises(grpc.aio.AioRpcError) as taken:
        await stub.CreateMemory(new_memory(memory="again", user_id="u2", memory_id="mem-fixed"))
    assert taken.value.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_list_filters_topics_and_stats(memories: Any) -> None:
    db: BaseDb = memories.test_db
    await db.upsert_memories(
        [
            UserMemory(
                memory="Plays chess", topics=["games"], user_id="u1", agent_id="helper", memory_id="m1"
            ),
            UserMemory(memory="Plays go", topics=["games", "asia"], user_id="u1", memory_id="m2"),
            UserMemory(
                memory="Cooks pasta", topics=["food"], user_id="u2", team_id="kitchen", memory_id="m3"
            ),
            UserMemory(memory="Reads novels", topics=["books"], user_id="u1", memory_id="m4"),
        ]
    )
    stub = memories.stubs.memories
    games = await stub.ListMemories(memories_pb2.ListMemoriesRequest(topics=["games"]))
    assert sorted(m.memory_id for m in games.memories) == ["m1", "m2"]
    search = await stub.ListMemories(memories_pb2.ListMemoriesRequest(search_content="PASTA"))
    assert [m.memory_id for m in search.memories] == ["m3"]
    by_agent = await stub.ListMemories(memories_pb2.ListMemoriesRequest(agent_id="helper"))
    assert [m.memory_id for m in by_agent.memories] == ["m1"]

    seen: list[str] = []
    token = ""
    while True:
        page = await stub.ListMemories(
            memories_pb2.ListMemoriesRequest(
                user_id="u1", page_size=2, page_token=token, order_by="created_at desc"
            )
        )
        assert page.total_size == 3
        seen.extend(m.memory_id for m in page.memories)
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == ["m1", "m2", "m4"]

    topics = await stub.ListMemoryTopics(memories_pb2.ListMemoryTopicsRequest())
    assert list(topics.topics) == ["asia", "books", "food", "games"] and topics.total_size == 4
    paged = await stub.ListMemoryTopics(memories_pb2.ListMemoryTopicsRequest(page_size=3))
    rest = await stub.ListMemoryTopics(
        memories_pb2.ListMemoryTopicsRequest(page_size=3, page_token=paged.next_page_token)
    )
    assert (
        list(paged.topics) + list(rest.topics) == ["asia", "books", "food", "games"]
        and not rest.next_page_token
    )
    u1_topics = await stub.ListMemoryTopics(memories_pb2.ListMemoryTopicsRequest(user_id="u1"))
    assert list(u1_topics.topics) == ["asia", "books", "games"]
    team_topics = await stub.ListMemoryTopics(memories_pb2.ListMemoryTopicsRequest(team_id="kitchen"))
    assert list(team_topics.topics) == ["food"]

    stats = await stub.GetUserMemoryStats(memories_pb2.GetUserMemoryStatsRequest())
    assert {s.user_id: s.total_memories for s in stats.stats} == {"u1": 3, "u2": 1} and stats.total_size == 2
    assert all(s.last_memory_updated_at.seconds > 0 for s in stats.stats)
    one = await stub.GetUserMemoryStats(memories_pb2.GetUserMemoryStatsRequest(user_id="u2"))
    assert [(s.user_id, s.total_memories) for s in one.stats] == [("u2", 1)]

    deleted = await stub.BatchDeleteMemories(
        memories_pb2.BatchDeleteMemoriesRequest(memory_ids=["m1", "m3", "nope"], user_id="u1")
    )
    assert deleted.deleted_count == 1  # m3 is u2's: untouched
    remaining = await stub.ListMemories(memories_pb2.ListMemoriesRequest())
    assert sorted(m.memory_id for m in remaining.memories) == ["m2", "m3", "m4"]
