"""The default scope map: which scopes each RPC of the AgentOS contract needs under RBAC.

Agno's documentation leaves its default map out, so this one is designed from its scope model
(``resource:action``, ``resource:<id>:action``, ``resource:*:action``, ``agent_os:admin``) and
mirrors its known entries (``agents:read`` to list agents, ``agents:<id>:run`` to run one,
``config:read`` for the config, ``sessions:read``/``write``/``delete``).

=============================================  ==============================================
RPC                                            required scope
=============================================  ==============================================
AgentOSService.GetConfig                       ``config:read``; the agents, teams and
                                               workflows listed are only those the caller can
                                               read or run (``accessible_resource_ids``)
AgentOSService.ListAgents                      ``agents:read``, or any ``agents:<id>:read`` /
                                               ``agents:<id>:run``; the list is filtered to
                                               the accessible ids
AgentOSService.GetAgent                        ``agents:<agent_id>:read`` (``run`` implies it)
AgentOSService.ListTeams / GetTeam             as for agents, with ``teams:``
AgentOSService.ListWorkflows / GetWorkflow     as for agents, with ``workflows:``
RunService.CreateRun / StreamRun               ``<kind>:<id>:run`` of the request's target
                                               (``agents:a1:run`` for ``agent_id: "a1"``)
RunService.ContinueRun / StreamContinueRun /   ``<kind>:<id>:run`` of the run's target; the
CancelRun                                      handler checks it after loading the run
                                               (``AuthContext.authorize_run``)
RunService.GetRun / WatchRun                   ``<kind>:<id>:run`` of the run's target, or
                                               ``sessions:read``; checked by the handler
RunService.ListRuns                            ``sessions:read``
SessionService.GetSession / ListSessions       ``sessions:read``
SessionService.CreateSession / UpdateSession   ``sessions:write``
SessionService.DeleteSession /                 ``sessions:delete``
BatchDeleteSessions
MemoryService.GetMemory / ListMemories /       ``memories:read``
ListMemoryTopics / GetUserMemoryStats
MemoryService.CreateMemory / UpdateMemory      ``memories:write``
MemoryService.DeleteMemory /                   ``memories:delete``
BatchDeleteMemories
KnowledgeService.GetContent / ListContents /   ``knowledge:read``
SearchKnowledge / GetKnowledgeConfig
KnowledgeService.CreateContent /               ``knowledge:write``
UploadContent / UpdateContent
KnowledgeService.DeleteContent                 ``knowledge:delete``
TraceService.ListTraces / GetTrace             ``traces:read``
MetricsService.GetMetrics                      ``metrics:read``
MetricsService.RefreshMetrics                  ``metrics:write``
EvalService.GetEvalRun / ListEvalRuns          ``evals:read``
EvalService.CreateEvalRun / UpdateEvalRun      ``evals:write``
EvalService.DeleteEvalRuns                     ``evals:delete``
grpc.health.v1.Health/*, server reflection     none: served without a token
any other method                               the admin scope (``agent_os:admin``), until a
                                               ``scope_mappings`` entry names it
=============================================  ==============================================

``agent_os:admin`` grants every RPC and lifts per-user isolation. Scopes never imply each other
except ``run`` ⇒ ``read`` on agents, teams and workflows (see ``_scopes``); in particular
``write`` does not imply ``read`` and ``delete`` is separate from ``write``, so a token can
be allowed to edit without being allowed to destroy.

Per-user isolation is independent of scopes: a non-admin caller acts as the token's user
(``AuthContext.effective_user_id``), whatever scopes it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

RunAccess = Literal["run", "read"]

ALWAYS_EXCLUDED = (
    "/grpc.health.v1.Health/*",
    "/grpc.reflection.v1alpha.ServerReflection/*",
    "/grpc.reflection.v1.ServerReflection/*",
)
"""Methods served without auth whatever the config says: probes and tooling must reach them."""


@dataclass(frozen=True, slots=True)
class MethodRule:
    """What one RPC needs.

    - ``scopes``: all required; ``{kind}`` is replaced by the target's kind, and a
      ``resource:action`` scope is resolved against the target (see ``_scopes``).
    - ``target_fields``: request fields naming the target, with the kind each one means; the
      first non-empty one wins. A request with none of them is refused as INVALID_ARGUMENT.
    - ``list_kind``: a list RPC: allowed when the caller reaches at least one resource of
      that kind; the handler filters with ``accessible_resource_ids``.
    - ``run_access``: the RPC acts on a stored run whose target only the handler knows; the
      handler calls ``AuthContext.authorize_run`` after loading it.
    """

    scopes: tuple[str, ...] = ()
    target_fields: tuple[tuple[str, str], ...] = ()
    list_kind: str | None = None
    run_access: RunAccess | None = None


_RUN_TARGET = (("agent_id", "agents"), ("team_id", "teams"), ("workflow_id", "workflows"))


def _service(name: str, rules: Mapping[str, MethodRule]) -> dict[str, MethodRule]:
    return {f"/agentos.v1.{name}/{method}": rule for method, rule in rules.items()}


def _entity(kind: str, id_field: str) -> dict[str, MethodRule]:
    singular = kind[:-1].capitalize()
    return {
        f"List{kind.capitalize()}": MethodRule(list_kind=kind),
        f"Get{singular}": MethodRule(scopes=(f"{kind}:read",), target_fields=((id_field, kind),)),
    }


def _crud(
    resource: str, read: tuple[str, ...], write: tuple[str, ...], delete: tuple[str, ...]
) -> dict[str, MethodRule]:
    rules: dict[str, MethodRule] = {}
    for action, methods in (("read", read), ("write", write), ("delete", delete)):
        for method in methods:
            rules[method] = MethodRule(scopes=(f"{resource}:{action}",))
    return rules


DEFAULT_SCOPE_MAP: Mapping[str, MethodRule] = {
    **_service(
        "AgentOSService",
        {
            "GetConfig": MethodRule(scopes=("config:read",)),
            **_entity("agents", "agent_id"),
            **_entity("teams", "team_id"),
            **_entity("workflows", "workflow_id"),
        },
    ),
    **_service(
        "RunService",
        {
            "CreateRun": MethodRule(scopes=("{kind}:run",), target_fields=_RUN_TARGET),
            "StreamRun": MethodRule(scopes=("{kind}:run",), target_fields=_RUN_TARGET),
            "ContinueRun": MethodRule(run_access="run"),
            "StreamContinueRun": MethodRule(run_access="run"),
            "CancelRun": MethodRule(run_access="run"),
            "GetRun": MethodRule(run_access="read"),
            "WatchRun": MethodRule(run_access="read"),
            "ListRuns": MethodRule(scopes=("sessions:read",)),
        },
    ),
    **_service(
        "SessionService",
        _crud(
            "sessions",
            read=("GetSession", "ListSessions"),
            write=("CreateSession", "UpdateSession"),
            delete=("DeleteSession", "BatchDeleteSessions"),
        ),
    ),
    **_service(
        "MemoryService",
        _crud(
            "memories",
            read=("GetMemory", "ListMemories", "ListMemoryTopics", "GetUserMemoryStats"),
            write=("CreateMemory", "UpdateMemory"),
            delete=("DeleteMemory", "BatchDeleteMemories"),
        ),
    ),
    **_service(
        "KnowledgeService",
        _crud(
            "knowledge",
            read=("GetContent", "ListContents", "SearchKnowledge", "GetKnowledgeConfig"),
            write=("CreateContent", "UploadContent", "UpdateContent"),
            delete=("DeleteContent",),
        ),
    ),
    **_service("TraceService", _crud("traces", read=("ListTraces", "GetTrace"), write=(), delete=())),
    **_service(
        "MetricsService", _crud("metrics", read=("GetMetrics",), write=("RefreshMetrics",), delete=())
    ),
    **_service(
        "EvalService",
        _crud(
            "evals",
            read=("GetEvalRun", "ListEvalRuns"),
            write=("CreateEvalRun", "UpdateEvalRun"),
            delete=("DeleteEvalRuns",),
        ),
    ),
}
"""Full gRPC method name → rule. Tested against the generated services so no RPC is missed."""
