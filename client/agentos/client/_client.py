"""``AgentOSClient``: every operation of an AgentOS over gRPC, with Agno's method names.

Methods are async (``await client.run_agent(...)``; streams are ``async for``); Agno's sync
names exist where Agno has them (``get_config``, ``get_agent``, ``get_team``,
``get_workflow``), and ``client.sync`` offers a blocking twin of every method under the same
name (``client.sync.run_agent(...)``), driven on a private per-thread loop.

Runs come back as the domain objects local runs produce (``RunOutput`` and the event classes,
via ``agentos.wire``); sessions and memories as ``AgentSession``/``UserMemory``; discovery as
the dataclasses of ``_types``. Knowledge, traces, metrics and evals return the contract's
messages (their domain classes do not exist yet). Every method takes ``headers=`` (extra
per-call metadata) and ``auth_token=`` (sent as ``authorization: Bearer <token>``); failures
raise the typed errors of ``_errors``.

Heavy modules (grpc, the generated stubs, ``agentos.wire`` and the engine's classes) are
imported on first use, so ``import agentos.client`` stays cheap.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from agentos.client._errors import NotFoundError
from agentos.client._run_stream import run_event_stream
from agentos.client._transport import DEFAULT, Headers, Transport
from agentos.client._types import (
    AgentResponse,
    ConfigResponse,
    PaginatedResponse,
    TeamResponse,
    WorkflowResponse,
    as_list,
    page_of,
)

if TYPE_CHECKING:
    import grpc
    from agentos.client._sync_client import SyncAgentOSClient
    from agentos.media import Audio, File, Image, Video
    from agentos.memory import UserMemory
    from agentos.models import ToolExecution
    from agentos.run import RunOutput, RunOutputEvent, RunRequirement, RunStatus
    from agentos.session import Session, SessionType

TargetKind = Literal["agent", "team", "workflow"]

_LIST_PAGE_SIZE = 1000  # entity listings: few entities, fetch them in one page when possible
UPLOAD_THRESHOLD = 4 * 1024 * 1024  # files above this go through the UploadContent stream
UPLOAD_CHUNK = 1024 * 1024


def _new_id() -> str:
    return str(uuid.uuid4())


def _run_input(message: Any) -> Any:
    """Pydantic models travel as their JSON data; everything else as the wire layer maps it."""
    dump = getattr(message, "model_dump", None)
    if callable(dump) and not isinstance(message, type):
        return dump(mode="json")
    return message


def _schema_parts(output_schema: Any) -> tuple[dict[str, Any] | None, Any]:
    """(JSON schema to send, what to rebuild the content with) for a pydantic class or a dict."""
    if output_schema is None:
        return None, None
    if isinstance(output_schema, type) and hasattr(output_schema, "model_json_schema"):
        return output_schema.model_json_schema(), output_schema
    if isinstance(output_schema, dict):
        return output_schema, output_schema
    raise TypeError("output_schema must be a pydantic model class or a JSON schema dict")


class AgentOSClient:
    """A client of one AgentOS (see the module docstring).

    ``base_url``: ``"localhost:50051"``, ``"grpc://host:port"``, ``"grpcs://host"`` (TLS), or
    Agno-style ``http(s)://host:port``. ``timeout``: seconds per call (None: no deadline); for
    streams, the longest wait for the next event. ``auth_token`` / ``headers``: sent with every
    call (per-call values win). ``channel_options``: extra gRPC channel arguments.
    ``tls``: True/False to force TLS on or off, or ``grpc.ChannelCredentials`` (client
    certificates, private CAs).

    One channel is opened per event loop that uses the client, lazily; close them with
    ``await client.aclose()`` (or ``async with AgentOSClient(...) as client``).
    """

    def __init__(
        self,
        base_url: str,
        timeout: float | None = 60.0,
        *,
        auth_token: str | None = None,
        headers: Headers | None = None,
        channel_options: Sequence[tuple[str, Any]] | None = None,
        tls: bool | grpc.ChannelCredentials | None = None,
    ) -> None:
        self._transport = Transport(
            base_url,
            timeout,
            auth_token=auth_token,
            headers=headers,
            channel_options=channel_options,
            tls=tls,
        )
        self._sync: SyncAgentOSClient | None = None

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def timeout(self) -> float | None:
        return self._transport.timeout

    @property
    def sync(self) -> SyncAgentOSClient:
        """Blocking twins of every method, same names (``client.sync.run_agent(...)``)."""
        if self._sync is None:
            from agentos.client._sync_client import SyncAgentOSClient

            self._sync = SyncAgentOSClient(self)
        return self._sync

    def __repr__(self) -> str:
        return f"AgentOSClient(base_url={self.base_url!r}, timeout={self.timeout!r})"

    async def aclose(self) -> None:
        """Close this event loop's channel (a later call opens a new one)."""
        await self._transport.pool.aclose()

    def close(self) -> None:
        """Close the channel of this thread's sync loop (the one ``client.sync`` uses)."""
        from agentos.client._sync import run_sync

        run_sync(self._transport.pool.aclose(), "AgentOSClient.close()")

    async def __aenter__(self) -> AgentOSClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __enter__(self) -> AgentOSClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- low level ---------------------------------------------------------------------------------

    async def _call(
        self,
        service: str,
        method: str,
        request: Any,
        *,
        headers: Headers | None,
        auth_token: str | None,
        deadline: Any = DEFAULT,
    ) -> Any:
        return await self._transport.unary(
            _stub_class(service), method, request, headers=headers, auth_token=auth_token, deadline=deadline
        )

    # -- discovery -----------------------------------------------------------------------------------

    async def aget_config(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> ConfigResponse:
        """The AgentOS configuration: id, name, agents, teams, workflows, databases, interfaces."""
        from agentos.v1 import agent_os_pb2

        response = await self._call(
            "agent_os", "GetConfig", agent_os_pb2.GetConfigRequest(), headers=headers, auth_token=auth_token
        )
        return ConfigResponse.from_proto(response.config)

    def get_config(self, *, headers: Headers | None = None, auth_token: str | None = None) -> ConfigResponse:
        """Sync ``aget_config``."""
        from agentos.client._sync import run_sync

        return run_sync(
            self.aget_config(headers=headers, auth_token=auth_token), "AgentOSClient.get_config()"
        )

    async def _list_all(
        self, method: str, request_type: Any, field: str, *, headers: Headers | None, auth_token: str | None
    ) -> list[Any]:
        items: list[Any] = []
        token = ""
        while True:
            response = await self._call(
                "agent_os",
                method,
                request_type(page_size=_LIST_PAGE_SIZE, page_token=token),
                headers=headers,
                auth_token=auth_token,
            )
            items.extend(getattr(response, field))
            token = response.next_page_token
            if not token:
                return items

    async def list_agents(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[AgentResponse]:
        """Every agent the caller may see, with details."""
        from agentos.v1 import agent_os_pb2

        agents = await self._list_all(
            "ListAgents", agent_os_pb2.ListAgentsRequest, "agents", headers=headers, auth_token=auth_token
        )
        return [AgentResponse.from_proto(a) for a in agents]

    async def aget_agent(
        self, agent_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> AgentResponse:
        """One agent's details (NotFoundError when it does not exist or is not visible to the caller)."""
        from agentos.v1 import agent_os_pb2

        response = await self._call(
            "agent_os",
            "GetAgent",
            agent_os_pb2.GetAgentRequest(agent_id=agent_id),
            headers=headers,
            auth_token=auth_token,
        )
        return AgentResponse.from_proto(response.agent)

    def get_agent(
        self, agent_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> AgentResponse:
        """Sync ``aget_agent``."""
        from agentos.client._sync import run_sync

        return run_sync(
            self.aget_agent(agent_id, headers=headers, auth_token=auth_token), "AgentOSClient.get_agent()"
        )

    async def list_teams(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[TeamResponse]:
        from agentos.v1 import agent_os_pb2

        teams = await self._list_all(
            "ListTeams", agent_os_pb2.ListTeamsRequest, "teams", headers=headers, auth_token=auth_token
        )
        return [TeamResponse.from_proto(t) for t in teams]

    async def aget_team(
        self, team_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> TeamResponse:
        from agentos.v1 import agent_os_pb2

        response = await self._call(
            "agent_os",
            "GetTeam",
            agent_os_pb2.GetTeamRequest(team_id=team_id),
            headers=headers,
            auth_token=auth_token,
        )
        return TeamResponse.from_proto(response.team)

    def get_team(
        self, team_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> TeamResponse:
        """Sync ``aget_team``."""
        from agentos.client._sync import run_sync

        return run_sync(
            self.aget_team(team_id, headers=headers, auth_token=auth_token), "AgentOSClient.get_team()"
        )

    async def list_workflows(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[WorkflowResponse]:
        from agentos.v1 import agent_os_pb2

        workflows = await self._list_all(
            "ListWorkflows",
            agent_os_pb2.ListWorkflowsRequest,
            "workflows",
            headers=headers,
            auth_token=auth_token,
        )
        return [WorkflowResponse.from_proto(w) for w in workflows]

    async def aget_workflow(
        self, workflow_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> WorkflowResponse:
        from agentos.v1 import agent_os_pb2

        response = await self._call(
            "agent_os",
            "GetWorkflow",
            agent_os_pb2.GetWorkflowRequest(workflow_id=workflow_id),
            headers=headers,
            auth_token=auth_token,
        )
        return WorkflowResponse.from_proto(response.workflow)

    def get_workflow(
        self, workflow_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> WorkflowResponse:
        """Sync ``aget_workflow``."""
        from agentos.client._sync import run_sync

        return run_sync(
            self.aget_workflow(workflow_id, headers=headers, auth_token=auth_token),
            "AgentOSClient.get_workflow()",
        )

    # -- runs: shared machinery ------------------------------------------------------------------------

    @staticmethod
    def _run_arguments(
        kind: TargetKind,
        target_id: str,
        message: Any,
        *,
        session_id: str | None,
        user_id: str | None,
        images: Sequence[Image] | None,
        audio: Sequence[Audio] | None,
        videos: Sequence[Video] | None,
        files: Sequence[File] | None,
        session_state: dict[str, Any] | None,
        dependencies: dict[str, Any] | None,
        metadata: dict[str, Any] | None,
        knowledge_filters: dict[str, Any] | None,
        additional_data: dict[str, Any] | None,
        output_schema: dict[str, Any] | None,
        stream_events: bool,
        background: bool,
        request_id: str | None,
        run_id: str | None,
        add_history_to_context: bool | None,
        add_session_state_to_context: bool | None,
        add_dependencies_to_context: bool | None,
        retries: int | None,
    ) -> Any:
        from agentos.wire import RunArguments

        if not target_id:
            raise ValueError(f"{kind}_id is required")
        return RunArguments(
            target_kind=kind,
            target_id=target_id,
            input=_run_input(message),
            images=list(images) if images else None,
            audio=list(audio) if audio else None,
            videos=list(videos) if videos else None,
            files=list(files) if files else None,
            session_id=session_id,
            user_id=user_id,
            session_state=session_state,
            dependencies=dependencies,
            metadata=metadata,
            knowledge_filters=knowledge_filters,
            additional_data=additional_data,
            output_schema=output_schema,
            stream_events=stream_events,
            background=background,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=add_history_to_context,
            add_session_state_to_context=add_session_state_to_context,
            add_dependencies_to_context=add_dependencies_to_context,
            retries=retries,
        )

    async def _create_run(
        self,
        args: Any,
        decode_with: Any,
        *,
        headers: Headers | None,
        auth_token: str | None,
        deadline: Any,
    ) -> RunOutput:
        from agentos.wire import create_run_request, run_from_proto

        response = await self._call(
            "runs",
            "CreateRun",
            create_run_request(args),
            headers=headers,
            auth_token=auth_token,
            deadline=deadline,
        )
        return run_from_proto(response.run, output_schema=decode_with)

    def _stream_run(
        self,
        args: Any,
        decode_with: Any,
        *,
        resume_on_disconnect: bool,
        headers: Headers | None,
        auth_token: str | None,
    ) -> AsyncIterator[RunOutputEvent]:
        from agentos.wire import event_from_proto, stream_run_request

        if resume_on_disconnect:
            # Re-attach needs the run id before the first event, and a resent start request
            # must not start a second run.
            args.background = True
            args.run_id = args.run_id or _new_id()
            args.request_id = args.request_id or _new_id()

        def decode(pb: Any) -> Any:
            return event_from_proto(pb, output_schema=decode_with)

        return run_event_stream(
            self._transport,
            method="StreamRun",
            request=stream_run_request(args),
            run_id=args.run_id or "",
            stream_events=args.stream_events,
            resume=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
            decode=decode,
        )

    # -- agent runs ----------------------------------------------------------------------------------

    async def run_agent(
        self,
        agent_id: str,
        message: Any,
        session_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        session_state: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        *,
        stream_events: bool = False,
        add_history_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        request_id: str | None = None,
        background: bool = False,
        timeout: float | None = DEFAULT,  # noqa: ASYNC109 - the call's gRPC deadline
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        """Run an agent and return its ``RunOutput`` (completed, paused or cancelled).

        ``message``: text, a ``Message`` or list of them, or structured input (dict, pydantic
        model). ``output_schema``: a pydantic class (content comes back as an instance) or a JSON
        schema dict. ``run_id``: choose the run's id (e.g. to cancel it from elsewhere before
        the answer is back). ``background``: return as soon as the server accepted the run
        (status pending/running; follow it with ``watch_run``). ``stream_events``: also log every
        event so that ``watch_run`` can replay them. A run that fails raises the typed error of
        the failure (e.g. UnavailableError for a model provider outage).
        """
        schema, decode_with = _schema_parts(output_schema)
        args = self._run_arguments(
            "agent",
            agent_id,
            message,
            session_id=session_id,
            user_id=user_id,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            session_state=session_state,
            dependencies=dependencies,
            metadata=metadata,
            knowledge_filters=knowledge_filters,
            additional_data=None,
            output_schema=schema,
            stream_events=stream_events,
            background=background,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=add_history_to_context,
            add_session_state_to_context=add_session_state_to_context,
            add_dependencies_to_context=add_dependencies_to_context,
            retries=retries,
        )
        return await self._create_run(
            args, decode_with, headers=headers, auth_token=auth_token, deadline=timeout
        )

    def run_agent_stream(
        self,
        agent_id: str,
        message: Any,
        session_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        session_state: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        *,
        stream_events: bool = True,
        add_history_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[RunOutputEvent]:
        """Run an agent and stream its events (the classes a local ``arun(stream=True)`` yields).

        ``stream_events`` (default True, as Agno's client streams every event): False streams
        only content and the terminal event. ``resume_on_disconnect``: the run continues on the
        server if the connection drops, and the stream re-attaches transparently (no gaps, no
        duplicates). Leaving the loop early cancels the call (and, without
        ``resume_on_disconnect``, the run).
        """
        schema, decode_with = _schema_parts(output_schema)
        args = self._run_arguments(
            "agent",
            agent_id,
            message,
            session_id=session_id,
            user_id=user_id,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            session_state=session_state,
            dependencies=dependencies,
            metadata=metadata,
            knowledge_filters=knowledge_filters,
            additional_data=None,
            output_schema=schema,
            stream_events=stream_events,
            background=False,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=add_history_to_context,
            add_session_state_to_context=add_session_state_to_context,
            add_dependencies_to_context=add_dependencies_to_context,
            retries=retries,
        )
        return self._stream_run(
            args,
            decode_with,
            resume_on_disconnect=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
        )

    @overload
    def continue_agent_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution] | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        *,
        stream: Literal[False] = False,
        requirements: Sequence[RunRequirement] | None = None,
        stream_events: bool = True,
        dependencies: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        timeout: float | None = DEFAULT,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def continue_agent_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution] | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        *,
        stream: Literal[True],
        requirements: Sequence[RunRequirement] | None = None,
        stream_events: bool = True,
        dependencies: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        timeout: float | None = DEFAULT,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[RunOutputEvent]: ...

    def continue_agent_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution] | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        *,
        stream: bool = False,
        requirements: Sequence[RunRequirement] | None = None,
        stream_events: bool = True,
        dependencies: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        timeout: float | None = DEFAULT,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Coroutine[Any, Any, RunOutput] | AsyncIterator[RunOutputEvent]:
        """Resume a paused run with the decisions filled in.

        ``tools``: the paused ``ToolExecution``s with ``confirmed`` / user input values /
        ``result`` set (Agno's v1 way, matched by ``tool_call_id``); or ``requirements``: the
        run's ``RunRequirement``s, resolved. ``await`` it for the ``RunOutput``, or with
        ``stream=True`` iterate the events (starting with RunContinued). ``agent_id`` names
        the agent for readability and symmetry with Agno; the run id identifies the run.
        """
        return self._continue(
            run_id,
            tools=tools,
            requirements=requirements,
            session_id=session_id,
            user_id=user_id,
            stream=stream,
            stream_events=stream_events,
            dependencies=dependencies,
            knowledge_filters=knowledge_filters,
            retries=retries,
            output_schema=output_schema,
            request_id=request_id,
            resume_on_disconnect=resume_on_disconnect,
            timeout=timeout,
            headers=headers,
            auth_token=auth_token,
        )

    def _continue(
        self,
        run_id: str,
        *,
        tools: Sequence[ToolExecution] | None,
        requirements: Sequence[RunRequirement] | None,
        session_id: str | None,
        user_id: str | None,
        stream: bool,
        stream_events: bool,
        dependencies: dict[str, Any] | None,
        knowledge_filters: dict[str, Any] | None,
        retries: int | None,
        output_schema: Any,
        request_id: str | None,
        resume_on_disconnect: bool,
        timeout: Any,
        headers: Headers | None,
        auth_token: str | None,
    ) -> Coroutine[Any, Any, RunOutput] | AsyncIterator[RunOutputEvent]:
        from agentos.wire import ContinueArguments

        if not run_id:
            raise ValueError("run_id is required to continue a run")
        _, decode_with = _schema_parts(output_schema)
        args = ContinueArguments(
            run_id=run_id,
            updated_tools=list(tools) if tools else None,
            requirements=list(requirements) if requirements else None,
            session_id=session_id,
            user_id=user_id,
            stream_events=stream_events,
            request_id=request_id,
            dependencies=dependencies,
            knowledge_filters=knowledge_filters,
            retries=retries,
        )
        if stream:
            return self._stream_continue(
                args,
                decode_with,
                resume_on_disconnect=resume_on_disconnect,
                headers=headers,
                auth_token=auth_token,
            )
        return self._continue_run(args, decode_with, headers=headers, auth_token=auth_token, deadline=timeout)

    async def _continue_run(
        self, args: Any, decode_with: Any, *, headers: Headers | None, auth_token: str | None, deadline: Any
    ) -> RunOutput:
        from agentos.wire import continue_run_request, run_from_proto

        response = await self._call(
            "runs",
            "ContinueRun",
            continue_run_request(args),
            headers=headers,
            auth_token=auth_token,
            deadline=deadline,
        )
        return run_from_proto(response.run, output_schema=decode_with)

    async def _stream_continue(
        self,
        args: Any,
        decode_with: Any,
        *,
        resume_on_disconnect: bool,
        headers: Headers | None,
        auth_token: str | None,
    ) -> AsyncIterator[RunOutputEvent]:
        from agentos.wire import event_from_proto, stream_continue_run_request

        after_sequence = 0
        if resume_on_disconnect:
            args.background = True
            args.request_id = args.request_id or _new_id()
            # Where the continuation starts in the run's event log, so that a re-attach does
            # not replay the events from before the pause.
            paused = await self._get_run_proto(args.run_id, headers=headers, auth_token=auth_token)
            after_sequence = int(paused.last_sequence)

        def decode(pb: Any) -> Any:
            return event_from_proto(pb, output_schema=decode_with)

        async for event in run_event_stream(
            self._transport,
            method="StreamContinueRun",
            request=stream_continue_run_request(args),
            run_id=args.run_id,
            stream_events=args.stream_events,
            resume=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
            decode=decode,
            after_sequence=after_sequence,
        ):
            yield event

    async def cancel_run(
        self,
        run_id: str,
        *,
        reason: str = "",
        allow_missing: bool = False,
        request_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> bool:
        """Cancel a pending, running or paused run: True once it is cancelled (or, with
        ``allow_missing``, once the cancel is recorded for a run not started yet).

        A run that already completed or failed raises FailedPreconditionError
        (``RUN_ALREADY_TERMINAL``); an unknown run raises NotFoundError.
        """
        from agentos.v1 import run_service_pb2, runs_pb2

        response = await self._call(
            "runs",
            "CancelRun",
            run_service_pb2.CancelRunRequest(
                run_id=run_id, reason=reason, allow_missing=allow_missing, request_id=request_id or ""
            ),
            headers=headers,
            auth_token=auth_token,
        )
        if response.cancelled_before_start:
            return True
        return bool(response.HasField("run") and response.run.state == runs_pb2.RUN_STATE_CANCELLED)

    async def cancel_agent_run(
        self,
        agent_id: str,
        run_id: str,
        *,
        reason: str = "",
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> bool:
        """Cancel an agent's run (see ``cancel_run``)."""
        return await self.cancel_run(run_id, reason=reason, headers=headers, auth_token=auth_token)

    # -- team runs -----------------------------------------------------------------------------------

    async def run_team(
        self,
        team_id: str,
        message: Any,
        session_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        session_state: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        *,
        stream_events: bool = False,
        add_history_to_context: bool | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        request_id: str | None = None,
        background: bool = False,
        timeout: float | None = DEFAULT,  # noqa: ASYNC109 - the call's gRPC deadline
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        """Run a team (see ``run_agent``). Decoding a team's run needs ``TeamRunOutput`` in
        ``agentos.run``; until it exists this raises NotImplementedError after the run."""
        schema, decode_with = _schema_parts(output_schema)
        args = self._run_arguments(
            "team",
            team_id,
            message,
            session_id=session_id,
            user_id=user_id,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            session_state=session_state,
            dependencies=dependencies,
            metadata=metadata,
            knowledge_filters=knowledge_filters,
            additional_data=None,
            output_schema=schema,
            stream_events=stream_events,
            background=background,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=add_history_to_context,
            add_session_state_to_context=None,
            add_dependencies_to_context=None,
            retries=retries,
        )
        return await self._create_run(
            args, decode_with, headers=headers, auth_token=auth_token, deadline=timeout
        )

    def run_team_stream(
        self,
        team_id: str,
        message: Any,
        session_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        session_state: dict[str, Any] | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        *,
        stream_events: bool = True,
        add_history_to_context: bool | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        run_id: str | None = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[RunOutputEvent]:
        """Stream a team's run (see ``run_agent_stream``)."""
        schema, decode_with = _schema_parts(output_schema)
        args = self._run_arguments(
            "team",
            team_id,
            message,
            session_id=session_id,
            user_id=user_id,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            session_state=session_state,
            dependencies=dependencies,
            metadata=metadata,
            knowledge_filters=knowledge_filters,
            additional_data=None,
            output_schema=schema,
            stream_events=stream_events,
            background=False,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=add_history_to_context,
            add_session_state_to_context=None,
            add_dependencies_to_context=None,
            retries=retries,
        )
        return self._stream_run(
            args,
            decode_with,
            resume_on_disconnect=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
        )

    async def cancel_team_run(
        self,
        team_id: str,
        run_id: str,
        *,
        reason: str = "",
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> bool:
        """Cancel a team's run (see ``cancel_run``)."""
        return await self.cancel_run(run_id, reason=reason, headers=headers, auth_token=auth_token)

    # -- workflow runs -------------------------------------------------------------------------------

    async def run_workflow(
        self,
        workflow_id: str,
        message: Any,
        session_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        session_state: dict[str, Any] | None = None,
        additional_data: dict[str, Any] | None = None,
        *,
        metadata: dict[str, Any] | None = None,
        stream_events: bool = False,
        run_id: str | None = None,
        request_id: str | None = None,
        background: bool = False,
        timeout: float | None = DEFAULT,  # noqa: ASYNC109 - the call's gRPC deadline
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        """Run a workflow (see ``run_agent``); ``additional_data`` reaches every step. Decoding
        needs ``WorkflowRunOutput`` in ``agentos.run`` (NotImplementedError until it exists)."""
        args = self._run_arguments(
            "workflow",
            workflow_id,
            message,
            session_id=session_id,
            user_id=user_id,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            session_state=session_state,
            dependencies=None,
            metadata=metadata,
            knowledge_filters=None,
            additional_data=additional_data,
            output_schema=None,
            stream_events=stream_events,
            background=background,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=None,
            add_session_state_to_context=None,
            add_dependencies_to_context=None,
            retries=None,
        )
        return await self._create_run(args, None, headers=headers, auth_token=auth_token, deadline=timeout)

    def run_workflow_stream(
        self,
        workflow_id: str,
        message: Any,
        session_id: str | None = None,
        user_id: str | None = None,
        images: Sequence[Image] | None = None,
        audio: Sequence[Audio] | None = None,
        videos: Sequence[Video] | None = None,
        files: Sequence[File] | None = None,
        session_state: dict[str, Any] | None = None,
        additional_data: dict[str, Any] | None = None,
        *,
        metadata: dict[str, Any] | None = None,
        stream_events: bool = True,
        run_id: str | None = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[RunOutputEvent]:
        """Stream a workflow's run (see ``run_agent_stream``)."""
        args = self._run_arguments(
            "workflow",
            workflow_id,
            message,
            session_id=session_id,
            user_id=user_id,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            session_state=session_state,
            dependencies=None,
            metadata=metadata,
            knowledge_filters=None,
            additional_data=additional_data,
            output_schema=None,
            stream_events=stream_events,
            background=False,
            request_id=request_id,
            run_id=run_id,
            add_history_to_context=None,
            add_session_state_to_context=None,
            add_dependencies_to_context=None,
            retries=None,
        )
        return self._stream_run(
            args, None, resume_on_disconnect=resume_on_disconnect, headers=headers, auth_token=auth_token
        )

    async def cancel_workflow_run(
        self,
        workflow_id: str,
        run_id: str,
        *,
        reason: str = "",
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> bool:
        """Cancel a workflow's run (see ``cancel_run``)."""
        return await self.cancel_run(run_id, reason=reason, headers=headers, auth_token=auth_token)

    # -- reading runs ----------------------------------------------------------------------------------

    async def _get_run_proto(
        self, run_id: str, *, full: bool = False, headers: Headers | None, auth_token: str | None
    ) -> Any:
        from agentos.v1 import run_service_pb2

        view = run_service_pb2.RUN_VIEW_FULL if full else run_service_pb2.RUN_VIEW_BASIC
        response = await self._call(
            "runs",
            "GetRun",
            run_service_pb2.GetRunRequest(run_id=run_id, view=view),
            headers=headers,
            auth_token=auth_token,
        )
        return response.run

    async def get_run(
        self,
        run_id: str,
        *,
        full: bool = False,
        output_schema: Any = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        """One run as stored; ``full`` includes its messages (and member runs)."""
        from agentos.wire import run_from_proto

        _, decode_with = _schema_parts(output_schema)
        run = await self._get_run_proto(run_id, full=full, headers=headers, auth_token=auth_token)
        return run_from_proto(run, output_schema=decode_with)

    async def list_runs(
        self,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        statuses: Sequence[RunStatus | str] | None = None,
        include_member_runs: bool = False,
        full: bool = False,
        order_by: str = "",
        limit: int = 20,
        page: int = 1,
        page_token: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[RunOutput]:
        """Runs matching the filters, newest first by default. ``statuses``: ``RunStatus``
        members or their names (``"completed"``). Pages: ``page`` (Agno's numbering; the pages
        before it are walked) or the ``page_token`` of a previous page."""
        from agentos.run import RunStatus as Status
        from agentos.v1 import run_service_pb2
        from agentos.wire import run_from_proto, run_status_to_state

        request = run_service_pb2.ListRunsRequest(
            page_size=limit,
            order_by=order_by,
            view=run_service_pb2.RUN_VIEW_FULL if full else run_service_pb2.RUN_VIEW_BASIC,
            session_id=session_id or "",
            user_id=user_id or "",
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
            states=[run_status_to_state(_run_status(Status, s)) for s in statuses or ()],
            include_member_runs=include_member_runs,
        )
        response = await self._paged(
            "runs",
            "ListRuns",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        return page_of((run_from_proto(r) for r in response.runs), response, page=page, limit=limit)

    async def get_session_runs(
        self, session_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[RunOutput]:
        """Every run of a session, oldest first (nested member runs are in their parents)."""
        from agentos.v1 import run_service_pb2
        from agentos.wire import run_from_proto

        runs: list[RunOutput] = []
        token = ""
        while True:
            response = await self._call(
                "runs",
                "ListRuns",
                run_service_pb2.ListRunsRequest(
                    session_id=session_id, page_size=100, page_token=token, order_by="created_at"
                ),
                headers=headers,
                auth_token=auth_token,
            )
            runs.extend(run_from_proto(r) for r in response.runs)
            token = response.next_page_token
            if not token:
                return runs

    def watch_run(
        self,
        run_id: str,
        after_sequence: int = 0,
        *,
        stream_events: bool = True,
        resume_on_disconnect: bool = False,
        output_schema: Any = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[RunOutputEvent]:
        """Re-attach to a run from any replica: the events after ``after_sequence`` (stored, then
        live) until the server ends the watch (the run is settled: terminal or paused; a run that
        was paused and continued replays every segment). ``resume_on_disconnect`` re-attaches
        again if this connection drops too."""
        from agentos.v1 import run_service_pb2
        from agentos.wire import event_from_proto

        _, decode_with = _schema_parts(output_schema)

        def decode(pb: Any) -> Any:
            return event_from_proto(pb, output_schema=decode_with)

        return run_event_stream(
            self._transport,
            method="WatchRun",
            request=run_service_pb2.WatchRunRequest(run_id=run_id, after_sequence=after_sequence),
            run_id=run_id,
            stream_events=stream_events,
            resume=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
            decode=decode,
            after_sequence=after_sequence,
            stop_at_terminal=False,
        )

    async def _paged(
        self,
        service: str,
        method: str,
        request: Any,
        *,
        page: int,
        page_token: str | None,
        headers: Headers | None,
        auth_token: str | None,
    ) -> Any:
        """Fetch page ``page`` (1-based) of a listing, walking the tokens of the pages before it."""
        if page < 1:
            raise ValueError("page numbers start at 1")
        if page_token is not None:
            request.page_token = page_token
            return await self._call(service, method, request, headers=headers, auth_token=auth_token)
        response = await self._call(service, method, request, headers=headers, auth_token=auth_token)
        for _ in range(page - 1):
            if not response.next_page_token:
                # Past the last page: nothing on it, but the total still holds.
                return type(response)(total_size=response.total_size)
            request.page_token = response.next_page_token
            response = await self._call(service, method, request, headers=headers, auth_token=auth_token)
        return response

    # -- memories ----------------------------------------------------------------------------------------

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

        _no_db_selector(db_id)
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
        response = await self._call(
            "memories", "CreateMemory", request, headers=headers, auth_token=auth_token
        )
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

        _no_db_selector(db_id)
        request = memories_pb2.ListMemoriesRequest(
            page_size=limit,
            order_by=order_by,
            user_id=user_id or "",
            agent_id=agent_id or "",
            team_id=team_id or "",
            topics=as_list(topics),
            search_content=search_content or "",
        )
        response = await self._paged(
            "memories",
            "ListMemories",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        return page_of(
            (user_memory_from_proto(m) for m in response.memories), response, page=page, limit=limit
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

        _no_db_selector(db_id)
        response = await self._call(
            "memories",
            "GetMemory",
            memories_pb2.GetMemoryRequest(memory_id=memory_id),
            headers=headers,
            auth_token=auth_token,
        )
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
        from google.protobuf import field_mask_pb2

        _no_db_selector(db_id)
        paths = [
            name
            for name, value in (("memory", memory), ("topics", topics), ("input", input))
            if value is not None
        ]
        if not paths:
            raise ValueError("update_memory needs memory, topics or input")
        request = memories_pb2.UpdateMemoryRequest(
            memory=memories_pb2.UserMemory(
                memory_id=memory_id,
                memory=memory or "",
                topics=as_list(topics),
                input=input or "",
                user_id=user_id or "",
            ),
            update_mask=field_mask_pb2.FieldMask(paths=paths),
        )
        response = await self._call(
            "memories", "UpdateMemory", request, headers=headers, auth_token=auth_token
        )
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

        _no_db_selector(db_id)
        if user_id is not None:
            await self.get_memory(memory_id, user_id, headers=headers, auth_token=auth_token)
        await self._call(
            "memories",
            "DeleteMemory",
            memories_pb2.DeleteMemoryRequest(memory_id=memory_id, allow_missing=allow_missing),
            headers=headers,
            auth_token=auth_token,
        )

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

        response = await self._call(
            "memories",
            "BatchDeleteMemories",
            memories_pb2.BatchDeleteMemoriesRequest(memory_ids=list(memory_ids), user_id=user_id or ""),
            headers=headers,
            auth_token=auth_token,
        )
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

        topics: list[str] = []
        token = ""
        while True:
            response = await self._call(
                "memories",
                "ListMemoryTopics",
                memories_pb2.ListMemoryTopicsRequest(
                    page_size=1000,
                    page_token=token,
                    user_id=user_id or "",
                    agent_id=agent_id or "",
                    team_id=team_id or "",
                ),
                headers=headers,
                auth_token=auth_token,
            )
            topics.extend(response.topics)
            token = response.next_page_token
            if not token:
                return topics

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
        response = await self._paged(
            "memories",
            "GetUserMemoryStats",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        stats = [
            {
                "user_id": s.user_id,
                "total_memories": s.total_memories,
                "last_memory_updated_at": s.last_memory_updated_at.seconds
                if s.HasField("last_memory_updated_at")
                else None,
            }
            for s in response.stats
        ]
        return page_of(stats, response, page=page, limit=limit)

    # -- sessions ------------------------------------------------------------------------------------------

    async def create_session(
        self,
        session_type: SessionType | str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        session_name: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        *,
        session_state: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        request_id: str | None = None,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """Create a session (an ``AgentSession``, ``TeamSession`` or ``WorkflowSession``).

        ``session_type`` defaults to the kind of owner given (``agent_id``, ``team_id`` or
        ``workflow_id``), else agent.
        """
        from agentos.session import SessionType as DomainSessionType
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto, session_type_to_proto

        _no_db_selector(db_id)
        session = sessions_pb2.Session(
            session_id=session_id or "",
            session_type=session_type_to_proto(
                DomainSessionType(session_type or _owner_kind(team_id, workflow_id))
            ),
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
            user_id=user_id or "",
            session_name=session_name or "",
        )
        _fill_struct(session, "session_state", session_state)
        _fill_struct(session, "metadata", metadata)
        response = await self._call(
            "sessions",
            "CreateSession",
            sessions_pb2.CreateSessionRequest(session=session, request_id=request_id or ""),
            headers=headers,
            auth_token=auth_token,
        )
        return session_from_proto(response.session)

    async def get_sessions(
        self,
        user_id: str | None = None,
        session_type: SessionType | str | None = None,
        limit: int = 20,
        page: int = 1,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        session_name: str | None = None,
        order_by: str = "",
        page_token: str | None = None,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[Session]:
        """Sessions matching the filters, one page (``.data``), most recently updated first."""
        from agentos.session import SessionType as DomainSessionType
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto, session_type_to_proto

        _no_db_selector(db_id)
        request = sessions_pb2.ListSessionsRequest(
            page_size=limit,
            order_by=order_by,
            session_type=session_type_to_proto(DomainSessionType(session_type))
            if session_type is not None
            else sessions_pb2.SESSION_TYPE_UNSPECIFIED,
            user_id=user_id or "",
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
            session_name=session_name or "",
        )
        response = await self._paged(
            "sessions",
            "ListSessions",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        return page_of((session_from_proto(s) for s in response.sessions), response, page=page, limit=limit)

    async def get_session(
        self,
        session_id: str,
        session_type: SessionType | str | None = None,
        *,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """One session. With ``session_type``, a session of another type is NotFoundError."""
        from agentos.session import SessionType as DomainSessionType
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto

        _no_db_selector(db_id)
        response = await self._call(
            "sessions",
            "GetSession",
            sessions_pb2.GetSessionRequest(session_id=session_id),
            headers=headers,
            auth_token=auth_token,
        )
        session = session_from_proto(response.session)
        if session_type is not None and session.session_type != DomainSessionType(session_type):
            raise NotFoundError(
                f"session {session_id!r} is a {session.session_type} session, not a {session_type} session",
                reason="SESSION_NOT_FOUND",
                metadata={"session_id": session_id},
                base_url=self.base_url,
            )
        return session

    async def update_session(
        self,
        session_id: str,
        *,
        session_name: str | None = None,
        session_state: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """Change a session's name, state and/or metadata (only the arguments given)."""
        from agentos.v1 import sessions_pb2
        from agentos.wire import session_from_proto
        from google.protobuf import field_mask_pb2

        paths = [
            name
            for name, value in (
                ("session_name", session_name),
                ("session_state", session_state),
                ("metadata", metadata),
            )
            if value is not None
        ]
        if not paths:
            raise ValueError("update_session needs session_name, session_state or metadata")
        session = sessions_pb2.Session(session_id=session_id, session_name=session_name or "")
        _fill_struct(session, "session_state", session_state)
        _fill_struct(session, "metadata", metadata)
        response = await self._call(
            "sessions",
            "UpdateSession",
            sessions_pb2.UpdateSessionRequest(
                session=session, update_mask=field_mask_pb2.FieldMask(paths=paths)
            ),
            headers=headers,
            auth_token=auth_token,
        )
        return session_from_proto(response.session)

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Session:
        """Rename a session."""
        return await self.update_session(
            session_id, session_name=session_name, headers=headers, auth_token=auth_token
        )

    async def delete_session(
        self,
        session_id: str,
        *,
        allow_missing: bool = False,
        db_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> None:
        """Delete a session and its runs (NotFoundError when missing, unless ``allow_missing``)."""
        from agentos.v1 import sessions_pb2

        _no_db_selector(db_id)
        await self._call(
            "sessions",
            "DeleteSession",
            sessions_pb2.DeleteSessionRequest(session_id=session_id, allow_missing=allow_missing),
            headers=headers,
            auth_token=auth_token,
        )

    async def delete_sessions(
        self, session_ids: Sequence[str], *, headers: Headers | None = None, auth_token: str | None = None
    ) -> int:
        """Delete several sessions; returns how many existed."""
        from agentos.v1 import sessions_pb2

        response = await self._call(
            "sessions",
            "BatchDeleteSessions",
            sessions_pb2.BatchDeleteSessionsRequest(session_ids=list(session_ids)),
            headers=headers,
            auth_token=auth_token,
        )
        return int(response.deleted_count)

    # -- knowledge (contract messages; the server may answer UNIMPLEMENTED) -------------------------

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
        _fill_struct(request, "metadata", metadata)
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
        response = await self._call(
            "knowledge", "CreateContent", request, headers=headers, auth_token=auth_token
        )
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
            _stub_class("knowledge"), "UploadContent", parts(), headers=headers, auth_token=auth_token
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
        _fill_struct(request, "filters", filters)
        response = await self._call(
            "knowledge", "SearchKnowledge", request, headers=headers, auth_token=auth_token
        )
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
        response = await self._paged(
            "knowledge",
            "ListContents",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        return page_of(response.contents, response, page=page, limit=limit)

    async def get_knowledge_content(
        self, content_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> Any:
        from agentos.v1 import knowledge_pb2

        response = await self._call(
            "knowledge",
            "GetContent",
            knowledge_pb2.GetContentRequest(content_id=content_id),
            headers=headers,
            auth_token=auth_token,
        )
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

        await self._call(
            "knowledge",
            "DeleteContent",
            knowledge_pb2.DeleteContentRequest(content_id=content_id, allow_missing=allow_missing),
            headers=headers,
            auth_token=auth_token,
        )

    async def get_knowledge_config(
        self,
        knowledge_id: str | None = None,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """Readers, chunkers and vector store of a knowledge base (``GetKnowledgeConfigResponse``)."""
        from agentos.v1 import knowledge_pb2

        return await self._call(
            "knowledge",
            "GetKnowledgeConfig",
            knowledge_pb2.GetKnowledgeConfigRequest(knowledge_id=knowledge_id or ""),
            headers=headers,
            auth_token=auth_token,
        )

    # -- traces, metrics, evals (contract messages; the server may answer UNIMPLEMENTED) ----------

    async def get_traces(
        self,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        limit: int = 20,
        page: int = 1,
        page_token: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[Any]:
        """Traces matching the filters (``Trace`` messages)."""
        from agentos.v1 import traces_pb2

        request = traces_pb2.ListTracesRequest(
            page_size=limit,
            run_id=run_id or "",
            session_id=session_id or "",
            user_id=user_id or "",
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
        )
        response = await self._paged(
            "traces",
            "ListTraces",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        return page_of(response.traces, response, page=page, limit=limit)

    async def get_trace(
        self,
        trace_id: str,
        span_id: str | None = None,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """A trace with its spans (``GetTraceResponse``); with ``span_id``, that span's subtree."""
        from agentos.v1 import traces_pb2

        return await self._call(
            "traces",
            "GetTrace",
            traces_pb2.GetTraceRequest(trace_id=trace_id, span_id=span_id or ""),
            headers=headers,
            auth_token=auth_token,
        )

    async def get_metrics(
        self,
        starting_date: Any = None,
        ending_date: Any = None,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """Daily aggregated metrics between two dates (``date`` or "YYYY-MM-DD"); ``GetMetricsResponse``."""
        from agentos.v1 import metrics_pb2

        return await self._call(
            "metrics",
            "GetMetrics",
            metrics_pb2.GetMetricsRequest(
                starting_date=_date_text(starting_date), ending_date=_date_text(ending_date)
            ),
            headers=headers,
            auth_token=auth_token,
        )

    async def refresh_metrics(
        self,
        starting_date: Any = None,
        ending_date: Any = None,
        *,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> list[Any]:
        """Recompute the daily metrics now; returns the ``DayAggregatedMetrics`` messages."""
        from agentos.v1 import metrics_pb2

        response = await self._call(
            "metrics",
            "RefreshMetrics",
            metrics_pb2.RefreshMetricsRequest(
                starting_date=_date_text(starting_date), ending_date=_date_text(ending_date)
            ),
            headers=headers,
            auth_token=auth_token,
        )
        return list(response.metrics)

    async def create_eval_run(
        self,
        eval_type: str,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        name: str | None = None,
        input: str | None = None,
        expected_output: str | None = None,
        criteria: str | None = None,
        num_iterations: int | None = None,
        additional_guidelines: Sequence[str] | str | None = None,
        model_id: str | None = None,
        model_provider: str | None = None,
        request_id: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """Run an eval ("accuracy", "agent_as_judge", "performance", "reliability"); the ``EvalRun``."""
        from agentos.v1 import evals_pb2

        request = evals_pb2.CreateEvalRunRequest(
            eval_type=cast(Any, evals_pb2.EvalType.Value(f"EVAL_TYPE_{eval_type.upper()}")),
            name=name or "",
            input=input or "",
            expected_output=expected_output or "",
            criteria=criteria or "",
            additional_guidelines=as_list(additional_guidelines),
            model_id=model_id or "",
            model_provider=model_provider or "",
            request_id=request_id or "",
        )
        if num_iterations is not None:
            request.num_iterations = num_iterations
        for field_name, value in (("agent_id", agent_id), ("team_id", team_id), ("workflow_id", workflow_id)):
            if value:
                setattr(request, field_name, value)
        response = await self._call("evals", "CreateEvalRun", request, headers=headers, auth_token=auth_token)
        return response.eval_run

    async def get_eval_run(
        self, eval_run_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> Any:
        from agentos.v1 import evals_pb2

        response = await self._call(
            "evals",
            "GetEvalRun",
            evals_pb2.GetEvalRunRequest(eval_run_id=eval_run_id),
            headers=headers,
            auth_token=auth_token,
        )
        return response.eval_run

    async def list_eval_runs(
        self,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        model_id: str | None = None,
        limit: int = 20,
        page: int = 1,
        page_token: str | None = None,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> PaginatedResponse[Any]:
        from agentos.v1 import evals_pb2

        request = evals_pb2.ListEvalRunsRequest(
            page_size=limit,
            agent_id=agent_id or "",
            team_id=team_id or "",
            workflow_id=workflow_id or "",
            model_id=model_id or "",
        )
        response = await self._paged(
            "evals",
            "ListEvalRuns",
            request,
            page=page,
            page_token=page_token,
            headers=headers,
            auth_token=auth_token,
        )
        return page_of(response.eval_runs, response, page=page, limit=limit)

    async def update_eval_run(
        self, eval_run_id: str, name: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> Any:
        """Rename an eval run."""
        from agentos.v1 import evals_pb2
        from google.protobuf import field_mask_pb2

        response = await self._call(
            "evals",
            "UpdateEvalRun",
            evals_pb2.UpdateEvalRunRequest(
                eval_run=evals_pb2.EvalRun(eval_run_id=eval_run_id, name=name),
                update_mask=field_mask_pb2.FieldMask(paths=["name"]),
            ),
            headers=headers,
            auth_token=auth_token,
        )
        return response.eval_run

    async def delete_eval_runs(
        self, eval_run_ids: Sequence[str], *, headers: Headers | None = None, auth_token: str | None = None
    ) -> int:
        from agentos.v1 import evals_pb2

        response = await self._call(
            "evals",
            "DeleteEvalRuns",
            evals_pb2.DeleteEvalRunsRequest(eval_run_ids=list(eval_run_ids)),
            headers=headers,
            auth_token=auth_token,
        )
        return int(response.deleted_count)


# -- helpers -----------------------------------------------------------------------------------------


def _stub_class(service: str) -> type[Any]:
    """The generated stub class of a service (imported on first use)."""
    if service == "runs":
        from agentos.v1 import run_service_pb2_grpc

        return run_service_pb2_grpc.RunServiceStub
    if service == "agent_os":
        from agentos.v1 import agent_os_pb2_grpc

        return agent_os_pb2_grpc.AgentOSServiceStub
    if service == "sessions":
        from agentos.v1 import sessions_pb2_grpc

        return sessions_pb2_grpc.SessionServiceStub
    if service == "memories":
        from agentos.v1 import memories_pb2_grpc

        return memories_pb2_grpc.MemoryServiceStub
    if service == "knowledge":
        from agentos.v1 import knowledge_pb2_grpc

        return knowledge_pb2_grpc.KnowledgeServiceStub
    if service == "traces":
        from agentos.v1 import traces_pb2_grpc

        return traces_pb2_grpc.TraceServiceStub
    if service == "metrics":
        from agentos.v1 import metrics_pb2_grpc

        return metrics_pb2_grpc.MetricsServiceStub
    if service == "evals":
        from agentos.v1 import evals_pb2_grpc

        return evals_pb2_grpc.EvalServiceStub
    raise ValueError(f"unknown service {service!r}")


def _fill_struct(message: Any, name: str, data: dict[str, Any] | None) -> None:
    if data is None:
        return
    from agentos.wire import to_struct

    getattr(message, name).CopyFrom(to_struct(data))


def _run_status(status_type: Any, value: Any) -> Any:
    """A RunStatus from a member, its name ("completed") or its value ("COMPLETED")."""
    if isinstance(value, status_type):
        return value
    text = str(value)
    return status_type[text] if text in status_type.__members__ else status_type(text.upper())


def _owner_kind(team_id: str | None, workflow_id: str | None) -> str:
    return "team" if team_id else "workflow" if workflow_id else "agent"


def _no_db_selector(db_id: str | None) -> None:
    if db_id:
        raise NotImplementedError(
            "db_id: the AgentOS contract has no database selector yet; the server uses its default "
            "database (AgentOS(db=...)), so call without db_id"
        )


def _date_text(value: Any) -> str:
    if value is None:
        return ""
    iso = getattr(value, "isoformat", None)
    text = iso() if callable(iso) else str(value)
    return str(text)[:10]
