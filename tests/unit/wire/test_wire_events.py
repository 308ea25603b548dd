"""Run events through the wire: every class mapped, every carried field round-trips.

Each event class is built with a non-default value in every field its payload carries (and in
the whole envelope), sent through bytes and JSON, and must come back equal. Fields a class has
but the contract cannot carry must be declared by its codec, so a new field (or a new event
class) without a mapping fails here.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

import agentos.run
import pytest
import wire_samples as s
from agentos.run import (
    AGENT_EVENT_CLASSES,
    BaseAgentRunEvent,
    BaseRunEvent,
    CustomEvent,
    ReasoningCompletedEvent,
    ReasoningStepEvent,
    RequirementKind,
    RunCompletedEvent,
    RunContentEvent,
    RunErrorEvent,
    RunPausedEvent,
    RunRequirement,
    ToolCallCompletedEvent,
)
from agentos.v1 import common_pb2, events_pb2, runs_pb2
from agentos.wire import (
    UnknownCustomEvent,
    UnsupportedEventError,
    event_codec,
    event_from_proto,
    event_to_proto,
    mapped_event_classes,
)
from agentos.wire._events import AGENT_ENVELOPE_FIELDS
from google.protobuf import json_format
from pydantic import BaseModel

ENVELOPE: dict[str, Any] = {
    "created_at": s.CREATED_AT,
    "run_id": "run-1",
    "parent_run_id": "parent-1",
    "session_id": "sess-1",
    "workflow_id": "wf-1",
    "workflow_run_id": "wfr-1",
    "step_id": "step-1",
    "step_name": "Research",
    "step_index": 2,
    "sequence": 17,
    "agent_id": "agent-1",
    "agent_name": "Agent One",
}

# A non-default value per payload field name; per-class overrides where the type differs.
FIELD_VALUES: dict[str, Any] = {
    "model": "gpt-4o",
    "model_provider": "OpenAI",
    "content": "hello",
    "content_type": "str",
    "reasoning_content": "thinking",
    "citations": s.citations(),
    "model_provider_data": {"id": "resp_1", "usage": {"n": 1}},
    "response_audio": s.audio(),
    "image": s.image(),
    "references": s.references(),
    "additional_input": [s.message("user")],
    "reasoning_steps": [s.reasoning_step()],
    "reasoning_messages": [s.message()],
    "images": [s.image(), s.image(inline=True)],
    "videos": [s.video()],
    "audio": [s.audio()],
    "files": [s.file()],
    "metadata": {"source": "test", "n": 2},
    "metrics": s.metrics(),
    "session_state": {"cart": ["apple"], "empty": {}},
    "error_type": "ModelProviderError",
    "additional_data": {"status_code": "503", "model_id": "gpt-4o"},
    "reason": "user asked",
    "pre_hook_name": "check_input",
    "run_input": s.run_input(),
    "post_hook_name": "log_output",
    "tool": s.tool_execution(),
    "error": "tool exploded",
    "session_summary": s.session_summary(),
}
OVERRIDES: dict[type, dict[str, Any]] = {
    RunErrorEvent: {"content": "model provider error: 503"},
    ReasoningStepEvent: {"content": s.reasoning_step(), "content_type": "ReasoningStep"},
    ReasoningCompletedEvent: {"content": s.reasoning_steps(), "content_type": "ReasoningSteps"},
    ToolCallCompletedEvent: {"content": {"rows": [1, 2], "ok": True}},
    RunCompletedEvent: {"content": {"answer": 42}, "content_type": "dict"},
}


def _paused_values() -> dict[str, Any]:
    paused = s.pending_tool("call_9")
    user_input = s.tool_execution("call_7")
    user_input.requires_confirmation = False
    user_input.confirmed = None
    user_input.answered = False
    user_input.external_execution_required = False
    assert user_input.user_input_schema is not None
    user_input.user_input_schema[0].value = None

    return {
        "tools": [paused, user_input],
        "requirements": [
            s.requirement(paused),
            RunRequirement(
                tool_execution=user_input,
                kind=RequirementKind.user_input,
                id="req-2",
                created_at=user_input.created_at,
            ),
        ],
    }


def sample_event(cls: type[BaseRunEvent]) -> BaseRunEvent:
    codec = event_codec(cls)
    assert codec is not None
    values = dict(FIELD_VALUES)
    values.update(OVERRIDES.get(cls, {}))
    if cls is RunPausedEvent:
        values.update(_paused_values())
    if cls is CustomEvent:
        values["tools"] = [s.tool_execution()]
        values["content"] = {"progress": 50}
    return cls(**ENVELOPE, **{name: values[name] for name in codec.carried})


def round_trip(event: BaseRunEvent, **options: Any) -> BaseRunEvent:
    pb = event_to_proto(event)
    wire = events_pb2.RunEvent.FromString(pb.SerializeToString())
    assert wire == pb
    # The REST gateway sends the same message as JSON: it must survive that too.
    assert json_format.Parse(json_format.MessageToJson(wire), events_pb2.RunEvent()) == wire
    return event_from_proto(wire, **options)


def _all_run_event_classes() -> list[type[BaseRunEvent]]:
    """Every concrete event class agentos.run exports (not only those in AGENT_EVENT_CLASSES)."""
    found = [
        value
        for value in vars(agentos.run).values()
        if isinstance(value, type) and issubclass(value, BaseRunEvent)
    ]
    return [cls for cls in found if cls not in (BaseRunEvent, BaseAgentRunEvent)]


AGENT_CLASSES = sorted(AGENT_EVENT_CLASSES.values(), key=lambda c: c.__name__)


def test_every_event_class_of_agentos_run_is_mapped() -> None:
    classes = _all_run_event_classes()
    assert set(AGENT_EVENT_CLASSES.values()) <= set(classes)
    unmapped = [c.__name__ for c in classes if c not in mapped_event_classes()]
    assert unmapped == []


@pytest.mark.parametrize("cls", AGENT_CLASSES, ids=lambda c: c.__name__)
def test_every_field_is_carried_or_declared_dropped(cls: type[BaseRunEvent]) -> None:
    codec = event_codec(cls)
    assert codec is not None and codec.cls is cls
    names = {f.name for f in dataclasses.fields(cls)}
    assert codec.carried.isdisjoint(codec.dropped)
    assert codec.carried.isdisjoint(AGENT_ENVELOPE_FIELDS)
    assert names == AGENT_ENVELOPE_FIELDS | codec.carried | codec.dropped


@pytest.mark.parametrize("cls", AGENT_CLASSES, ids=lambda c: c.__name__)
def test_event_round_trips_with_every_carried_field_set(cls: type[BaseRunEvent]) -> None:
    event = sample_event(cls)
    pb = event_to_proto(event)
    assert pb.event == event.event
    # The payload case is the event name in snake_case (Agno names, one to one).
    assert pb.WhichOneof("payload") == re.sub(r"(?<!^)([A-Z])", r"_\1", event.event).lower()
    back = round_trip(event)
    assert type(back) is cls
    assert back == event


@pytest.mark.parametrize("cls", AGENT_CLASSES, ids=lambda c: c.__name__)
def test_dropped_fields_come_back_as_defaults(cls: type[BaseRunEvent]) -> None:
    codec = event_codec(cls)
    assert codec is not None
    event = sample_event(cls)
    defaults = cls()
    for name in codec.dropped:
        setattr(event, name, "not carried" if name == "content" else [s.tool_execution()])
    back = round_trip(event)
    for name in codec.dropped:
        assert getattr(back, name) == getattr(defaults, name)


def test_envelope_defaults_stay_unset() -> None:
    event = RunContentEvent(content="x", created_at=s.CREATED_AT)
    pb = event_to_proto(event)
    assert not pb.run_id and not pb.HasField("step_index") and not pb.agent_id
    assert round_trip(event) == event


def test_user_id_fills_the_envelope() -> None:
    assert event_to_proto(RunContentEvent(content="x"), user_id="u-1").user_id == "u-1"


def test_paused_event_requirements_share_the_tool_records() -> None:
    back = round_trip(sample_event(RunPausedEvent))
    assert isinstance(back, RunPausedEvent)
    assert back.tools is not None and back.requirements is not None
    assert back.requirements[0].tool_execution is back.tools[0]
    assert back.requirements[1].tool_execution is back.tools[1]
    pb = event_to_proto(sample_event(RunPausedEvent))
    assert [r.run_id for r in pb.run_paused.requirements] == ["run-1", "run-1"]
    assert pb.run_paused.requirements[0].resolved is False


def test_error_event_carries_a_reason_and_code() -> None:
    pb = event_to_proto(RunErrorEvent(content="provider down", error_type="ModelProviderError"))
    assert pb.run_error.error.reason == common_pb2.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE
    assert pb.run_error.error.code == 14  # UNAVAILABLE
    limited = event_to_proto(RunErrorEvent(content="x", error_type="ModelRateLimitError"))
    assert limited.run_error.error.code == 8  # RESOURCE_EXHAUSTED
    guard = event_to_proto(RunErrorEvent(content="no", error_type="InputCheckError"))
    assert guard.run_error.error.code == 3  # INVALID_ARGUMENT
    assert guard.run_error.error.reason == common_pb2.ERROR_REASON_INPUT_REJECTED
    output_guard = event_to_proto(RunErrorEvent(content="no", error_type="OutputCheckError"))
    assert output_guard.run_error.error.reason == common_pb2.ERROR_REASON_OUTPUT_REJECTED
    assert output_guard.run_error.error.code == 9  # FAILED_PRECONDITION: the request was fine


def test_error_data_keeps_its_json_types_in_details_and_is_flattened_in_metadata() -> None:
    data = {"status_code": 400, "check_trigger": "pii", "findings": [{"kind": "email", "count": 2}]}
    event = RunErrorEvent(content="x", error_type="ModelProviderError", additional_data=data)
    pb = event_to_proto(event)
    assert pb.run_error.error.code == 13  # a 4xx will not get better with retries: INTERNAL
    error = pb.run_error.error
    assert error.metadata["status_code"] == "400" and error.metadata["check_trigger"] == "pii"
    assert json.loads(error.metadata["findings"]) == [{"kind": "email", "count": 2}]
    back = event_from_proto(type(pb).FromString(pb.SerializeToString()))
    assert isinstance(back, RunErrorEvent)
    assert back.additional_data == data
    assert back.error_type == "ModelProviderError"


def test_error_detail_without_details_falls_back_to_the_metadata_strings() -> None:
    """An ErrorDetail from a server that predates ``details`` still gives its data back."""
    pb = event_to_proto(RunErrorEvent(content="x", error_type="ModelProviderError", additional_data={"n": 1}))
    pb.run_error.error.ClearField("details")
    back = event_from_proto(pb)
    assert isinstance(back, RunErrorEvent) and back.additional_data == {"n": "1"}
    bare = event_from_proto(event_to_proto(RunErrorEvent(content="x")))
    assert isinstance(bare, RunErrorEvent) and bare.additional_data is None


class Weather(BaseModel):
    city: str
    temperature: float


def test_structured_content_is_rebuilt_with_the_output_schema() -> None:
    event = RunContentEvent(content=Weather(city="Paris", temperature=21.5), content_type="Weather")
    pb = event_to_proto(event)
    assert json_format.MessageToDict(pb.run_content.content) == {"city": "Paris", "temperature": 21.5}
    assert pb.run_content.content_type == "Weather"
    plain = event_from_proto(pb)
    assert isinstance(plain, RunContentEvent)
    assert plain.content == {"city": "Paris", "temperature": 21.5}
    typed = event_from_proto(pb, output_schema=Weather)
    assert isinstance(typed, RunContentEvent)
    assert typed.content == Weather(city="Paris", temperature=21.5)


def test_content_that_does_not_validate_stays_plain_data() -> None:
    pb = event_to_proto(RunContentEvent(content={"city": "Paris"}, content_type="Weather"))
    back = event_from_proto(pb, output_schema=Weather)
    assert isinstance(back, RunContentEvent)
    assert back.content == {"city": "Paris"}


def test_none_content_leaves_the_value_unset() -> None:
    pb = event_to_proto(RunContentEvent(content=None))
    assert not pb.run_content.HasField("content")
    assert "content" not in json_format.MessageToDict(pb.run_content)


@dataclass
class ProgressUpdate(CustomEvent):
    percent: int = 0
    stage: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def test_known_custom_event_subclass_is_rebuilt() -> None:
    event = ProgressUpdate(**ENVELOPE, percent=50, stage="fetch", details={"pages": [1, 2]}, content="half")
    pb = event_to_proto(event)
    assert pb.event == "CustomEvent"
    assert pb.custom_event.name == "ProgressUpdate"
    assert json_format.MessageToDict(pb.custom_event.data) == {
        "percent": 50,
        "stage": "fetch",
        "details": {"pages": [1, 2]},
        "content": "half",
    }
    assert round_trip(event) == event
    assert round_trip(event, custom_events={"ProgressUpdate": ProgressUpdate}) == event


def test_unknown_custom_event_keeps_name_and_data_and_re_encodes_unchanged() -> None:
    pb = events_pb2.RunEvent(run_id="r", sequence=3, event="CustomEvent")
    pb.created_at.seconds = s.CREATED_AT
    pb.custom_event.name = "SomethingElse"
    pb.custom_event.data.update({"a": 1, "b": ["x"]})
    back = event_from_proto(pb)
    assert isinstance(back, UnknownCustomEvent)
    assert back.name == "SomethingElse" and back.data == {"a": 1, "b": ["x"]}
    assert back.run_id == "r" and back.sequence == 3
    assert event_to_proto(back) == pb


def test_ambiguous_custom_event_names_need_an_explicit_mapping() -> None:
    @dataclass
    class ProgressUpdate(CustomEvent):  # same name as the module-level class
        percent: int = 0

    pb = event_to_proto(ProgressUpdate(percent=5))
    assert isinstance(event_from_proto(pb), UnknownCustomEvent)
    back = event_from_proto(pb, custom_events={"ProgressUpdate": ProgressUpdate})
    assert type(back) is ProgressUpdate and back.percent == 5


def test_custom_event_class_that_cannot_be_built_from_the_data_falls_back() -> None:
    @dataclass
    class NeedsArg(CustomEvent):
        required: int

    pb = events_pb2.RunEvent(event="CustomEvent")
    pb.custom_event.name = "NeedsArg"
    pb.custom_event.data.update({"other": 1})
    back = event_from_proto(pb, custom_events={"NeedsArg": NeedsArg})
    assert isinstance(back, UnknownCustomEvent) and back.data == {"other": 1}


def test_payloads_without_a_domain_class_raise_a_clear_error() -> None:
    snapshot = events_pb2.RunEvent(
        event="RunSnapshot", run_snapshot=events_pb2.RunSnapshot(run=runs_pb2.Run())
    )
    with pytest.raises(UnsupportedEventError, match="run_snapshot"):
        event_from_proto(snapshot)
    team = events_pb2.RunEvent(event="TeamRunStarted", team_run_started=events_pb2.RunStarted())
    with pytest.raises(UnsupportedEventError, match="team_run_started"):
        event_from_proto(team)
    with pytest.raises(UnsupportedEventError, match="unknown"):
        event_from_proto(events_pb2.RunEvent())


def test_an_event_class_without_mapping_is_a_type_error() -> None:
    @dataclass(kw_only=True)
    class Stray(BaseRunEvent):
        event: str = "Stray"

    with pytest.raises(TypeError, match="Stray"):
        event_to_proto(Stray())


def test_subclass_of_a_mapped_event_uses_its_base_mapping() -> None:
    @dataclass(kw_only=True)
    class MyContent(RunContentEvent):
        pass

    pb = event_to_proto(MyContent(content="x"))
    assert pb.WhichOneof("payload") == "run_content"
    assert type(event_from_proto(pb)) is RunContentEvent
