"""``client.sync``: a blocking twin of every ``AgentOSClient`` method, under the same name.

Each twin drives the async method on the calling thread's private event loop (``_sync``), so
there is one implementation of every call. Stream methods return plain iterators of the same
events. A twin called from inside a running event loop raises instead of blocking it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from agentos.client._client import AgentOSClient
from agentos.client._sync import iterate_sync, run_sync, twin, twin_iter
from agentos.client._transport import DEFAULT, Headers

if TYPE_CHECKING:
    from agentos.models import ToolExecution
    from agentos.run import RunOutput, RunOutputEvent, RunRequirement


class SyncAgentOSClient:
    """Blocking view of an :class:`AgentOSClient` (``client.sync``)."""

    def __init__(self, client: AgentOSClient) -> None:
        self._target = client

    @property
    def client(self) -> AgentOSClient:
        return self._target

    def __repr__(self) -> str:
        return f"SyncAgentOSClient({self._target!r})"

    def close(self) -> None:
        self._target.close()

    # discovery
    get_config = twin(AgentOSClient.aget_config)
    list_agents = twin(AgentOSClient.list_agents)
    get_agent = twin(AgentOSClient.aget_agent)
    list_teams = twin(AgentOSClient.list_teams)
    get_team = twin(AgentOSClient.aget_team)
    list_workflows = twin(AgentOSClient.list_workflows)
    get_workflow = twin(AgentOSClient.aget_workflow)

    # runs
    run_agent = twin(AgentOSClient.run_agent)
    run_agent_stream = twin_iter(AgentOSClient.run_agent_stream)
    cancel_run = twin(AgentOSClient.cancel_run)
    cancel_agent_run = twin(AgentOSClient.cancel_agent_run)
    run_team = twin(AgentOSClient.run_team)
    run_team_stream = twin_iter(AgentOSClient.run_team_stream)
    cancel_team_run = twin(AgentOSClient.cancel_team_run)
    run_workflow = twin(AgentOSClient.run_workflow)
    run_workflow_stream = twin_iter(AgentOSClient.run_workflow_stream)
    cancel_workflow_run = twin(AgentOSClient.cancel_workflow_run)
    get_run = twin(AgentOSClient.get_run)
    list_runs = twin(AgentOSClient.list_runs)
    get_session_runs = twin(AgentOSClient.get_session_runs)
    watch_run = twin_iter(AgentOSClient.watch_run)

    def continue_agent_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution] | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        *,
        stream: bool = False,
        requirements: Sequence[RunRequirement] | None = None,
        stream_events: bool = True,
        dependencies: dict[str, Any] | None = None,
        knowledge_filters: dict[str, Any] | None = None,
        retries: int | None = None,
        output_schema: Any = None,
        request_id: str | None = None,
        resume_on_disconnect: bool = False,
        timeout: float | None = DEFAULT,
        headers: Headers | None = None,
        auth_token: str | None = None,
    ) -> RunOutput | Iterator[RunOutputEvent]:
        """Sync ``continue_agent_run``: the RunOutput, or with ``stream=True`` an iterator of events."""
        what = "SyncAgentOSClient.continue_agent_run()"
        if stream:
            return iterate_sync(
                self._target.continue_agent_run(
                    agent_id,
                    run_id,
                    tools,
                    session_id,
                    user_id,
                    stream=True,
                    requirements=requirements,
                    stream_events=stream_events,
                    dependencies=dependencies,
                    knowledge_filters=knowledge_filters,
                    retries=retries,
                    output_schema=output_schema,
                    request_id=request_id,
                    resume_on_disconnect=resume_on_disconnect,
                    headers=headers,
                    auth_token=auth_token,
                ),
                what,
            )
        return run_sync(
            self._target.continue_agent_run(
                agent_id,
                run_id,
                tools,
                session_id,
                user_id,
                requirements=requirements,
                dependencies=dependencies,
                knowledge_filters=knowledge_filters,
                retries=retries,
                output_schema=output_schema,
                request_id=request_id,
                timeout=timeout,
                headers=headers,
                auth_token=auth_token,
            ),
            what,
        )

    # memories
    create_memory = twin(AgentOSClient.create_memory)
    list_memories = twin(AgentOSClient.list_memories)
    get_memory = twin(AgentOSClient.get_memory)
    update_memory = twin(AgentOSClient.update_memory)
    delete_memory = twin(AgentOSClient.delete_memory)
    delete_memories = twin(AgentOSClient.delete_memories)
    get_memory_topics = twin(AgentOSClient.get_memory_topics)
    get_user_memory_stats = twin(AgentOSClient.get_user_memory_stats)

    # sessions
    create_session = twin(AgentOSClient.create_session)
    get_sessions = twin(AgentOSClient.get_sessions)
    get_session = twin(AgentOSClient.get_session)
    update_session = twin(AgentOSClient.update_session)
    rename_session = twin(AgentOSClient.rename_session)
    delete_session = twin(AgentOSClient.delete_session)
    delete_sessions = twin(AgentOSClient.delete_sessions)

    # knowledge, traces, metrics, evals
    upload_knowledge_content = twin(AgentOSClient.upload_knowledge_content)
    search_knowledge = twin(AgentOSClient.search_knowledge)
    list_knowledge_content = twin(AgentOSClient.list_knowledge_content)
    get_knowledge_content = twin(AgentOSClient.get_knowledge_content)
    delete_knowledge_content = twin(AgentOSClient.delete_knowledge_content)
    get_knowledge_config = twin(AgentOSClient.get_knowledge_config)
    get_traces = twin(AgentOSClient.get_traces)
    get_trace = twin(AgentOSClient.get_trace)
    get_metrics = twin(AgentOSClient.get_metrics)
    refresh_metrics = twin(AgentOSClient.refresh_metrics)
    create_eval_run = twin(AgentOSClient.create_eval_run)
    get_eval_run = twin(AgentOSClient.get_eval_run)
    list_eval_runs = twin(AgentOSClient.list_eval_runs)
    update_eval_run = twin(AgentOSClient.update_eval_run)
    delete_eval_runs = twin(AgentOSClient.delete_eval_runs)
