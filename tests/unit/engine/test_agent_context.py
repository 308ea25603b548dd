"""Context building: system message parts, placeholders, few-shot input, input forms and schema."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent
from agentos.media import Image
from agentos.models import Message
from agentos.models.scripted import EchoModel, FunctionModel, ModelCallInfo
from agentos.run import RunContext, RunStatus
from agentos.tools import Toolkit
from pydantic import BaseModel


def capture() -> tuple[FunctionModel, list[list[Message]]]:
    seen: list[list[Message]] = []

    def fn(messages: list[Message], info: ModelCallInfo) -> Any:
        seen.append(messages)
        return "ok"

    return FunctionModel(fn=fn), seen


async def test_system_message_is_assembled_from_the_agent_settings() -> None:
    class Kit(Toolkit):
        def __init__(self) -> None:
            super().__init__(
                name="kit", tools=[self.ping], instructions="Use ping wisely.", add_instructions=True
            )

        def ping(self) -> str:
            """Ping."""
            return "pong"

    model, seen = capture()
    agent = Agent(
        name="Ada",
        model=model,
        description="You are a helpful assistant.",
        role="researcher",
        instructions=["Be brief.", "Cite sources."],
        expected_output="One paragraph.",
        additional_context="Extra context here.",
        markdown=True,
        add_name_to_context=True,
        add_datetime_to_context=True,
        timezone_identifier="Etc/UTC",
        tools=[Kit()],
    )
    await agent.arun("hi")
    system = seen[0][0]
    assert system.role == "system"
    text = system.content_text()
    for part in (
        "You are a helpful assistant.",
        "<your_role>\nresearcher",
        "- Be brief.",
        "- Cite sources.",
        "Use markdown",
        "Your name is: Ada",
        "The current time is",
        "+00:00",
        "Use ping wisely.",
        "<expected_output>\nOne paragraph.",
        "Extra context here.",
    ):
        assert part in text, part
    assert text.index("You are a helpful") < text.index("<instructions>") < text.index("<expected_output>")


async def test_system_message_override_forms_and_roles() -> None:
    model, seen = capture()
    await Agent(
        model=model,
        system_message="Plain {topic}",
        session_state={"topic": "cats"},
        system_message_role="developer",
    ).arun("x")
    assert (seen[-1][0].role, seen[-1][0].content) == ("developer", "Plain cats")

    def dynamic(agent: Agent, run_context: RunContext) -> str:
        return f"for {agent.name} in {run_context.session_id}"

    await Agent(name="dyn", model=model, system_message=dynamic).arun("x", session_id="s1")
    assert seen[-1][0].content == "for dyn in s1"
    await Agent(model=model, system_message=Message(role="system", content="as message")).arun("x")
    assert seen[-1][0].content == "as message"
    await Agent(model=model, build_context=False, instructions="ignored").arun("x")
    assert [m.role for m in seen[-1]] == ["user"]


async def test_callable_instructions_receive_agent_and_run_context() -> None:
    model, seen = capture()

    async def instructions(run_context: RunContext) -> list[str]:
        return [f"user is {run_context.user_id}"]

    await Agent(model=model, instructions=instructions).arun("x", user_id="u7")
    assert "user is u7" in seen[-1][0].content_text()


async def test_placeholders_resolve_from_state_dependencies_and_metadata() -> None:
    model, seen = capture()
    agent = Agent(
        model=model,
        instructions=(
            'State {color}, dep {tone}, meta {tenant}, user {user_id}, unknown {missing}, json {"a": 1}'
        ),
        session_state={"color": "blue"},
        dependencies={"tone": "calm"},
        metadata={"tenant": "acme"},
    )
    await agent.arun("Say {color}", user_id="u1")
    system = seen[-1][0].content_text()
    assert "State blue, dep calm, meta acme, user u1, unknown {missing}" in system
    assert '{"a": 1}' in system
    assert seen[-1][-1].content == "Say blue"
    await Agent(
        model=model, instructions="Keep {color}", session_state={"color": "x"}, resolve_in_context=False
    ).arun("x")
    assert "Keep {color}" in seen[-1][0].content_text()


async def test_callable_dependencies_are_resolved_per_run_and_added_to_context() -> None:
    model, seen = capture()
    calls: list[int] = []

    def today() -> str:
        calls.append(1)
        return "2025-01-01"

    agent = Agent(
        model=model,
        dependencies={"today": today},
        add_dependencies_to_context=True,
        instructions="Date {today}",
    )
    await agent.arun("what day?")
    assert "Date 2025-01-01" in seen[-1][0].content_text()
    assert (
        "2025-01-01" in seen[-1][-1].content_text() and "<additional context>" in seen[-1][-1].content_text()
    )
    assert calls == [1]


async def test_session_state_added_to_context() -> None:
    model, seen = capture()
    await Agent(model=model, session_state={"cart": ["apple"]}, add_session_state_to_context=True).arun("x")
    assert '<session_state>\n{"cart": ["apple"]}' in seen[-1][0].content_text()


async def test_additional_input_few_shot_messages_come_before_the_user_message() -> None:
    model, seen = capture()

    class Example(BaseModel):
        q: str

    agent = Agent(
        model=model,
        instructions="sys",
        additional_input=[
            "example question",
            Message(role="assistant", content="example answer"),
            {"role": "user", "content": "d"},
            Example(q="m"),
        ],
    )
    out = await agent.arun("real question")
    roles = [(m.role, m.content_text()) for m in seen[-1]]
    assert roles[1:] == [
        ("user", "example question"),
        ("assistant", "example answer"),
        ("user", "d"),
        ("user", '{"q":"m"}'),
        ("user", "real question"),
    ]
    assert out.additional_input is not None and len(out.additional_input) == 4


async def test_input_forms() -> None:
    agent = Agent(model=EchoModel())
    assert (await agent.arun("text")).content == "text"
    assert (await agent.arun({"k": 1})).content == '{"k": 1}'

    class Q(BaseModel):
        topic: str

    assert (await agent.arun(Q(topic="t"))).content == '{"topic":"t"}'
    assert (await agent.arun(Message(role="user", content="as message"))).content == "as message"
    out = await agent.arun(
        [
            Message(role="user", content="first"),
            Message(role="assistant", content="a"),
            Message(role="user", content="second"),
        ]
    )
    assert out.content == "second"
    assert (await agent.arun([{"role": "user", "content": "dict message"}])).content == "dict message"


async def test_media_is_attached_to_the_user_message_unless_disabled() -> None:
    model, seen = capture()
    image = Image(url="https://example.invalid/cat.png")
    out = await Agent(model=model).arun("look", images=[image])
    assert seen[-1][-1].images == [image]
    assert out.input is not None and out.input.images == [image]
    await Agent(model=model, send_media_to_model=False).arun("look", images=[image])
    assert seen[-1][-1].images is None


async def test_input_schema_validates_dict_and_model_input() -> None:
    class Order(BaseModel):
        item: str
        quantity: int

    agent = Agent(model=EchoModel(), input_schema=Order)
    ok = await agent.arun({"item": "pen", "quantity": "2"})
    assert ok.status == RunStatus.completed and ok.content == '{"item":"pen","quantity":2}'
    bad = await agent.arun({"item": "pen"})
    assert bad.status == RunStatus.error and "quantity" in (bad.error or "")
    assert bad.input is not None and bad.input.input_content == {"item": "pen"}
    events = [e async for e in agent.arun({"item": 1, "quantity": "x"}, stream=True)]
    assert events[-1].event == "RunError" and "Order" in (events[-1].content or "")  # type: ignore[union-attr]
