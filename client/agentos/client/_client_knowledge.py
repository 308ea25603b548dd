"""Knowledge bases: add content (large files streamed in chunks), list, read, delete, search.

Returns the contract's messages (``Content``, ``SearchResult``...): the knowledge domain
classes do not exist yet. The server may answer UNIMPLEMENTED.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from agentos.client._client_core import ClientCore, fill_struct, stub_class
from agentos.client._transport import Headers
from agentos.client._types import PaginatedResponse

if TYPE_CHECKING:
    from agentos.media import File

UPLOAD_THRESHOLD = 4 * 1024 * 1024  # files above this go through the UploadContent stream
UPLOAD_CHUNK = 1024 * 1024


class KnowledgeMethods(ClientCore):
    """The ``KnowledgeService`` calls."""

    async def upload_knowledge_content(
        self,
        name: str | None = None,
        description: str | None = None,
        url: str | None = None,
        file: File | None = None,
        text_content: str | None = None,
        reader_id: str | None = None,
        chunker: str | None = None,
        *,
        knowledge_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        request_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """Add content (text, a URL or a file) to a knowledge base; returns the ``Content`` message.

        Files larger than 4 MiB are streamed with ``UploadContent`` (1 MiB chunks, with their size
        and SHA-256 for the server to check) instead of one ``CreateContent`` message.
        """
        from agentos.v1 import knowledge_pb2

        sources = [s for s in (url, file, text_content) if s is not None]
        if len(sources) != 1:
            raise ValueError("give exactly one of url, file or text_content")
        request = knowledge_pb2.CreateContentRequest(
            knowledge_id=knowledge_id or "",
            name=name or "",
            description=description or "",
            reader_id=reader_id or "",
            request_id=request_id or "",
        )
        if chunker:
            request.chunker.chunker = chunker
        fill_struct(request, "metadata", metadata)
        if text_content is not None:
            request.text_content = text_content
        elif url is not None:
            request.url = url
        elif file is not None:
            if file.content is None and file.filepath is None:
                if not file.url:
                    raise ValueError("file has no content, filepath or url")
                request.url = file.url
            else:
                # Reading a local file blocks: do it off the event loop.
                content = (
                    file.content if file.content is not None else await asyncio.to_thread(file.read_bytes)
                )
                request.filename = file.filename or ""
                request.mime_type = file.mime_type or ""
                if content and len(content) > UPLOAD_THRESHOLD:
                    return await self._upload(request, content, headers=headers, auth_token=auth_token)
                request.file_content = content or b""
            request.filename = file.filename or ""
            request.mime_type = file.mime_type or ""
        response = await self._call("knowledge", "CreateContent", request, headers, auth_token)
        return response.content

    async def _upload(
        self, request: Any, content: bytes, *, headers: Headers | None, auth_token: str | None
    ) -> Any:
        """A large file goes through UploadContent: a header, then chunks (checked by size and hash)."""
        import hashlib

        from agentos.v1 import knowledge_pb2

        header = knowledge_pb2.UploadContentHeader(
            knowledge_id=request.knowledge_id,
            name=request.name,
            description=request.description,
            filename=request.filename,
            mime_type=request.mime_type,
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            reader_id=request.reader_id,
            request_id=request.request_id,
        )
        if request.HasField("metadata"):
            header.metadata.CopyFrom(request.metadata)
        if request.HasField("chunker"):
            header.chunker.CopyFrom(request.chunker)

        async def parts() -> AsyncIterator[Any]:
            yield knowledge_pb2.UploadContentRequest(header=header)
            for start in range(0, len(content), UPLOAD_CHUNK):
                yield knowledge_pb2.UploadContentRequest(chunk=content[start : start + UPLOAD_CHUNK])

        response = await self._transport.upload(
            stub_class("knowledge"), "UploadContent", parts(), headers=headers, auth_token=auth_token
        )
        return response.content

    async def search_knowledge(
        self,
        query: str,
        max_results: int | None = None,
        filters: dict[str, Any] | None = None,
        search_type: str | None = None,
        *,
        limit: int | None = None,
        knowledge_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[Any]:
        """Search a knowledge base; ``.data`` holds ``SearchResult`` messages (content, score...).
        ``search_type``: "vector", "keyword" or "hybrid"."""
        from agentos.v1 import knowledge_pb2

        request = knowledge_pb2.SearchKnowledgeRequest(
            query=query,
            knowledge_id=knowledge_id or "",
            max_results=max_results or limit or 0,
        )
        if search_type:
            request.search_type = cast(
                Any, knowledge_pb2.SearchType.Value(f"SEARCH_TYPE_{search_type.upper()}")
            )
        fill_struct(request, "filters", filters)
        response = await self._call("knowledge", "SearchKnowledge", request, headers, auth_token)
        results = list(response.results)
        return PaginatedResponse(data=results, total_size=len(results), limit=request.max_results)

    async def list_knowledge_content(
        self,
        limit: int = 20,
        page: int = 1,
        *,
        knowledge_id: str | None = None,
        order_by: str = "",
        page_token: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[Any]:
        """Content entries of a knowledge base (``Content`` messages)."""
        from agentos.v1 import knowledge_pb2

        request = knowledge_pb2.ListContentsRequest(
            page_size=limit, knowledge_id=knowledge_id or "", order_by=order_by
        )
        return await self._page(
            "knowledge",
            "ListContents",
            request,
            attrgetter("contents"),
            page,
            page_token,
            headers,
            auth_token,
        )

    async def get_knowledge_content(
        self, content_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> Any:
        from agentos.v1 import knowledge_pb2

        request = knowledge_pb2.GetContentRequest(content_id=content_id)
        response = await self._call("knowledge", "GetContent", request, headers, auth_token)
        return response.content

    async def delete_knowledge_content(
        self,
        content_id: str,
        *,
        allow_missing: bool = False,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> None:
        from agentos.v1 import knowledge_pb2

        request = knowledge_pb2.DeleteContentRequest(content_id=content_id, allow_missing=allow_missing)
        await self._call("knowledge", "DeleteContent", request, headers, auth_token)

    async def get_knowledge_config(
        self,
        knowledge_id: str | None = None,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """Readers, chunkers and vector store of a knowledge base (``GetKnowledgeConfigResponse``)."""
        from agentos.v1 import knowledge_pb2

        request = knowledge_pb2.GetKnowledgeConfigRequest(knowledge_id=knowledge_id or "")
        return await self._call("knowledge", "GetKnowledgeConfig", request, headers, auth_token)
