"""``RemoteRunner``: gateway federation, a remote agent served like a local one.

An AgentOS given ``agents=[RemoteAgent(...)]`` serves that agent through its own RunService:
the runner drives ``RemoteAgent.arun(stream=True, stream_events=True)`` (and
``acontinue_run``), so the remote run's events flow into this server's event log and out of
its StreamRun/WatchRun exactly as a local run's do; CreateRun waits for them as for any run.

Run ids are preserved: the remote run gets the id this server chose (or the client asked for),
and the remote events keep their sequence numbers, so the gateway's log of a run and the
backend's are the same and either server can be asked about it.

Cancelling: a remote run is not in this process's cancellation registry (it runs elsewhere),
so the runner cancels it itself (``cancel``/``cancel_paused``, which the RunManager calls for
runners that have them) by sending CancelRun to the remote server; the remote stream then ends
with its RunCancelled event, forwarded like any other. A cancel that reached this server before
the run started is found in the registry at start and sent along (``allow_missing``), so the
remote run is cancelled before it starts too.

Failures of the remote call itself (server unreachable, auth refused, agent gone) end the run
with an in-band RunError whose ``error_type`` is the client's error class: an unreachable remote
is UNAVAILABLE / REMOTE_SERVER_UNAVAILABLE to this server's callers; the client's code and reason
travel in ``additional_data``. Failures inside the remote run arrive as its own RunError event.

The remote entity is duck-typed (``is_remote``, ``arun``, ``acontinue_run``, ``client``), so the
runtime does not import the client package.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from agentos.db import BaseDb
from agentos.os.runs._runner import RunStream
from agentos.run import BaseRunEvent, RunContinuedEvent, RunErrorEvent, RunOutput
from agentos.run.cancellation import get_cancellation_registry
from agentos.wire import ContinueArguments, RunArguments

logger = logging.getLogger("agentos.os.runs")

_REMEMBERED_RUNS = 10_000


def is_remote(entity: Any) -> bool:
    """Whether a registered entity is served by another AgentOS (RemoteAgent and friends)."""
    return bool(getattr(entity, "is_remote", False))


def _client_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure of the remote call reported by the client (a typed error)."""
    return (
        isinstance(exc, Exception) and hasattr(exc, "code") and isinstance(getattr(exc, "message", None), str)
    )


def _ends(event: Any, run_id: str) -> bool:
    """Whether ``event`` is the terminal event of the run itself (not of a nested run)."""
    return (
        bool(getattr(type(event), "is_terminal", False))
        and not getattr(event, "parent_run_id", None)
        and getattr(event, "run_id", None) == run_id
    )


@dataclass(slots=True)
class RemoteRunner:
    """Runs a remote agent through its AgentOS (see the module docstring)."""

    entity: Any
    _cancels: set[asyncio.Task[bool]] = field(default_factory=set)
    # Last event sequence of recent runs, so that a failed continuation ends after it.
    _last_sequences: OrderedDict[str, int] = field(default_factory=OrderedDict)

    @property
    def kind(self) -> str:
        return "agent"

    @property
    def target_id(self) -> str:
        return str(self.entity.id)

    @property
    def name(self) -> str | None:
        name = self.entity.name  # cached remote configuration; never blocks inside the loop
        return name if isinstance(name, str) else None

    @property
    def db(self) -> BaseDb | None:
        return None  # the remote server stores its runs

    def default_session_id(self) -> str:
        return str(uuid4())

    # -- runs ------------------------------------------------------------------------------------

    def start(self, args: RunArguments, *, run_id: str, session_id: str, user_id: str | None) -> RunStream:
        kwargs: dict[str, Any] = args.agent_run_kwargs()
        kwargs.pop("output_schema", None)  # the remote agent's own schema applies; content comes back as data
        kwargs["run_id"] = run_id
        kwargs["session_id"] = session_id
        kwargs["user_id"] = user_id

        def open_stream() -> AsyncIterator[Any]:
            stream: AsyncIterator[Any] = self.entity.arun(
                args.input, stream=True, stream_events=True, **kwargs
            )
            return stream

        return self._drive(run_id, open_stream, session_id=session_id, after_sequence=0, pending_cancel=True)

    def resume(self, args: ContinueArguments, *, user_id: str | None) -> RunStream:
        kwargs: dict[str, Any] = args.agent_continue_kwargs()
        kwargs["user_id"] = user_id
        run_id = args.run_id

        def open_stream() -> AsyncIterator[Any]:
            stream: AsyncIterator[Any] = self.entity.acontinue_run(stream=True, stream_events=True, **kwargs)
            return stream

        return self._drive(
            run_id,
            open_stream,
            session_id=args.session_id,
            after_sequence=self._last_sequences.get(run_id, 0),
            pending_cancel=False,
            resuming=True,
        )

    async def _drive(
        self,
        run_id: str,
        open_stream: Callable[[], AsyncIterator[Any]],
        *,
        session_id: str | None,
        after_sequence: int,
        pending_cancel: bool,
        resuming: bool = False,
    ) -> AsyncIterator[BaseRunEvent | RunOutput]:
        if pending_cancel:
            # A CancelRun that came before the start is waiting in this process's registry.
            registry = get_cancellation_registry()
            handle = registry.register(run_id)
            registry.unregister(run_id)
            if handle.requested:
                await self._send_cancel(run_id, handle.reason, allow_missing=True)
        last_sequence = after_sequence
        seen_any = False
        try:
            source = open_stream()
            async with contextlib.aclosing(source):  # type: ignore[type-var]
                async for event in source:
                    seen_any = True
                    last_sequence = max(last_sequence, int(getattr(event, "sequence", 0) or 0))
                    if _ends(event, run_id):
                        # The run's output is read back before its terminal event is passed on:
                        # a client that continues or reads the run as soon as it sees the
                        # terminal event must find the run settled here, as with a local run.
                        output = await self._final_output(run_id)
                        if output is not None:
                            yield output
                    yield event
        except Exception as exc:
            if not _client_failure(exc):
                raise
            if resuming and not seen_any:
                # The log reads "paused, continued, failed" rather than a second ending in a row.
                last_sequence += 1
                yield RunContinuedEvent(
                    run_id=run_id,
                    session_id=session_id,
                    agent_id=self.target_id,
                    agent_name=self.name or "",
                    sequence=last_sequence,
                )
            last_sequence += 1
            yield self._failed(exc, run_id, session_id, last_sequence)
        finally:
            self._remember(run_id, last_sequence)

    def _remember(self, run_id: str, sequence: int) -> None:
        sequences = self._last_sequences
        sequences[run_id] = sequence
        sequences.move_to_end(run_id)
        while len(sequences) > _REMEMBERED_RUNS:
            sequences.popitem(last=False)

    def _failed(self, exc: Exception, run_id: str, session_id: str | None, sequence: int) -> RunErrorEvent:
        """The in-band end of a run whose remote call failed. ``error_type`` is the client's error
        class (``RemoteServerUnavailableError`` maps to UNAVAILABLE / REMOTE_SERVER_UNAVAILABLE)."""
        code = getattr(exc, "code", None)
        data: dict[str, Any] = {"remote_url": str(self.entity.base_url)}
        if code is not None and hasattr(code, "name"):
            data["code"] = code.name
        reason = getattr(exc, "reason", "")
        if reason:
            data["reason"] = str(reason)
        return RunErrorEvent(
            run_id=run_id,
            session_id=session_id,
            agent_id=self.target_id,
            agent_name=self.name or "",
            sequence=sequence,
            content=f"remote agent {self.target_id!r}: {getattr(exc, 'message', exc)}",
            error_type=type(exc).__name__,
            additional_data=data,
        )

    async def _final_output(self, run_id: str) -> RunOutput | None:
        """The remote run as its server stored it (its tools and requirements are what a
        continue through this server is checked against)."""
        try:
            output: RunOutput = await self.entity.client.get_run(run_id)
        except Exception as exc:
            logger.warning("remote run %s: could not read it back (%s); its events stand for it", run_id, exc)
            return None
        return output

    # -- cancelling --------------------------------------------------------------------------------

    async def _send_cancel(self, run_id: str, reason: str | None, *, allow_missing: bool) -> bool:
        try:
            cancelled: bool = await self.entity.client.cancel_run(
                run_id, reason=reason or "", allow_missing=allow_missing
            )
        except Exception as exc:
            logger.warning("remote run %s: cancel not delivered to %s: %s", run_id, self.entity.base_url, exc)
            return False
        return cancelled

    def cancel(self, run_id: str, reason: str | None = None) -> None:
        """Ask the remote server to cancel a running run (the RunManager's hook; not async)."""
        task = asyncio.get_running_loop().create_task(self._send_cancel(run_id, reason, allow_missing=True))
        self._cancels.add(task)
        task.add_done_callback(self._cancels.discard)

    async def cancel_paused(self, run_id: str, reason: str) -> None:
        """Cancel a paused remote run on its server (so it cannot be continued there either)."""
        await self._send_cancel(run_id, reason, allow_missing=False)
