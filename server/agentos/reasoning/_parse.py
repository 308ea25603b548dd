"""Reading reasoning steps out of a model's reply, forgivingly.

Models asked for JSON still wrap it in code fences, add a sentence before it, answer with a
bare list or a single step, or spell ``next_action`` as "Final Answer". Each of those is
recovered here; only text with no usable JSON at all is reported as unparseable (``None``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from agentos.reasoning._step import NextAction, ReasoningStep
from pydantic import ValidationError

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
_STEP_KEYS = frozenset({"title", "action", "result", "reasoning", "next_action", "confidence"})
_ACTIONS = {action.value for action in NextAction}


def parse_reasoning_steps(text: str | None) -> list[ReasoningStep] | None:
    """The steps in ``text``, or None when it holds no recognisable steps."""
    if not text or not text.strip():
        return None
    value = _load_json(text.strip())
    if value is None:
        return None
    raw_steps = _raw_steps(value)
    if raw_steps is None:
        return None
    steps: list[ReasoningStep] = []
    for raw in raw_steps:
        step = _to_step(raw)
        if step is None:
            return None
        steps.append(step)
    return steps


def _load_json(text: str) -> Any:
    candidates = [text]
    candidates += [match.group(1).strip() for match in _FENCE.finditer(text)]
    for opener, closer in (("{", "}"), ("[", "]")):
        start, end = text.find(opener), text.rfind(closer)
        if 0 <= start < end:
            candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except (json.JSONDecodeError, ValueError):
            continue
    return None


def _raw_steps(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        return None
    for key in ("reasoning_steps", "steps"):
        if isinstance(value.get(key), list):
            return list(value[key])
    if _STEP_KEYS & value.keys():
        return [value]
    return None


def _to_step(raw: Any) -> ReasoningStep | None:
    if not isinstance(raw, dict) or not (_STEP_KEYS & raw.keys()):
        return None
    data = {key: raw[key] for key in _STEP_KEYS if key in raw}
    data["next_action"] = _normalise_action(data.get("next_action"))
    for key in ("title", "action", "result", "reasoning"):
        if data.get(key) is not None and not isinstance(data[key], str):
            data[key] = json.dumps(data[key]) if isinstance(data[key], dict | list) else str(data[key])
    try:
        return ReasoningStep.model_validate(data)
    except ValidationError:
        # Typically a confidence like "high": keep the step, drop the unusable value.
        data["confidence"] = None
        try:
            return ReasoningStep.model_validate(data)
        except ValidationError:
            return None


def _normalise_action(value: Any) -> NextAction:
    """ "Final Answer", "FINAL-ANSWER" and "final_answer" are the same intent; unknown values continue."""
    if isinstance(value, str):
        key = re.sub(r"[\s\-]+", "_", value.strip().lower())
        if key in _ACTIONS:
            return NextAction(key)
        if key in ("final", "done", "answer", "finish", "finished", "complete"):
            return NextAction.FINAL_ANSWER
    return NextAction.CONTINUE
