"""``RemoteWorkflow``: a workflow served by another AgentOS, used like a local workflow.

As for teams, decoding workflow runs and events needs ``WorkflowRunOutput`` and the workflow
event classes in ``agentos.run``; until they exist it raises NotImplementedError /
``UnsupportedEventError``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from agentos.client._client import AgentOSClient
from agentos.client._remote import RemoteDb, RemoteEntity
from agentos.client._sync import ensure_no_running_loop, iterate_sync, run_sync
from agentos.client._transport import Headers
from agentos.client._types import WorkflowResponse, WorkflowStepInfo

if TYPE_CHECKING:
    from agentos.media import Audio, File, Image, Video
    from agentos.run import RunOutput, RunOutputEvent


class RemoteWorkflow(RemoteEntity[WorkflowResponse]):
    """A workflow of the AgentOS at ``base_url`` (parameters as for ``RemoteAgent``)."""

    kind = "workflow"

    def __init__(
        self,
        base_url: str,
        workflow_id: str,
        timeout: float | None = 300.0,
        config_ttl: float = 300.0,
        *,
        auth_token: str | None = None,
        headers: Headers | None = None,
        client: AgentOSClient | None = None,
    ) -> None:
        super().__init__(
            base_url,
            workflow_id,
            timeout=timeout,
            config_ttl=config_ttl,
            auth_token=auth_token,
            headers=headers,
            client=client,
        )

    @property
    def workflow_id(self) -> str:
        return self.id

    async def _fetch_config(self, auth_token: str | None = None) -> WorkflowResponse:
        return await self.client.aget_workflow(self.id, auth_token=auth_token)

    async def get_workflow_config(self, auth_token: str | None = None) -> WorkflowResponse:
        """The workflow's configuration (with ``steps``), always fetched from the server (and cached)."""
        return self._store(await self._fetch_config(auth_token))

    @property
    def name(self) -> str | None:
        config = self.cached_config()
        return config.name or None if config is not None else None

    @property
    def description(self) -> str | None:
        config = self.cached_config()
        return config.description or None if config is not None else None

    @property
    def steps(self) -> list[WorkflowStepInfo]:
        config = self.cached_config()
        return list(config.steps) if config is not None else []

    @property
    def db(self) -> RemoteDb | None:
        config = self.cached_config()
        return RemoteDb(config.db_id) if config is not None and config.db_id else None

    @overload
    def arun(
        self, input: Any = None, *, stream: Literal[False] = False, **kwargs: Any
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def arun(
        self, input: Any = None, *, stream: Literal[True], **kwargs: Any
    ) -> AsyncIterator[RunOutputEvent]: ...

    def arun(
        self,
        input: Any = None,
        additional_data: dict[str, Any] | None = None,
        user_id: str | None = None,
        run_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        stream: bool = False,
        stream_events: bool | None = None,
        auth_token: str | None = None,
        *,
        metadata: dict[str, Any] | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> Coroutine[Any, Any, RunOutput] | AsyncIterator[RunOutputEvent]:
        """Run the remote workflow (Agno's parameters, in Agno's order); ``additional_data``
        reaches every step; ``run_id`` chooses the remote run's id."""
        options: dict[str, Any] = {
            "session_id": session_id,
            "user_id": user_id,
            "images": images,
            "audio": audio,
            "videos": videos,
            "files": files,
            "session_state": session_state,
            "additional_data": additional_data,
            "metadata": metadata,
            "run_id": run_id,
            "headers": headers,
            "auth_token": auth_token,
        }
        if stream:
            return self._stream(
                input,
                bool(stream_events) if stream_events is not None else True,
                resume_on_disconnect,
                options,
            )
        return self.client.run_workflow(self.id, input, stream_events=bool(stream_events), **options)

    async def _stream(
        self, input: Any, stream_events: bool, resume: bool, options: dict[str, Any]
    ) -> AsyncIterator[RunOutputEvent]:
        source = self.client.run_workflow_stream(
            self.id, input, stream_events=stream_events, resume_on_disconnect=resume, **options
        )
        async with contextlib.aclosing(source):  # type: ignore[type-var]
            async for event in source:
                yield event

    @overload
    def run(self, input: Any = None, *, stream: Literal[False] = False, **kwargs: Any) -> RunOutput: ...

    @overload
    def run(self, input: Any = None, *, stream: Literal[True], **kwargs: Any) -> Iterator[RunOutputEvent]: ...

    def run(
        self, input: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> RunOutput | Iterator[RunOutputEvent]:
        """Sync ``arun``."""
        ensure_no_running_loop("RemoteWorkflow.run()")
        if stream:
            return iterate_sync(self.arun(input, stream=True, **kwargs), "RemoteWorkflow.run()")
        return run_sync(self.arun(input, stream=False, **kwargs), "RemoteWorkflow.run()")
