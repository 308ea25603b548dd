"""SQLAlchemy Core table definitions (schema versions 1.0.0 and 1.1.0).

Core, not the ORM: the storage layer maps rows itself (``_codec``) and the ORM's unit of work
and identity map would only add CPU per turn. JSON columns are JSONB on PostgreSQL and JSON
text on SQLite; decoding text ourselves (``JsonColumn``) lets a corrupt value become a
``CorruptRecordError`` naming its row instead of an exception inside the driver's row loop.
"""

from __future__ import annotations

from typing import Any

from agentos.db._codec import decode_json, encode_json
from agentos.db._tables import TableNames
from sqlalchemy import (
    BigInteger,
    Column,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine


class JsonColumn(TypeDecorator[Any]):
    """JSONB on PostgreSQL (the server validates it), JSON text elsewhere."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB(none_as_null=True))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return encode_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return decode_json(value)


def _id() -> String:
    return String(128)


def build_tables(metadata: MetaData, names: TableNames) -> dict[str, Table]:
    """Table type → Table. Index names are prefixed with the table name so that several table
    sets can share one schema."""
    sessions = Table(
        names.session_table,
        metadata,
        Column("session_id", _id(), primary_key=True),
        Column("session_type", String(16), nullable=False),
        Column("user_id", _id()),
        Column("agent_id", _id()),
        Column("team_id", _id()),
        Column("workflow_id", _id()),
        Column("workflow_name", Text),
        Column("session_name", Text),
        Column("session_data", JsonColumn),
        Column("agent_data", JsonColumn),
        Column("team_data", JsonColumn),
        Column("workflow_data", JsonColumn),
        Column("metadata", JsonColumn),
        Column("summary", JsonColumn),
        # Incremented by every save_run: gives each run its place in the session's order.
        Column("run_count", BigInteger, nullable=False, server_default="0"),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.session_table}_user_updated", sessions.c.user_id, sessions.c.updated_at)
    Index(f"ix_{names.session_table}_updated", sessions.c.updated_at)
    Index(f"ix_{names.session_table}_created", sessions.c.created_at)
    Index(f"ix_{names.session_table}_agent", sessions.c.agent_id)
    Index(f"ix_{names.session_table}_team", sessions.c.team_id)
    Index(f"ix_{names.session_table}_workflow", sessions.c.workflow_id)

    runs = Table(
        names.run_table,
        metadata,
        Column("run_id", _id(), primary_key=True),
        Column("session_id", _id(), nullable=False),
        Column("run_order", BigInteger, nullable=False),
        Column("parent_run_id", _id()),
        Column("user_id", _id()),
        Column("agent_id", _id()),
        Column("team_id", _id()),
        Column("workflow_id", _id()),
        Column("status", String(32)),
        Column("run_data", JsonColumn, nullable=False),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.run_table}_session_order", runs.c.session_id, runs.c.run_order)
    Index(f"ix_{names.run_table}_created", runs.c.created_at, runs.c.run_id)
    Index(f"ix_{names.run_table}_parent", runs.c.parent_run_id)

    run_events = Table(
        names.run_event_table,
        metadata,
        Column("run_id", _id(), primary_key=True),
        Column("sequence", BigInteger, primary_key=True, autoincrement=False),
        Column("event", JsonColumn, nullable=False),
        Column("created_at", BigInteger, nullable=False),
    )

    memories = Table(
        names.memory_table,
        metadata,
        Column("memory_id", _id(), primary_key=True),
        Column("user_id", _id()),
        Column("agent_id", _id()),
        Column("team_id", _id()),
        Column("memory", Text, nullable=False),
        Column("topics", JsonColumn),
        Column("input", Text),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.memory_table}_user_updated", memories.c.user_id, memories.c.updated_at)

    knowledge = Table(
        names.knowledge_table,
        metadata,
        Column("id", _id(), primary_key=True),
        Column("name", Text),
        Column("description", Text),
        Column("metadata", JsonColumn),
        Column("type", String(64)),
        Column("size", BigInteger),
        Column("linked_to", _id()),
        Column("access_count", Integer, nullable=False, server_default="0"),
        Column("status", String(32)),
        Column("status_message", Text),
        Column("external_id", Text),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )

    metrics = Table(
        names.metrics_table,
        metadata,
        Column("id", _id(), primary_key=True),
        Column("date", String(10), nullable=False),
        Column("aggregation_period", String(16), nullable=False),
        Column("agent_runs_count", BigInteger, nullable=False, server_default="0"),
        Column("team_runs_count", BigInteger, nullable=False, server_default="0"),
        Column("workflow_runs_count", BigInteger, nullable=False, server_default="0"),
        Column("agent_sessions_count", BigInteger, nullable=False, server_default="0"),
        Column("team_sessions_count", BigInteger, nullable=False, server_default="0"),
        Column("workflow_sessions_count", BigInteger, nullable=False, server_default="0"),
        Column("users_count", BigInteger, nullable=False, server_default="0"),
        Column("token_metrics", JsonColumn),
        Column("model_metrics", JsonColumn),
        Column("completed", Integer, nullable=False, server_default="0"),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.metrics_table}_date_period", metrics.c.date, metrics.c.aggregation_period, unique=True)

    evals = Table(
        names.eval_table,
        metadata,
        Column("run_id", _id(), primary_key=True),
        Column("eval_type", String(32), nullable=False),
        Column("eval_data", JsonColumn, nullable=False),
        Column("eval_input", JsonColumn),
        Column("name", Text),
        Column("agent_id", _id()),
        Column("team_id", _id()),
        Column("workflow_id", _id()),
        Column("model_id", Text),
        Column("model_provider", Text),
        Column("evaluated_component_name", Text),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.eval_table}_created", evals.c.created_at)

    # Trace and span times are unix epoch nanoseconds, as OpenTelemetry reports them.
    traces = Table(
        names.trace_table,
        metadata,
        Column("trace_id", _id(), primary_key=True),
        Column("name", Text, nullable=False),
        Column("status", String(16), nullable=False),
        Column("duration_ms", BigInteger),
        Column("start_time", BigInteger, nullable=False),
        Column("end_time", BigInteger),
        Column("total_spans", Integer, nullable=False, server_default="0"),
        Column("error_count", Integer, nullable=False, server_default="0"),
        Column("run_id", _id()),
        Column("session_id", _id()),
        Column("user_id", _id()),
        Column("agent_id", _id()),
        Column("team_id", _id()),
        Column("workflow_id", _id()),
        Column("created_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.trace_table}_run", traces.c.run_id)
    Index(f"ix_{names.trace_table}_session", traces.c.session_id)
    Index(f"ix_{names.trace_table}_start", traces.c.start_time)

    spans = Table(
        names.span_table,
        metadata,
        Column("span_id", _id(), primary_key=True),
        Column("trace_id", _id(), nullable=False),
        Column("parent_span_id", _id()),
        Column("name", Text, nullable=False),
        Column("kind", String(16)),
        Column("status_code", String(16)),
        Column("status_message", Text),
        Column("duration_ms", BigInteger),
        Column("start_time", BigInteger, nullable=False),
        Column("end_time", BigInteger),
        Column("attributes", JsonColumn),
        Column("events", JsonColumn),
        Column("created_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.span_table}_trace", spans.c.trace_id)

    return {
        "session": sessions,
        "run": runs,
        "run_event": run_events,
        "memory": memories,
        "knowledge": knowledge,
        "metrics": metrics,
        "eval": evals,
        "trace": traces,
        "span": spans,
        **build_control_tables(metadata, names),
    }


RUN_CONTROL_TABLES = ("run_control", "request_id")
"""Keys of the run control tables in ``build_tables``' result: tables of the ``run`` table type
since schema 1.1.0, not table types of their own (see ``_run_controls``)."""


def build_control_tables(metadata: MetaData, names: TableNames) -> dict[str, Table]:
    """Cancel requests and request_id claims (schema 1.1.0). Times are unix milliseconds."""
    controls = Table(
        names.run_control_table,
        metadata,
        Column("run_id", _id(), primary_key=True),
        Column("reason", Text),
        Column("requested_by", _id()),
        Column("cancel_requested_at", BigInteger, nullable=False),
        Column("expires_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.run_control_table}_expires", controls.c.expires_at)
    claims = Table(
        names.request_id_table,
        metadata,
        # sha256 of (method, caller, request_id): bounded length whatever the client sends.
        Column("request_key", String(64), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("run_id", _id(), nullable=False),
        Column("sequence", BigInteger),
        Column("created_at", BigInteger, nullable=False),
        Column("expires_at", BigInteger, nullable=False),
    )
    Index(f"ix_{names.request_id_table}_expires", claims.c.expires_at)
    return {"run_control": controls, "request_id": claims}


def build_versions_table(metadata: MetaData, names: TableNames) -> Table:
    """One row per managed table: the schema version it is at."""
    return Table(
        names.versions_table,
        metadata,
        Column("table_name", String(255), primary_key=True),
        Column("version", String(32), nullable=False),
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )
