"""Python client of an AgentOS: ``AgentOSClient`` and the remote agent, team and workflow.

``AgentOSClient`` calls every RPC of the runtime with Agno's method names (async, with blocking
twins under ``client.sync``). ``RemoteAgent``, ``RemoteTeam`` and ``RemoteWorkflow`` behave like
their local counterparts (same ``arun``/``run``, same ``RunOutput`` and event classes), so they
can join local teams and workflows or be served by a local AgentOS (gateway federation).

Importing this package is cheap: grpc, the generated stubs and the engine's classes are loaded
on first use.
"""

from agentos.client._client import AgentOSClient
from agentos.client._errors import (
    AbortedError,
    AgentOSClientError,
    AlreadyExistsError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    FieldViolation,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    RemoteServerUnavailableError,
    RemoteStreamError,
    RequestCancelledError,
    ResourceExhaustedError,
    ResourceInfo,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    UnknownError,
    error_class_for,
)
from agentos.client._remote import RemoteDb, RemoteKnowledge
from agentos.client._remote_agent import RemoteAgent
from agentos.client._remote_team import RemoteTeam
from agentos.client._remote_workflow import RemoteWorkflow
from agentos.client._sync_client import SyncAgentOSClient
from agentos.client._types import (
    AgentResponse,
    ConfigResponse,
    DatabaseInfo,
    DomainConfig,
    EntitySummary,
    InterfaceInfo,
    KnowledgeSummary,
    ModelInfo,
    PaginatedResponse,
    TeamMemberInfo,
    TeamResponse,
    WorkflowResponse,
    WorkflowStepInfo,
)

__all__ = [
    "AbortedError",
    "AgentOSClient",
    "AgentOSClientError",
    "AgentResponse",
    "AlreadyExistsError",
    "ConfigResponse",
    "DataLossError",
    "DatabaseInfo",
    "DeadlineExceededError",
    "DomainConfig",
    "EntitySummary",
    "FailedPreconditionError",
    "FieldViolation",
    "InterfaceInfo",
    "InternalError",
    "InvalidArgumentError",
    "KnowledgeSummary",
    "ModelInfo",
    "NotFoundError",
    "OutOfRangeError",
    "PaginatedResponse",
    "PermissionDeniedError",
    "RemoteAgent",
    "RemoteDb",
    "RemoteKnowledge",
    "RemoteServerUnavailableError",
    "RemoteStreamError",
    "RemoteTeam",
    "RemoteWorkflow",
    "RequestCancelledError",
    "ResourceExhaustedError",
    "ResourceInfo",
    "SyncAgentOSClient",
    "TeamMemberInfo",
    "TeamResponse",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "WorkflowResponse",
    "WorkflowStepInfo",
    "error_class_for",
]
