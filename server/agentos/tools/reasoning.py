"""``ReasoningTools``: let the answering model think and analyse through tool calls.

Unlike ``Agent(reasoning=True)``, which runs a separate reasoning pass before the answer, these
tools let the model interleave reasoning with its other tool calls. Each call records a
:class:`~agentos.reasoning.ReasoningStep` in the run's session state (see
:mod:`agentos.reasoning`'s state helpers) and returns the run's reasoning so far, so the model
sees its own scratchpad grow.

The tools are ``async`` on purpose: they only touch in-memory state, so they run on the event
loop instead of a worker thread, and two calls of the same turn cannot race on the state dict.
"""

from __future__ import annotations

from typing import Any, Literal

from agentos.reasoning import NextAction, ReasoningStep, reasoning_steps_to_text, record_reasoning_step
from agentos.run import RunContext
from agentos.tools._toolkit import Toolkit

DEFAULT_INSTRUCTIONS = """\
You have a scratchpad for step-by-step reasoning: the `think` and `analyze` tools.
- Before acting on a request that needs more than a lookup, call `think` to break it down, \
plan which tools to use and note your assumptions.
- After each tool result (or batch of results), call `analyze` to judge whether it answers \
the question, is complete and is correct; set next_action to "continue" when more work is \
needed, "validate" when the result should be double-checked, "final_answer" when you are ready.
- Iterate think -> act -> analyze as needed; revise earlier thoughts when new information \
contradicts them.
- These tools are for you, not the user: when done, answer the user directly and concisely \
without mentioning the scratchpad."""

DEFAULT_FEW_SHOT_EXAMPLES = """\
Example: "What is 15% of the sum of 120 and 80?"
1. think(title="Plan", thought="I need the sum, then 15% of it. 120 + 80 = 200; 15% of 200 is \
0.15 * 200.", action="Compute 0.15 * 200", confidence=0.9)
2. analyze(title="Check", result="0.15 * 200 = 30", analysis="The sum and the percentage are \
both correct; 30 answers the question.", next_action="final_answer", confidence=0.95)
Answer: 30.

Example: "Is the Eiffel Tower taller than the Statue of Liberty?"
1. think(title="Facts needed", thought="I need both heights. Eiffel Tower: about 330 m with \
antennas. Statue of Liberty: about 93 m including the pedestal.", action="Compare the heights")
2. analyze(title="Compare", result="330 m > 93 m", analysis="Even without antennas (300 m) the \
tower is taller, so the answer does not depend on how height is measured.", \
next_action="final_answer")
Answer: yes, by more than three times."""


class ReasoningTools(Toolkit):
    """A ``think`` / ``analyze`` scratchpad for the model; steps are recorded per run.

    ``think=False`` / ``analyze=False`` leave a tool out; ``instructions`` replaces the default
    usage instructions; ``add_few_shot`` appends worked examples (``few_shot_examples`` replaces
    the default ones).
    """

    def __init__(
        self,
        think: bool = True,
        analyze: bool = True,
        add_instructions: bool = True,
        add_few_shot: bool = False,
        instructions: str | None = None,
        few_shot_examples: str | None = None,
        **kwargs: Any,
    ) -> None:
        text = instructions if instructions is not None else DEFAULT_INSTRUCTIONS
        if add_few_shot:
            examples = few_shot_examples if few_shot_examples is not None else DEFAULT_FEW_SHOT_EXAMPLES
            text = f"{text}\n\n{examples}"
        tools = [method for enabled, method in ((think, self.think), (analyze, self.analyze)) if enabled]
        if not tools:
            raise ValueError("ReasoningTools needs at least one of think / analyze")
        kwargs.setdefault("name", "reasoning_tools")
        super().__init__(tools=tools, instructions=text, add_instructions=add_instructions, **kwargs)

    async def think(
        self,
        run_context: RunContext | None,
        title: str,
        thought: str,
        action: str | None = None,
        confidence: float = 0.8,
    ) -> str:
        """Think through a problem step by step before acting: a scratchpad for planning and
        breaking down complex requests. Returns your reasoning so far.

        Args:
            title: A short title for this thinking step.
            thought: Your detailed reasoning for this step.
            action: What you will do next as a result, if anything.
            confidence: How confident you are in this thought, from 0.0 to 1.0.
        """
        step = ReasoningStep(
            title=title,
            reasoning=thought,
            action=action,
            next_action=NextAction.CONTINUE,
            confidence=_clamp(confidence),
        )
        return self._record(run_context, step)

    async def analyze(
        self,
        run_context: RunContext | None,
        title: str,
        result: str,
        analysis: str,
        next_action: Literal["continue", "validate", "final_answer"] = "continue",
        confidence: float = 0.8,
    ) -> str:
        """Analyse the result of an action or tool call and decide what to do next.
        Returns your reasoning so far.

        Args:
            title: A short title for this analysis step.
            result: The outcome being analysed (e.g. what a tool returned).
            analysis: Your evaluation: is it correct, complete, sufficient?
            next_action: "continue" to keep working, "validate" to double-check, "final_answer" when ready.
            confidence: How confident you are in this analysis, from 0.0 to 1.0.
        """
        step = ReasoningStep(
            title=title,
            result=result,
            reasoning=analysis,
            next_action=NextAction(next_action),
            confidence=_clamp(confidence),
        )
        return self._record(run_context, step)

    @staticmethod
    def _record(run_context: RunContext | None, step: ReasoningStep) -> str:
        if run_context is None:
            # Called outside a run (e.g. directly in a test or script): nothing to accumulate into.
            return reasoning_steps_to_text([step])
        steps = record_reasoning_step(run_context.session_state, run_context.run_id, step)
        return reasoning_steps_to_text(steps)


def _clamp(confidence: float) -> float:
    return min(1.0, max(0.0, confidence))
