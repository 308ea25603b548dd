"""Observability: traces, daily metrics and evals.

Returns the contract's messages (``Trace``, ``DayAggregatedMetrics``, ``EvalRun``...): their
domain classes do not exist yet. The server may answer UNIMPLEMENTED.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, cast

from agentos.client._client_core import ClientCore
from agentos.client._transport import Headers
from agentos.client._types import PaginatedResponse, as_list


def _date_text(value: Any) -> str:
    if value is None:
        return ""
    iso = getattr(value, "isoformat", None)
    text = iso() if callable(iso) else str(value)
    return str(text)[:10]


class ObservabilityMethods(ClientCore):
    """The ``TraceService``, ``MetricsService`` and ``EvalService`` calls."""

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
        return await self._page(
            "traces", "ListTraces", request, attrgetter("traces"), page, page_token, headers, auth_token
        )

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

        request = traces_pb2.GetTraceRequest(trace_id=trace_id, span_id=span_id or "")
        return await self._call("traces", "GetTrace", request, headers, auth_token)

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

        request = metrics_pb2.GetMetricsRequest(
            starting_date=_date_text(starting_date), ending_date=_date_text(ending_date)
        )
        return await self._call("metrics", "GetMetrics", request, headers, auth_token)

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

        request = metrics_pb2.RefreshMetricsRequest(
            starting_date=_date_text(starting_date), ending_date=_date_text(ending_date)
        )
        response = await self._call("metrics", "RefreshMetrics", request, headers, auth_token)
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
        response = await self._call("evals", "CreateEvalRun", request, headers, auth_token)
        return response.eval_run

    async def get_eval_run(
        self, eval_run_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> Any:
        from agentos.v1 import evals_pb2

        request = evals_pb2.GetEvalRunRequest(eval_run_id=eval_run_id)
        response = await self._call("evals", "GetEvalRun", request, headers, auth_token)
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
        return await self._page(
            "evals", "ListEvalRuns", request, attrgetter("eval_runs"), page, page_token, headers, auth_token
        )

    async def update_eval_run(
        self, eval_run_id: str, name: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> Any:
        """Rename an eval run."""
        from agentos.v1 import evals_pb2
        from google.protobuf import field_mask_pb2

        request = evals_pb2.UpdateEvalRunRequest(
            eval_run=evals_pb2.EvalRun(eval_run_id=eval_run_id, name=name),
            update_mask=field_mask_pb2.FieldMask(paths=["name"]),
        )
        response = await self._call("evals", "UpdateEvalRun", request, headers, auth_token)
        return response.eval_run

    async def delete_eval_runs(
        self, eval_run_ids: Sequence[str], *, headers: Headers | None = None, auth_token: str | None = None
    ) -> int:
        from agentos.v1 import evals_pb2

        request = evals_pb2.DeleteEvalRunsRequest(eval_run_ids=list(eval_run_ids))
        response = await self._call("evals", "DeleteEvalRuns", request, headers, auth_token)
        return int(response.deleted_count)
