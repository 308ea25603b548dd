"""Detect (and optionally mask) personal data: emails, phone numbers, card numbers, SSNs, IBANs.

Regexes alone flag every long digit run, so the number detectors validate what they match:
card numbers must pass the Luhn checksum, IBANs the ISO 13616 mod-97 check, SSNs the SSA's
never-issued ranges, phone numbers a plausible digit count. Detectors run in a fixed priority
order and a later built-in detector ignores text already claimed by an earlier one, so a card
number is not also reported as a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from agentos.exceptions import CheckTrigger
from agentos.guardrails._base import BaseGuardrail, check_error
from agentos.guardrails._text import (
    extract_text,
    guardrail_content,
    guardrail_stage,
    replace_content,
    rewrite_text,
)

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?!\w)"
)

# Dotted quads look like dot-separated phone numbers; they are addresses, not personal data here.
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """ISO 13616: move the first four characters to the end, map letters to 10..35, mod 97 == 1."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(char, 36)) for char in rearranged)
    return int(numeric) % 97 == 1


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _card_ok(match: str) -> bool:
    digits = _digits(match)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _phone_ok(match: str) -> bool:
    if _IPV4.fullmatch(match):
        return False
    digits = _digits(match)
    if match.startswith("+"):
        return 8 <= len(digits) <= 15
    return 10 <= len(digits) <= 15


@dataclass(frozen=True, slots=True)
class _Detector:
    name: str
    pattern: re.Pattern[str]
    validate: Callable[[str], bool] | None = None


_BUILTIN: dict[str, _Detector] = {
    "email": _Detector("email", _EMAIL),
    # IBANs before cards: the digits of an IBAN can pass the Luhn check by chance.
    "iban": _Detector("iban", _IBAN, iban_valid),
    "credit_card": _Detector("credit_card", _CARD, _card_ok),
    "ssn": _Detector("ssn", _SSN),
    "phone": _Detector("phone", _PHONE, _phone_ok),
}


@dataclass(frozen=True, slots=True)
class PIIMatch:
    """One piece of personal data found in the text."""

    kind: str
    start: int
    end: int
    text: str


class PIIDetectionGuardrail(BaseGuardrail):
    """Refuse (or mask) inputs and outputs that contain personal data.

    ``mask_pii=True`` replaces each finding with asterisks of the same length in the run's
    input (or output) and lets the run continue, instead of raising. ``custom_patterns`` maps a
    name to a regex (string or compiled) for organisation-specific identifiers.
    """

    def __init__(
        self,
        *,
        mask_pii: bool = False,
        enable_email_check: bool = True,
        enable_phone_check: bool = True,
        enable_credit_card_check: bool = True,
        enable_ssn_check: bool = True,
        enable_iban_check: bool = True,
        custom_patterns: Mapping[str, str | re.Pattern[str]] | None = None,
        mask_char: str = "*",
    ) -> None:
        if len(mask_char) != 1:
            raise ValueError("mask_char must be a single character")
        enabled = {
            "email": enable_email_check,
            "iban": enable_iban_check,
            "credit_card": enable_credit_card_check,
            "ssn": enable_ssn_check,
            "phone": enable_phone_check,
        }
        self.mask_pii = mask_pii
        self.mask_char = mask_char
        self._builtin = [detector for name, detector in _BUILTIN.items() if enabled[name]]
        self._custom = [
            _Detector(name, re.compile(pattern) if isinstance(pattern, str) else pattern)
            for name, pattern in (custom_patterns or {}).items()
        ]
        if not self._builtin and not self._custom:
            raise ValueError("PIIDetectionGuardrail needs at least one detector or custom pattern")

    def detect(self, text: str) -> list[PIIMatch]:
        """Every finding in ``text``, ordered by position."""
        found: list[PIIMatch] = []
        claimed: list[tuple[int, int]] = []
        for detector in self._builtin:
            for match in detector.pattern.finditer(text):
                start, end = match.span()
                if any(start < c_end and c_start < end for c_start, c_end in claimed):
                    continue
                if detector.validate is not None and not detector.validate(match.group()):
                    continue
                claimed.append((start, end))
                found.append(PIIMatch(detector.name, start, end, match.group()))
        for detector in self._custom:
            for match in detector.pattern.finditer(text):
                if match.end() > match.start():
                    found.append(PIIMatch(detector.name, match.start(), match.end(), match.group()))
        found.sort(key=lambda item: (item.start, item.end))
        return found

    def mask(self, text: str) -> str:
        """``text`` with every finding replaced by ``mask_char`` (same length, so offsets hold)."""
        chars = list(text)
        for item in self.detect(text):
            for index in range(item.start, item.end):
                chars[index] = self.mask_char
        return "".join(chars)

    def check(self, run_input: Any) -> None:
        stage = guardrail_stage(run_input)
        findings = self.detect(extract_text(run_input))
        if not findings:
            return
        if self.mask_pii:
            masked = rewrite_text(guardrail_content(run_input), self.mask)
            # Masking works per string; data split across parts could survive it, so re-check.
            if not self.detect(extract_text(masked)) and replace_content(run_input, masked):
                return
        kinds = sorted({item.kind for item in findings})
        raise check_error(
            stage,
            f"Potential personal data detected in the {stage}: {', '.join(kinds)}",
            CheckTrigger.PII_DETECTED,
            # The matched values themselves are left out: the error may be logged or streamed.
            {"detected_pii": kinds, "count": len(findings)},
        )

    async def async_check(self, run_input: Any) -> None:
        # Regex scans over one message are quick; a thread hop would cost more than the check.
        self.check(run_input)
