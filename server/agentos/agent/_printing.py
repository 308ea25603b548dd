"""``print_response``: show a run's answer while developing (plain text; markdown accepted)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from agentos.run import RunContentEvent, RunErrorEvent, RunInput, RunOutput, RunPausedEvent

if TYPE_CHECKING:
    from agentos.agent._agent import Agent


class _Writer:
    def __init__(self, console: Any) -> None:
        self._console: Any = console if console is not None else sys.stdout
        self._rich = hasattr(self._console, "print") and not hasattr(self._console, "write")

    def write(self, text: str) -> None:
        if self._rich:
            self._console.print(text, end="")
        else:
            self._console.write(text)
            flush = getattr(self._console, "flush", None)
            if flush is not None:
                flush()


async def aprint_response(
    agent: Agent,
    input: Any,
    *,
    stream: bool | None,
    show_message: bool,
    show_reasoning: bool,
    console: Any,
    kwargs: Mapping[str, Any],
) -> None:
    out = _Writer(console)
    if show_message and input is not None:
        out.write(f"Message: {RunInput(input_content=input).input_content_string()}\n")
    streaming = agent.stream if stream is None else stream
    if streaming:
        wrote = False
        async for event in agent.arun(input, stream=True, **kwargs):
            if isinstance(event, RunContentEvent):
                if show_reasoning and event.reasoning_content:
                    out.write(event.reasoning_content)
                if isinstance(event.content, str):
                    if not wrote:
                        out.write("Response: ")
                        wrote = True
                    out.write(event.content)
                elif event.content is not None:
                    out.write(f"Response: {RunInput(input_content=event.content).input_content_string()}")
                    wrote = True
            elif isinstance(event, RunErrorEvent):
                out.write(f"\nError: {event.content}")
            elif isinstance(event, RunPausedEvent):
                names = ", ".join(t.tool_name or "?" for t in event.tools or ())
                out.write(f"\nPaused: waiting for {names}")
        out.write("\n")
        return
    output: RunOutput = await agent.arun(input, stream=False, **kwargs)
    if show_reasoning and output.reasoning_content:
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
        out.write(f"Response: {output.get_content_as_string()}\n")
