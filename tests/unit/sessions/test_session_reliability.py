"""What happens to sessions when things go wrong: a process killed mid-run, rows that do not
decode, the database going away during a run, one db object used from several event loops."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, PostgresDb, SqliteDb
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, tool_call
from agentos.run import RunContext, RunOutput, RunStatus
from agentos.session import AgentSession
from postgres import PostgresServer
from sqlalchemy import text


def tool_then_answer(tool_name: str) -> FunctionModel:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        question = [m for m in messages if m.role == "user"][-1].content_text()
        if info.turn == 0 and question.startswith("use"):
            return tool_call(tool_name)
        return f"answer to {question}"

    return FunctionModel(fn=reply)


@pytest.mark.sql_only
def test_a_process_killed_mid_run_leaves_the_session_consistent(store: Any, tmp_path: Path) -> None:
    marker = tmp_path / "inside-tool"
    script = textwrap.dedent(
        f"""
        import pathlib, time
        from agentos.agent import Agent
        from agentos.db import PostgresDb, SqliteDb
        from agentos.models.scripted import FunctionModel, tool_call

        def block(run_context) -> str:
            \"\"\"Block forever.\"\"\"
            run_context.session_state["turn"] = "killed"
            pathlib.Path({str(marker)!r}).write_text("x")
            time.sleep(600)
            return "never"

        def reply(messages, info):
            question = [m for m in messages if m.role == "user"][-1].content_text()
            if info.turn == 0 and question == "use block":
                return tool_call("block")
            return "answer to " + question

        agent = Agent(model=FunctionModel(fn=reply), tools=[block], db={store.source()},
                      add_history_to_context=True)
        for turn in ("first", "second"):
            agent.run(turn, session_id="s", user_id="ann", session_state={{"turn": turn}})
        agent.run("use block", session_id="s", user_id="ann")
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the subprocess never reached its tool"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    db = store.open()
    agent = Agent(model=tool_then_answer("none"), db=db, add_history_to_context=True)
    runs = agent.get_session_messages("s")
    assert [m.content for m in runs] == ["first", "answer to first", "second", "answer to second"]
    session = agent.get_session("s")
    assert session is not None and session.user_id == "ann"
    assert [r.status for r in session.runs or []] == [RunStatus.completed, RunStatus.completed]
    assert agent.get_session_state("s") == {"turn": "second"}
    # The database is usable at once: nothing is locked or half-written.
    out = agent.run("third", session_id="s", user_id="ann")
    assert out.status == RunStatus.completed
    assert [m.content for m in out.messages or [] if m.from_history][-1] == "answer to second"
    asyncio.run(db.close())


@pytest.mark.sql_only
async def test_corrupt_session_row_gives_a_clear_error_naming_it(db: BaseDb) -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db)
    await agent.arun("hi", session_id="broken")
    assert isinstance(db, SqliteDb | PostgresDb)
    table = db.table_names.session_table
    qualified = f'"{db.db_schema}"."{table}"' if db.db_schema else table
    value = "CAST(:v AS jsonb)" if isinstance(db, PostgresDb) else ":v"
    async with db.engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE {qualified} SET session_data = {value} WHERE session_id = 'broken'"),
            {"v": '"not an object"'},
        )
    for _ in range(2):  # the same clear answer every time, no crash loop
        out = await agent.arun("again", session_id="broken")
        assert out.status == RunStatus.error
        assert (
            "CorruptRecordError" in str(out.error)
            and "'broken'" in str(out.error)
            and table in str(out.error)
        )
    assert len(await db.get_runs("broken")) == 1
    other = await agent.arun("fine", session_id="other")
    assert other.status == RunStatus.completed


async def test_unexpected_stored_state_shape_is_reported(db: BaseDb) -> None:
    await db.upsert_session(AgentSession(session_id="s", session_data={"session_state": [1, 2]}))
    agent = Agent(model=ScriptedModel(steps=["ok"]), db=db)
    out = await agent.arun("hi", session_id="s")
    assert out.status == RunStatus.error
    assert "'s'" in str(out.error) and "session_state is a list" in str(out.error)
    with pytest.raises(Exception, match="session_state is a list"):
        await agent.aget_session_state("s")


async def test_sqlite_gone_mid_run_ends_with_a_clear_error_and_keeps_the_input(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = SqliteDb(db_file=folder / "agentos.db")

    async def pull_the_plug() -> str:
        """Lose the database."""
        await db.close()
        shutil.rmtree(folder)
        return "done"

    agent = Agent(model=tool_then_answer("pull_the_plug"), tools=[pull_the_plug], db=db)
    first = await agent.arun("hello", session_id="s")
    assert first.status == RunStatus.completed
    events = [e async for e in agent.arun("use the tool", session_id="s", stream=True, stream_events=True)]
    last = events[-1]
    assert last.event == "RunError" and "could not be saved" in str(last.content)
    assert last.additional_data == {"stored": False}  # type: ignore[attr-defined]
    assert "RunCompleted" not in [e.event for e in events]
    sequences = [e.sequence for e in events]
    assert sequences == list(range(1, len(events) + 1))

    out = await agent.arun("use the tool again", session_id="s2")
    # The database is gone from the start now: loading the session fails, clearly.
    assert out.status == RunStatus.error and "StorageUnavailableError" in str(out.error)
    assert out.input is not None and out.input.input_content == "use the tool again"
    await db.close()


async def test_a_run_whose_store_fails_keeps_input_and_answer(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = SqliteDb(db_file=folder / "agentos.db")

    async def pull_the_plug() -> str:
        """Lose the database."""
        await db.close()
        shutil.rmtree(folder)
        return "done"

    agent = Agent(model=tool_then_answer("pull_the_plug"), tools=[pull_the_plug], db=db)
    out = await agent.arun("use the tool", session_id="s")
    assert out.status == RunStatus.error
    assert str(out.error).startswith("the run completed but could not be saved")
    assert out.content == "answer to use the tool"
    assert out.input is not None and out.input.input_content == "use the tool"
    await db.close()


@pytest.mark.postgres
async def test_postgres_stopped_mid_run_ends_with_a_clear_error(disposable_postgres: PostgresServer) -> None:
    db = PostgresDb(disposable_postgres.url, db_schema="outage", connect_timeout=5)

    def stop_database() -> str:
        """Stop the database server."""
        disposable_postgres.stop()
        return "stopped"

    agent = Agent(model=tool_then_answer("stop_database"), tools=[stop_database], db=db)
    assert (await agent.arun("hello", session_id="s")).status == RunStatus.completed
    out = await agent.arun("use it", session_id="s")
    assert out.status == RunStatus.error
    assert "could not be saved" in str(out.error) and "unavailable" in str(out.error)
    assert out.input is not None and out.input.input_content == "use it"

    disposable_postgres.start()
    assert [m.content for m in await agent.aget_session_messages("s")] == ["hello", "answer to hello"]
    await db.close()


@pytest.mark.sql_only
async def test_one_db_object_serves_sync_runs_in_threads_and_async_runs(db: BaseDb) -> None:
    def count(run_context: RunContext) -> str:
        """Count."""
        run_context.session_state["n"] = run_context.session_state.get("n", 0) + 1
        return "counted"

    agent = Agent(model=tool_then_answer("count"), tools=[count], db=db)
    await agent.arun("use count", session_id="main")  # the db's first loop is this one
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for i in range(2):
                out = agent.run(f"use count {i}", session_id=name)  # a private loop per thread
                assert out.status == RunStatus.completed, out.error
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    outs = await asyncio.gather(*(agent.arun("use count", session_id="main") for _ in range(3)))
    for thread in threads:
        await asyncio.to_thread(thread.join, 60)
    assert errors == []
    assert all(o.status == RunStatus.completed for o in outs)
    for name in ("t0", "t1"):
        assert await agent.aget_session_state(name) == {"n": 2}
        assert len(await db.get_runs(name)) == 2
    assert len(await db.get_runs("main")) == 4
    # A fresh loop (as asyncio.run makes) works too, and its engine is disposed with it.
    stored = await asyncio.to_thread(lambda: asyncio.run(agent.aget_last_run_output("t0")))
    assert isinstance(stored, RunOutput)
