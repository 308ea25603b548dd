"""Guardrails: pre-/post-hooks that inspect a run's input or output and raise to block it.

Use them in ``Agent(pre_hooks=[...])`` to refuse inputs (``InputCheckError``) or in
``post_hooks`` to refuse outputs (``OutputCheckError``). See :class:`BaseGuardrail` for the
calling contract the run loop follows.
"""

from agentos.guardrails._base import BaseGuardrail, check_error
from agentos.guardrails._injection import DEFAULT_INJECTION_PATTERNS, PromptInjectionGuardrail
from agentos.guardrails._moderation import OpenAIModerationGuardrail
from agentos.guardrails._pii import PIIDetectionGuardrail, PIIMatch, iban_valid, luhn_valid
from agentos.guardrails._text import extract_text, guardrail_content, guardrail_stage, rewrite_text

__all__ = [
    "DEFAULT_INJECTION_PATTERNS",
    "BaseGuardrail",
    "OpenAIModerationGuardrail",
    "PIIDetectionGuardrail",
    "PIIMatch",
    "PromptInjectionGuardrail",
    "check_error",
    "extract_text",
    "guardrail_content",
    "guardrail_stage",
    "iban_valid",
    "luhn_valid",
    "rewrite_text",
]
