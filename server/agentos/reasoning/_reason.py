"""Step-by-step reasoning with a model, before the agent answers.

``areason`` asks a model for reasoning steps (structured output when the model supports it,
JSON instructions otherwise), yields each step as it arrives, and keeps asking while the last
step says ``continue`` / ``validate`` and the step budget allows. The model may call tools
while reasoning. Models that reason natively (``ModelResponse.reasoning_content``) give one
step holding that reasoning.

All per-call state lives on the returned :class:`ReasoningStream`, never on the model or on a
``ReasoningManager``, so one manager serves concurrent runs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from agentos.exceptions import ModelProviderError
from agentos.models import Message, Metrics, Model, ModelResponse, ResponseFormat, ToolCall, ToolDefinition
from agentos.reasoning._format import reasoning_steps_to_text
from agentos.reasoning._parse import parse_reasoning_steps
from agentos.reasoning._prompts import (
    REASONING_STEPS_SCHEMA,
    continue_prompt,
    merged_system_prompt,
    reasoning_instructions,
)
from agentos.reasoning._step import NextAction, ReasoningStep
from agentos.run import RunContext
from agentos.tools import Function, ResolvedTools, execute_function, resolve_tools

FinishReason = Literal["final_answer", "max_steps", "native", "no_steps"]

ToolsArg = ResolvedTools | Sequence[Any] | None


def _usable_during_reasoning(function: Function) -> bool:
    """Reasoning cannot pause for a human or an external executor, so such tools are not offered."""
    return function.entrypoint is not None and not (
        function.requires_confirmation or function.requires_user_input or function.external_execution
    )


class ReasoningStream(AsyncIterator[ReasoningStep]):
    """The steps of one reasoning pass, as an async iterator, plus what the run stores about it.

    Attributes, filled while iterating:

    - ``steps``: the steps of the current attempt (a ``reset`` step discards the earlier ones);
      this is what the answer should build on;
    - ``all_steps``: every step yielded, resets included;
    - ``messages``: the reasoning conversation beyond the input (assistant replies, tool results,
      continuation prompts), for ``RunOutput.reasoning_messages``;
    - ``metrics``: the reasoning model's usage, per model key;
    - ``reasoning_content``: native reasoning text, when the model produced some;
    - ``finish_reason``: why reasoning stopped, once it has.
    """

    def __init__(
        self,
        *,
        model: Model,
        messages: Sequence[Message],
        min_steps: int,
        max_steps: int,
        tools: ToolsArg,
        run_context: RunContext | None,
        agent: object | None,
        native: bool | None,
        strict: bool,
        max_tool_rounds: int,
        instructions: str | None = None,
    ) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, got {max_steps}")
        if not 0 <= min_steps <= max_steps:
            raise ValueError(f"min_steps must be between 0 and max_steps ({max_steps}), got {min_steps}")
        self.model = model
        self.min_steps = min_steps
        self.max_steps = max_steps
        self.steps: list[ReasoningStep] = []
        self.all_steps: list[ReasoningStep] = []
        self.messages: list[Message] = []
        self.metrics = Metrics()
        self.reasoning_content: str | None = None
        self.finish_reason: FinishReason | None = None
        self._input = list(messages)
        self._tools = tools
        self._run_context = run_context
        self._agent = agent
        self._native = native
        self._strict = strict
        self._max_tool_rounds = max_tool_rounds
        self._instructions = instructions
        self._gen: AsyncGenerator[ReasoningStep, None] = self._run()

    # -- iteration -------------------------------------------------------------------------------

    def __aiter__(self) -> ReasoningStream:
        return self

    async def __anext__(self) -> ReasoningStep:
        return await self._gen.__anext__()

    async def aclose(self) -> None:
        """Stop reasoning early (e.g. the run was cancelled)."""
        await self._gen.aclose()

    async def collect(self) -> list[ReasoningStep]:
        """Run to the end and return :attr:`steps`."""
        async for _ in self:
            pass
        return self.steps

    def text(self) -> str:
        """The reasoning to put in the answering model's context."""
        return reasoning_steps_to_text(self.steps) or (self.reasoning_content or "")

    # -- the loop --------------------------------------------------------------------------------

    async def _run(self) -> AsyncGenerator[ReasoningStep, None]:
        if self._native:
            yield await self._native_step(await self._call(self._input, None, None))
            return
        functions, definitions = self._resolve_tools()
        structured = self.model.supports_native_structured_outputs
        conversation = self._opening(json_in_prompt=not structured, has_tools=bool(definitions))
        response_format = self._response_format(structured)
        tool_rounds = 0
        while True:
            offered = definitions if tool_rounds < self._max_tool_rounds else None
            response = await self._call(conversation, offered, response_format)
            if response.tool_calls and offered:
                tool_rounds += 1
                if response.reasoning_content:
                    self._add_reasoning_content(response.reasoning_content)
                self._append(conversation, self._assistant(response))
                for message in await self._run_tools(response.tool_calls, functions):
                    self._append(conversation, message)
                continue

            steps = parse_reasoning_steps(response.content)
            if steps is None:
                if response.reasoning_content and self._native is None:
                    yield await self._native_step(response)
                    return
                steps = [self._unstructured_step(response)]
            elif response.reasoning_content:
                self._add_reasoning_content(response.reasoning_content)
            # Tool calls made when no tools were offered were not run: an assistant message with
            # unanswered tool calls would make the next request invalid for most providers.
            self._append(conversation, self._assistant(response, with_tool_calls=False))
            if not steps:
                self.finish_reason = "no_steps"
                return

            last: NextAction | None = None
            for step in steps:
                if len(self.all_steps) >= self.max_steps:
                    self.finish_reason = "max_steps"
                    return
                self._record(step)
                yield step
                last = step.next_action
                if last == NextAction.FINAL_ANSWER and len(self.steps) >= self.min_steps:
                    self.finish_reason = "final_answer"
                    return
            if len(self.all_steps) >= self.max_steps:
                self.finish_reason = "max_steps"
                return
            prompt = continue_prompt(steps_so_far=len(self.steps), min_steps=self.min_steps, last_action=last)
            self._append(conversation, Message(role="user", content=prompt))

    def _record(self, step: ReasoningStep) -> None:
        self.all_steps.append(step)
        if step.next_action == NextAction.RESET:
            self.steps.clear()
        else:
            self.steps.append(step)

    def _unstructured_step(self, response: ModelResponse) -> ReasoningStep:
        """Tolerate a reply that is not steps: its text becomes one concluding step."""
        text = (response.content or "").strip()
        if self._strict or not text:
            what = "an empty reply" if not text else f"no reasoning steps: {text[:200]!r}"
            if response.tool_calls and not text:
                what = f"only tool calls ({', '.join(tc.name for tc in response.tool_calls)})"
            raise ModelProviderError(
                f"reasoning model returned {what}",
                model_name=type(self.model).__name__,
                model_id=self.model.id,
            )
        return ReasoningStep(title="Reasoning", reasoning=text, next_action=NextAction.FINAL_ANSWER)

    async def _native_step(self, response: ModelResponse) -> ReasoningStep:
        text = (response.reasoning_content or response.content or "").strip()
        if not text:
            raise ModelProviderError(
                "reasoning model returned neither reasoning content nor text",
                model_name=type(self.model).__name__,
                model_id=self.model.id,
            )
        self._add_reasoning_content(text)
        self.messages.append(self._assistant(response))
        step = ReasoningStep(title="Reasoning", reasoning=text, next_action=NextAction.FINAL_ANSWER)
        self._record(step)
        self.finish_reason = "native"
        return step

    def _add_reasoning_content(self, text: str) -> None:
        self.reasoning_content = f"{self.reasoning_content}\n\n{text}" if self.reasoning_content else text

    # -- model calls and messages ----------------------------------------------------------------

    async def _call(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolDefinition] | None,
        response_format: ResponseFormat | None,
    ) -> ModelResponse:
        started = time.perf_counter()
        response = await self.model.ainvoke(messages, tools=tools, response_format=response_format)
        elapsed = time.perf_counter() - started
        if response.usage is not None:
            self.metrics.add_usage(self.model.key, response.usage)
        self.metrics.duration = (self.metrics.duration or 0.0) + elapsed
        return response

    def _response_format(self, structured: bool) -> ResponseFormat | None:
        if structured:
            return ResponseFormat(kind="json_schema", schema=REASONING_STEPS_SCHEMA, name="ReasoningSteps")
        if self.model.supports_json_mode:
            return ResponseFormat(kind="json_object")
        return None

    def _opening(self, *, json_in_prompt: bool, has_tools: bool) -> list[Message]:
        """The reasoning prompt as the (single) system message, then the conversation without its
        leading system messages, whose text is folded into the new system message."""
        leading = 0
        while leading < len(self._input) and self._input[leading].role in ("system", "developer"):
            leading += 1
        original = "\n\n".join(m.content_text() for m in self._input[:leading] if m.content_text())
        instructions = reasoning_instructions(
            min_steps=max(self.min_steps, 1),
            max_steps=self.max_steps,
            has_tools=has_tools,
            json_in_prompt=json_in_prompt,
        )
        if self._instructions:
            # The reasoner's own role first (e.g. a reasoning agent's instructions); the step
            # format stays, since the steps must be parseable whoever writes them.
            instructions = f"{self._instructions}\n\n{instructions}"
        system = Message(role="system", content=merged_system_prompt(instructions, original or None))
        return [system, *self._input[leading:]]

    def _append(self, conversation: list[Message], message: Message) -> None:
        conversation.append(message)
        self.messages.append(message)

    @staticmethod
    def _assistant(response: ModelResponse, *, with_tool_calls: bool = True) -> Message:
        return Message(
            role="assistant",
            content=response.content,
            tool_calls=list(response.tool_calls) if with_tool_calls else [],
            reasoning_content=response.reasoning_content,
            metrics=response.usage,
        )

    # -- tools -----------------------------------------------------------------------------------

    def _resolve_tools(self) -> tuple[dict[str, Function], list[ToolDefinition]]:
        if self._tools is None:
            return {}, []
        resolved = self._tools if isinstance(self._tools, ResolvedTools) else resolve_tools(self._tools)
        functions = {name: fn for name, fn in resolved.functions.items() if _usable_during_reasoning(fn)}
        definitions = [d for d in resolved.definitions if d.name in functions]
        return functions, definitions

    async def _run_tools(self, calls: Sequence[ToolCall], functions: dict[str, Function]) -> list[Message]:
        """Independent calls of one turn run concurrently; results keep the calls' order."""
        return list(await asyncio.gather(*(self._run_tool(call, functions) for call in calls)))

    async def _run_tool(self, call: ToolCall, functions: dict[str, Function]) -> Message:
        function = functions.get(call.name)
        try:
            arguments = call.parsed_arguments()
        except ValueError as exc:
            return _tool_message(call, {}, f"Error: {exc}", error=True)
        if function is None:
            available = ", ".join(functions) or "none"
            text = f"Error: tool '{call.name}' is not available while reasoning (available: {available})"
            return _tool_message(call, arguments, text, error=True)
        result = await execute_function(
            function, arguments, call_id=call.id, run_context=self._run_context, agent=self._agent
        )
        return _tool_message(call, arguments, result.content, error=result.error is not None)


def _tool_message(call: ToolCall, arguments: dict[str, Any], content: str, *, error: bool) -> Message:
    return Message(
        role="tool",
        content=content,
        tool_call_id=call.id,
        tool_name=call.name,
        tool_args=arguments,
        tool_call_error=error,
    )


def areason(
    *,
    model: Model,
    messages: Sequence[Message],
    min_steps: int = 1,
    max_steps: int = 10,
    tools: ToolsArg = None,
    run_context: RunContext | None = None,
    agent: object | None = None,
    native: bool | None = None,
    strict: bool = False,
    max_tool_rounds: int = 10,
    instructions: str | None = None,
) -> ReasoningStream:
    """Reason step by step about ``messages`` (the conversation so far) with ``model``.

    Returns an async iterator of :class:`ReasoningStep` that also collects the steps, messages
    and metrics of the pass (see :class:`ReasoningStream`). Nothing happens until it is iterated.

    - ``min_steps`` / ``max_steps``: a ``final_answer`` before ``min_steps`` steps is answered
      with a request for more; no more than ``max_steps`` steps are yielded.
    - ``tools``: tools the model may call while reasoning (a tool list as for an Agent, or a
      ``ResolvedTools``); tools that need confirmation, user input or external execution are
      not offered. ``run_context`` / ``agent`` are injected into them. ``max_tool_rounds``
      bounds the tool turns; after that the model is asked without tools.
    - ``native``: True for models that reason natively: one plain call, one step holding the
      model's ``reasoning_content`` (or its text). None (default) also falls back to that when a
      reply carries ``reasoning_content`` but no steps. False never does.
    - ``strict``: raise ``ModelProviderError`` when a reply holds no parseable steps, instead of
      turning its text into a concluding step.
    - ``instructions``: the reasoner's own instructions (a reasoning agent's), put at the top of
      the reasoning system prompt, before the step format; the conversation's own system
      messages stay as the answering assistant's instructions.
    """
    return ReasoningStream(
        model=model,
        messages=messages,
        min_steps=min_steps,
        max_steps=max_steps,
        tools=tools,
        run_context=run_context,
        agent=agent,
        native=native,
        strict=strict,
        max_tool_rounds=max_tool_rounds,
        instructions=instructions,
    )


@dataclass(frozen=True)
class ReasoningManager:
    """An agent's reasoning configuration (Agno's ``reasoning_model`` / ``reasoning_min_steps`` /
    ``reasoning_max_steps``), reusable across runs: each :meth:`areason` call gets its own stream."""

    model: Model
    min_steps: int = 1
    max_steps: int = 10
    tools: ToolsArg = None
    native: bool | None = None
    strict: bool = False
    max_tool_rounds: int = 10
    _resolved: ResolvedTools | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_steps < 1 or not 0 <= self.min_steps <= self.max_steps:
            raise ValueError(
                f"reasoning steps need 0 <= min_steps <= max_steps and max_steps >= 1, "
                f"got min_steps={self.min_steps}, max_steps={self.max_steps}"
            )
        # Resolve once: schemas and definitions are computed here, not on every run.
        if self.tools is not None:
            tools = self.tools
            resolved = tools if isinstance(tools, ResolvedTools) else resolve_tools(tools)
            object.__setattr__(self, "_resolved", resolved)

    def areason(
        self,
        messages: Sequence[Message],
        *,
        run_context: RunContext | None = None,
        agent: object | None = None,
    ) -> ReasoningStream:
        return areason(
            model=self.model,
            messages=messages,
            min_steps=self.min_steps,
            max_steps=self.max_steps,
            tools=self._resolved,
            run_context=run_context,
            agent=agent,
            native=self.native,
            strict=self.strict,
            max_tool_rounds=self.max_tool_rounds,
        )
