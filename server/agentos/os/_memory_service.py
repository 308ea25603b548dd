"""``agentos.v1.MemoryService`` over the storage layer.

Ownership works as for sessions (see ``_session_service``): calls act for :func:`acting_user`,
another user's memory is NOT_FOUND, and a non-admin's ``user_id`` is always its own. A memory
must belong to a user: creating one without (from the token or the request) is
INVALID_ARGUMENT naming ``memory.user_id``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Sequence
from typing import Any

import grpc
from agentos.db import BaseDb, Page
from agentos.memory import UserMemory
from agentos.os._caller import acting_user
from agentos.os._errors import Reason, already_exists, invalid_argument, not_found, rpc_method
from agentos.os._runtime import RuntimeState
from agentos.os._service_support import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    batch_ids,
    check_ids,
    fetch_page,
    idempotent_create,
    listing_window,
    required,
    storage_order,
)
from agentos.os._services import ServiceRegistrar
from agentos.os._validation import (
    check_id,
    decode_offset_token,
    encode_offset_token,
    page_size,
    require_id,
    update_paths,
)
from agentos.v1 import memories_pb2, memories_pb2_grpc
from agentos.wire import timestamp_from_unix, user_memory_to_proto

DEFAULT_TOPICS_PAGE_SIZE = 100
MAX_TOPICS_PAGE_SIZE = 1000
MAX_MEMORY_CHARS = 100_000
UPDATABLE = ("memory", "topics", "input")
_SCAN_CHUNK = 500


def _topics(values: Sequence[str], field_path: str) -> list[str] | None:
    topics: list[str] = []
    for index, value in enumerate(values):
        topic = value.strip()
        if not topic:
            raise invalid_argument(f"{field_path}[{index}]", "must not be empty")
        if topic not in topics:
            topics.append(topic)
    return topics or None


def _memory_text(value: str, field_path: str) -> str:
    if not value.strip():
        raise invalid_argument(field_path, "is required")
    if len(value) > MAX_MEMORY_CHARS:
        raise invalid_argument(field_path, f"must be at most {MAX_MEMORY_CHARS} characters")
    return value


class MemoryService(memories_pb2_grpc.MemoryServiceServicer):
    """User memories of the AgentOS database."""

    def __init__(self, runtime: RuntimeState) -> None:
        self._runtime = runtime

    # -- create --------------------------------------------------------------------------------

    @rpc_method
    async def CreateMemory(
        self, request: memories_pb2.CreateMemoryRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.CreateMemoryResponse:
        db = self._runtime.require_db()
        pb = required(request, "memory")
        check_ids(pb, ("memory_id", "user_id", "agent_id", "team_id"), prefix="memory.")
        user_id = acting_user(pb.user_id, for_creation=True)
        if user_id is None:
            raise invalid_argument("memory.user_id", "is required")
        memory = UserMemory(
            memory=_memory_text(pb.memory, "memory.memory"),
            memory_id=pb.memory_id or str(uuid.uuid4()),
            topics=_topics(pb.topics, "memory.topics"),
            input=pb.input or None,
            user_id=user_id,
            agent_id=pb.agent_id or None,
            team_id=pb.team_id or None,
        )
        return await idempotent_create(
            self._runtime, "CreateMemory", request, lambda: self._create(db, memory)
        )

    async def _create(self, db: BaseDb, memory: UserMemory) -> memories_pb2.CreateMemoryResponse:
        memory_id = memory.memory_id or ""
        if await db.get_user_memory(memory_id) is not None:
            raise already_exists("memory", memory_id, reason=Reason.ERROR_REASON_ALREADY_EXISTS)
        stored = await db.upsert_user_memory(memory)
        return memories_pb2.CreateMemoryResponse(memory=user_memory_to_proto(stored))

    # -- read ----------------------------------------------------------------------------------

    async def _load(self, db: BaseDb, memory_id: str) -> UserMemory:
        memory = await db.get_user_memory(memory_id, user_id=acting_user(""))
        if memory is None:
            raise not_found("memory", memory_id, reason=Reason.ERROR_REASON_MEMORY_NOT_FOUND)
        return memory

    @rpc_method
    async def GetMemory(
        self, request: memories_pb2.GetMemoryRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.GetMemoryResponse:
        db = self._runtime.require_db()
        memory = await self._load(db, require_id(request.memory_id, "memory_id"))
        return memories_pb2.GetMemoryResponse(memory=user_memory_to_proto(memory))

    @rpc_method
    async def ListMemories(
        self, request: memories_pb2.ListMemoriesRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.ListMemoriesResponse:
        db = self._runtime.require_db()
        size, order = listing_window(request)
        check_ids(request, ("user_id", "agent_id", "team_id"))
        topics = _topics(request.topics, "topics")
        user_id = acting_user(request.user_id)
        query = [
            "ListMemories",
            order.field,
            order.descending,
            user_id,
            request.agent_id,
            request.team_id,
            topics,
            request.search_content,
        ]

        def fetch(inner: str | None) -> Awaitable[Page[UserMemory]]:
            return db.get_user_memories(
                user_id=user_id,
                agent_id=request.agent_id or None,
                team_id=request.team_id or None,
                topics=topics,
                search_content=request.search_content or None,
                order_by=storage_order(order),
                descending=order.descending,
                limit=size,
                page_token=inner,
            )

        page, next_token = await fetch_page(request.page_token, query, fetch)
        return memories_pb2.ListMemoriesResponse(
            memories=[user_memory_to_proto(m) for m in page.items],
            next_page_token=next_token,
            total_size=page.total,
        )

    # -- update --------------------------------------------------------------------------------

    @rpc_method
    async def UpdateMemory(
        self, request: memories_pb2.UpdateMemoryRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.UpdateMemoryResponse:
        db = self._runtime.require_db()
        pb = required(request, "memory")
        memory_id = require_id(pb.memory_id, "memory.memory_id")
        paths = update_paths(list(request.update_mask.paths), allowed=UPDATABLE)
        new_text = _memory_text(pb.memory, "memory.memory") if "memory" in paths else None
        new_topics = _topics(pb.topics, "memory.topics") if "topics" in paths else None
        memory = await self._load(db, memory_id)
        if new_text is not None:
            memory.memory = new_text
        if "topics" in paths:
            memory.topics = new_topics
        if "input" in paths:
            memory.input = pb.input or None
        stored = await db.upsert_user_memory(memory)
        return memories_pb2.UpdateMemoryResponse(memory=user_memory_to_proto(stored))

    # -- delete --------------------------------------------------------------------------------

    @rpc_method
    async def DeleteMemory(
        self, request: memories_pb2.DeleteMemoryRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.DeleteMemoryResponse:
        db = self._runtime.require_db()
        memory_id = require_id(request.memory_id, "memory_id")
        deleted = await db.delete_user_memory(memory_id, user_id=acting_user(""))
        if not deleted and not request.allow_missing:
            raise not_found("memory", memory_id, reason=Reason.ERROR_REASON_MEMORY_NOT_FOUND)
        return memories_pb2.DeleteMemoryResponse()

    @rpc_method
    async def BatchDeleteMemories(
        self, request: memories_pb2.BatchDeleteMemoriesRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.BatchDeleteMemoriesResponse:
        db = self._runtime.require_db()
        ids = batch_ids(request.memory_ids, "memory_ids")
        check_id(request.user_id, "user_id")
        user_id = acting_user(request.user_id)
        if not ids:
            return memories_pb2.BatchDeleteMemoriesResponse(deleted_count=0)
        deleted = await db.delete_user_memories(ids, user_id=user_id)
        return memories_pb2.BatchDeleteMemoriesResponse(deleted_count=deleted)

    # -- topics and stats ----------------------------------------------------------------------

    @rpc_method
    async def ListMemoryTopics(
        self, request: memories_pb2.ListMemoryTopicsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.ListMemoryTopicsResponse:
        db = self._runtime.require_db()
        size = page_size(request.page_size, default=DEFAULT_TOPICS_PAGE_SIZE, maximum=MAX_TOPICS_PAGE_SIZE)
        check_ids(request, ("user_id", "agent_id", "team_id"))
        user_id = acting_user(request.user_id)
        query = json.dumps(["ListMemoryTopics", user_id, request.agent_id, request.team_id])
        offset = decode_offset_token(request.page_token, query)
        if request.agent_id or request.team_id:
            topics = await _scan_topics(db, user_id, request.agent_id or None, request.team_id or None)
        else:
            topics = await db.get_all_memory_topics(user_id=user_id)
        chunk = topics[offset : offset + size]
        end = offset + len(chunk)
        return memories_pb2.ListMemoryTopicsResponse(
            topics=chunk,
            next_page_token=encode_offset_token(end, query) if end < len(topics) else "",
            total_size=len(topics),
        )

    @rpc_method
    async def GetUserMemoryStats(
        self, request: memories_pb2.GetUserMemoryStatsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> memories_pb2.GetUserMemoryStatsResponse:
        db = self._runtime.require_db()
        size = page_size(request.page_size, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        check_id(request.user_id, "user_id")
        user_id = acting_user(request.user_id)
        query = json.dumps(["GetUserMemoryStats", user_id])
        offset = decode_offset_token(request.page_token, query)
        response = memories_pb2.GetUserMemoryStatsResponse()
        if user_id is not None:
            # One user: count that user's memories rather than scanning every user's stats.
            latest = await db.get_user_memories(
                user_id=user_id, order_by="updated_at", descending=True, limit=1
            )
            if latest.total and offset == 0:
                entry = response.stats.add(user_id=user_id, total_memories=latest.total)
                stamp = latest.items[0].updated_at if latest.items else None
                if stamp is not None:
                    entry.last_memory_updated_at.CopyFrom(timestamp_from_unix(stamp))
            response.total_size = 1 if latest.total else 0
            return response
        page = await db.get_user_memory_stats(limit=size, offset=offset)
        for stats in page.items:
            entry = response.stats.add(user_id=stats.user_id, total_memories=stats.total_memories)
            if stats.last_memory_updated_at is not None:
                entry.last_memory_updated_at.CopyFrom(timestamp_from_unix(stats.last_memory_updated_at))
        end = offset + len(page.items)
        response.total_size = page.total
        response.next_page_token = encode_offset_token(end, query) if end < page.total else ""
        return response


async def _scan_topics(
    db: BaseDb, user_id: str | None, agent_id: str | None, team_id: str | None
) -> list[str]:
    """Distinct topics of the memories matching the filters (storage has no such query yet)."""
    topics: set[str] = set()
    token: str | None = None
    while True:
        page = await db.get_user_memories(
            user_id=user_id, agent_id=agent_id, team_id=team_id, limit=_SCAN_CHUNK, page_token=token
        )
        for memory in page.items:
            topics.update(memory.topics or ())
        token = page.next_page_token
        if not token:
            return sorted(topics)


def register_memory_service(server: ServiceRegistrar, runtime: RuntimeState) -> None:
    memories_pb2_grpc.add_MemoryServiceServicer_to_server(MemoryService(runtime), server)  # type: ignore[no-untyped-call]
