"""print_response / aprint_response: message, reasoning and answer, Markdown through the optional
``rich`` package, plain text without it. Output goes to a StringIO (or a rich Console on one)."""

from __future__ import annotations

import io
import sys

import pytest
from agentos.agent import Agent
from agentos.models.scripted import ScriptedModel, ScriptedReply

MARKDOWN_ANSWER = "# Plan\n\nGo **now**, then <think>quietly</think> rest."

STEPS = {
    "reasoning_steps": [
        {
            "title": "Understand",
            "action": "I read the question",
            "result": "It asks for 2+2",
            "next_action": "continue",
        },
        {
            "title": "Compute",
            "action": "I add",
            "result": "4",
            "next_action": "final_answer",
            "confidence": 0.9,
        },
    ]
}


def reasoning_agent() -> Agent:
    return Agent(
        model=ScriptedModel(steps=["The answer is 4."]), reasoning_model=ScriptedModel(steps=[STEPS])
    )


@pytest.fixture
def without_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import rich`` fail, as on an installation without the optional package."""
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rich", None)


async def test_markdown_is_rendered_with_rich() -> None:
    pytest.importorskip("rich")
    buffer = io.StringIO()
    agent = Agent(model=ScriptedModel(steps=[MARKDOWN_ANSWER]))
    await agent.aprint_response("plan my day", console=buffer, markdown=True)
    out = buffer.getvalue()
    assert out.startswith("Message: plan my day\nResponse:\n")
    assert "Plan" in out and "# Plan" not in out  # a heading, not the raw markup
    assert "now" in out and "**now**" not in out
    assert "<think>quietly</think>" in out  # escaped, so it is shown instead of dropped


async def test_markdown_falls_back_to_plain_text_without_rich(without_rich: None) -> None:
    buffer = io.StringIO()
    agent = Agent(model=ScriptedModel(steps=[MARKDOWN_ANSWER]), markdown=True)
    await agent.aprint_response("plan my day", console=buffer)
    assert buffer.getvalue() == f"Message: plan my day\nResponse: {MARKDOWN_ANSWER}\n"


async def test_markdown_follows_the_agent_and_can_be_turned_off() -> None:
    buffer = io.StringIO()
    agent = Agent(model=ScriptedModel(steps=[MARKDOWN_ANSWER]), markdown=True)
    await agent.aprint_response("q", console=buffer, markdown=False, show_message=False)
    assert buffer.getvalue() == f"Response: {MARKDOWN_ANSWER}\n"


async def test_a_rich_console_can_be_given() -> None:
    rich_console = pytest.importorskip("rich.console")
    buffer = io.StringIO()
    console = rich_console.Console(file=buffer, width=100)
    await Agent(model=ScriptedModel(steps=["**bold** [red]not markup[/red]"]), markdown=True).aprint_response(
        "q", console=console, show_message=False
    )
    out = buffer.getvalue()
    assert "bold" in out and "**" not in out
    assert "[red]not markup[/red]" in out


async def test_show_reasoning_prints_each_step_before_the_answer() -> None:
    buffer = io.StringIO()
    await reasoning_agent().aprint_response("What is 2+2?", console=buffer, show_reasoning=True)
    assert buffer.getvalue() == (
        "Message: What is 2+2?\n"
        "Reasoning:\n"
        "Step 1: Understand\nIt asks for 2+2\n"
        "Step 2: Compute\n4\n"
        "Response: The answer is 4.\n"
    )


async def test_show_full_reasoning_prints_every_field() -> None:
    buffer = io.StringIO()
    await reasoning_agent().aprint_response("What is 2+2?", console=buffer, show_full_reasoning=True)
    out = buffer.getvalue()
    assert (
        "## Step 1: Understand\nAction: I read the question\nResult: It asks for 2+2\nNext action: continue"
        in out
    )
    assert "Confidence: 0.9" in out
    quiet = io.StringIO()
    await reasoning_agent().aprint_response("What is 2+2?", console=quiet)
    assert "Understand" not in quiet.getvalue()


async def test_streamed_reasoning_and_answer_arrive_in_order() -> None:
    buffer = io.StringIO()
    agent = Agent(
        model=ScriptedModel(
            steps=[ScriptedReply(content="The answer is 4.", chunks=["The answer ", "is 4."])]
        ),
        reasoning_model=ScriptedModel(steps=[STEPS]),
    )
    await agent.aprint_response("What is 2+2?", console=buffer, stream=True, show_reasoning=True)
    assert buffer.getvalue() == (
        "Message: What is 2+2?\n"
        "Reasoning:\n"
        "Step 1: Understand\nIt asks for 2+2\n"
        "Step 2: Compute\n4\n"
        "Response: The answer is 4.\n"
    )


def test_streamed_markdown_is_rendered_once_complete_on_a_file_console() -> None:
    pytest.importorskip("rich")
    buffer = io.StringIO()
    agent = Agent(
        model=ScriptedModel(
            steps=[ScriptedReply(content="# Plan\n\nGo **now**", chunks=["# Pl", "an\n\nGo **n", "ow**"])]
        )
    )
    agent.print_response("q", console=buffer, stream=True, markdown=True, show_message=False)
    out = buffer.getvalue()
    assert out.startswith("Response:\n")
    assert "Plan" in out and "# Pl" not in out and "**" not in out
    assert out.count("Plan") == 1  # not every intermediate frame: a file is not a live terminal
