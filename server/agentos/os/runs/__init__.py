"""The run service of AgentOS: runs served over gRPC with streaming, re-attach, cancel and continue.

``RunManager`` executes each run in its own task and records its events in an ``EventLog``
(persisted in batches to the run_events table when there is a database); ``RunService`` serves
the ``agentos.v1.RunService`` RPCs over it. ``Runner`` is the seam where teams and workflows
plug in next to agents. ``run_manager(server)`` gives tests and operators the manager of a
running server.

Several replicas sharing a database: GetRun, WatchRun (polling the run_events table for a run
executing elsewhere), ContinueRun of a paused run and CancelRun of a paused run work from any
replica. Single-replica for now: CancelRun of a run *executing* on another replica (answered
FAILED_PRECONDITION saying so), cancel-before-start (recorded in the receiving process), and
request_id idempotency (an in-memory cache per replica).
"""

from agentos.os.runs._log import BASIC_CASES, TERMINAL_CASES, EventLog
from agentos.os.runs._manager import RunEntry, RunManager, RunSettings
from agentos.os.runs._register import register_run_service, run_manager
from agentos.os.runs._runner import AgentRunner, Runner, RunStream
from agentos.os.runs._service import RunService
from agentos.os.runs._snapshot import fold_events
from agentos.os.runs._store import DbEventWriter, EventSource, PollingEventSource, read_events

__all__ = [
    "BASIC_CASES",
    "TERMINAL_CASES",
    "AgentRunner",
    "DbEventWriter",
    "EventLog",
    "EventSource",
    "PollingEventSource",
    "RunEntry",
    "RunManager",
    "RunService",
    "RunSettings",
    "RunStream",
    "Runner",
    "fold_events",
    "read_events",
    "register_run_service",
    "run_manager",
]
