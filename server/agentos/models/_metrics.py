"""Token and timing metrics, per message, per run, per session.

One mutable dataclass: the run loop adds each model response's usage into the run's metrics
(``+=``), so no intermediate objects are built on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

_COUNTERS = (
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "audio_input_tokens",
    "audio_output_tokens",
    "audio_total_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
)


@dataclass(slots=True)
class Metrics:
    """Usage of one message, run or session. Times are in seconds."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    audio_input_tokens: int = 0
    audio_output_tokens: int = 0
    audio_total_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    time_to_first_token: float | None = None
    duration: float | None = None
    provider_metrics: dict[str, Any] | None = None
    additional_metrics: dict[str, Any] | None = None
    # Per-model breakdown, keyed by "provider:model_id" (filled on run and session metrics).
    details: dict[str, Metrics] = field(default_factory=dict)

    def __iadd__(self, other: Metrics) -> Metrics:
        for name in _COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if self.time_to_first_token is None:
            self.time_to_first_token = other.time_to_first_token
        if other.duration is not None:
            self.duration = (self.duration or 0.0) + other.duration
        if other.additional_metrics:
            merged = dict(self.additional_metrics or {})
            for key, value in other.additional_metrics.items():
                if isinstance(value, int | float) and isinstance(merged.get(key), int | float):
                    merged[key] = merged[key] + value
                else:
                    merged[key] = value
            self.additional_metrics = merged
        for key, sub in other.details.items():
            mine = self.details.get(key)
            if mine is None:
                self.details[key] = mine = Metrics()
            mine += sub
        return self

    def __add__(self, other: Metrics) -> Metrics:
        out = self.copy()
        out += other
        return out

    def copy(self) -> Metrics:
        out = Metrics(**{name: getattr(self, name) for name in _VALUE_FIELDS})
        out.details = {key: sub.copy() for key, sub in self.details.items()}
        return out

    def add_usage(self, model_key: str, usage: Metrics) -> None:
        """Add one model call's usage to the totals and to the per-model breakdown."""
        for name in _COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(usage, name))
        sub = self.details.get(model_key)
        if sub is None:
            self.details[model_key] = sub = Metrics()
        for name in _COUNTERS:
            setattr(sub, name, getattr(sub, name) + getattr(usage, name))

    def to_dict(self) -> dict[str, Any]:
        """Only the fields that carry information (zero counters and Nones are left out)."""
        out: dict[str, Any] = {}
        for name in _VALUE_FIELDS:
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.details:
            out["details"] = {key: sub.to_dict() for key, sub in self.details.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Metrics:
        if not data:
            return cls()
        out = cls(**{k: v for k, v in data.items() if k in _VALUE_NAMES})
        details = data.get("details")
        if details:
            out.details = {key: cls.from_dict(sub) for key, sub in details.items()}
        return out


# Every field but ``details``, in declaration order (to_dict runs for every stored message).
_VALUE_FIELDS = tuple(f.name for f in fields(Metrics) if f.name != "details")
_VALUE_NAMES = frozenset(_VALUE_FIELDS)
