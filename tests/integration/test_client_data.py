"""AgentOSClient against a real server: sessions, memories (async and sync), and the services the
server does not implement yet (knowledge, traces, metrics, evals answer UNIMPLEMENTED)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.client import (
    AgentOSClient,
    AlreadyExistsError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    UnimplementedError,
)
from agentos.db import InMemoryDb
from agentos.media import File
from agentos.memory import UserMemory
from agentos.models.scripted import EchoModel
from agentos.os import AgentOS
from agentos.session import AgentSession, SessionType
from agentos_server import OSHarness, ThreadedOS, serve_os_in_thread


def make_os(db: Any = None) -> AgentOS:
    agent = Agent(id="helper", name="Helper", model=EchoModel())
    return AgentOS(id="data-os", agents=[agent], db=db if db is not None else InMemoryDb())


@pytest.fixture
async def served(start_os: Any) -> OSHarness:
    harness: OSHarness = await start_os(make_os())
    return harness


@pytest.fixture
async def client(served: OSHarness) -> AsyncIterator[AgentOSClient]:
    async with AgentOSClient(served.address, timeout=10) as c:
        yield c


@pytest.fixture
def threaded() -> Iterator[ThreadedOS]:
    with serve_os_in_thread(make_os()) as server:
        yield server


# Sessions --------------------------------------------------------------------------------------


async def test_session_lifecycle(client: AgentOSClient) -> None:
    created = await client.create_session(
        agent_id="helper",
        session_id="s-1",
        user_id="u1",
        session_name="First chat",
        session_state={"cart": ["apple"]},
        metadata={"source": "test"},
    )
    assert isinstance(created, AgentSession)
    assert created.session_id == "s-1"
    assert created.session_type == SessionType.AGENT
    assert created.user_id == "u1"
    assert created.session_data is not None and created.session_data["session_name"] == "First chat"

    fetched = await client.get_session("s-1")
    assert fetched.session_id == "s-1" and fetched.user_id == "u1"
    assert fetched.session_data is not None
    assert fetched.session_data["session_state"] == {"cart": ["apple"]}

    renamed = await client.rename_session("s-1", "Renamed chat")
    assert renamed.session_data is not None and renamed.session_data["session_name"] == "Renamed chat"

    updated = await client.update_session("s-1", session_state={"cart": []}, metadata={"v": 2})
    assert updated.session_data is not None and updated.session_data["session_state"] == {"cart": []}
    assert updated.metadata == {"v": 2}

    with pytest.raises(NotFoundError) as excinfo:
        await client.get_session("s-1", session_type="team")
    assert excinfo.value.reason == "SESSION_NOT_FOUND"

    await client.delete_session("s-1")
    with pytest.raises(NotFoundError) as missing:
        await client.get_session("s-1")
    assert missing.value.reason == "SESSION_NOT_FOUND"
    await client.delete_session("s-1", allow_missing=True)


async def test_session_listing_pages_and_filters(client: AgentOSClient) -> None:
    for index in range(5):
        await client.create_session(agent_id="helper", session_id=f"p-{index}", user_id="pager")
    await client.create_session(agent_id="helper", session_id="other", user_id="someone-else")

    first = await client.get_sessions(user_id="pager", limit=2)
    assert [s.session_id for s in first.data] and len(first.data) == 2
    assert first.total_size == 5 and first.has_next_page and first.total_pages == 3
    assert all(s.user_id == "pager" for s in first)

    third = await client.get_sessions(user_id="pager", limit=2, page=3)
    assert len(third.data) == 1 and not third.has_next_page
    by_token = await client.get_sessions(user_id="pager", limit=2, page_token=first.next_page_token)
    second = await client.get_sessions(user_id="pager", limit=2, page=2)
    assert [s.session_id for s in by_token.data] == [s.session_id for s in second.data]
    seen = {s.session_id for page in (first, second, third) for s in page.data}
    assert seen == {f"p-{i}" for i in range(5)}

    beyond = await client.get_sessions(user_id="pager", limit=2, page=9)
    assert beyond.data == [] and not beyond.has_next_page

    assert (await client.get_sessions(session_type=SessionType.AGENT, limit=100)).total_size == 6
    assert await client.delete_sessions(["p-0", "p-1", "nope"]) == 2


async def test_session_errors_are_typed(client: AgentOSClient) -> None:
    await client.create_session(agent_id="helper", session_id="dup")
    with pytest.raises(AlreadyExistsError) as exists:
        await client.create_session(agent_id="helper", session_id="dup")
    assert exists.value.reason == "ALREADY_EXISTS"
    assert exists.value.resource is not None and exists.value.resource.resource_name == "dup"

    with pytest.raises(NotFoundError) as unknown_agent:
        await client.create_session(agent_id="nobody")
    assert unknown_agent.value.reason == "AGENT_NOT_FOUND"
    assert unknown_agent.value.metadata == {"agent_id": "nobody"}

    with pytest.raises(InvalidArgumentError) as bad_order:
        await client.get_sessions(order_by="colour")
    assert bad_order.value.field_violations
    assert bad_order.value.field_violations[0].field == "order_by"

    with pytest.raises(ValueError, match="session_name, session_state or metadata"):
        await client.update_session("dup")
    with pytest.raises(NotImplementedError, match="database selector"):
        await client.get_sessions(db_id="other-db")


# Memories --------------------------------------------------------------------------------------


async def test_memory_lifecycle(client: AgentOSClient) -> None:
    created = await client.create_memory(
        "User prefers dark mode", user_id="u1", topics=["preferences", "ui"], input="I like dark mode"
    )
    assert isinstance(created, UserMemory)
    assert created.memory_id and created.user_id == "u1"
    assert created.topics == ["preferences", "ui"]

    fetched = await client.get_memory(created.memory_id, user_id="u1")
    assert fetched.memory == "User prefers dark mode" and fetched.input == "I like dark mode"
    with pytest.raises(NotFoundError):
        await client.get_memory(created.memory_id, user_id="u2")

    updated = await client.update_memory(
        created.memory_id, "User strongly prefers dark mode", user_id="u1", topics=["preferences"]
    )
    assert updated.memory == "User strongly prefers dark mode" and updated.topics == ["preferences"]
    only_topics = await client.update_memory(created.memory_id, topics=["ui"])
    assert only_topics.memory == "User strongly prefers dark mode" and only_topics.topics == ["ui"]

    await client.create_memory("Lives in Lisbon", user_id="u1", topics=["location"])
    await client.create_memory("Likes tea", user_id="u2", topics=["food"])
    page = await client.list_memories(user_id="u1")
    assert {m.memory for m in page.data} == {"User strongly prefers dark mode", "Lives in Lisbon"}
    assert page.total_size == 2 and page.limit == 20 and page.page == 1
    by_topic = await client.list_memories(user_id="u1", topics=["location"])
    assert [m.memory for m in by_topic.data] == ["Lives in Lisbon"]
    searched = await client.list_memories(search_content="tea")
    assert [m.memory for m in searched.data] == ["Likes tea"]
    paged = await client.list_memories(limit=1, page=2)
    assert len(paged.data) == 1 and paged.total_size == 3

    assert sorted(await client.get_memory_topics(user_id="u1")) == ["location", "ui"]
    stats = await client.get_user_memory_stats()
    assert {s["user_id"]: s["total_memories"] for s in stats.data} == {"u1": 2, "u2": 1}

    await client.delete_memory(created.memory_id, user_id="u1")
    with pytest.raises(NotFoundError) as gone:
        await client.get_memory(created.memory_id)
    assert gone.value.reason == "MEMORY_NOT_FOUND"
    await client.delete_memory(created.memory_id, allow_missing=True)
    remaining = await client.list_memories(limit=100)
    assert await client.delete_memories([m.memory_id or "" for m in remaining.data]) == 2


async def test_memory_validation_reports_the_field(client: AgentOSClient) -> None:
    with pytest.raises(InvalidArgumentError) as excinfo:
        await client.create_memory("   ", user_id="u1")
    error = excinfo.value
    assert error.reason == "INVALID_INPUT"
    assert [v.field for v in error.field_violations] == ["memory.memory"]
    assert "memory.memory" in str(error)
    with pytest.raises(ValueError, match="memory, topics or input"):
        await client.update_memory("m-1")


async def test_data_calls_without_a_database_are_failed_precondition(start_os: Any) -> None:
    agent_os = AgentOS(id="no-db", agents=[Agent(id="a", model=EchoModel())])
    harness: OSHarness = await start_os(agent_os)
    async with AgentOSClient(harness.address) as client:
        with pytest.raises(FailedPreconditionError) as excinfo:
            await client.list_memories()
        assert excinfo.value.reason == "DATABASE_NOT_CONFIGURED"
        with pytest.raises(FailedPreconditionError):
            await client.get_sessions()


# Sync twins ------------------------------------------------------------------------------------


def test_sync_sessions_and_memories(threaded: ThreadedOS) -> None:
    with AgentOSClient(threaded.address, timeout=10) as client:
        sync = client.sync
        session = sync.create_session(agent_id="helper", session_id="sync-1", user_id="u9")
        assert session.session_id == "sync-1"
        assert sync.get_session("sync-1").user_id == "u9"
        renamed = sync.rename_session("sync-1", "named")
        assert renamed.session_data is not None and renamed.session_data["session_name"] == "named"
        assert [s.session_id for s in sync.get_sessions(user_id="u9").data] == ["sync-1"]
        memory = sync.create_memory("Sync memory", user_id="u9", topics=["t"])
        assert sync.get_memory(memory.memory_id or "").memory == "Sync memory"
        assert sync.update_memory(memory.memory_id or "", "Changed").memory == "Changed"
        assert [m.memory for m in sync.list_memories(user_id="u9").data] == ["Changed"]
        assert sync.get_memory_topics() == ["t"]
        sync.delete_memory(memory.memory_id or "")
        sync.delete_session("sync-1")
        with pytest.raises(NotFoundError):
            sync.get_session("sync-1")


async def test_sync_twin_refuses_to_block_a_running_loop(client: AgentOSClient) -> None:
    with pytest.raises(RuntimeError, match="running event loop"):
        client.sync.get_sessions()
    with pytest.raises(RuntimeError, match="running event loop"):
        client.get_config()


# Services the server does not implement yet ---------------------------------------------------


async def test_unimplemented_services_raise_typed_errors_with_the_servers_message(
    client: AgentOSClient,
) -> None:
    calls = [
        ("KnowledgeService", client.upload_knowledge_content(name="doc", text_content="hello")),
        ("KnowledgeService", client.search_knowledge("what", max_results=3, search_type="hybrid")),
        ("KnowledgeService", client.list_knowledge_content()),
        ("KnowledgeService", client.get_knowledge_content("c-1")),
        ("KnowledgeService", client.delete_knowledge_content("c-1")),
        ("KnowledgeService", client.get_knowledge_config()),
        ("TraceService", client.get_traces(agent_id="helper")),
        ("TraceService", client.get_trace("t-1")),
        ("MetricsService", client.get_metrics("2024-01-01", "2024-01-31")),
        ("MetricsService", client.refresh_metrics()),
        (
            "EvalService",
            client.create_eval_run("accuracy", agent_id="helper", input="2+2", expected_output="4"),
        ),
        ("EvalService", client.get_eval_run("e-1")),
        ("EvalService", client.list_eval_runs()),
        ("EvalService", client.update_eval_run("e-1", "renamed")),
        ("EvalService", client.delete_eval_runs(["e-1"])),
    ]
    for service, call in calls:
        with pytest.raises(UnimplementedError) as excinfo:
            await call
        error = excinfo.value
        assert error.message.startswith(f"{service}.")
        assert "not part of this server yet" in error.message
        assert error.metadata["method"].startswith(f"{service}.")
        assert error.base_url == client.base_url


def test_unimplemented_from_sync_twins(threaded: ThreadedOS) -> None:
    client = AgentOSClient(threaded.address)
    try:
        with pytest.raises(UnimplementedError, match=r"KnowledgeService\.SearchKnowledge"):
            client.sync.search_knowledge("x")
        with pytest.raises(UnimplementedError, match=r"MetricsService\.GetMetrics"):
            client.sync.get_metrics()
    finally:
        client.close()


async def test_large_files_are_streamed_with_upload_content(client: AgentOSClient, tmp_path: Path) -> None:
    big = File(content=b"x" * (5 * 1024 * 1024), filename="big.txt", mime_type="text/plain")
    with pytest.raises(UnimplementedError) as streamed:
        await client.upload_knowledge_content(name="big", file=big, metadata={"k": "v"}, chunker="fixed")
    assert streamed.value.metadata["method"] == "KnowledgeService.UploadContent"
    small = tmp_path / "small.txt"
    small.write_text("hello")
    with pytest.raises(UnimplementedError) as unary:
        await client.upload_knowledge_content(file=File(filepath=str(small), filename="small.txt"))
    assert unary.value.metadata["method"] == "KnowledgeService.CreateContent"


async def test_knowledge_upload_argument_checks(client: AgentOSClient) -> None:
    with pytest.raises(ValueError, match="exactly one of url, file or text_content"):
        await client.upload_knowledge_content(name="doc")
    with pytest.raises(ValueError, match="exactly one"):
        await client.upload_knowledge_content(url="https://example.com/a", text_content="b")
