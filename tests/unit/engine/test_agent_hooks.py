"""Pre- and post-hooks: injection by name, sync/async, guardrails, events, check errors."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent
from agentos.exceptions import CheckTrigger, InputCheckError, OutputCheckError
from agentos.models.scripted import ScriptedModel
from agentos.run import RunErrorEvent, RunInput, RunOutput, RunStatus


async def test_hooks_receive_what_they_name_and_run_in_order() -> None:
    log: list[Any] = []

    def pre(run_input: RunInput, session_state: dict[str, Any], user_id: str | None) -> None:
        log.append(("pre", run_input.input_content, dict(session_state), user_id))
        session_state["seen"] = True

    async def post(run_output: RunOutput, agent: Agent, metadata: dict[str, Any] | None) -> None:
        log.append(("post", run_output.content, agent.name, metadata))

    agent = Agent(
        name="hooked",
        model=ScriptedModel(steps=["answer"]),
        pre_hooks=[pre],
        post_hooks=[post],
        metadata={"m": 1},
    )
    out = await agent.arun("question", user_id="u", session_state={"s": 1})
    assert log == [("pre", "question", {"s": 1}, "u"), ("post", "answer", "hooked", {"m": 1})]
    assert out.session_state == {"s": 1, "seen": True}


async def test_hook_events_are_streamed_in_place() -> None:
    def check_input(run_input: RunInput) -> None:
        pass

    def check_output(run_output: RunOutput) -> None:
        pass

    agent = Agent(model=ScriptedModel(steps=["a"]), pre_hooks=[check_input], post_hooks=[check_output])
    events = [e async for e in agent.arun("q", stream=True, stream_events=True)]
    assert [e.event for e in events] == [
        "RunStarted",
        "PreHookStarted",
        "PreHookCompleted",
        "RunContent",
        "RunContentCompleted",
        "PostHookStarted",
        "PostHookCompleted",
        "RunCompleted",
    ]
    assert events[1].pre_hook_name == "check_input"  # type: ignore[union-attr]
    assert events[1].run_input.input_content == "q"  # type: ignore[union-attr]
    assert events[5].post_hook_name == "check_output"  # type: ignore[union-attr]


async def test_input_check_error_ends_the_run_before_the_model() -> None:
    called: list[int] = []

    def block(run_input: RunInput) -> None:
        if "secret" in run_input.input_content_string():
            raise InputCheckError("secrets are not allowed", check_trigger=CheckTrigger.INPUT_NOT_ALLOWED)

    from agentos.models.scripted import FunctionModel

    def fn(messages: Any, info: Any) -> str:
        called.append(1)
        return "x"

    agent = Agent(model=FunctionModel(fn=fn), pre_hooks=[block])
    events = [e async for e in agent.arun("my secret", stream=True)]
    error = events[-1]
    assert isinstance(error, RunErrorEvent) and error.content == "secrets are not allowed"
    assert error.error_type == "InputCheckError"
    out = await agent.arun("my secret")
    assert out.status == RunStatus.error and out.error == "secrets are not allowed"
    assert out.input is not None and out.input.input_content == "my secret"
    assert called == []


async def test_output_check_error_refuses_the_output() -> None:
    def no_shouting(run_output: RunOutput) -> None:
        if str(run_output.content).isupper():
            raise OutputCheckError("no shouting")

    out = await Agent(model=ScriptedModel(steps=["LOUD"]), post_hooks=[no_shouting]).arun("q")
    assert out.status == RunStatus.error and out.error == "no shouting"


class KeywordGuardrail:
    """Duck-typed guardrail: the engine calls check/async_check, not __call__."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def check(self, run_input: Any) -> None:
        self.seen.append(type(run_input).__name__)
        if isinstance(run_input, RunInput) and "forbidden" in run_input.input_content_string():
            raise InputCheckError("forbidden word", check_trigger=CheckTrigger.INPUT_NOT_ALLOWED)

    async def async_check(self, run_input: Any) -> None:
        self.check(run_input)


async def test_guardrail_objects_as_pre_and_post_hooks() -> None:
    guard = KeywordGuardrail()
    agent = Agent(model=ScriptedModel(steps=["fine"]), pre_hooks=[guard], post_hooks=[guard])
    out = await agent.arun("hello")
    assert out.status == RunStatus.completed
    assert guard.seen == ["RunInput", "RunOutput"]
    blocked = await agent.arun("forbidden thing")
    assert blocked.status == RunStatus.error and blocked.error == "forbidden word"


async def test_base_guardrail_from_the_guardrails_package() -> None:
    from agentos.guardrails import BaseGuardrail

    class NoNumbers(BaseGuardrail):
        def check(self, run_input: Any) -> None:
            if isinstance(run_input, RunInput) and any(c.isdigit() for c in run_input.input_content_string()):
                raise InputCheckError("numbers are not allowed")

    agent = Agent(model=ScriptedModel(steps=["ok"]), pre_hooks=[NoNumbers()])
    assert (await agent.arun("abc")).status == RunStatus.completed
    assert (await agent.arun("abc 123")).error == "numbers are not allowed"
