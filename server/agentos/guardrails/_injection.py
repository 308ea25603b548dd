"""Refuse inputs that try to override the agent's instructions (prompt injection, jailbreaks).

Matching is done on a normalised copy of the text (Unicode NFKC, zero-width characters
removed, case-folded, whitespace collapsed), because the cheapest evasions are
``IGNORE   previous\ninstructions`` and full-width or zero-width tricks. This is a first line
of defence against known phrasings, not a classifier: pair it with a moderation guardrail
or a model-based check for open-ended attacks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from agentos.exceptions import CheckTrigger
from agentos.guardrails._base import BaseGuardrail, check_error
from agentos.guardrails._text import extract_text, guardrail_stage

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_WHITESPACE = re.compile(r"\s+")

# Built-in patterns, written against normalised text (lower case, single spaces).
DEFAULT_INJECTION_PATTERNS: tuple[str, ...] = (
    r"\b(?:ignore|disregard|forget|skip|override) (?:(?:all|any|of) )*(?:(?:the|your|my|these) )?"
    r"(?:previous|prior|above|earlier|preceding|original|initial|system) "
    r"(?:instructions?|prompts?|rules|directions|guidelines|messages?|context)\b",
    r"\bforget (?:everything|all) (?:above|before|you (?:were|have been) told)",
    r"\b(?:disregard|ignore) (?:your|the|all) (?:guidelines|rules|instructions|restrictions)\b",
    r"\byou are now (?:dan\b|in (?:developer|god|admin) mode|an? (?:unrestricted|unfiltered|jailbroken))",
    r"\b(?:enabl(?:e|ing)|enter(?:ing)?|activat(?:e|ing)|switch(?:ing)? to) "
    r"(?:developer|god|admin|debug) mode\b",
    r"\bdo anything now\b",
    r"\bjailbr(?:eak|oken)\b",
    r"\b(?:reveal|show|print|repeat|output|display|leak) (?:me )?(?:your|the) (?:(?:full|entire) )?"
    r"(?:system prompt|hidden (?:instructions|prompt)|initial (?:instructions|prompt)|instructions above)",
    r"\b(?:override|bypass|disable|turn off) (?:(?:your|the|all|any) )?(?:(?:safety|security|content) )?"
    r"(?:filters?|restrictions|safeguards|guardrails|guidelines|policies)\b",
    r"\bpretend (?:that )?(?:you are|to be) (?:an? )?(?:unrestricted|unfiltered|evil|uncensored)\b",
    r"\bact as if you have no (?:restrictions|rules|guidelines|limits)\b",
    r"\badmin(?:istrator)? override\b",
    r"\bnew instructions ?:",
)


def normalise(text: str) -> str:
    """The form patterns are matched against: NFKC, no zero-width characters, case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold()
    return _WHITESPACE.sub(" ", text).strip()


class PromptInjectionGuardrail(BaseGuardrail):
    """Refuse inputs containing known prompt-injection phrasings.

    ``injection_patterns`` replaces the built-in list with plain phrases (matched, normalised,
    anywhere in the text); ``custom_patterns`` adds regexes (matched against the normalised text,
    so write them in lower case with single spaces) on top of whichever list is in force.
    """

    def __init__(
        self,
        *,
        injection_patterns: Sequence[str] | None = None,
        custom_patterns: Sequence[str | re.Pattern[str]] = (),
    ) -> None:
        if injection_patterns is None:
            patterns = [re.compile(pattern) for pattern in DEFAULT_INJECTION_PATTERNS]
        else:
            phrases = [normalise(phrase) for phrase in injection_patterns]
            patterns = [re.compile(re.escape(phrase)) for phrase in phrases if phrase]
        patterns.extend(re.compile(p) if isinstance(p, str) else p for p in custom_patterns)
        if not patterns:
            raise ValueError("PromptInjectionGuardrail needs at least one pattern")
        self._patterns = patterns

    def find(self, text: str) -> list[str]:
        """The normalised fragments of ``text`` that match an injection pattern."""
        clean = normalise(text)
        return [match.group() for pattern in self._patterns if (match := pattern.search(clean))]

    def check(self, run_input: Any) -> None:
        hits = self.find(extract_text(run_input))
        if hits:
            stage = guardrail_stage(run_input)
            raise check_error(
                stage,
                f"Potential prompt injection detected in the {stage}",
                CheckTrigger.PROMPT_INJECTION,
                {"matched": hits},
            )

    async def async_check(self, run_input: Any) -> None:
        # In-memory regex work: cheaper inline than in a worker thread.
        self.check(run_input)
