"""User memories: create, list, read, update and delete them; their topics and per-user stats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agentos.client._client_core import ClientCore, no_db_selector, update_mask
from agentos.client._errors import NotFoundError
from agentos.client._transport import Headers
from agentos.client._types import PaginatedResponse, as_list

if TYPE_CHECKING:
    from agentos.memory import UserMemory


class MemoryMethods(ClientCore):
    """The ``MemoryService`` calls, returning ``UserMemory`` objects."""

    async def create_memory(
        self,
        memory: str,
        user_id: str | None = None,
        topics: Sequence[str] | None = None,
        db_id: str | None = None,
        *,
        input: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        request_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        """Store a memory for a user (the token's user for non-admin callers)."""
        from agentos.v1 import memories_pb2
        from agentos.wire import user_memory_from_proto

        no_db_selector(db_id)
        request = memories_pb2.CreateMemoryRequest(
            memory=memories_pb2.UserMemory(
                memory=memory,
                topics=as_list(topics),
                input=input or "",
                user_id=user_id or "",
                agent_id=agent_id or "",
                team_id=team_id or "",
            ),
            request_id=request_id or "",
        )
        response = await self._call("memories", "CreateMemory", request, headers, auth_token)
        return user_memory_from_proto(response.memory)

    async def list_memories(
        self,
        user_id: str | None = None,
        topics: Sequence[str] | None = None,
        search_content: str | None = None,
        limit: int = 20,
        page: int = 1,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        order_by: str = "",
        page_token: str | None = None,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[UserMemory]:
        """Memories matching the filters, one page (``.data``)."""
        from agentos.v1 import memories_pb2
        from agentos.wire import user_memory_from_proto

        no_db_selector(db_id)
        request = memories_pb2.ListMemoriesRequest(
            page_size=limit,
            order_by=order_by,
            user_id=user_id or "",
            agent_id=agent_id or "",
            team_id=team_id or "",
            topics=as_list(topics),
            search_content=search_content or "",
        )

        def read(response: Any) -> Any:
            return (user_memory_from_proto(m) for m in response.memories)

        return await self._page(
            "memories", "ListMemories", request, read, page, page_token, headers, auth_token
        )

    async def get_memory(
        self,
        memory_id: str,
        user_id: str | None = None,
        *,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        """One memory. With ``user_id``, a memory of another user is NotFoundError (as the server
        answers non-admin callers)."""
        from agentos.v1 import memories_pb2
        from agentos.wire import user_memory_from_proto

        no_db_selector(db_id)
        request = memories_pb2.GetMemoryRequest(memory_id=memory_id)
        response = await self._call("memories", "GetMemory", request, headers, auth_token)
        memory = user_memory_from_proto(response.memory)
        if user_id is not None and memory.user_id != user_id:
            raise NotFoundError(
                f"memory {memory_id!r} not found for user {user_id!r}",
                reason="MEMORY_NOT_FOUND",
                metadata={"memory_id": memory_id},
                base_url=self.base_url,
            )
        return memory

    async def update_memory(
        self,
        memory_id: str,
        memory: str | None = None,
        user_id: str | None = None,
        topics: Sequence[str] | None = None,
        *,
        input: str | None = None,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        """Change a memory's text, topics and/or input (only the arguments given are changed)."""
        from agentos.v1 import memories_pb2
        from agentos.wire import user_memory_from_proto

        no_db_selector(db_id)
        mask = update_mask("update_memory", {"memory": memory, "topics": topics, "input": input})
        request = memories_pb2.UpdateMemoryRequest(
            memory=memories_pb2.UserMemory(
                memory_id=memory_id,
                memory=memory or "",
                topics=as_list(topics),
                input=input or "",
                user_id=user_id or "",
            ),
            update_mask=mask,
        )
        response = await self._call("memories", "UpdateMemory", request, headers, auth_token)
        return user_memory_from_proto(response.memory)

    async def delete_memory(
        self,
        memory_id: str,
        user_id: str | None = None,
        *,
        allow_missing: bool = False,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> None:
        """Delete a memory (NotFoundError when it does not exist, unless ``allow_missing``)."""
        from agentos.v1 import memories_pb2

        no_db_selector(db_id)
        if user_id is not None:
            await self.get_memory(memory_id, user_id, headers=headers, auth_token=auth_token)
        request = memories_pb2.DeleteMemoryRequest(memory_id=memory_id, allow_missing=allow_missing)
        await self._call("memories", "DeleteMemory", request, headers, auth_token)

    async def delete_memories(
        self,
        memory_ids: Sequence[str],
        user_id: str | None = None,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> int:
        """Delete several memories; returns how many existed."""
        from agentos.v1 import memories_pb2

        request = memories_pb2.BatchDeleteMemoriesRequest(memory_ids=list(memory_ids), user_id=user_id or "")
        response = await self._call("memories", "BatchDeleteMemories", request, headers, auth_token)
        return int(response.deleted_count)

    async def get_memory_topics(
        self,
        user_id: str | None = None,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> list[str]:
        """Every topic used by the matching memories."""
        from agentos.v1 import memories_pb2

        def request_for(token: str) -> Any:
            return memories_pb2.ListMemoryTopicsRequest(
                page_size=1000,
                page_token=token,
                user_id=user_id or "",
                agent_id=agent_id or "",
                team_id=team_id or "",
            )

        def read(response: Any) -> list[str]:
            return list(response.topics)

        return await self._every_page("memories", "ListMemoryTopics", request_for, read, headers, auth_token)

    async def get_user_memory_stats(
        self,
        user_id: str | None = None,
        limit: int = 20,
        page: int = 1,
        *,
        page_token: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[dict[str, Any]]:
        """Per-user memory counts: ``{"user_id", "total_memories", "last_memory_updated_at"}`` (unix s)."""
        from agentos.v1 import memories_pb2

        request = memories_pb2.GetUserMemoryStatsRequest(page_size=limit, user_id=user_id or "")

        def read(response: Any) -> list[dict[str, Any]]:
            return [
                {
                    "user_id": s.user_id,
                    "total_memories": s.total_memories,
                    "last_memory_updated_at": s.last_memory_updated_at.seconds
                    if s.HasField("last_memory_updated_at")
                    else None,
                }
                for s in response.stats
            ]

        return await self._page(
            "memories", "GetUserMemoryStats", request, read, page, page_token, headers, auth_token
        )
