"""The run service of AgentOS: runs served over gRPC with streaming, re-attach, cancel and continue.

``RunManager`` executes each run in its own task and records its events in an ``EventLog``
(persisted in batches to the run_events table when there is a database); ``RunService`` serves
the ``agentos.v1.RunService`` RPCs over it. ``Runner`` is the seam where teams and workflows
plug in next to agents. ``run_manager(server)`` gives tests and operators the manager of a
running server.

Several replicas sharing a database: GetRun, WatchRun (polling the run_events table for a run
executing elsewhere), ContinueRun and CancelRun work from any replica (``_control``):

* CancelRun of a run executing on another replica records a cancel request in the database;
  the executing replica polls for its in-flight runs (one query per 100 ms, only while it has
  any) and cancels the run. The caller gets the run CANCELLED once the owner stored it, or
  still RUNNING with ``cancellation_reason`` set if that did not happen within ``cancel_wait``
  (the request stays pending until it expires);
* cancel-before-start is recorded in the database and honoured by whichever replica starts a
  run with that client-chosen id (requests expire after 10 minutes);
* request_id retries of CreateRun, StreamRun, ContinueRun, StreamContinueRun and CancelRun
  that reach another replica re-attach to the first attempt's run (claims in the database, the
  per-replica in-memory cache as the fast path); of two concurrent attempts one runs.

Still per replica: runs whose replica died stay RUNNING in the database (nothing reaps them),
and Session/Memory Create* request_ids are deduplicated per replica only.
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
