"""``RemoteAgent``: an agent served by another AgentOS, used like a local ``Agent``.

It has what code written for agents reads and calls: ``id``, ``name``, ``description``,
``role``, ``tools``, ``arun``/``run``, ``acontinue_run``/``continue_run`` and ``cancel_run``;
runs return the same ``RunOutput`` and event classes as a local agent. So it can be a member
of a local team, a step of a local workflow, or be registered in a local AgentOS, which then
proxies it (gateway federation).

A run that fails on the server comes back as its ``RunOutput`` with status error (as a local
agent returns it), not as an exception; ``AgentOSClient.run_agent`` raises instead.
``stream_events=None`` follows the remote agent's own default (its ``stream_events`` setting,
from the cached configuration), as a local agent's runs do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from agentos.client._client import AgentOSClient
from agentos.client._errors import AgentOSClientError, RemoteServerUnavailableError
from agentos.client._remote import RemoteMember, run_options
from agentos.client._transport import Headers
from agentos.client._types import AgentResponse

if TYPE_CHECKING:
    from agentos.media import Audio, File, Image, Video
    from agentos.models import ToolExecution
    from agentos.run import RunOutput, RunOutputEvent, RunRequirement


class RemoteAgent(RemoteMember[AgentResponse]):
    """An agent of the AgentOS at ``base_url`` (see the module docstring).

    ``timeout``: seconds per call (for streams, the longest wait for the next event);
    ``config_ttl``: how long the agent's configuration is cached; ``auth_token``/``headers``:
    sent with every call (a per-call ``auth_token`` wins); ``client``: share one
    ``AgentOSClient`` (and its channels) between several remote entities of one server.
    """

    kind = "agent"

    def __init__(
        self,
        base_url: str,
        agent_id: str,
        timeout: float | None = 60.0,
        config_ttl: float = 300.0,
        *,
        auth_token: str | None = None,
        headers: Headers | None = None,
        client: AgentOSClient | None = None,
    ) -> None:
        super().__init__(base_url, agent_id, timeout, config_ttl, auth_token, headers, client)

    @property
    def agent_id(self) -> str:
        return self.id

    # -- configuration ----------------------------------------------------------------------------

    async def _fetch_config(self, auth_token: str | None = None) -> AgentResponse:
        return await self.client.aget_agent(self.id, auth_token=auth_token)

    async def get_agent_config(self, auth_token: str | None = None) -> AgentResponse:
        """The agent's configuration, always fetched from the server (and cached)."""
        return await self._afresh_config(auth_token)

    @property
    def instructions(self) -> list[str]:
        return self._config_field(lambda config: list(config.instructions), [])

    # -- runs ---------------------------------------------------------------------------------------

    @overload
    def arun(
        self,
        input: Any = None,
        *,
        stream: Literal[False] = False,
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        add_history_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def arun(
        self,
        input: Any = None,
        *,
        stream: Literal[True],
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        add_history_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> AsyncIterator[RunOutputEvent]: ...

    def arun(
        self,
        input: Any = None,
        *,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        add_history_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> Coroutine[Any, Any, RunOutput] | AsyncIterator[RunOutputEvent]:
        """``await agent.arun(...)`` for a RunOutput; ``async for e in agent.arun(..., stream=True)``.

        ``run_id`` chooses the remote run's id. ``resume_on_disconnect`` (streams) keeps the run
        going on the server if the connection drops and re-attaches transparently. Keyword
        arguments a local agent accepts but that have no remote meaning (``debug_mode``...)
        are ignored.
        """
        options = run_options(locals())
        if stream:

            def start(events: bool) -> AsyncIterator[RunOutputEvent]:
                return self.client.run_agent_stream(
                    self.id, input, stream_events=events, resume_on_disconnect=resume_on_disconnect, **options
                )

            return self._relay(start, stream_events)
        return _failed_run_as_output(
            self.client,
            self.client.run_agent(self.id, input, stream_events=bool(stream_events), **options),
            headers=headers,
            auth_token=auth_token,
        )

    # -- continuing ------------------------------------------------------------------------------------

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[False] = False,
        run_id: str | None = None,
        updated_tools: Sequence[ToolExecution] | None = None,
        requirements: Sequence[RunRequirement] | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: Literal[True],
        run_id: str | None = None,
        updated_tools: Sequence[ToolExecution] | None = None,
        requirements: Sequence[RunRequirement] | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> AsyncIterator[RunOutputEvent]: ...

    def acontinue_run(
        self,
        run_response: RunOutput | str | None = None,
        *,
        stream: bool = False,
        run_id: str | None = None,
        updated_tools: Sequence[ToolExecution] | None = None,
        requirements: Sequence[RunRequirement] | None = None,
        user_id: str | None = None,
        session_id: str | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        auth_token: str | None = None,
        headers: Headers | None = None,
        resume_on_disconnect: bool = False,
        **ignored: Any,
    ) -> Coroutine[Any, Any, RunOutput] | AsyncIterator[RunOutputEvent]:
        """Resume a paused remote run, like ``Agent.acontinue_run``.

        Pass the paused ``RunOutput`` (its requirements resolved in place), or ``run_id`` with
        ``updated_tools`` (the paused ToolExecutions with decisions set) or ``requirements``.
        """
        target_run_id, tools, reqs = _continue_parts(run_response, run_id, updated_tools, requirements)
        common: dict[str, Any] = {
            "requirements": reqs,
            "dependencies": dependencies,
            "knowledge_filters": knowledge_filters,
            "retries": retries,
            "headers": headers,
            "auth_token": auth_token,
        }
        if stream:

            def start(events: bool) -> AsyncIterator[RunOutputEvent]:
                return self.client.continue_agent_run(
                    self.id,
                    target_run_id,
                    tools,
                    session_id,
                    user_id,
                    stream=True,
                    stream_events=events,
                    resume_on_disconnect=resume_on_disconnect,
                    **common,
                )

            return self._relay(start, stream_events)
        outcome: Coroutine[Any, Any, RunOutput] = self.client.continue_agent_run(
            self.id, target_run_id, tools, session_id, user_id, **common
        )
        return _failed_run_as_output(self.client, outcome, headers=headers, auth_token=auth_token)

    @overload
    def continue_run(
        self, run_response: RunOutput | str | None = None, *, stream: Literal[False] = False, **kwargs: Any
    ) -> RunOutput: ...

    @overload
    def continue_run(
        self, run_response: RunOutput | str | None = None, *, stream: Literal[True], **kwargs: Any
    ) -> Iterator[RunOutputEvent]: ...

    def continue_run(
        self, run_response: RunOutput | str | None = None, *, stream: bool = False, **kwargs: Any
    ) -> RunOutput | Iterator[RunOutputEvent]:
        """Sync ``acontinue_run``."""
        result: RunOutput | Iterator[RunOutputEvent] = self._blocking(
            "continue_run", self.acontinue_run, run_response, stream, kwargs
        )
        return result


async def _failed_run_as_output(
    client: AgentOSClient,
    call: Coroutine[Any, Any, RunOutput],
    *,
    headers: Headers | None,
    auth_token: str | None,
) -> RunOutput:
    """The run's RunOutput even when it failed, as a local agent returns it.

    The server reports a failed run as an error status whose ErrorInfo names the run
    (``metadata["run_id"]``); a local ``Agent.arun`` returns the RunOutput with status error
    instead, so RemoteAgent reads the failed run back and returns it. Errors that are not a
    run's failure (bad request, unknown agent, unreachable server) are raised.
    """
    try:
        return await call
    except AgentOSClientError as exc:
        run_id = exc.metadata.get("run_id")
        if not run_id or isinstance(exc, RemoteServerUnavailableError):
            raise
        try:
            return await client.get_run(run_id, headers=headers, auth_token=auth_token)
        except AgentOSClientError:
            raise exc from None


def _continue_parts(
    run_response: RunOutput | str | None,
    run_id: str | None,
    updated_tools: Sequence[ToolExecution] | None,
    requirements: Sequence[RunRequirement] | None,
) -> tuple[str, list[ToolExecution] | None, list[RunRequirement] | None]:
    """(run id, tools, requirements) to send; from a paused RunOutput, its requirements (resolved
    in place by the caller) or else its paused tools."""
    if isinstance(run_response, str):
        run_id, run_response = run_response, None
    if run_response is not None:
        run_id = run_response.run_id
        if updated_tools is None and requirements is None:
            if run_response.requirements:
                requirements = run_response.requirements
            else:
                updated_tools = [
                    t
                    for t in run_response.tools or ()
                    if t.requires_confirmation or t.requires_user_input or t.external_execution_required
                ]
    if not run_id:
        raise ValueError("continue_run needs the paused run: pass run_response=<RunOutput> or run_id=<id>")
    return (
        run_id,
        list(updated_tools) if updated_tools else None,
        list(requirements) if requirements else None,
    )
