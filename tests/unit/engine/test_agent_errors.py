"""Provider failures, timeouts, retries: in-band RunError with the reason, partial content kept."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, fail, timeout
from agentos.run import RunErrorEvent, RunStatus


async def test_provider_error_becomes_run_error() -> None:
    out = await Agent(model=ScriptedModel(steps=[fail("upstream 503", status_code=503)])).arun("hi")
    assert out.status == RunStatus.error
    assert out.error is not None and "upstream 503" in out.error
    assert out.content is None


async def test_stream_failure_keeps_partial_content_and_ends_with_run_error() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[fail("connection reset", chunks=["par", "tial"], after_chunks=2)])
    )
    events = [e async for e in agent.arun("hi", stream=True, stream_events=True)]
    error = events[-1]
    assert isinstance(error, RunErrorEvent)
    assert "connection reset" in (error.content or "")
    assert error.error_type == "ModelProviderError"
    assert [e.event for e in events[:-1]] == ["RunStarted", "RunContent", "RunContent"]
    # Without streaming the provider call fails as a whole: no partial content exists.
    out = await agent.arun("hi")
    assert out.status == RunStatus.error and out.content is None


async def test_failure_after_a_tool_turn_keeps_the_earlier_content() -> None:
    from agentos.models.scripted import ScriptedReply, tool_call

    def noop() -> str:
        """Nothing."""
        return "ok"

    model = ScriptedModel(
        steps=[ScriptedReply(content="Checking. ", tool_calls=[tool_call("noop")]), fail("gone")]
    )
    out = await Agent(model=model, tools=[noop]).arun("hi")
    assert out.status == RunStatus.error and out.content == "Checking. "
    assert [m.role for m in out.messages or []] == ["user", "assistant", "tool"]


async def test_timeout_is_reported() -> None:
    out = await Agent(model=ScriptedModel(steps=[timeout("took too long")])).arun("hi")
    assert out.status == RunStatus.error and "took too long" in (out.error or "")


async def test_agent_retries_a_failed_model_call() -> None:
    calls: list[int] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        calls.append(1)
        if len(calls) < 3:
            return fail("flaky", status_code=502)
        return "third time lucky"

    agent = Agent(model=FunctionModel(fn=reply), retries=2, delay_between_retries=0)
    out = await agent.arun("hi")
    assert out.content == "third time lucky" and len(calls) == 3
    calls.clear()
    out = await Agent(model=FunctionModel(fn=reply), retries=1, delay_between_retries=0).arun("hi")
    assert out.status == RunStatus.error and len(calls) == 2


async def test_script_exhaustion_is_an_error_naming_the_step() -> None:
    from agentos.models.scripted import tool_call

    def noop() -> str:
        """Nothing."""
        return ""

    out = await Agent(model=ScriptedModel(steps=[tool_call("noop")]), tools=[noop]).arun("hi")
    assert out.status == RunStatus.error and "step 2" in (out.error or "")


async def test_unexpected_exception_in_user_code_is_an_in_band_error() -> None:
    def instructions() -> str:
        raise ValueError("bad instructions")

    events = [
        e
        async for e in Agent(model=ScriptedModel(steps=["x"]), instructions=instructions).arun(
            "hi", stream=True
        )
    ]
    assert isinstance(events[-1], RunErrorEvent) and "bad instructions" in (events[-1].content or "")
