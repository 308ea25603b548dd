"""Configurable table names, one per table type."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TableNames:
    """The name of each table. Two databases objects with different names can share one
    database (or PostgreSQL schema): schema versions are recorded per table name."""

    session_table: str = "agentos_sessions"
    run_table: str = "agentos_runs"
    run_event_table: str = "agentos_run_events"
    memory_table: str = "agentos_memories"
    knowledge_table: str = "agentos_knowledge_contents"
    metrics_table: str = "agentos_metrics"
    eval_table: str = "agentos_eval_runs"
    trace_table: str = "agentos_traces"
    span_table: str = "agentos_spans"
    versions_table: str = "agentos_schema_versions"
    # Part of the ``run`` table type (schema 1.1.0): cross-replica cancel requests and
    # request_id claims. Not table types of their own: they migrate with the runs table.
    run_control_table: str = "agentos_run_controls"
    request_id_table: str = "agentos_request_ids"

    def by_type(self) -> dict[str, str]:
        """Table type (as ``MigrationManager`` names it) → table name."""
        return {
            "session": self.session_table,
            "run": self.run_table,
            "run_event": self.run_event_table,
            "memory": self.memory_table,
            "knowledge": self.knowledge_table,
            "metrics": self.metrics_table,
            "eval": self.eval_table,
            "trace": self.trace_table,
            "span": self.span_table,
        }

    @classmethod
    def with_defaults(
        cls,
        *,
        session_table: str | None = None,
        run_table: str | None = None,
        run_event_table: str | None = None,
        memory_table: str | None = None,
        knowledge_table: str | None = None,
        metrics_table: str | None = None,
        eval_table: str | None = None,
        trace_table: str | None = None,
        span_table: str | None = None,
        versions_table: str | None = None,
        run_control_table: str | None = None,
        request_id_table: str | None = None,
    ) -> TableNames:
        """Names from the constructor arguments of a database class (None = default).

        The run control tables follow a custom ``run_table`` name unless named themselves, so
        two table sets sharing one database never share (or drop) each other's controls.
        """
        default = cls()
        if run_table and run_table != default.run_table:
            run_control_table = run_control_table or f"{run_table}_controls"
            request_id_table = request_id_table or f"{run_table}_request_ids"
        return cls(
            session_table=session_table or default.session_table,
            run_table=run_table or default.run_table,
            run_event_table=run_event_table or default.run_event_table,
            memory_table=memory_table or default.memory_table,
            knowledge_table=knowledge_table or default.knowledge_table,
            metrics_table=metrics_table or default.metrics_table,
            eval_table=eval_table or default.eval_table,
            trace_table=trace_table or default.trace_table,
            span_table=span_table or default.span_table,
            versions_table=versions_table or default.versions_table,
            run_control_table=run_control_table or default.run_control_table,
            request_id_table=request_id_table or default.request_id_table,
        )
