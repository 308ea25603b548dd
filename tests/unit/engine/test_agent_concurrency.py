"""One Agent, many concurrent runs: no state leaks between them."""

from __future__ import annotations

import asyncio
from typing import Any

from agentos.agent import Agent
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, tool_call
from agentos.run import RunContext, RunStatus


async def test_fifty_concurrent_runs_keep_their_own_state_and_dependencies() -> None:
    gate = asyncio.Event()
    arrived = 0

    async def record(value: str, run_context: RunContext) -> str:
        """Record a value in the session state."""
        nonlocal arrived
        arrived += 1
        if arrived == 50:
            gate.set()
        await gate.wait()  # every run is inside its tool at the same time
        run_context.session_state["values"].append(value)
        return f"{value}:{run_context.dependencies['secret']}"  # type: ignore[index]

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn == 0:
            user = messages[-1].content_text()
            return tool_call("record", value=user)
        return f"done {messages[-1].content}"

    agent = Agent(
        model=FunctionModel(fn=reply),
        tools=[record],
        session_state={"values": []},
        instructions="Owner {owner}",
    )

    async def one(i: int) -> None:
        out = await agent.arun(
            f"v{i}",
            user_id=f"user{i}",
            session_state={"owner": f"o{i}"},
            dependencies={"secret": f"s{i}"},
        )
        assert out.status == RunStatus.completed
        assert out.content == f"done v{i}:s{i}"
        assert out.session_state == {"values": [f"v{i}"], "owner": f"o{i}"}
        assert out.user_id == f"user{i}"
        assert f"Owner o{i}" in (out.messages or [])[0].content_text()

    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(50))), timeout=30)
    assert agent.session_state == {"values": []}
    assert agent.dependencies is None


async def test_concurrent_streams_have_their_own_sequences() -> None:
    from agentos.models.scripted import ScriptedModel, chunks

    agent = Agent(model=ScriptedModel(steps=[chunks("a", "b", "c")]))

    async def stream() -> list[Any]:
        return [e async for e in agent.arun("x", stream=True, stream_events=True)]

    results = await asyncio.gather(*(stream() for _ in range(10)))
    run_ids = {r[0].run_id for r in results}
    assert len(run_ids) == 10
    for events in results:
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert len({e.run_id for e in events}) == 1
