"""``RemoteWorkflow``: a workflow served by another AgentOS, used like a local workflow.

As for teams, decoding workflow runs and events needs ``WorkflowRunOutput`` and the workflow
event classes in ``agentos.run``; until they exist it raises NotImplementedError /
``UnsupportedEventError``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from agentos.client._client import AgentOSClient
from agentos.client._remote import RemoteEntity, run_options
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
        super().__init__(base_url, workflow_id, timeout, config_ttl, auth_token, headers, client)

    @property
    def workflow_id(self) -> str:
        return self.id

    async def _fetch_config(self, auth_token: str | None = None) -> WorkflowResponse:
        return await self.client.aget_workflow(self.id, auth_token=auth_token)

    async def get_workflow_config(self, auth_token: str | None = None) -> WorkflowResponse:
        """The workflow's configuration (with ``steps``), always fetched from the server (and cached)."""
        return await self._afresh_config(auth_token)

    @property
    def steps(self) -> list[WorkflowStepInfo]:
        return self._config_field(lambda config: list(config.steps), [])

    async def _default_stream_events(self) -> bool:
        """A workflow's stream carries every event unless the caller says otherwise."""
        return True

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
        options = run_options(locals())
        if stream:

            def start(events: bool) -> AsyncIterator[RunOutputEvent]:
                return self.client.run_workflow_stream(
                    self.id, input, stream_events=events, resume_on_disconnect=resume_on_disconnect, **options
                )

            return self._relay(start, None if stream_events is None else bool(stream_events))
        return self.client.run_workflow(self.id, input, stream_events=bool(stream_events), **options)
