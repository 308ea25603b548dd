"""Messages survive binary and JSON (gRPC-JSON transcoding) encoding unchanged.

Every message of agentos.v1 is filled field by field (every oneof case of RunEvent separately)
and round-tripped; a few realistic messages are written out by hand as well. The Create/Stream
request pairs are checked to be wire-identical, which the server relies on.
"""

from __future__ import annotations

from typing import Any

import pytest
from agentos.v1 import (
    agent_os_pb2,
    common_pb2,
    evals_pb2,
    events_pb2,
    knowledge_pb2,
    memories_pb2,
    metrics_pb2,
    run_service_pb2,
    runs_pb2,
    sessions_pb2,
    traces_pb2,
)
from google.protobuf import descriptor, json_format, message, struct_pb2, timestamp_pb2, unknown_fields

FD = descriptor.FieldDescriptor
MODULES = [
    agent_os_pb2,
    common_pb2,
    evals_pb2,
    events_pb2,
    knowledge_pb2,
    memories_pb2,
    metrics_pb2,
    run_service_pb2,
    runs_pb2,
    sessions_pb2,
    traces_pb2,
]
MAX_DEPTH = 3


def _is_repeated(field: descriptor.FieldDescriptor) -> bool:
    # FieldDescriptor.label is gone in protobuf 7; is_repeated is missing from older releases.
    if hasattr(field, "is_repeated"):
        return bool(field.is_repeated)
    return bool(field.label == field.LABEL_REPEATED)


def _real_oneof(field: descriptor.FieldDescriptor) -> descriptor.OneofDescriptor | None:
    """The field's oneof, ignoring the synthetic oneofs of proto3 `optional` fields."""
    oneof = field.containing_oneof
    if oneof is None or (len(oneof.fields) == 1 and oneof.name == f"_{field.name}"):
        return None
    return oneof


def _scalar(field: descriptor.FieldDescriptor) -> Any:
    if field.type == FD.TYPE_STRING:
        return f"{field.name}-value"
    if field.type == FD.TYPE_BYTES:
        return b"\x00\x01binary\xff"
    if field.type == FD.TYPE_BOOL:
        return True
    if field.type in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
        return 0.75
    if field.type == FD.TYPE_ENUM:
        return field.enum_type.values[-1].number
    return 42  # every integer type


def _fill_well_known(target: message.Message) -> bool:
    name = target.DESCRIPTOR.full_name
    if name == "google.protobuf.Struct":
        target.update({"text": "hi", "number": 1.5, "flag": True, "list": [1, "two"], "nested": {"k": None}})
    elif name == "google.protobuf.Value":
        target.struct_value.update({"city": "Paris", "days": [1, 2]})
    elif name == "google.protobuf.Timestamp":
        target.seconds, target.nanos = 1_700_000_000, 123_000_000
    elif name == "google.protobuf.Duration":
        target.seconds, target.nanos = 2, 500_000_000
    elif name == "google.protobuf.FieldMask":
        target.paths.extend(["session_name", "metadata"])
    else:
        return False
    return True


def fill(msg: message.Message, depth: int = 0, oneofs: dict[str, str] | None = None) -> message.Message:
    """Sets every field of msg (one case per oneof: the first, or the one named in oneofs).

    Below MAX_DEPTH nested messages are left empty (well-known types are always filled, since
    an empty Value has no JSON form), which bounds recursive types such as Run.member_runs.
    """
    if _fill_well_known(msg) or depth > MAX_DEPTH:
        return msg
    for field in msg.DESCRIPTOR.fields:
        oneof = _real_oneof(field)
        if oneof is not None and field.name != (oneofs or {}).get(oneof.name, oneof.fields[0].name):
            continue
        value = getattr(msg, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            key_field = field.message_type.fields_by_name["key"]
            val_field = field.message_type.fields_by_name["value"]
            key = _scalar(key_field)
            if val_field.message_type is not None:
                fill(value[key], depth + 1)
            else:
                value[key] = _scalar(val_field)
        elif _is_repeated(field):
            if field.message_type is not None:
                fill(value.add(), depth + 1)
            else:
                value.append(_scalar(field))
        elif field.message_type is not None:
            value.SetInParent()  # present even when the message has no fields
            fill(value, depth + 1)
        else:
            setattr(msg, field.name, _scalar(field))
    return msg


def assert_round_trips(msg: message.Message) -> None:
    cls = type(msg)
    assert cls.FromString(msg.SerializeToString()) == msg
    for preserve in (False, True):
        text = json_format.MessageToJson(msg, preserving_proto_field_name=preserve)
        assert json_format.Parse(text, cls()) == msg, text
    as_dict = json_format.MessageToDict(msg)
    assert json_format.ParseDict(as_dict, cls()) == msg


def _all_message_classes() -> list[type[message.Message]]:
    classes = []
    for module in MODULES:
        for name in module.DESCRIPTOR.message_types_by_name:
            classes.append(getattr(module, name))
    return classes


@pytest.mark.parametrize("cls", _all_message_classes(), ids=lambda c: c.DESCRIPTOR.name)
def test_every_message_round_trips_fully_populated(cls: type[message.Message]) -> None:
    msg = fill(cls())
    if cls.DESCRIPTOR.fields:
        assert msg.ListFields(), cls.DESCRIPTOR.full_name
    assert_round_trips(msg)


PAYLOAD_CASES = [f.name for f in events_pb2.RunEvent.DESCRIPTOR.oneofs_by_name["payload"].fields]


@pytest.mark.parametrize("case", PAYLOAD_CASES)
def test_every_run_event_payload_round_trips(case: str) -> None:
    event = fill(events_pb2.RunEvent(), oneofs={"payload": case})
    assert event.WhichOneof("payload") == case
    assert_round_trips(event)


def _ts(seconds: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=seconds)


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(values)
    return s


def _value(value: Any) -> struct_pb2.Value:
    v = struct_pb2.Value()
    if isinstance(value, str):
        v.string_value = value
    else:
        v.struct_value.update(value)
    return v


def test_realistic_run_round_trips() -> None:
    tool = common_pb2.ToolExecution(
        tool_call_id="call_1",
        tool_name="get_weather",
        tool_args=_struct({"city": "Paris"}),
        requires_confirmation=True,
        created_at=_ts(1_700_000_001),
    )
    member = runs_pb2.Run(
        run_id="run-member",
        agent_id="weather-agent",
        agent_name="Weather",
        parent_run_id="run-1",
        state=runs_pb2.RUN_STATE_COMPLETED,
        content=_value("Sunny"),
        content_type="str",
    )
    run = runs_pb2.Run(
        run_id="run-1",
        team_id="travel-team",
        team_name="Travel",
        session_id="s-1",
        user_id="u-1",
        state=runs_pb2.RUN_STATE_PAUSED,
        input=runs_pb2.RunInput(message="Plan a trip", images=[common_pb2.Image(url="https://x/y.png")]),
        content=_value({"destination": "Paris", "days": 3}),
        content_type="TripPlan",
        messages=[
            common_pb2.Message(role="user", content=_value("Plan a trip")),
            common_pb2.Message(
                role="assistant",
                tool_calls=[common_pb2.MessageToolCall(id="call_1", type="function", name="get_weather")],
            ),
        ],
        tools=[tool],
        requirements=[
            common_pb2.RunRequirement(
                requirement_id="req-1",
                kind=common_pb2.REQUIREMENT_KIND_CONFIRMATION,
                tool_execution=tool,
                run_id="run-1",
            )
        ],
        metrics=common_pb2.Metrics(
            input_tokens=120,
            output_tokens=30,
            total_tokens=150,
            models=[common_pb2.ModelMetrics(model_id="gpt-4o", model_provider="OpenAI", input_tokens=120)],
        ),
        model="gpt-4o",
        model_provider="OpenAI",
        metadata=_struct({"source": "test"}),
        session_state=_struct({"cart": ["a", "b"]}),
        last_sequence=17,
        event_count=17,
        member_runs=[member],
        created_at=_ts(1_700_000_000),
        updated_at=_ts(1_700_000_005),
    )
    assert_round_trips(run)
    assert json_format.MessageToDict(run)["state"] == "RUN_STATE_PAUSED"


def test_realistic_run_events_round_trip() -> None:
    common = {"run_id": "run-1", "session_id": "s-1", "agent_id": "a", "created_at": _ts(1_700_000_000)}
    events = [
        events_pb2.RunEvent(
            sequence=1, event="RunStarted", run_started=events_pb2.RunStarted(model="gpt-4o"), **common
        ),
        events_pb2.RunEvent(
            sequence=2, event="RunContent", run_content=events_pb2.RunContent(content=_value("Hel")), **common
        ),
        events_pb2.RunEvent(
            sequence=3,
            event="ToolCallCompleted",
            tool_call_completed=events_pb2.ToolCallCompleted(
                tool=common_pb2.ToolExecution(tool_name="add", result="3"), content=_value("3")
            ),
            **common,
        ),
        events_pb2.RunEvent(
            sequence=4,
            event="CustomEvent",
            custom_event=events_pb2.CustomEvent(name="Progress", data=_struct({"pct": 50})),
            **common,
        ),
        events_pb2.RunEvent(
            sequence=5,
            event="StepCompleted",
            step_name="research",
            step_index=0,
            step_completed=events_pb2.StepCompleted(
                step_response=runs_pb2.StepResult(step_name="research", success=True)
            ),
            **common,
        ),
        events_pb2.RunEvent(
            sequence=6,
            event="RunError",
            run_error=events_pb2.RunError(
                error=common_pb2.ErrorDetail(
                    message="provider down", reason=common_pb2.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE
                )
            ),
            **common,
        ),
        events_pb2.RunEvent(
            sequence=7,
            event="RunSnapshot",
            run_snapshot=events_pb2.RunSnapshot(run=runs_pb2.Run(run_id="run-1")),
            **common,
        ),
    ]
    for event in events:
        assert_round_trips(event)
    # step_index 0 is distinguishable from "not in a step".
    assert events[4].HasField("step_index") and not events[0].HasField("step_index")


def _create_run_request() -> run_service_pb2.CreateRunRequest:
    return run_service_pb2.CreateRunRequest(
        agent_id="assistant",
        message="What is the weather in Paris?",
        input=_value({"city": "Paris", "units": "metric"}),
        session_id="s-1",
        user_id="u-1",
        session_state=_struct({"cart": [], "visits": 3}),
        dependencies=_struct({"tenant": "acme", "limits": {"max": 5}}),
        metadata=_struct({"trace": True}),
        knowledge_filters=_struct({"author": "jane"}),
        output_schema='{"type": "object"}',
        stream_events=True,
        request_id="req-1",
        run_id="run-1",
        add_history_to_context=False,
        retries=2,
    )


def test_create_run_request_with_structs_round_trips() -> None:
    request = _create_run_request()
    assert_round_trips(request)
    as_json = json_format.MessageToDict(request)
    assert as_json["sessionState"] == {"cart": [], "visits": 3.0}
    assert as_json["input"] == {"city": "Paris", "units": "metric"}


def test_optional_booleans_keep_presence() -> None:
    unset = run_service_pb2.CreateRunRequest(agent_id="a")
    assert not unset.HasField("add_history_to_context")
    explicit_false = run_service_pb2.CreateRunRequest(agent_id="a", add_history_to_context=False)
    for decoded in (
        run_service_pb2.CreateRunRequest.FromString(explicit_false.SerializeToString()),
        json_format.Parse(json_format.MessageToJson(explicit_false), run_service_pb2.CreateRunRequest()),
    ):
        assert decoded.HasField("add_history_to_context")
        assert decoded.add_history_to_context is False


def test_session_and_memory_round_trip() -> None:
    session = sessions_pb2.Session(
        session_id="s-1",
        session_type=sessions_pb2.SESSION_TYPE_AGENT,
        agent_id="assistant",
        user_id="u-1",
        session_name="Trip planning",
        session_state=_struct({"cart": ["a"]}),
        summary=sessions_pb2.SessionSummary(summary="Planned a trip", topics=["travel"], updated_at=_ts(5)),
        metrics=common_pb2.Metrics(total_tokens=10),
        run_count=2,
        created_at=_ts(1),
        updated_at=_ts(2),
    )
    memory = memories_pb2.UserMemory(
        memory_id="m-1",
        memory="Likes window seats",
        topics=["travel", "preferences"],
        input="I always take the window seat",
        user_id="u-1",
        agent_id="assistant",
        created_at=_ts(1),
        updated_at=_ts(2),
    )
    assert_round_trips(session)
    assert_round_trips(memory)


# Request pairs that must stay wire-identical: the server re-parses one as the other.
PAIRS = [
    (run_service_pb2.CreateRunRequest, run_service_pb2.StreamRunRequest),
    (run_service_pb2.ContinueRunRequest, run_service_pb2.StreamContinueRunRequest),
]


def _field_signature(desc: descriptor.Descriptor) -> list[tuple[Any, ...]]:
    return [
        (
            f.name,
            f.number,
            f.type,
            _is_repeated(f),
            f.message_type.full_name if f.message_type else None,
            f.enum_type.full_name if f.enum_type else None,
            f.containing_oneof.name if f.containing_oneof else None,
            f.has_presence,
        )
        for f in desc.fields
    ]


@pytest.mark.parametrize(("unary", "streaming"), PAIRS, ids=lambda c: c.DESCRIPTOR.name)
def test_request_pairs_have_identical_fields(
    unary: type[message.Message], streaming: type[message.Message]
) -> None:
    assert _field_signature(unary.DESCRIPTOR) == _field_signature(streaming.DESCRIPTOR)


@pytest.mark.parametrize(("unary", "streaming"), PAIRS, ids=lambda c: c.DESCRIPTOR.name)
def test_request_pairs_convert_losslessly(
    unary: type[message.Message], streaming: type[message.Message]
) -> None:
    oneofs = [o for o in unary.DESCRIPTOR.oneofs if not o.name.startswith("_")]
    choices = [{o.name: f.name} for o in oneofs for f in o.fields] or [{}]
    for choice in choices:
        original = fill(unary(), oneofs=choice)
        wire = original.SerializeToString(deterministic=True)
        converted = streaming.FromString(wire)
        assert converted.SerializeToString(deterministic=True) == wire
        assert unary.FromString(converted.SerializeToString()) == original
        assert json_format.MessageToDict(converted) == json_format.MessageToDict(original)
        assert len(unknown_fields.UnknownFieldSet(converted)) == 0


def test_create_run_request_converts_to_stream_run_request() -> None:
    request = _create_run_request()
    stream = run_service_pb2.StreamRunRequest.FromString(request.SerializeToString())
    assert stream.agent_id == "assistant"
    assert stream.WhichOneof("target") == "agent_id"
    assert stream.HasField("add_history_to_context") and not stream.add_history_to_context
    assert json_format.MessageToDict(stream.session_state) == {"cart": [], "visits": 3.0}
