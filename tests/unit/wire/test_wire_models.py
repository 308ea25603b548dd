"""Messages, media, metrics, tool executions and requirements through the wire."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

import wire_samples as s
from agentos.media import Audio, File, Image, Video
from agentos.models import Message, Metrics, ToolExecution, UserInputField
from agentos.run import RequirementKind, RunRequirement
from agentos.v1 import common_pb2
from agentos.wire import (
    audio_from_proto,
    audio_to_proto,
    file_from_proto,
    file_to_proto,
    image_from_proto,
    image_to_proto,
    message_from_proto,
    message_to_proto,
    metrics_from_proto,
    metrics_to_proto,
    requirement_from_proto,
    requirement_to_proto,
    tool_execution_from_proto,
    tool_execution_to_proto,
    video_from_proto,
    video_to_proto,
)
from google.protobuf import json_format
from google.protobuf.message import Message as ProtoMessage

_P = TypeVar("_P", bound=ProtoMessage)


def _through_bytes(pb: _P) -> _P:
    return type(pb).FromString(pb.SerializeToString())


def test_media_round_trip() -> None:
    for item in (s.image(), s.image(inline=True)):
        assert image_from_proto(_through_bytes(image_to_proto(item))) == item
    assert audio_from_proto(_through_bytes(audio_to_proto(s.audio()))) == s.audio()
    assert video_from_proto(_through_bytes(video_to_proto(s.video()))) == s.video()
    assert file_from_proto(_through_bytes(file_to_proto(s.file()))) == s.file()


def test_media_prefers_bytes_over_url_and_never_sends_local_paths() -> None:
    both = Image(url="https://example.com/a.png", content=b"png")
    pb = image_to_proto(both)
    assert pb.WhichOneof("source") == "content"
    local = File(filepath="/etc/passwd", filename="passwd")
    pb_file = file_to_proto(local)
    assert pb_file.WhichOneof("source") is None
    assert "/etc/passwd" not in str(pb_file)
    assert file_from_proto(pb_file).filepath is None


def test_media_without_id_gets_one() -> None:
    back = video_from_proto(common_pb2.Video(url="https://example.com/v.mp4"))
    assert isinstance(back, Video) and back.id
    assert isinstance(audio_from_proto(common_pb2.Audio(content=b"x")), Audio)


def test_message_round_trips_every_carried_field() -> None:
    original = s.message()
    back = message_from_proto(_through_bytes(message_to_proto(original)))
    assert back == original


def test_message_provider_data_and_stop_after_tool_call_travel() -> None:
    original = dataclasses.replace(
        s.message(),
        stop_after_tool_call=True,
        provider_data={"signature": "abc", "blocks": [{"type": "thinking", "n": 2}]},
    )
    pb = message_to_proto(original)
    assert pb.stop_after_tool_call and pb.HasField("provider_data")
    assert message_from_proto(_through_bytes(pb)) == original
    json_back = json_format.Parse(json_format.MessageToJson(pb), common_pb2.Message())
    assert message_from_proto(json_back) == original
    plain = message_from_proto(message_to_proto(dataclasses.replace(s.message(), provider_data=None)))
    assert plain.provider_data is None and plain.stop_after_tool_call is False


def test_empty_media_lists_come_back_as_none() -> None:
    back = message_from_proto(message_to_proto(dataclasses.replace(s.message(), images=[])))
    assert back.images is None


def test_simple_message_stays_small_and_json_friendly() -> None:
    pb = message_to_proto(Message(role="user", content="hi", id="m1", created_at=s.CREATED_AT))
    assert json_format.MessageToDict(pb) == {
        "id": "m1",
        "role": "user",
        "content": "hi",
        "createdAt": "2023-11-14T22:15:23Z",
    }
    assert message_from_proto(pb) == Message(role="user", content="hi", id="m1", created_at=s.CREATED_AT)
    empty = message_from_proto(message_to_proto(Message(role="assistant", content=None)))
    assert empty.content is None and empty.tool_args is None


def test_metrics_round_trip_with_per_model_breakdown() -> None:
    original = s.metrics()
    pb = metrics_to_proto(original)
    assert {(m.model_provider, m.model_id) for m in pb.models} == {
        ("openai", "gpt-4o"),
        ("ollama", "llama3:8b"),
    }
    assert metrics_from_proto(_through_bytes(pb)) == original


def test_empty_metrics_are_still_present_and_round_trip() -> None:
    pb = common_pb2.Message()
    pb.metrics.CopyFrom(metrics_to_proto(Metrics()))
    assert pb.HasField("metrics")
    assert metrics_from_proto(pb.metrics) == Metrics()
    keyless = Metrics()
    keyless.details["plain-model"] = Metrics(input_tokens=1)
    assert metrics_from_proto(metrics_to_proto(keyless)) == keyless


def test_tool_execution_round_trips_every_field() -> None:
    original = s.tool_execution()
    pb = tool_execution_to_proto(original)
    assert [f.field_type for f in pb.user_input_schema] == [
        "string",
        "integer",
        "number",
        "boolean",
        "object",
        "array",
    ]
    assert tool_execution_from_proto(_through_bytes(pb)) == original


def test_tool_execution_empty_result_is_kept_apart_from_no_result() -> None:
    empty = ToolExecution(tool_call_id="c", result="", external_execution_required=True, created_at=1)
    pb = tool_execution_to_proto(empty)
    assert pb.HasField("result")
    assert json_format.MessageToDict(pb)["result"] == ""
    back = tool_execution_from_proto(_through_bytes(pb))
    assert back.result == "" and not back.is_paused  # an empty external result resolves the call
    pending = tool_execution_from_proto(tool_execution_to_proto(dataclasses.replace(empty, result=None)))
    assert pending.result is None and pending.is_paused
    parsed = json_format.Parse('{"toolCallId": "c", "result": ""}', common_pb2.ToolExecution())
    assert tool_execution_from_proto(parsed).result == ""


def test_tool_execution_lossy_spots() -> None:
    odd = ToolExecution(
        tool_call_id="c",
        user_input_schema=[UserInputField(name="when", field_type=bytes)],
        created_at=s.CREATED_AT,
    )
    back = tool_execution_from_proto(tool_execution_to_proto(odd))
    assert back.user_input_schema is not None and back.user_input_schema[0].field_type is str
    # Python type names are accepted from clients that send the domain's dict form.
    pb = common_pb2.UserInputField(name="n", field_type="int")
    assert tool_execution_from_proto(common_pb2.ToolExecution(user_input_schema=[pb])).user_input_schema == [
        UserInputField(name="n", field_type=int)
    ]


def test_requirement_round_trip_and_decision_fields() -> None:
    tool = s.pending_tool()
    tool.confirmed = True
    tool.confirmation_note = "go"
    original = s.requirement(tool)
    pb = requirement_to_proto(original, run_id="run-1")
    assert pb.kind == common_pb2.REQUIREMENT_KIND_CONFIRMATION
    assert pb.confirmed is True and pb.confirmation_note == "go" and pb.resolved is True
    assert pb.run_id == "run-1"
    assert requirement_from_proto(_through_bytes(pb)) == original


def test_requirement_keeps_its_own_created_at() -> None:
    tool = dataclasses.replace(s.pending_tool(), created_at=100)
    original = RunRequirement.for_tool(tool)
    original.created_at = 250
    pb = requirement_to_proto(original)
    assert pb.created_at.seconds == 250
    assert requirement_from_proto(_through_bytes(pb)).created_at == 250
    pb.ClearField("created_at")  # a client that did not echo the output-only time
    assert requirement_from_proto(pb).created_at == 100


def test_requirement_level_decisions_are_applied_to_the_tool() -> None:
    """A client may resolve a requirement without touching its nested tool execution."""
    confirm = requirement_to_proto(s.requirement())
    confirm.confirmed = False
    confirm.confirmation_note = "no"
    back = requirement_from_proto(confirm)
    assert back.tool_execution.confirmed is False and back.tool_execution.confirmation_note == "no"
    assert back.is_resolved()

    tool = ToolExecution(
        tool_call_id="c2",
        tool_name="send_email",
        requires_user_input=True,
        user_input_schema=[UserInputField(name="to", field_type=str)],
    )
    pb = requirement_to_proto(RunRequirement.for_tool(tool))
    assert pb.kind == common_pb2.REQUIREMENT_KIND_USER_INPUT and not pb.resolved
    del pb.user_input[:]
    pb.user_input.add(name="to").value.string_value = "a@b.c"
    pb.user_input.add(name="cc").value.string_value = "x@y.z"
    back = requirement_from_proto(pb)
    assert back.user_input_schema is not None
    assert [(f.name, f.value) for f in back.user_input_schema] == [("to", "a@b.c"), ("cc", "x@y.z")]
    assert back.is_resolved()

    external = ToolExecution(tool_call_id="c3", tool_name="run_shell", external_execution_required=True)
    pb = requirement_to_proto(RunRequirement.for_tool(external))
    assert pb.kind == common_pb2.REQUIREMENT_KIND_EXTERNAL_EXECUTION
    pb.external_execution_result = "ok"
    back = requirement_from_proto(pb)
    assert back.tool_execution.result == "ok" and back.is_resolved()


def test_requirement_kind_is_inferred_when_unspecified() -> None:
    pb = common_pb2.RunRequirement(
        requirement_id="r",
        tool_execution=common_pb2.ToolExecution(tool_call_id="c", requires_user_input=True),
    )
    assert requirement_from_proto(pb).kind == RequirementKind.user_input
    bare = requirement_from_proto(common_pb2.RunRequirement(requirement_id="r2"))
    assert bare.kind == RequirementKind.external_execution and bare.id == "r2"
