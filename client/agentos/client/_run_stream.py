"""A run's event stream as domain events, with transparent re-attach after a lost connection.

The events are the classes a local run yields (``agentos.wire.event_from_proto``). The stream
ends after the terminal event of its own run (completed, paused, cancelled or error; nested
member runs end earlier with their own), which every server stream carries in-band.

Re-attach (``resume=True``): the run was started with ``background`` set, so the server keeps
it going when the connection drops. The stream then reconnects with
``WatchRun(run_id, after_sequence=<last sequence seen>)``, skips the snapshot, drops anything
at or below that sequence (no duplicates) and goes on (no gaps: the server replays the events
it logged after that sequence). The run id is known from the start because the client chose it
(``run_id`` on the request). If the server never saw the start request (the connection died
before it arrived), WatchRun answers NOT_FOUND and the start request is sent again with the
same ``request_id``, which the server de-duplicates. Re-attach gives up after a bounded number
of consecutive failed attempts, with exponential backoff, and raises the last error.

Without ``resume``, a dropped connection raises RemoteServerUnavailableError (and the server
cancels the run, as the contract says for non-background streams).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from agentos.client._errors import (
    AgentOSClientError,
    NotFoundError,
    RemoteServerUnavailableError,
    RemoteStreamError,
)
from agentos.client._transport import Headers, Transport

TERMINAL_CASES = frozenset(
    {
        "run_completed",
        "run_paused",
        "run_cancelled",
        "run_error",
        "team_run_completed",
        "team_run_paused",
        "team_run_cancelled",
        "team_run_error",
        "workflow_completed",
        "workflow_cancelled",
        "workflow_error",
    }
)
"""Payload cases that end a run (the stream ends with the one of its own run)."""

_BASIC_CASES = frozenset(
    {
        "run_content",
        "run_intermediate_content",
        "custom_event",
        "team_run_content",
        "team_run_intermediate_content",
    }
    | TERMINAL_CASES
)
"""What a stream without ``stream_events`` delivers (as a local run does): content and endings."""

_AGENT_OR_TEAM_PREFIXES = (
    "run_",
    "team_",
    "pre_hook",
    "post_hook",
    "reasoning_",
    "tool_call_",
    "memory_update",
    "session_summary",
    "parser_model",
    "output_model",
)


def delivered(case: str, stream_events: bool) -> bool:
    """Whether a stream asked for with ``stream_events`` receives events of this payload case.

    Used on replays (WatchRun sends every logged event): agent and team events beyond content
    and endings are dropped when the caller did not ask for them; workflow events pass.
    """
    if stream_events or case in _BASIC_CASES:
        return True
    return not case.startswith(_AGENT_OR_TEAM_PREFIXES)


@dataclass(frozen=True, slots=True)
class ReattachPolicy:
    """How hard re-attach tries: consecutive attempts without progress, and backoff bounds (s)."""

    max_attempts: int = 8
    initial_backoff: float = 0.05
    max_backoff: float = 2.0

    def backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.initial_backoff * 2.0 ** (attempt - 1))


DEFAULT_REATTACH = ReattachPolicy()


def _retryable(exc: AgentOSClientError, *, restartable: bool, reattaching: bool, seen_any: bool) -> bool:
    if isinstance(exc, RemoteServerUnavailableError | RemoteStreamError):
        return True
    # A WatchRun for a run the server never received: start it again (same request_id).
    return restartable and reattaching and not seen_any and isinstance(exc, NotFoundError)


async def run_event_stream(
    transport: Transport,
    *,
    method: str,
    request: Any,
    run_id: str,
    stream_events: bool,
    resume: bool,
    headers: Headers | None,
    auth_token: str | None,
    decode: Callable[[Any], Any],
    after_sequence: int = 0,
    stop_at_terminal: bool = True,
    policy: ReattachPolicy = DEFAULT_REATTACH,
) -> AsyncIterator[Any]:
    """Events of ``method`` (StreamRun, StreamContinueRun or WatchRun), decoded, re-attaching if asked.

    ``run_id`` is the stream's own run (may be "" for a StreamRun without a client-chosen id:
    it is then learnt from the first top-level event, and re-attach needs it).
    ``after_sequence`` is where the stream starts in the run's event log: 0 for a new run, the
    paused run's ``last_sequence`` for a continuation (so a re-attach does not replay the
    events from before the pause). ``stop_at_terminal``: end at the run's terminal event (a run
    or continue stream: one segment); False for a caller's WatchRun, which replays every segment
    of the run (paused, continued, ...) and ends when the server ends it.
    """
    from agentos.v1 import run_service_pb2, run_service_pb2_grpc, runs_pb2

    stub = run_service_pb2_grpc.RunServiceStub
    restartable = method != "WatchRun"
    continuing = method == "StreamContinueRun"
    last_sequence = after_sequence
    attempts = 0
    seen_any = False
    reattaching = False
    source = transport.stream(stub, method, request, headers=headers, auth_token=auth_token)
    while True:
        restart = False
        try:
            async for pb in source:
                case = pb.WhichOneof("payload")
                if case == "run_snapshot":
                    run = pb.run_snapshot.run
                    if (
                        continuing
                        and not seen_any
                        and run.state == runs_pb2.RUN_STATE_PAUSED
                        and run.last_sequence <= last_sequence
                    ):
                        # The continuation never reached the server: the run is still paused.
                        restart = True
                        break
                    continue
                if case is None:
                    continue
                sequence = pb.sequence
                if sequence:
                    if sequence <= last_sequence:
                        continue
                    last_sequence = sequence
                attempts = 0
                seen_any = True
                top_level = not pb.parent_run_id
                if not run_id and top_level:
                    run_id = pb.run_id
                if reattaching and not delivered(case, stream_events):
                    continue
                yield decode(pb)
                if (
                    stop_at_terminal
                    and top_level
                    and case in TERMINAL_CASES
                    and (not run_id or pb.run_id == run_id)
                ):
                    return
            if not stop_at_terminal:
                return  # the server ended the watch: the log is replayed and the run settled
            failure: AgentOSClientError = RemoteStreamError(
                f"the event stream of run {run_id or '?'} ended without a terminal event",
                base_url=transport.base_url,
            )
        except AgentOSClientError as exc:
            retry = _retryable(exc, restartable=restartable, reattaching=reattaching, seen_any=seen_any)
            if not (resume and retry):
                raise
            failure = exc
            restart = isinstance(exc, NotFoundError)
        finally:
            aclose = getattr(source, "aclose", None)
            if aclose is not None:
                await aclose()
        if not resume or not run_id:
            raise failure
        attempts += 1
        if attempts > policy.max_attempts:
            raise failure
        await asyncio.sleep(policy.backoff(attempts))
        if restart:
            # The start (or continue) request never reached the server: send it again; its
            # request_id makes a duplicate harmless.
            source = transport.stream(stub, method, request, headers=headers, auth_token=auth_token)
            reattaching = False
            continue
        reattaching = True
        watch = run_service_pb2.WatchRunRequest(run_id=run_id, after_sequence=last_sequence)
        source = transport.stream(stub, "WatchRun", watch, headers=headers, auth_token=auth_token)
