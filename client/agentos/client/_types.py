"""What discovery calls return: small typed dataclasses read from the ``agentos.v1`` messages.

Agno's client returns pydantic response models (``ConfigResponse``, ``AgentResponse``...); this
client keeps those names but returns frozen dataclasses built from the protos: attribute access
with real types, plain Python values (JSON schemas and Structs as dicts, tools as dicts as
``RemoteAgent.tools`` promises), and no validation cost on a path that only reads what a server
sent. Each keeps the message it was read from in ``raw`` for fields added to the contract later.

Runs, events, sessions and memories are not here: they come back as the same domain objects a
local run produces (``RunOutput``, the event classes, ``AgentSession``, ``UserMemory``), through
``agentos.wire``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


# Plain values ---------------------------------------------------------------------------------


def value_to_python(value: Any) -> Any:
    """A ``google.protobuf.Value`` as JSON-like Python (integral numbers come back as int)."""
    kind = value.WhichOneof("kind")
    if kind is None or kind == "null_value":
        return None
    if kind == "number_value":
        number = value.number_value
        return (
            int(number) if math.isfinite(number) and number.is_integer() and abs(number) < 2**53 else number
        )
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    return [value_to_python(item) for item in value.list_value.values]


def struct_to_dict(struct: Any) -> dict[str, Any]:
    return {key: value_to_python(item) for key, item in struct.fields.items()}


def _optional_struct(message: Any, name: str) -> dict[str, Any] | None:
    return struct_to_dict(getattr(message, name)) if message.HasField(name) else None


def _json_or_none(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _enum_label(enum_type: Any, value: int, prefix: str) -> str:
    """``STEP_TYPE_PARALLEL`` → ``"parallel"``; ``""`` for the unspecified value or unknown numbers."""
    try:
        name: str = enum_type.Name(value)
    except ValueError:
        return ""
    label = name.removeprefix(prefix).lower()
    return "" if label == "unspecified" else label


def _fields_dict(message: Any) -> dict[str, Any]:
    """Every scalar field of a flat message (defaults included), e.g. EntityFeatures."""
    return {f.name: getattr(message, f.name) for f in message.DESCRIPTOR.fields}


# Configuration --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A model as the server names it: ``id`` (e.g. "gpt-4o"), ``provider``, class ``name``."""

    id: str
    provider: str = ""
    name: str = ""

    @classmethod
    def from_proto(cls, pb: Any) -> ModelInfo:
        return cls(id=pb.model_id, provider=pb.provider, name=pb.name)


def _model(message: Any, name: str) -> ModelInfo | None:
    return ModelInfo.from_proto(getattr(message, name)) if message.HasField(name) else None


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An agent, team or workflow as listed in the configuration (Agno's ``*SummaryResponse``)."""

    id: str
    name: str = ""
    description: str = ""
    db_id: str = ""
    is_remote: bool = False

    @classmethod
    def from_proto(cls, pb: Any) -> EntitySummary:
        return cls(pb.id, pb.name, pb.description, pb.db_id, pb.is_remote)


@dataclass(frozen=True, slots=True)
class KnowledgeSummary:
    knowledge_id: str
    name: str = ""
    description: str = ""
    db_id: str = ""


@dataclass(frozen=True, slots=True)
class InterfaceInfo:
    type: str
    version: str = ""
    route: str = ""


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    db_id: str
    db_type: str = ""
    domains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DomainConfig:
    """Display settings of one UI page (sessions, memory, knowledge, metrics, evals, traces)."""

    display_name: str = ""
    db_ids: tuple[str, ...] = ()
    available_models: tuple[ModelInfo, ...] = ()

    @classmethod
    def from_proto(cls, pb: Any) -> DomainConfig:
        return cls(
            pb.display_name, tuple(pb.db_ids), tuple(ModelInfo.from_proto(m) for m in pb.available_models)
        )


@dataclass(frozen=True, slots=True)
class ConfigResponse:
    """``GetConfig``: who the AgentOS is and what it serves (the caller's view of it)."""

    os_id: str
    name: str = ""
    description: str = ""
    version: str = ""
    agents: list[EntitySummary] = field(default_factory=list)
    teams: list[EntitySummary] = field(default_factory=list)
    workflows: list[EntitySummary] = field(default_factory=list)
    knowledge: list[KnowledgeSummary] = field(default_factory=list)
    interfaces: list[InterfaceInfo] = field(default_factory=list)
    databases: list[DatabaseInfo] = field(default_factory=list)
    available_models: list[ModelInfo] = field(default_factory=list)
    quick_prompts: dict[str, list[str]] = field(default_factory=dict)
    session: DomainConfig = DomainConfig()
    memory: DomainConfig = DomainConfig()
    knowledge_config: DomainConfig = DomainConfig()
    metrics: DomainConfig = DomainConfig()
    evals: DomainConfig = DomainConfig()
    traces: DomainConfig = DomainConfig()
    authorization_enabled: bool = False
    tracing_enabled: bool = False
    raw: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_proto(cls, pb: Any) -> ConfigResponse:
        return cls(
            os_id=pb.os_id,
            name=pb.name,
            description=pb.description,
            version=pb.version,
            agents=[EntitySummary.from_proto(e) for e in pb.agents],
            teams=[EntitySummary.from_proto(e) for e in pb.teams],
            workflows=[EntitySummary.from_proto(e) for e in pb.workflows],
            knowledge=[
                KnowledgeSummary(k.knowledge_id, k.name, k.description, k.db_id) for k in pb.knowledge
            ],
            interfaces=[InterfaceInfo(i.type, i.version, i.route) for i in pb.interfaces],
            databases=[DatabaseInfo(d.db_id, d.db_type, tuple(d.domains)) for d in pb.databases],
            available_models=[ModelInfo.from_proto(m) for m in pb.available_models],
            quick_prompts={key: list(value.prompts) for key, value in pb.chat.quick_prompts.items()},
            session=DomainConfig.from_proto(pb.session),
            memory=DomainConfig.from_proto(pb.memory),
            knowledge_config=DomainConfig.from_proto(pb.knowledge_config),
            metrics=DomainConfig.from_proto(pb.metrics),
            evals=DomainConfig.from_proto(pb.evals),
            traces=DomainConfig.from_proto(pb.traces),
            authorization_enabled=pb.authorization_enabled,
            tracing_enabled=pb.tracing_enabled,
            raw=pb,
        )


# Entities -------------------------------------------------------------------------------------


def tool_dict(pb: Any) -> dict[str, Any]:
    """A ``ToolInfo`` as a dict: ``name``, ``description``, ``parameters`` (JSON schema), flags."""
    return {
        "name": pb.name,
        "description": pb.description,
        "parameters": _json_or_none(pb.parameters_json_schema) or {},
        "toolkit": pb.toolkit or None,
        "requires_confirmation": pb.requires_confirmation,
        "requires_user_input": pb.requires_user_input,
        "external_execution": pb.external_execution,
        "stop_after_tool_call": pb.stop_after_tool_call,
    }


@dataclass(frozen=True, slots=True)
class AgentResponse:
    """``GetAgent`` / ``ListAgents``: an agent's details (tools as dicts, schemas as dicts)."""

    id: str
    name: str = ""
    description: str = ""
    role: str = ""
    model: ModelInfo | None = None
    reasoning_model: ModelInfo | None = None
    tools: list[dict[str, Any]] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    expected_output: str = ""
    features: dict[str, Any] = field(default_factory=dict)
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    knowledge_id: str = ""
    db_id: str = ""
    metadata: dict[str, Any] | None = None
    is_remote: bool = False
    remote_url: str = ""
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def agent_id(self) -> str:
        return self.id

    @classmethod
    def from_proto(cls, pb: Any) -> AgentResponse:
        return cls(
            id=pb.agent_id,
            name=pb.name,
            description=pb.description,
            role=pb.role,
            model=_model(pb, "model"),
            reasoning_model=_model(pb, "reasoning_model"),
            tools=[tool_dict(t) for t in pb.tools],
            instructions=list(pb.instructions),
            expected_output=pb.expected_output,
            features=_fields_dict(pb.features),
            input_schema=_json_or_none(pb.input_schema),
            output_schema=_json_or_none(pb.output_schema),
            knowledge_id=pb.knowledge_id,
            db_id=pb.db_id,
            metadata=_optional_struct(pb, "metadata"),
            is_remote=pb.is_remote,
            remote_url=pb.remote_url,
            raw=pb,
        )


@dataclass(frozen=True, slots=True)
class TeamMemberInfo:
    """A member of a team: ``kind`` is "agent", "team" or "remote"; details when the server sent them."""

    kind: str
    id: str
    name: str = ""
    role: str = ""
    remote_url: str = ""
    agent: AgentResponse | None = None
    team: TeamResponse | None = None

    @classmethod
    def from_proto(cls, pb: Any) -> TeamMemberInfo:
        from agentos.v1 import agent_os_pb2

        details = pb.WhichOneof("details")
        return cls(
            kind=_enum_label(agent_os_pb2.MemberKind, pb.kind, "MEMBER_KIND_"),
            id=pb.id,
            name=pb.name,
            role=pb.role,
            remote_url=pb.remote_url,
            agent=AgentResponse.from_proto(pb.agent) if details == "agent" else None,
            team=TeamResponse.from_proto(pb.team) if details == "team" else None,
        )


@dataclass(frozen=True, slots=True)
class TeamResponse:
    """``GetTeam`` / ``ListTeams``: a team's details, with its ``members``."""

    id: str
    name: str = ""
    description: str = ""
    role: str = ""
    model: ModelInfo | None = None
    tools: list[dict[str, Any]] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    features: dict[str, Any] = field(default_factory=dict)
    members: list[TeamMemberInfo] = field(default_factory=list)
    respond_directly: bool = False
    delegate_to_all_members: bool = False
    determine_input_for_members: bool = False
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    knowledge_id: str = ""
    db_id: str = ""
    metadata: dict[str, Any] | None = None
    is_remote: bool = False
    remote_url: str = ""
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def team_id(self) -> str:
        return self.id

    @classmethod
    def from_proto(cls, pb: Any) -> TeamResponse:
        return cls(
            id=pb.team_id,
            name=pb.name,
            description=pb.description,
            role=pb.role,
            model=_model(pb, "model"),
            tools=[tool_dict(t) for t in pb.tools],
            instructions=list(pb.instructions),
            features=_fields_dict(pb.features),
            members=[TeamMemberInfo.from_proto(m) for m in pb.members],
            respond_directly=pb.respond_directly,
            delegate_to_all_members=pb.delegate_to_all_members,
            determine_input_for_members=pb.determine_input_for_members,
            input_schema=_json_or_none(pb.input_schema),
            output_schema=_json_or_none(pb.output_schema),
            knowledge_id=pb.knowledge_id,
            db_id=pb.db_id,
            metadata=_optional_struct(pb, "metadata"),
            is_remote=pb.is_remote,
            remote_url=pb.remote_url,
            raw=pb,
        )


@dataclass(frozen=True, slots=True)
class WorkflowStepInfo:
    """One step of a workflow; container steps (steps, parallel, condition, loop, router) nest ``steps``."""

    step_id: str
    name: str = ""
    description: str = ""
    type: str = ""
    executor_type: str = ""
    executor_id: str = ""
    executor_name: str = ""
    steps: list[WorkflowStepInfo] = field(default_factory=list)
    max_iterations: int = 0
    max_retries: int = 0
    timeout: float | None = None
    skip_on_failure: bool = False

    @classmethod
    def from_proto(cls, pb: Any) -> WorkflowStepInfo:
        from agentos.v1 import common_pb2

        timeout = pb.timeout.seconds + pb.timeout.nanos / 1e9 if pb.HasField("timeout") else None
        return cls(
            step_id=pb.step_id,
            name=pb.name,
            description=pb.description,
            type=_enum_label(common_pb2.StepType, pb.type, "STEP_TYPE_"),
            executor_type=_enum_label(common_pb2.StepExecutorType, pb.executor_type, "STEP_EXECUTOR_TYPE_"),
            executor_id=pb.executor_id,
            executor_name=pb.executor_name,
            steps=[WorkflowStepInfo.from_proto(s) for s in pb.steps],
            max_iterations=pb.max_iterations,
            max_retries=pb.max_retries,
            timeout=timeout,
            skip_on_failure=pb.skip_on_failure,
        )


@dataclass(frozen=True, slots=True)
class WorkflowResponse:
    """``GetWorkflow`` / ``ListWorkflows``: a workflow's details, with its ``steps``."""

    id: str
    name: str = ""
    description: str = ""
    steps: list[WorkflowStepInfo] = field(default_factory=list)
    input_schema: dict[str, Any] | None = None
    db_id: str = ""
    metadata: dict[str, Any] | None = None
    is_remote: bool = False
    remote_url: str = ""
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def workflow_id(self) -> str:
        return self.id

    @classmethod
    def from_proto(cls, pb: Any) -> WorkflowResponse:
        return cls(
            id=pb.workflow_id,
            name=pb.name,
            description=pb.description,
            steps=[WorkflowStepInfo.from_proto(s) for s in pb.steps],
            input_schema=_json_or_none(pb.input_schema),
            db_id=pb.db_id,
            metadata=_optional_struct(pb, "metadata"),
            is_remote=pb.is_remote,
            remote_url=pb.remote_url,
            raw=pb,
        )


# Pages ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaginatedResponse(Generic[T]):
    """One page of a listing: ``data``, plus how to get the next page.

    ``page``/``limit`` echo the request (Agno's page numbers); ``next_page_token`` is the
    server's opaque token (pass it as ``page_token`` to fetch the next page without re-reading
    the earlier ones); ``total_size`` counts every match across pages.
    """

    data: list[T]
    total_size: int = 0
    next_page_token: str = ""
    page: int = 1
    limit: int = 0

    @property
    def has_next_page(self) -> bool:
        return bool(self.next_page_token)

    @property
    def total_pages(self) -> int:
        if self.limit <= 0:
            return 1 if self.data else 0
        return max(1, -(-self.total_size // self.limit)) if self.total_size else 0

    def __iter__(self) -> Any:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def page_of(items: Iterable[T], response: Any, *, page: int, limit: int) -> PaginatedResponse[T]:
    return PaginatedResponse(
        data=list(items),
        total_size=int(response.total_size),
        next_page_token=response.next_page_token,
        page=page,
        limit=limit,
    )


def as_list(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return list(values)
