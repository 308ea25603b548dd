"""Served entities and the AgentOS configuration as protobuf (``agentos.v1.agent_os``).

What a client learns about an agent is what it needs to call it well: the tools the model is
offered (with the same JSON schemas the model sees), the model, static instructions, the
feature switches that change how runs behave, and the input/output schemas. Instructions given
as a callable are computed per run, so they are left out rather than guessed.

This module takes plain values (the configuration as a mapping, databases as id/type/domains)
so that ``wire`` does not depend on the runtime package that assembles them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentos.agent import Agent
from agentos.models import Model
from agentos.run._serialize import to_jsonable
from agentos.tools import Function, Toolkit
from agentos.v1 import agent_os_pb2
from google.protobuf import struct_pb2
from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class DatabaseDescription:
    """A database as reported in the configuration."""

    db_id: str
    db_type: str
    domains: tuple[str, ...]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def model_info(model: Model | str | None) -> agent_os_pb2.ModelInfo | None:
    """A Model, or a ``"provider:model_id"`` string, as ModelInfo (None when there is none)."""
    if model is None:
        return None
    if isinstance(model, Model):
        return agent_os_pb2.ModelInfo(
            model_id=model.id, provider=model.provider or "", name=model.name or type(model).__name__
        )
    provider, sep, model_id = model.partition(":")
    if not sep:
        return agent_os_pb2.ModelInfo(model_id=model)
    name = ""
    try:
        from agentos.models import get_model

        name = type(get_model(model)).__name__
    except (ValueError, TypeError, ImportError):
        name = ""
    return agent_os_pb2.ModelInfo(model_id=model_id.strip(), provider=provider.strip().lower(), name=name)


def _toolkit_of(tools: Sequence[Any] | None) -> dict[str, str]:
    owners: dict[str, str] = {}
    for item in tools or ():
        if isinstance(item, Toolkit):
            for name in item.functions:
                owners.setdefault(name, item.name)
    return owners


def tool_info(function: Function, toolkit: str = "") -> agent_os_pb2.ToolInfo:
    definition = function.to_definition()
    return agent_os_pb2.ToolInfo(
        name=definition.name,
        description=definition.description or "",
        parameters_json_schema=json.dumps(definition.parameters, sort_keys=True),
        toolkit=toolkit,
        requires_confirmation=function.requires_confirmation,
        requires_user_input=function.requires_user_input,
        external_execution=function.external_execution,
        stop_after_tool_call=function.stop_after_tool_call,
    )


def agent_tools(agent: Agent) -> list[agent_os_pb2.ToolInfo]:
    """The agent's tools in the order the model sees them; raises what tool resolution raises."""
    owners = _toolkit_of(agent.tools)
    return [tool_info(f, owners.get(f.name, "")) for f in agent.get_tools()]


def static_instructions(instructions: Any) -> list[str]:
    """Instructions known before a run (a string or a list of strings); [] for a callable."""
    if isinstance(instructions, str):
        return [instructions]
    if isinstance(instructions, list | tuple):
        return [item for item in instructions if isinstance(item, str)]
    return []


def schema_json(schema: Any) -> str:
    """The JSON schema of a pydantic model class or a JSON-schema dict, as a JSON string."""
    if schema is None:
        return ""
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return json.dumps(schema.model_json_schema(), sort_keys=True)
    if isinstance(schema, Mapping):
        return json.dumps(to_jsonable(dict(schema)), sort_keys=True)
    return ""


def to_struct(values: Mapping[str, Any] | None) -> struct_pb2.Struct | None:
    if not values:
        return None
    struct = struct_pb2.Struct()
    struct.update(to_jsonable(dict(values)))
    return struct


def agent_features(agent: Agent) -> agent_os_pb2.EntityFeatures:
    return agent_os_pb2.EntityFeatures(
        add_history_to_context=bool(agent.add_history_to_context),
        num_history_runs=int(agent.num_history_runs or 0),
        add_session_state_to_context=bool(agent.add_session_state_to_context),
        add_dependencies_to_context=bool(agent.add_dependencies_to_context),
        enable_user_memories=bool(agent.enable_user_memories),
        enable_agentic_memory=bool(agent.enable_agentic_memory),
        enable_session_summaries=bool(agent.enable_session_summaries),
        has_knowledge=agent.knowledge is not None,
        search_knowledge=bool(agent.search_knowledge) and agent.knowledge is not None,
        add_knowledge_to_context=bool(agent.add_knowledge_to_context),
        reasoning=bool(agent.reasoning) or agent.reasoning_model is not None,
        markdown=bool(agent.markdown),
        stream_events=bool(agent.stream_events),
        has_parser_model=agent.parser_model is not None,
        has_output_model=agent.output_model is not None,
        retries=int(agent.retries or 0),
    )


def _db_id(entity: Any) -> str:
    db = getattr(entity, "db", None)
    db_id = getattr(db, "id", None)
    return db_id if isinstance(db_id, str) else ""


def _knowledge_id(entity: Any) -> str:
    knowledge = getattr(entity, "knowledge", None)
    if knowledge is None:
        return ""
    for attr in ("id", "knowledge_id", "name"):
        value = getattr(knowledge, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def agent_to_proto(agent: Agent) -> agent_os_pb2.Agent:
    """An agent's details as served by GetAgent/ListAgents."""
    message = agent_os_pb2.Agent(
        agent_id=agent.id,
        name=_text(agent.name),
        description=_text(agent.description),
        role=_text(agent.role),
        tools=agent_tools(agent),
        instructions=static_instructions(agent.instructions),
        expected_output=_text(agent.expected_output),
        features=agent_features(agent),
        input_schema=schema_json(agent.input_schema),
        output_schema=schema_json(agent.output_schema),
        knowledge_id=_knowledge_id(agent),
        db_id=_db_id(agent),
    )
    main = model_info(agent.model)
    if main is not None:
        message.model.CopyFrom(main)
    reasoning = model_info(agent.reasoning_model)
    if reasoning is not None:
        message.reasoning_model.CopyFrom(reasoning)
    metadata = to_struct(agent.metadata)
    if metadata is not None:
        message.metadata.CopyFrom(metadata)
    return message


def entity_summary(entity: Any) -> agent_os_pb2.EntitySummary:
    """Id, name, description and db of an agent, team or workflow (for the configuration)."""
    return agent_os_pb2.EntitySummary(
        id=str(entity.id),
        name=_text(getattr(entity, "name", None)),
        description=_text(getattr(entity, "description", None)),
        db_id=_db_id(entity),
        is_remote=bool(getattr(entity, "is_remote", False)),
    )


def team_to_proto(team: Any) -> agent_os_pb2.Team:
    """A team's details from the attributes every Team has (id, name, model, members...)."""
    message = agent_os_pb2.Team(
        team_id=str(team.id),
        name=_text(getattr(team, "name", None)),
        description=_text(getattr(team, "description", None)),
        role=_text(getattr(team, "role", None)),
        instructions=static_instructions(getattr(team, "instructions", None)),
        db_id=_db_id(team),
        knowledge_id=_knowledge_id(team),
    )
    main = model_info(getattr(team, "model", None))
    if main is not None:
        message.model.CopyFrom(main)
    for member in getattr(team, "members", None) or ():
        if isinstance(member, Agent):
            message.members.append(
                agent_os_pb2.TeamMember(
                    kind=agent_os_pb2.MEMBER_KIND_AGENT,
                    id=member.id,
                    name=_text(member.name),
                    role=_text(member.role),
                    agent=agent_to_proto(member),
                )
            )
        else:
            message.members.append(
                agent_os_pb2.TeamMember(
                    kind=agent_os_pb2.MEMBER_KIND_TEAM,
                    id=str(getattr(member, "id", "")),
                    name=_text(getattr(member, "name", None)),
                    role=_text(getattr(member, "role", None)),
                )
            )
    return message


def workflow_to_proto(workflow: Any) -> agent_os_pb2.Workflow:
    """A workflow's identity (its steps are described once the workflow engine exists)."""
    return agent_os_pb2.Workflow(
        workflow_id=str(workflow.id),
        name=_text(getattr(workflow, "name", None)),
        description=_text(getattr(workflow, "description", None)),
        db_id=_db_id(workflow),
    )


def _domain(
    section: Mapping[str, Any] | None, *, default_db_ids: Sequence[str], with_models: bool = False
) -> agent_os_pb2.DomainConfig:
    section = section or {}
    dbs = section.get("dbs")
    db_ids = [str(entry["db_id"]) for entry in dbs] if dbs else list(default_db_ids)
    domain = agent_os_pb2.DomainConfig(display_name=_text(section.get("display_name")), db_ids=db_ids)
    if with_models:
        for name in section.get("available_models") or ():
            info = model_info(name)
            if info is not None:
                domain.available_models.append(info)
    return domain


def os_config_to_proto(
    *,
    os_id: str,
    name: str | None,
    description: str | None,
    version: str | None,
    agents: Iterable[Any],
    teams: Iterable[Any],
    workflows: Iterable[Any],
    knowledge: Iterable[Any],
    interfaces: Iterable[Any],
    databases: Sequence[DatabaseDescription],
    config: Mapping[str, Any],
    authorization_enabled: bool,
    tracing_enabled: bool,
) -> agent_os_pb2.OSConfig:
    """The GetConfig answer. ``config`` is ``AgentOSConfig.model_dump()``."""

    def ids_for(domain: str) -> list[str]:
        return [d.db_id for d in databases if domain in d.domains]

    message = agent_os_pb2.OSConfig(
        os_id=os_id,
        name=_text(name),
        description=_text(description),
        version=_text(version),
        agents=[entity_summary(a) for a in agents],
        teams=[entity_summary(t) for t in teams],
        workflows=[entity_summary(w) for w in workflows],
        databases=[
            agent_os_pb2.DatabaseInfo(db_id=d.db_id, db_type=d.db_type, domains=list(d.domains))
            for d in databases
        ],
        authorization_enabled=authorization_enabled,
        tracing_enabled=tracing_enabled,
        session=_domain(config.get("session"), default_db_ids=ids_for("session")),
        memory=_domain(config.get("memory"), default_db_ids=ids_for("memory")),
        knowledge_config=_domain(config.get("knowledge"), default_db_ids=ids_for("knowledge")),
        metrics=_domain(config.get("metrics"), default_db_ids=ids_for("metrics")),
        evals=_domain(config.get("evals"), default_db_ids=ids_for("eval"), with_models=True),
        traces=_domain(config.get("traces"), default_db_ids=ids_for("traces")),
    )
    for item in knowledge:
        message.knowledge.append(
            agent_os_pb2.KnowledgeSummary(
                knowledge_id=_knowledge_id(_Holder(item)) or str(getattr(item, "id", "") or ""),
                name=_text(getattr(item, "name", None)),
                description=_text(getattr(item, "description", None)),
                db_id=_db_id(item),
            )
        )
    for interface in interfaces:
        message.interfaces.append(
            agent_os_pb2.InterfaceInfo(
                type=_text(getattr(interface, "type", None)) or type(interface).__name__,
                version=_text(getattr(interface, "version", None)),
                route=_text(getattr(interface, "route", None) or getattr(interface, "prefix", None)),
            )
        )
    for model_name in config.get("available_models") or ():
        info = model_info(model_name)
        if info is not None:
            message.available_models.append(info)
    chat = config.get("chat") or {}
    for entity_id, prompts in (chat.get("quick_prompts") or {}).items():
        message.chat.quick_prompts[entity_id].prompts.extend(prompts)
    return message


@dataclass(frozen=True, slots=True)
class _Holder:
    knowledge: Any
