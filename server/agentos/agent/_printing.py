"""``print_response``: show a run while developing: the message, the reasoning, the answer.

A development aid, so it favours readable output over a stable format:

* ``show_message``: the input, first;
* ``show_reasoning``: the reasoning steps (title and result of each), or the model's native
  reasoning text; ``show_full_reasoning``: every field of every step (action, reasoning, next
  action, confidence). Streamed runs print steps as they arrive (the run is streamed with
  ``stream_events`` for that, unless the caller chose otherwise);
* ``markdown`` (default: the Agent's ``markdown``): the answer is rendered as Markdown when the
  optional ``rich`` package is importable, and printed as plain text otherwise (``rich`` is not
  a dependency). A streamed answer is re-rendered as it grows (``rich.live``; on a console that
  is not a terminal only the final rendering is written). ``tags_to_include_in_markdown``
  (default ``think``/``thinking``, as in Agno) are escaped so such tags stay visible instead of
  vanishing as HTML.

``console`` is a text file (``sys.stdout`` by default, or e.g. a ``StringIO``) or a
``rich.console.Console``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from agentos.run import (
    ReasoningStepEvent,
    RunContentEvent,
    RunErrorEvent,
    RunInput,
    RunOutput,
    RunPausedEvent,
)

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.reasoning import ReasoningStep

DEFAULT_MARKDOWN_TAGS = frozenset({"think", "thinking"})


def _rich_available() -> bool:
    try:
        import rich.markdown  # noqa: F401
    except ImportError:
        return False
    return True


def _is_rich_console(console: Any) -> bool:
    return hasattr(console, "print") and not hasattr(console, "write")


def escape_tags(text: str, tags: set[str] | frozenset[str]) -> str:
    """``<think>`` → ``&lt;think&gt;``: Markdown renderers drop raw HTML tags, these must show."""
    for tag in tags:
        text = text.replace(f"<{tag}>", f"&lt;{tag}&gt;").replace(f"</{tag}>", f"&lt;/{tag}&gt;")
    return text


class _Printer:
    """Writes plain text to a file or a rich Console, and Markdown through rich when asked."""

    def __init__(self, console: Any, *, markdown: bool, tags: set[str] | frozenset[str]) -> None:
        self._target: Any = console if console is not None else sys.stdout
        self._is_rich = _is_rich_console(self._target)
        self.markdown = markdown and _rich_available()
        self._tags = tags
        self._rich_console: Any = None

    def write(self, text: str) -> None:
        if self._is_rich:
            self._target.print(text, end="", markup=False, highlight=False)
            return
        self._target.write(text)
        flush = getattr(self._target, "flush", None)
        if flush is not None:
            flush()

    def rich_console(self) -> Any:
        """The rich Console to render Markdown on (the given one, or one writing to the file)."""
        if self._rich_console is None:
            if self._is_rich:
                self._rich_console = self._target
            else:
                from rich.console import Console

                self._rich_console = Console(file=self._target)
        return self._rich_console

    def markdown_of(self, text: str) -> Any:
        from rich.markdown import Markdown

        return Markdown(escape_tags(text, self._tags))

    def answer(self, text: str) -> None:
        """A complete answer: rendered Markdown, or a plain ``Response:`` line."""
        if self.markdown:
            self.write("Response:\n")
            self.rich_console().print(self.markdown_of(text))
        else:
            self.write(f"Response: {text}\n")


def _step_text(step: ReasoningStep, number: int, *, full: bool) -> str:
    if full:
        from agentos.reasoning import reasoning_step_to_text

        return reasoning_step_to_text(step, number)
    heading = f"Step {number}: {step.title}" if step.title else f"Step {number}"
    return f"{heading}\n{step.result}" if step.result else heading


def _write_steps(out: _Printer, steps: Sequence[ReasoningStep], *, full: bool) -> None:
    out.write("Reasoning:\n")
    for number, step in enumerate(steps, start=1):
        out.write(_step_text(step, number, full=full) + "\n")


async def aprint_response(
    agent: Agent,
    input: Any,
    *,
    stream: bool | None,
    markdown: bool | None,
    show_message: bool,
    show_reasoning: bool,
    show_full_reasoning: bool,
    console: Any,
    tags_to_include_in_markdown: set[str] | None,
    kwargs: Mapping[str, Any],
) -> None:
    tags = DEFAULT_MARKDOWN_TAGS if tags_to_include_in_markdown is None else tags_to_include_in_markdown
    out = _Printer(console, markdown=agent.markdown if markdown is None else markdown, tags=tags)
    show_reasoning = show_reasoning or show_full_reasoning
    if show_message and input is not None:
        out.write(f"Message: {RunInput(input_content=input).input_content_string()}\n")
    streaming = agent.stream if stream is None else stream
    if streaming:
        run_kwargs = dict(kwargs)
        if show_reasoning:
            run_kwargs.setdefault("stream_events", True)  # reasoning steps are events
        await _print_stream(agent, input, out, show_reasoning, show_full_reasoning, run_kwargs)
        return
    output: RunOutput = await agent.arun(input, stream=False, **kwargs)
    if show_reasoning:
        if output.reasoning_steps:
            _write_steps(out, output.reasoning_steps, full=show_full_reasoning)
        elif output.reasoning_content:
            out.write(f"Reasoning: {output.reasoning_content}\n")
    if output.error:
        out.write(f"Error: {output.error}\n")
    elif output.is_paused:
        names = ", ".join(
            t.tool_name or "?"
            for t in output.tools_requiring_confirmation
            + output.tools_requiring_user_input
            + output.tools_awaiting_external_execution
        )
        out.write(f"Paused: waiting for {names}\n")
    if output.content is not None:
        text = output.get_content_as_string()
        if isinstance(output.content, str):
            out.answer(text)
        else:
            out.write(f"Response: {text}\n")


async def _print_stream(
    agent: Agent,
    input: Any,
    out: _Printer,
    show_reasoning: bool,
    full_reasoning: bool,
    kwargs: Mapping[str, Any],
) -> None:
    live: Any = None
    text = ""
    wrote_answer = False
    step_number = 0
    try:
        async for event in agent.arun(input, stream=True, **kwargs):
            if isinstance(event, ReasoningStepEvent):
                if show_reasoning and event.content is not None and hasattr(event.content, "title"):
                    step_number += 1
                    if step_number == 1:
                        out.write("Reasoning:\n")
                    out.write(_step_text(event.content, step_number, full=full_reasoning) + "\n")
            elif isinstance(event, RunContentEvent):
                if show_reasoning and event.reasoning_content and step_number == 0:
                    out.write(event.reasoning_content)
                if isinstance(event.content, str):
                    if not wrote_answer:
                        out.write("Response:\n" if out.markdown else "Response: ")
                        wrote_answer = True
                    if out.markdown:
                        text += event.content
                        live = _update_live(out, live, text)
                    else:
                        out.write(event.content)
                elif event.content is not None:
                    out.write(f"Response: {RunInput(input_content=event.content).input_content_string()}")
                    wrote_answer = True
            elif isinstance(event, RunErrorEvent):
                out.write(f"\nError: {event.content}")
            elif isinstance(event, RunPausedEvent):
                names = ", ".join(t.tool_name or "?" for t in event.tools or ())
                out.write(f"\nPaused: waiting for {names}")
    finally:
        if live is not None:
            live.stop()
    out.write("\n")


def _update_live(out: _Printer, live: Any, text: str) -> Any:
    """Re-render the growing Markdown answer in place (started on the first content)."""
    if live is None:
        from rich.live import Live

        live = Live(out.markdown_of(text), console=out.rich_console(), auto_refresh=False)
        live.start()
    else:
        live.update(out.markdown_of(text), refresh=True)
    return live
