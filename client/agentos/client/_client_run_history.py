"""Reading and watching runs: ``get_run``, ``list_runs``, ``get_session_runs``, ``watch_run``.

Also the decoding every run call shares: how an ``output_schema`` argument is sent and used to
rebuild structured content, and the event decoder handed to ``run_event_stream``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any

from agentos.client._client_core import ClientCore
from agentos.client._run_stream import run_event_stream
from agentos.client._transport import Headers
from agentos.client._types import PaginatedResponse

if TYPE_CHECKING:
    from agentos.run import RunOutput, RunOutputEvent, RunStatus


def schema_parts(output_schema: Any) -> tuple[dict[str, Any] | None, Any]:
    """(JSON schema to send, what to rebuild the content with) for a pydantic class or a dict."""
    if output_schema is None:
        return None, None
    if isinstance(output_schema, type) and hasattr(output_schema, "model_json_schema"):
        return output_schema.model_json_schema(), output_schema
    if isinstance(output_schema, dict):
        return output_schema, output_schema
    raise TypeError("output_schema must be a pydantic model class or a JSON schema dict")


def event_decoder(decode_with: Any) -> Callable[[Any], Any]:
    """Decode a ``RunEvent`` message into the event class a local run yields."""
    from agentos.wire import event_from_proto

    def decode(pb: Any) -> Any:
        return event_from_proto(pb, output_schema=decode_with)

    return decode


def _run_status(status_type: Any, value: Any) -> Any:
    """A RunStatus from a member, its name ("completed") or its value ("COMPLETED")."""
    if isinstance(value, status_type):
        return value
    text = str(value)
    return status_type[text] if text in status_type.__members__ else status_type(text.upper())


class RunHistoryMethods(ClientCore):
    """Runs as stored, and re-attaching to a run's events."""

    async def _get_run_proto(
        self, run_id: str, *, full: bool = False, headers: Headers | None, auth_token: str | None
    ) -> Any:
        from agentos.v1 import run_service_pb2

        view = run_service_pb2.RUN_VIEW_FULL if full else run_service_pb2.RUN_VIEW_BASIC
        request = run_service_pb2.GetRunRequest(run_id=run_id, view=view)
        response = await self._call("runs", "GetRun", request, headers, auth_token)
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

        _, decode_with = schema_parts(output_schema)
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

        def read(response: Any) -> Any:
            return (run_from_proto(r) for r in response.runs)

        return await self._page("runs", "ListRuns", request, read, page, page_token, headers, auth_token)

    async def get_session_runs(
        self, session_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[RunOutput]:
        """Every run of a session, oldest first (nested member runs are in their parents)."""
        from agentos.v1 import run_service_pb2
        from agentos.wire import run_from_proto

        def request_for(token: str) -> Any:
            return run_service_pb2.ListRunsRequest(
                session_id=session_id, page_size=100, page_token=token, order_by="created_at"
            )

        def read(response: Any) -> Any:
            return (run_from_proto(r) for r in response.runs)

        return await self._every_page("runs", "ListRuns", request_for, read, headers, auth_token)

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

        _, decode_with = schema_parts(output_schema)
        return run_event_stream(
            self._transport,
            method="WatchRun",
            request=run_service_pb2.WatchRunRequest(run_id=run_id, after_sequence=after_sequence),
            run_id=run_id,
            stream_events=stream_events,
            resume=resume_on_disconnect,
            headers=headers,
            auth_token=auth_token,
            decode=event_decoder(decode_with),
            after_sequence=after_sequence,
            stop_at_terminal=False,
        )
