"""Validation of the RunService requests that ``agentos.wire`` does not parse (ids, views, lists).

Run and continue requests are validated by ``agentos.wire``; the others carry a run id, a view,
or list filters, checked here with the same rules (an id is at most 256 characters, without
control characters or surrounding whitespace) and reported the same way: INVALID_ARGUMENT
naming every bad field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentos.os._errors import FieldViolation, Reason, invalid_argument, invalid_arguments
from agentos.run import RunStatus
from agentos.v1 import run_service_pb2, runs_pb2

MAX_ID_LENGTH = 256
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

_STATUS_OF_STATE = {
    runs_pb2.RUN_STATE_PENDING: RunStatus.pending,
    runs_pb2.RUN_STATE_RUNNING: RunStatus.running,
    runs_pb2.RUN_STATE_PAUSED: RunStatus.paused,
    runs_pb2.RUN_STATE_COMPLETED: RunStatus.completed,
    runs_pb2.RUN_STATE_CANCELLED: RunStatus.cancelled,
    runs_pb2.RUN_STATE_FAILED: RunStatus.error,
}


def id_problem(value: str, *, required: bool) -> str | None:
    if not value:
        return "is required" if required else None
    if len(value) > MAX_ID_LENGTH:
        return f"must be at most {MAX_ID_LENGTH} characters"
    if value != value.strip() or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "must not contain control characters or surrounding whitespace"
    return None


_VIEWS = frozenset(run_service_pb2.RunView.values())


def _view_problem(view: int) -> str | None:
    if view not in _VIEWS:
        return "must be RUN_VIEW_BASIC or RUN_VIEW_FULL"
    return None


def check_run_id(request: Any, *, view: bool = False) -> None:
    """A request naming one run (GetRun, WatchRun, CancelRun)."""
    violations: list[FieldViolation] = []
    problem = id_problem(request.run_id, required=True)
    if problem:
        violations.append(FieldViolation("run_id", problem))
    if view:
        problem = _view_problem(request.view)
        if problem:
            violations.append(FieldViolation("view", problem))
    if hasattr(request, "request_id"):
        problem = id_problem(request.request_id, required=False)
        if problem:
            violations.append(FieldViolation("request_id", problem))
    if hasattr(request, "reason") and len(request.reason) > 4096:
        violations.append(FieldViolation("reason", "must be at most 4096 characters"))
    if violations:
        raise invalid_arguments(violations)


def full_view(view: int) -> bool:
    return view == run_service_pb2.RUN_VIEW_FULL


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A validated ListRunsRequest."""

    page_size: int
    page_token: str | None
    descending: bool
    full: bool
    session_id: str | None
    user_id: str | None
    agent_id: str | None
    team_id: str | None
    workflow_id: str | None
    statuses: list[str] | None
    include_member_runs: bool


def list_query(request: run_service_pb2.ListRunsRequest) -> ListQuery:
    violations: list[FieldViolation] = []
    if request.page_size < 0:
        violations.append(FieldViolation("page_size", "must not be negative"))
    for name in ("session_id", "user_id", "agent_id", "team_id", "workflow_id", "parent_run_id"):
        problem = id_problem(getattr(request, name), required=False)
        if problem:
            violations.append(FieldViolation(name, problem))
    problem = _view_problem(request.view)
    if problem:
        violations.append(FieldViolation("view", problem))
    statuses: list[str] = []
    for index, state in enumerate(request.states):
        status = _STATUS_OF_STATE.get(state)
        if status is None:
            violations.append(FieldViolation(f"states[{index}]", "must be a RunState other than UNSPECIFIED"))
        else:
            statuses.append(status.value)
    # Filters the storage layer cannot apply yet are refused rather than silently ignored.
    for name in ("parent_run_id", "created_after", "created_before"):
        present = request.HasField(name) if name.startswith("created") else bool(getattr(request, name))
        if present:
            violations.append(
                FieldViolation(name, "filtering runs by this field is not supported by this server yet")
            )
    descending = True
    order = " ".join(request.order_by.split()).lower()
    if order in ("", "created_at desc"):
        descending = True
    elif order in ("created_at", "created_at asc"):
        descending = False
    else:
        if violations:
            violations.append(FieldViolation("order_by", 'must be "created_at" or "created_at desc"'))
        else:
            raise invalid_argument(
                "order_by",
                'must be "created_at" or "created_at desc"',
                reason=Reason.ERROR_REASON_INVALID_ORDER_BY,
            )
    if violations:
        raise invalid_arguments(violations)
    page_size = min(request.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    return ListQuery(
        page_size=page_size,
        page_token=request.page_token or None,
        descending=descending,
        full=full_view(request.view),
        session_id=request.session_id or None,
        user_id=request.user_id or None,
        agent_id=request.agent_id or None,
        team_id=request.team_id or None,
        workflow_id=request.workflow_id or None,
        statuses=statuses or None,
        include_member_runs=request.include_member_runs,
    )
