"""Paused runs with a db: stored as paused, continued from the database by any Agent object, in
this process or another one, and stored again (same row) when they end."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import BaseDb
from agentos.models.scripted import ScriptedModel, tool_call
from agentos.run import RunStatus
from agentos.tools import tool

deleted: list[str] = []


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    deleted.append(path)
    return f"deleted {path}"


def confirm_agent(db: Any) -> Agent:
    return Agent(
        model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "file deleted"]),
        tools=[delete_file],
        db=db,
        session_state={"asked": 0},
    )


async def test_a_paused_run_is_stored_and_continued_in_place(db: BaseDb) -> None:
    deleted.clear()
    agent = confirm_agent(db)
    paused = await agent.arun("delete /tmp/x", session_id="s", user_id="ann", stream=False)
    assert paused.status == RunStatus.paused
    [record] = await db.get_runs("s")
    assert record.status == "PAUSED" and record.run_id == paused.run_id
    stored = await agent.aget_run_output(str(paused.run_id))
    assert stored is not None and stored.is_paused
    assert [t.tool_name for t in stored.tools_requiring_confirmation] == ["delete_file"]
    # A paused run does not count in the session metrics until it ends.
    assert await agent.aget_session_metrics("s") is None

    for requirement in paused.active_requirements:
        requirement.confirm()
    done = await agent.acontinue_run(run_id=paused.run_id, requirements=paused.requirements)
    assert done.status == RunStatus.completed and done.content == "file deleted"
    assert deleted == ["/tmp/x"]
    [record] = await db.get_runs("s")
    assert record.status == "COMPLETED" and record.run_data["content"] == "file deleted"
    assert await agent.aget_session_metrics("s") is not None


async def test_another_agent_object_continues_from_the_database(db: BaseDb) -> None:
    deleted.clear()
    first = confirm_agent(db)
    events = [e async for e in first.arun("delete", session_id="s", stream=True, stream_events=True)]
    run_id = events[-1].run_id
    assert events[-1].event == "RunPaused"
    # Drop this process's in-memory copy of the paused run (cancel_run does, and it does not
    # touch the database), so the run can only be continued from the database.
    assert Agent.cancel_run(str(run_id)) is True
    second = confirm_agent(db)
    stored = await second.aget_run_output(str(run_id))
    assert stored is not None and stored.status == RunStatus.paused
    tools = stored.tools_requiring_confirmation
    tools[0].confirmed = True
    continued = [
        e
        async for e in second.acontinue_run(
            run_id=run_id, updated_tools=tools, stream=True, stream_events=True
        )
    ]
    assert continued[-1].event == "RunCompleted"
    assert deleted == ["/tmp/x"]
    # Events keep numbering after the pause, whichever object continues the run.
    sequences = [e.sequence for e in events + continued]
    assert sequences == sorted(set(sequences)) and continued[0].sequence > events[-1].sequence
    [record] = await db.get_runs("s")
    assert record.status == "COMPLETED"


async def test_continuing_an_unknown_run_says_so(db: BaseDb) -> None:
    agent = confirm_agent(db)
    with pytest.raises(ValueError, match="no paused run 'nope'"):
        await agent.acontinue_run(run_id="nope")
    done = await agent.arun("delete", session_id="s")
    assert done.status == RunStatus.paused


@pytest.mark.sql_only
def test_a_run_paused_in_another_process_is_continued_here(store: Any) -> None:
    deleted.clear()
    script = textwrap.dedent(
        f"""
        from agentos.agent import Agent
        from agentos.db import PostgresDb, SqliteDb
        from agentos.models.scripted import ScriptedModel, tool_call
        from agentos.tools import tool

        @tool(requires_confirmation=True)
        def delete_file(path: str) -> str:
            raise AssertionError("not confirmed in this process")

        agent = Agent(
            model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "file deleted"]),
            tools=[delete_file],
            db={store.source()},
        )
        out = agent.run("delete /tmp/x", session_id="s", user_id="ann")
        print(out.run_id, out.status.value)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    run_id, status = result.stdout.split()
    assert status == "PAUSED"

    db = store.open()
    agent = confirm_agent(db)
    stored = agent.get_run_output(run_id)
    assert stored is not None
    for requirement in stored.active_requirements:
        requirement.confirm()
    done = agent.continue_run(run_id=run_id, requirements=stored.requirements, user_id="ann")
    assert done.status == RunStatus.completed, done.error
    assert done.content == "file deleted" and deleted == ["/tmp/x"]
    assert agent.get_last_run_output("s").status == RunStatus.completed  # type: ignore[union-attr]
