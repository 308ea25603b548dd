"""RemoteTeam and RemoteWorkflow runs reach the server through the shared Remote* plumbing.

The server has no teams or workflows yet, so every run of one is answered NOT_FOUND: that is
enough to show that each way of running (await, async stream, sync, sync stream) sends a
request with the caller's arguments (a misnamed argument would fail before reaching the
server) and raises the server's typed error, and that the sync forms refuse a running loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.client import NotFoundError, RemoteTeam, RemoteWorkflow
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS
from agentos_server import OSHarness, ThreadedOS, serve_os_in_thread


def _make_os() -> AgentOS:
    return AgentOS(agents=[Agent(id="helper", model=ScriptedModel(steps=["ok"]))], db=InMemoryDb())


TEAM_ARGUMENTS: dict[str, Any] = {
    "user_id": "u1",
    "session_id": "s1",
    "session_state": {"k": 1},
    "retries": 1,
    "knowledge_filters": {"topic": "x"},
    "add_history_to_context": True,
    "dependencies": {"d": 2},
    "metadata": {"m": 3},
    "run_id": "run-1",
    "debug_mode": True,  # a local team's argument with no remote meaning: ignored
}
WORKFLOW_ARGUMENTS: dict[str, Any] = {
    "additional_data": {"a": 1},
    "user_id": "u1",
    "session_id": "s1",
    "session_state": {"k": 1},
    "metadata": {"m": 3},
    "run_id": "run-1",
    "debug_mode": True,
}


@pytest.fixture
def threaded() -> Iterator[ThreadedOS]:
    with serve_os_in_thread(_make_os()) as server:
        yield server


async def test_remote_team_and_workflow_async_runs_raise_the_servers_error(start_os: Any) -> None:
    harness: OSHarness = await start_os(_make_os())
    team = RemoteTeam(harness.address, "ghost-team")
    workflow = RemoteWorkflow(harness.address, "ghost-flow")
    try:
        with pytest.raises(NotFoundError) as team_run:
            await team.arun("hi", **TEAM_ARGUMENTS)
        assert team_run.value.reason == "TEAM_NOT_FOUND"
        with pytest.raises(NotFoundError):
            async for _ in team.arun("hi", stream=True, stream_events=True, **TEAM_ARGUMENTS):
                pass
        with pytest.raises(NotFoundError) as workflow_run:
            await workflow.arun("hi", **WORKFLOW_ARGUMENTS)
        assert workflow_run.value.reason == "WORKFLOW_NOT_FOUND"
        with pytest.raises(NotFoundError):
            async for _ in workflow.arun("hi", stream=True, **WORKFLOW_ARGUMENTS):
                pass
        # The sync forms would block this loop: they refuse, naming the class.
        with pytest.raises(RuntimeError, match=r"RemoteTeam\.run\(\)"):
            team.run("hi")
        with pytest.raises(RuntimeError, match=r"RemoteWorkflow\.run\(\)"):
            workflow.run("hi", stream=True)
    finally:
        await team.client.aclose()
        await workflow.client.aclose()


def test_remote_team_and_workflow_sync_runs_raise_the_servers_error(threaded: ThreadedOS) -> None:
    team = RemoteTeam(threaded.address, "ghost-team")
    workflow = RemoteWorkflow(threaded.address, "ghost-flow")
    with pytest.raises(NotFoundError):
        team.run("hi", **TEAM_ARGUMENTS)
    with pytest.raises(NotFoundError):
        list(team.run("hi", stream=True, **TEAM_ARGUMENTS))
    with pytest.raises(NotFoundError):
        workflow.run("hi", **WORKFLOW_ARGUMENTS)
    with pytest.raises(NotFoundError):
        list(workflow.run("hi", stream=True, stream_events=False, **WORKFLOW_ARGUMENTS))
