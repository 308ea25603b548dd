"""``Metrics`` <-> ``agentos.v1.Metrics``.

The domain keeps the per-model breakdown in ``details`` keyed by ``"provider:model_id"``; the
contract has ``repeated ModelMetrics`` with the provider and id as separate fields. The key is
split at its first colon (model ids may contain colons) and rebuilt the same way. A breakdown
entry's ``additional_metrics`` and nested ``details`` have no place in ``ModelMetrics`` and are
not sent (the engine never fills them).
"""

from __future__ import annotations

from agentos.models import Metrics
from agentos.v1 import common_pb2
from agentos.wire._values import fill_struct, from_struct, seconds_from_duration, set_duration

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


def fill_metrics(target: common_pb2.Metrics, metrics: Metrics) -> None:
    target.SetInParent()  # an all-zero Metrics is still "metrics were measured"
    for name in _COUNTERS:
        value = getattr(metrics, name)
        if value:
            setattr(target, name, value)
    if metrics.time_to_first_token is not None:
        set_duration(target.time_to_first_token, metrics.time_to_first_token)
    if metrics.duration is not None:
        set_duration(target.duration, metrics.duration)
    if metrics.provider_metrics is not None:
        target.provider_metrics.SetInParent()
        fill_struct(target.provider_metrics, metrics.provider_metrics)
    if metrics.additional_metrics is not None:
        target.additional_metrics.SetInParent()
        fill_struct(target.additional_metrics, metrics.additional_metrics)
    for key, sub in metrics.details.items():
        _fill_model_metrics(target.models.add(), key, sub)


def _fill_model_metrics(target: common_pb2.ModelMetrics, key: str, sub: Metrics) -> None:
    provider, sep, model_id = key.partition(":")
    if sep:
        target.model_provider = provider
        target.model_id = model_id
    else:
        target.model_id = key
    for name in _COUNTERS:
        value = getattr(sub, name)
        if value:
            setattr(target, name, value)
    if sub.time_to_first_token is not None:
        set_duration(target.time_to_first_token, sub.time_to_first_token)
    if sub.duration is not None:
        set_duration(target.duration, sub.duration)
    if sub.provider_metrics is not None:
        target.provider_metrics.SetInParent()
        fill_struct(target.provider_metrics, sub.provider_metrics)


def metrics_to_proto(metrics: Metrics) -> common_pb2.Metrics:
    out = common_pb2.Metrics()
    fill_metrics(out, metrics)
    return out


def metrics_from_proto(pb: common_pb2.Metrics) -> Metrics:
    out = Metrics(
        input_tokens=pb.input_tokens,
        output_tokens=pb.output_tokens,
        total_tokens=pb.total_tokens,
        audio_input_tokens=pb.audio_input_tokens,
        audio_output_tokens=pb.audio_output_tokens,
        audio_total_tokens=pb.audio_total_tokens,
        cache_read_tokens=pb.cache_read_tokens,
        cache_write_tokens=pb.cache_write_tokens,
        reasoning_tokens=pb.reasoning_tokens,
        time_to_first_token=(
            seconds_from_duration(pb.time_to_first_token) if pb.HasField("time_to_first_token") else None
        ),
        duration=seconds_from_duration(pb.duration) if pb.HasField("duration") else None,
        provider_metrics=from_struct(pb.provider_metrics) if pb.HasField("provider_metrics") else None,
        additional_metrics=from_struct(pb.additional_metrics) if pb.HasField("additional_metrics") else None,
    )
    for model in pb.models:
        key = f"{model.model_provider}:{model.model_id}" if model.model_provider else model.model_id
        out.details[key] = Metrics(
            input_tokens=model.input_tokens,
            output_tokens=model.output_tokens,
            total_tokens=model.total_tokens,
            audio_input_tokens=model.audio_input_tokens,
            audio_output_tokens=model.audio_output_tokens,
            audio_total_tokens=model.audio_total_tokens,
            cache_read_tokens=model.cache_read_tokens,
            cache_write_tokens=model.cache_write_tokens,
            reasoning_tokens=model.reasoning_tokens,
            time_to_first_token=(
                seconds_from_duration(model.time_to_first_token)
                if model.HasField("time_to_first_token")
                else None
            ),
            duration=seconds_from_duration(model.duration) if model.HasField("duration") else None,
            provider_metrics=from_struct(model.provider_metrics)
            if model.HasField("provider_metrics")
            else None,
        )
    return out
