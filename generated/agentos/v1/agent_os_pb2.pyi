import datetime

from agentos.v1 import common_pb2 as _common_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MemberKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEMBER_KIND_UNSPECIFIED: _ClassVar[MemberKind]
    MEMBER_KIND_AGENT: _ClassVar[MemberKind]
    MEMBER_KIND_TEAM: _ClassVar[MemberKind]
    MEMBER_KIND_REMOTE: _ClassVar[MemberKind]
MEMBER_KIND_UNSPECIFIED: MemberKind
MEMBER_KIND_AGENT: MemberKind
MEMBER_KIND_TEAM: MemberKind
MEMBER_KIND_REMOTE: MemberKind

class ModelInfo(_message.Message):
    __slots__ = ("model_id", "provider", "name")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    provider: str
    name: str
    def __init__(self, model_id: _Optional[str] = ..., provider: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class EntitySummary(_message.Message):
    __slots__ = ("id", "name", "description", "db_id", "is_remote")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DB_ID_FIELD_NUMBER: _ClassVar[int]
    IS_REMOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    db_id: str
    is_remote: bool
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., db_id: _Optional[str] = ..., is_remote: _Optional[bool] = ...) -> None: ...

class KnowledgeSummary(_message.Message):
    __slots__ = ("knowledge_id", "name", "description", "db_id")
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DB_ID_FIELD_NUMBER: _ClassVar[int]
    knowledge_id: str
    name: str
    description: str
    db_id: str
    def __init__(self, knowledge_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., db_id: _Optional[str] = ...) -> None: ...

class InterfaceInfo(_message.Message):
    __slots__ = ("type", "version", "route")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    type: str
    version: str
    route: str
    def __init__(self, type: _Optional[str] = ..., version: _Optional[str] = ..., route: _Optional[str] = ...) -> None: ...

class DatabaseInfo(_message.Message):
    __slots__ = ("db_id", "db_type", "domains")
    DB_ID_FIELD_NUMBER: _ClassVar[int]
    DB_TYPE_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    db_id: str
    db_type: str
    domains: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, db_id: _Optional[str] = ..., db_type: _Optional[str] = ..., domains: _Optional[_Iterable[str]] = ...) -> None: ...

class DomainConfig(_message.Message):
    __slots__ = ("display_name", "db_ids", "available_models")
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DB_IDS_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_MODELS_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    db_ids: _containers.RepeatedScalarFieldContainer[str]
    available_models: _containers.RepeatedCompositeFieldContainer[ModelInfo]
    def __init__(self, display_name: _Optional[str] = ..., db_ids: _Optional[_Iterable[str]] = ..., available_models: _Optional[_Iterable[_Union[ModelInfo, _Mapping]]] = ...) -> None: ...

class QuickPrompts(_message.Message):
    __slots__ = ("prompts",)
    PROMPTS_FIELD_NUMBER: _ClassVar[int]
    prompts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, prompts: _Optional[_Iterable[str]] = ...) -> None: ...

class ChatConfig(_message.Message):
    __slots__ = ("quick_prompts",)
    class QuickPromptsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: QuickPrompts
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[QuickPrompts, _Mapping]] = ...) -> None: ...
    QUICK_PROMPTS_FIELD_NUMBER: _ClassVar[int]
    quick_prompts: _containers.MessageMap[str, QuickPrompts]
    def __init__(self, quick_prompts: _Optional[_Mapping[str, QuickPrompts]] = ...) -> None: ...

class OSConfig(_message.Message):
    __slots__ = ("os_id", "name", "description", "version", "agents", "teams", "workflows", "knowledge", "interfaces", "databases", "available_models", "chat", "session", "memory", "knowledge_config", "metrics", "evals", "traces", "authorization_enabled", "tracing_enabled")
    OS_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    INTERFACES_FIELD_NUMBER: _ClassVar[int]
    DATABASES_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_MODELS_FIELD_NUMBER: _ClassVar[int]
    CHAT_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    EVALS_FIELD_NUMBER: _ClassVar[int]
    TRACES_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_ENABLED_FIELD_NUMBER: _ClassVar[int]
    TRACING_ENABLED_FIELD_NUMBER: _ClassVar[int]
    os_id: str
    name: str
    description: str
    version: str
    agents: _containers.RepeatedCompositeFieldContainer[EntitySummary]
    teams: _containers.RepeatedCompositeFieldContainer[EntitySummary]
    workflows: _containers.RepeatedCompositeFieldContainer[EntitySummary]
    knowledge: _containers.RepeatedCompositeFieldContainer[KnowledgeSummary]
    interfaces: _containers.RepeatedCompositeFieldContainer[InterfaceInfo]
    databases: _containers.RepeatedCompositeFieldContainer[DatabaseInfo]
    available_models: _containers.RepeatedCompositeFieldContainer[ModelInfo]
    chat: ChatConfig
    session: DomainConfig
    memory: DomainConfig
    knowledge_config: DomainConfig
    metrics: DomainConfig
    evals: DomainConfig
    traces: DomainConfig
    authorization_enabled: bool
    tracing_enabled: bool
    def __init__(self, os_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., version: _Optional[str] = ..., agents: _Optional[_Iterable[_Union[EntitySummary, _Mapping]]] = ..., teams: _Optional[_Iterable[_Union[EntitySummary, _Mapping]]] = ..., workflows: _Optional[_Iterable[_Union[EntitySummary, _Mapping]]] = ..., knowledge: _Optional[_Iterable[_Union[KnowledgeSummary, _Mapping]]] = ..., interfaces: _Optional[_Iterable[_Union[InterfaceInfo, _Mapping]]] = ..., databases: _Optional[_Iterable[_Union[DatabaseInfo, _Mapping]]] = ..., available_models: _Optional[_Iterable[_Union[ModelInfo, _Mapping]]] = ..., chat: _Optional[_Union[ChatConfig, _Mapping]] = ..., session: _Optional[_Union[DomainConfig, _Mapping]] = ..., memory: _Optional[_Union[DomainConfig, _Mapping]] = ..., knowledge_config: _Optional[_Union[DomainConfig, _Mapping]] = ..., metrics: _Optional[_Union[DomainConfig, _Mapping]] = ..., evals: _Optional[_Union[DomainConfig, _Mapping]] = ..., traces: _Optional[_Union[DomainConfig, _Mapping]] = ..., authorization_enabled: _Optional[bool] = ..., tracing_enabled: _Optional[bool] = ...) -> None: ...

class GetConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: OSConfig
    def __init__(self, config: _Optional[_Union[OSConfig, _Mapping]] = ...) -> None: ...

class ToolInfo(_message.Message):
    __slots__ = ("name", "description", "parameters_json_schema", "toolkit", "requires_confirmation", "requires_user_input", "external_execution", "stop_after_tool_call")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_JSON_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    TOOLKIT_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_CONFIRMATION_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_USER_INPUT_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_EXECUTION_FIELD_NUMBER: _ClassVar[int]
    STOP_AFTER_TOOL_CALL_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    parameters_json_schema: str
    toolkit: str
    requires_confirmation: bool
    requires_user_input: bool
    external_execution: bool
    stop_after_tool_call: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., parameters_json_schema: _Optional[str] = ..., toolkit: _Optional[str] = ..., requires_confirmation: _Optional[bool] = ..., requires_user_input: _Optional[bool] = ..., external_execution: _Optional[bool] = ..., stop_after_tool_call: _Optional[bool] = ...) -> None: ...

class EntityFeatures(_message.Message):
    __slots__ = ("add_history_to_context", "num_history_runs", "add_session_state_to_context", "add_dependencies_to_context", "enable_user_memories", "enable_agentic_memory", "enable_session_summaries", "has_knowledge", "search_knowledge", "add_knowledge_to_context", "reasoning", "markdown", "stream_events", "has_parser_model", "has_output_model", "retries")
    ADD_HISTORY_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    NUM_HISTORY_RUNS_FIELD_NUMBER: _ClassVar[int]
    ADD_SESSION_STATE_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ADD_DEPENDENCIES_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ENABLE_USER_MEMORIES_FIELD_NUMBER: _ClassVar[int]
    ENABLE_AGENTIC_MEMORY_FIELD_NUMBER: _ClassVar[int]
    ENABLE_SESSION_SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    HAS_KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    SEARCH_KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    ADD_KNOWLEDGE_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    MARKDOWN_FIELD_NUMBER: _ClassVar[int]
    STREAM_EVENTS_FIELD_NUMBER: _ClassVar[int]
    HAS_PARSER_MODEL_FIELD_NUMBER: _ClassVar[int]
    HAS_OUTPUT_MODEL_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    add_history_to_context: bool
    num_history_runs: int
    add_session_state_to_context: bool
    add_dependencies_to_context: bool
    enable_user_memories: bool
    enable_agentic_memory: bool
    enable_session_summaries: bool
    has_knowledge: bool
    search_knowledge: bool
    add_knowledge_to_context: bool
    reasoning: bool
    markdown: bool
    stream_events: bool
    has_parser_model: bool
    has_output_model: bool
    retries: int
    def __init__(self, add_history_to_context: _Optional[bool] = ..., num_history_runs: _Optional[int] = ..., add_session_state_to_context: _Optional[bool] = ..., add_dependencies_to_context: _Optional[bool] = ..., enable_user_memories: _Optional[bool] = ..., enable_agentic_memory: _Optional[bool] = ..., enable_session_summaries: _Optional[bool] = ..., has_knowledge: _Optional[bool] = ..., search_knowledge: _Optional[bool] = ..., add_knowledge_to_context: _Optional[bool] = ..., reasoning: _Optional[bool] = ..., markdown: _Optional[bool] = ..., stream_events: _Optional[bool] = ..., has_parser_model: _Optional[bool] = ..., has_output_model: _Optional[bool] = ..., retries: _Optional[int] = ...) -> None: ...

class Agent(_message.Message):
    __slots__ = ("agent_id", "name", "description", "role", "model", "reasoning_model", "tools", "instructions", "expected_output", "features", "input_schema", "output_schema", "knowledge_id", "db_id", "metadata", "is_remote", "remote_url")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    REASONING_MODEL_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    DB_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    IS_REMOTE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_URL_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    name: str
    description: str
    role: str
    model: ModelInfo
    reasoning_model: ModelInfo
    tools: _containers.RepeatedCompositeFieldContainer[ToolInfo]
    instructions: _containers.RepeatedScalarFieldContainer[str]
    expected_output: str
    features: EntityFeatures
    input_schema: str
    output_schema: str
    knowledge_id: str
    db_id: str
    metadata: _struct_pb2.Struct
    is_remote: bool
    remote_url: str
    def __init__(self, agent_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., role: _Optional[str] = ..., model: _Optional[_Union[ModelInfo, _Mapping]] = ..., reasoning_model: _Optional[_Union[ModelInfo, _Mapping]] = ..., tools: _Optional[_Iterable[_Union[ToolInfo, _Mapping]]] = ..., instructions: _Optional[_Iterable[str]] = ..., expected_output: _Optional[str] = ..., features: _Optional[_Union[EntityFeatures, _Mapping]] = ..., input_schema: _Optional[str] = ..., output_schema: _Optional[str] = ..., knowledge_id: _Optional[str] = ..., db_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., is_remote: _Optional[bool] = ..., remote_url: _Optional[str] = ...) -> None: ...

class TeamMember(_message.Message):
    __slots__ = ("kind", "id", "name", "role", "remote_url", "agent", "team")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_URL_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    kind: MemberKind
    id: str
    name: str
    role: str
    remote_url: str
    agent: Agent
    team: Team
    def __init__(self, kind: _Optional[_Union[MemberKind, str]] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., remote_url: _Optional[str] = ..., agent: _Optional[_Union[Agent, _Mapping]] = ..., team: _Optional[_Union[Team, _Mapping]] = ...) -> None: ...

class Team(_message.Message):
    __slots__ = ("team_id", "name", "description", "role", "model", "tools", "instructions", "features", "members", "respond_directly", "delegate_to_all_members", "determine_input_for_members", "input_schema", "output_schema", "knowledge_id", "db_id", "metadata", "is_remote", "remote_url")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    RESPOND_DIRECTLY_FIELD_NUMBER: _ClassVar[int]
    DELEGATE_TO_ALL_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    DETERMINE_INPUT_FOR_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    DB_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    IS_REMOTE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_URL_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    name: str
    description: str
    role: str
    model: ModelInfo
    tools: _containers.RepeatedCompositeFieldContainer[ToolInfo]
    instructions: _containers.RepeatedScalarFieldContainer[str]
    features: EntityFeatures
    members: _containers.RepeatedCompositeFieldContainer[TeamMember]
    respond_directly: bool
    delegate_to_all_members: bool
    determine_input_for_members: bool
    input_schema: str
    output_schema: str
    knowledge_id: str
    db_id: str
    metadata: _struct_pb2.Struct
    is_remote: bool
    remote_url: str
    def __init__(self, team_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., role: _Optional[str] = ..., model: _Optional[_Union[ModelInfo, _Mapping]] = ..., tools: _Optional[_Iterable[_Union[ToolInfo, _Mapping]]] = ..., instructions: _Optional[_Iterable[str]] = ..., features: _Optional[_Union[EntityFeatures, _Mapping]] = ..., members: _Optional[_Iterable[_Union[TeamMember, _Mapping]]] = ..., respond_directly: _Optional[bool] = ..., delegate_to_all_members: _Optional[bool] = ..., determine_input_for_members: _Optional[bool] = ..., input_schema: _Optional[str] = ..., output_schema: _Optional[str] = ..., knowledge_id: _Optional[str] = ..., db_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., is_remote: _Optional[bool] = ..., remote_url: _Optional[str] = ...) -> None: ...

class WorkflowStep(_message.Message):
    __slots__ = ("step_id", "name", "description", "type", "executor_type", "executor_id", "executor_name", "steps", "max_iterations", "max_retries", "timeout", "skip_on_failure")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    MAX_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_RETRIES_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    SKIP_ON_FAILURE_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    name: str
    description: str
    type: _common_pb2.StepType
    executor_type: _common_pb2.StepExecutorType
    executor_id: str
    executor_name: str
    steps: _containers.RepeatedCompositeFieldContainer[WorkflowStep]
    max_iterations: int
    max_retries: int
    timeout: _duration_pb2.Duration
    skip_on_failure: bool
    def __init__(self, step_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., type: _Optional[_Union[_common_pb2.StepType, str]] = ..., executor_type: _Optional[_Union[_common_pb2.StepExecutorType, str]] = ..., executor_id: _Optional[str] = ..., executor_name: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[WorkflowStep, _Mapping]]] = ..., max_iterations: _Optional[int] = ..., max_retries: _Optional[int] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., skip_on_failure: _Optional[bool] = ...) -> None: ...

class Workflow(_message.Message):
    __slots__ = ("workflow_id", "name", "description", "steps", "input_schema", "db_id", "metadata", "is_remote", "remote_url")
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    DB_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    IS_REMOTE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_URL_FIELD_NUMBER: _ClassVar[int]
    workflow_id: str
    name: str
    description: str
    steps: _containers.RepeatedCompositeFieldContainer[WorkflowStep]
    input_schema: str
    db_id: str
    metadata: _struct_pb2.Struct
    is_remote: bool
    remote_url: str
    def __init__(self, workflow_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[WorkflowStep, _Mapping]]] = ..., input_schema: _Optional[str] = ..., db_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., is_remote: _Optional[bool] = ..., remote_url: _Optional[str] = ...) -> None: ...

class ListAgentsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAgentsResponse(_message.Message):
    __slots__ = ("agents", "next_page_token", "total_size")
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    agents: _containers.RepeatedCompositeFieldContainer[Agent]
    next_page_token: str
    total_size: int
    def __init__(self, agents: _Optional[_Iterable[_Union[Agent, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetAgentRequest(_message.Message):
    __slots__ = ("agent_id",)
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    def __init__(self, agent_id: _Optional[str] = ...) -> None: ...

class GetAgentResponse(_message.Message):
    __slots__ = ("agent",)
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ...) -> None: ...

class ListTeamsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTeamsResponse(_message.Message):
    __slots__ = ("teams", "next_page_token", "total_size")
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    teams: _containers.RepeatedCompositeFieldContainer[Team]
    next_page_token: str
    total_size: int
    def __init__(self, teams: _Optional[_Iterable[_Union[Team, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetTeamRequest(_message.Message):
    __slots__ = ("team_id",)
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    def __init__(self, team_id: _Optional[str] = ...) -> None: ...

class GetTeamResponse(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: Team
    def __init__(self, team: _Optional[_Union[Team, _Mapping]] = ...) -> None: ...

class ListWorkflowsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListWorkflowsResponse(_message.Message):
    __slots__ = ("workflows", "next_page_token", "total_size")
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    workflows: _containers.RepeatedCompositeFieldContainer[Workflow]
    next_page_token: str
    total_size: int
    def __init__(self, workflows: _Optional[_Iterable[_Union[Workflow, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetWorkflowRequest(_message.Message):
    __slots__ = ("workflow_id",)
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    workflow_id: str
    def __init__(self, workflow_id: _Optional[str] = ...) -> None: ...

class GetWorkflowResponse(_message.Message):
    __slots__ = ("workflow",)
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    workflow: Workflow
    def __init__(self, workflow: _Optional[_Union[Workflow, _Mapping]] = ...) -> None: ...
