"""Debug mode: what a run logs to the ``agentos`` logger at debug levels 1 and 2, and nothing
at all when it is off."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from agentos.agent import Agent
from agentos.models.scripted import ScriptedModel, tool_call

ROOT = Path(__file__).resolve().parents[3]


def add(a: int, b: int) -> str:
    """Add two numbers."""
    return str(a + b)


def long_text(n: int) -> str:
    """Return a long text."""
    return "x" * n


def agent(**kwargs: object) -> Agent:
    return Agent(
        name="calc",
        model=ScriptedModel(id="m", steps=[tool_call("add", a=2, b=3), "The sum is 5."]),
        tools=[add, long_text],
        instructions="SECRET-INSTRUCTIONS",
        **kwargs,  # type: ignore[arg-type]
    )


def debug_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "agentos" and r.levelno == logging.DEBUG]


async def test_level_1_logs_run_model_calls_tools_and_metrics(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="agentos")
    out = await agent(debug_mode=True).arun("what is 2+3?", session_id="s1")
    lines = debug_lines(caplog)
    text = "\n".join(lines)
    assert lines[0].startswith(f"run {out.run_id}: started agent='calc'") and "session=s1" in lines[0]
    assert "model=scripted:m" in lines[0]
    model_calls = [line for line in lines if "model call to scripted:m" in line]
    assert len(model_calls) == 2
    assert "input_tokens=" in model_calls[0] and "tool calls: add" in model_calls[0]
    assert "tool calls: none" in model_calls[1]
    assert 'tool add({"a": 2, "b": 3}) returned' in text and text.count(": 5") >= 1
    metrics = out.metrics
    assert metrics is not None
    usage = (
        f"input_tokens={metrics.input_tokens} output_tokens={metrics.output_tokens}"
        f" total_tokens={metrics.total_tokens}"
    )
    ended = [line for line in lines if "ended with status completed" in line]
    assert len(ended) == 1 and usage in ended[0]
    assert f"run {out.run_id}: metrics of scripted:m: {usage}" in lines
    # Level 1 does not dump the conversation.
    assert "SECRET-INSTRUCTIONS" not in text and "what is 2+3?" not in text


async def test_level_2_also_logs_every_message_and_reply(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="agentos")
    await agent(debug_mode=True, debug_level=2).arun("what is 2+3?")
    text = "\n".join(debug_lines(caplog))
    assert "calling scripted:m with 2 message(s), tools: add, long_text" in text
    assert "message 0 [system]" in text and "SECRET-INSTRUCTIONS" in text
    assert "message 1 [user] what is 2+3?" in text
    assert 'tool calls: add({"a": 2, "b": 3})' in text  # the assistant turn, in the second call
    assert "model reply: The sum is 5." in text


async def test_tool_results_are_truncated(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="agentos")
    chatty = Agent(
        model=ScriptedModel(steps=[tool_call("long_text", n=5000), "done"]),
        tools=[long_text],
        debug_mode=True,
    )
    await chatty.arun("go")
    [line] = [line for line in debug_lines(caplog) if "tool long_text" in line]
    assert "x" * 500 + "... [4500 more characters]" in line and "x" * 501 not in line


async def test_off_means_no_logging_calls_at_all(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AGENTOS_DEBUG", raising=False)
    caplog.set_level(logging.DEBUG, logger="agentos")
    await agent().arun("what is 2+3?")
    assert debug_lines(caplog) == []


async def test_the_environment_turns_it_on_and_a_run_argument_wins(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG, logger="agentos")
    monkeypatch.setenv("AGENTOS_DEBUG", "true")
    await agent().arun("q")
    assert any("ended with status completed" in line for line in debug_lines(caplog))
    caplog.clear()
    await agent().arun("q", debug_mode=False)
    assert debug_lines(caplog) == []
    monkeypatch.setenv("AGENTOS_DEBUG", "false")
    await agent().arun("q", debug_mode=True)
    assert any("started" in line for line in debug_lines(caplog))


def test_a_plain_script_sees_the_debug_log_on_stderr() -> None:
    """Without any logging configuration, debug mode still shows up (as Agno's does)."""
    script = textwrap.dedent(
        """
        from agentos.agent import Agent
        from agentos.models.scripted import ScriptedModel

        Agent(model=ScriptedModel(steps=["hello"]), debug_mode=True).run("hi")
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "AGENTOS_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG agentos: run " in done.stderr and "ended with status completed" in done.stderr
    assert done.stdout == ""
