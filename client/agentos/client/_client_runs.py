"""Starting, continuing and cancelling runs of agents, teams and workflows.

The public run methods keep Agno's explicit, typed signatures, which differ by target kind (a
team has no context flags, a workflow no output schema but ``additional_data``). Past their
signatures they are the same logic, so each hands its arguments (``locals()``, taken first
thing) to one implementation parameterised by the target kind: :func:`_run_arguments` reads
them by name into the wire layer's ``RunArguments``, where a field a kind lacks keeps its
default. A parameter added to a run method therefore reaches the request under its name, or
must be one of the call options read explicitly (``timeout``, ``headers``, ``auth_token``,
``resume_on_disconnect``, ``output_schema``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from agentos.client._client_run_history import RunHistoryMethods, event_decoder, schema_parts
from agentos.client._run_stream import run_event_stream
from agentos.client._transport import DEFAULT, Headers

if TYPE_CHECKING:
    from agentos.media import Audio, File, Image, Video
    from agentos.models import ToolExecution
    from agentos.run import RunOutput, RunOutputEvent, RunRequirement

TargetKind = Literal["agent", "team", "workflow"]

# Arguments of the public run methods that are RunArguments fields of the same name.
_RUN_FIELDS = (
    "session_id",
    "user_id",
    "session_state",
    "dependencies",
    "metadata",
    "knowledge_filters",
    "additional_data",
    "stream_events",
    "background",
    "request_id",
    "run_id",
    "add_history_to_context",
    "add_session_state_to_context",
    "add_dependencies_to_context",
    "retries",
)
_MEDIA_FIELDS = ("images", "audio", "videos", "files")


def _new_id() -> str:
    return str(uuid.uuid4())


def _run_input(message: Any) -> Any:
    """Pydantic models travel as their JSON data; everything else as the wire layer maps it."""
    dump = getattr(message, "model_dump", None)
    if callable(dump) and not isinstance(message, type):
        return dump(mode="json")
    return message


def _run_arguments(kind: TargetKind, given: dict[str, Any]) -> tuple[Any, Any]:
    """(``RunArguments``, what to decode structured content with) from the arguments of a
    public run method of ``kind`` (its ``locals()``)."""
    from agentos.wire import RunArguments

    schema, decode_with = schema_parts(given.get("output_schema"))
    target_id = given[f"{kind}_id"]
    if not target_id:
        raise ValueError(f"{kind}_id is required")
    fields: dict[str, Any] = {name: given[name] for name in _RUN_FIELDS if name in given}
    fields.update((name, list(given[name]) if given[name] else None) for name in _MEDIA_FIELDS)
    arguments = RunArguments(
        target_kind=kind,
        target_id=target_id,
        input=_run_input(given["message"]),
        output_schema=schema,
        **fields,
    )
    return arguments, decode_with


class RunMethods(RunHistoryMethods):
    """``run_*``, ``run_*_stream``, ``continue_agent_run`` and ``cancel_*``."""

    # -- shared machinery ---------------------------------------------------------------------------

    async def _unary_run(
        self,
        method: str,
        request: Any,
        decode_with: Any,
        headers: Headers | None,
        auth_token: str | None,
        deadline: Any,
    ) -> RunOutput:
        from agentos.wire import run_from_proto

        response = await self._call("runs", method, request, headers, auth_token, deadline=deadline)
        return run_from_proto(response.run, output_schema=decode_with)

    async def _run_to_end(self, kind: TargetKind, given: dict[str, Any]) -> RunOutput:
        """``CreateRun``: the run's output once it settles (or at once, for ``background``)."""
        from agentos.wire import create_run_request

        args, decode_with = _run_arguments(kind, given)
        request = create_run_request(args)
        return await self._unary_run(
            "CreateRun", request, decode_with, given["headers"], given["auth_token"], given["timeout"]
        )

    def _run_streamed(self, kind: TargetKind, given: dict[str, Any]) -> AsyncIterator[RunOutputEvent]:
        """``StreamRun``: the run's events."""
        from agentos.wire import stream_run_request

        args, decode_with = _run_arguments(kind, given)
        resume = bool(given["resume_on_disconnect"])
        if resume:
            # Re-attach needs the run id before the first event, and a resent start request
            # must not start a second run.
            args.background = True
            args.run_id = args.run_id or _new_id()
            args.request_id = args.request_id or _new_id()
        return run_event_stream(
            self._transport,
            method="StreamRun",
            request=stream_run_request(args),
            run_id=args.run_id or "",
            stream_events=args.stream_events,
            resume=resume,
            headers=given["headers"],
            auth_token=given["auth_token"],
            decode=event_decoder(decode_with),
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
        return await self._run_to_end("agent", locals())

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
        return self._run_streamed("agent", locals())

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
        _, decode_with = schema_parts(output_schema)
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
        return self._continue_run(args, decode_with, headers, auth_token, timeout)

    async def _continue_run(
        self, args: Any, decode_with: Any, headers: Headers | None, auth_token: str | None, deadline: Any
    ) -> RunOutput:
        from agentos.wire import continue_run_request

        request = continue_run_request(args)
        return await self._unary_run("ContinueRun", request, decode_with, headers, auth_token, deadline)

    async def _stream_continue(
        self,
        args: Any,
        decode_with: Any,
        *,
        resume_on_disconnect: bool,
        headers: Headers | None,
        auth_token: str | None,
    ) -> AsyncIterator[RunOutputEvent]:
        from agentos.wire import stream_continue_run_request

        after_sequence = 0
        if resume_on_disconnect:
            args.background = True
            args.request_id = args.request_id or _new_id()
            # Where the continuation starts in the run's event log, so that a re-attach does
            # not replay the events from before the pause.
            paused = await self._get_run_proto(args.run_id, headers=headers, auth_token=auth_token)
            after_sequence = int(paused.last_sequence)

        async for event in run_event_stream(
            self._transport,
            method="StreamContinueRun",
            request=stream_continue_run_request(args),
            run_id=args.run_id,
            stream_events=args.stream_events,
            resume=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
            decode=event_decoder(decode_with),
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

        request = run_service_pb2.CancelRunRequest(
            run_id=run_id, reason=reason, allow_missing=allow_missing, request_id=request_id or ""
        )
        response = await self._call("runs", "CancelRun", request, headers, auth_token)
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
        return await self._run_to_end("team", locals())

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
        return self._run_streamed("team", locals())

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
        return await self._run_to_end("workflow", locals())

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
        return self._run_streamed("workflow", locals())

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
