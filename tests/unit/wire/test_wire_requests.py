"""Run and continue requests <-> validated arguments, with every bad field named."""

from __future__ import annotations

import json

import pytest
import wire_samples as s
from agentos.models import Message
from agentos.v1 import run_service_pb2
from agentos.wire import (
    ContinueArguments,
    FieldViolation,
    RequestLimits,
    RunArguments,
    WireValidationError,
    continue_arguments_from_request,
    continue_run_request,
    create_run_request,
    run_arguments_from_request,
    stream_continue_run_request,
    stream_run_request,
)
from google.protobuf import json_format, struct_pb2

CreateRunRequest = run_service_pb2.CreateRunRequest


def full_arguments() -> RunArguments:
    return RunArguments(
        target_kind="team",
        target_id="team-1",
        input=[
            Message(role="system", content="be brief", id="m0", created_at=1),
            Message(role="user", content=[{"type": "text", "text": "hi"}], id="m1", created_at=2),
        ],
        images=[s.image(), s.image(inline=True)],
        audio=[s.audio()],
        videos=[s.video()],
        files=[s.file()],
        session_id="sess-1",
        user_id="user-1",
        session_state={"cart": ["apple"]},
        dependencies={"db": "main"},
        metadata={"trace": "abc"},
        knowledge_filters={"topic": "weather"},
        additional_data={"priority": 2},
        output_schema={"title": "Answer", "type": "object", "properties": {"value": {"type": "integer"}}},
        stream_events=True,
        background=True,
        request_id="req-1",
        run_id="run-1",
        add_history_to_context=False,
        add_session_state_to_context=True,
        add_dependencies_to_context=False,
        retries=2,
    )


def violations(request: object, **kwargs: object) -> list[FieldViolation]:
    with pytest.raises(WireValidationError) as info:
        if isinstance(request, run_service_pb2.ContinueRunRequest):
            continue_arguments_from_request(request, **kwargs)  # type: ignore[arg-type]
        else:
            run_arguments_from_request(request, **kwargs)  # type: ignore[arg-type]
    error = info.value
    assert error.field == error.violations[0].field
    assert all(v.field in str(error) for v in error.violations)
    return error.violations


def fields(request: object, **kwargs: object) -> list[str]:
    return [v.field for v in violations(request, **kwargs)]


def test_arguments_round_trip_through_create_and_stream_requests() -> None:
    original = full_arguments()
    create = create_run_request(original)
    assert run_arguments_from_request(CreateRunRequest.FromString(create.SerializeToString())) == original
    stream = stream_run_request(original)
    assert isinstance(stream, run_service_pb2.StreamRunRequest)
    assert run_arguments_from_request(stream) == original
    # REST clients send the same request as JSON.
    parsed = json_format.Parse(json_format.MessageToJson(create), CreateRunRequest())
    assert run_arguments_from_request(parsed) == original


@pytest.mark.parametrize(
    "value",
    ["plain text", {"topic": "x", "n": 3}, [1, "two"], 42, True],
    ids=["str", "dict", "list", "int", "bool"],
)
def test_every_input_form_round_trips(value: object) -> None:
    args = RunArguments(target_kind="agent", target_id="a", input=value)
    assert run_arguments_from_request(create_run_request(args)).input == value


def test_message_and_messages_combine_in_order() -> None:
    request = CreateRunRequest(agent_id="a", message="first")
    request.messages.add(role="assistant", id="x").content.string_value = "second"
    args = run_arguments_from_request(request)
    assert [(m.role, m.content) for m in args.input] == [("user", "first"), ("assistant", "second")]


def test_unset_options_stay_none_and_kwargs_hold_only_what_was_set() -> None:
    args = run_arguments_from_request(CreateRunRequest(workflow_id="wf", message="go"))
    assert args.target_kind == "workflow" and args.target_id == "wf" and args.input == "go"
    assert args.retries is None and args.add_history_to_context is None and args.session_state is None
    assert args.agent_run_kwargs() == {}
    full = full_arguments().agent_run_kwargs()
    assert full["retries"] == 2 and full["add_history_to_context"] is False and full["run_id"] == "run-1"
    assert not {"stream_events", "background", "request_id", "additional_data", "input"} & set(full)
    # An explicitly empty struct is not the same as no struct.
    request = CreateRunRequest(agent_id="a", message="x")
    request.session_state.SetInParent()
    assert run_arguments_from_request(request).session_state == {}


def test_missing_target_and_input() -> None:
    assert fields(CreateRunRequest()) == ["agent_id", "message"]
    assert fields(CreateRunRequest(agent_id="", message="x")) == ["agent_id"]
    null_input = CreateRunRequest(team_id="t")
    null_input.input.null_value = struct_pb2.NULL_VALUE
    assert fields(null_input) == ["message"]
    both = CreateRunRequest(agent_id="a", message="x")
    both.input.string_value = "y"
    assert fields(both) == ["input"]


def test_bad_ids_are_named() -> None:
    request = CreateRunRequest(
        agent_id=" padded",
        message="x",
        session_id="a" * 300,
        user_id="bad\nid",
        run_id="ok",
        request_id="r\x7f",
    )
    assert fields(request) == ["agent_id", "session_id", "user_id", "request_id"]


@pytest.mark.parametrize("control", ["\x00", "\x1f", "\x7f", "\t"])
def test_ids_with_any_control_character_are_refused(control: str) -> None:
    assert fields(CreateRunRequest(agent_id="a", message="x", session_id=f"s{control}s")) == ["session_id"]


def test_ids_may_hold_inner_spaces_and_non_ascii_characters() -> None:
    session_id = "séance 42 ~\x80\u2028x"
    args = run_arguments_from_request(CreateRunRequest(agent_id="a", message="x", session_id=session_id))
    assert args.session_id == session_id


def test_bad_messages_are_named_by_path() -> None:
    request = CreateRunRequest(agent_id="a")
    request.messages.add(role="user").content.string_value = "fine"
    request.messages.add(role="wizard").content.string_value = "bad role"
    request.messages.add(role="user").content.number_value = 3
    request.messages.add(role="tool").content.string_value = "no call id"
    bad_calls = request.messages.add(role="user")
    bad_calls.tool_calls.add(id="", name="", arguments="[1]")
    assistant = request.messages.add(role="assistant")
    assistant.tool_calls.add(id="c", name="f", arguments="{not json")
    assistant.tool_calls.add(id="c2", name="f", arguments="")
    assistant.images.add()
    assert fields(request) == [
        "messages[1].role",
        "messages[2].content",
        "messages[3].tool_call_id",
        "messages[4].tool_calls",
        "messages[4].tool_calls[0].id",
        "messages[4].tool_calls[0].name",
        "messages[4].tool_calls[0].arguments",
        "messages[5].tool_calls[0].arguments",
        "messages[5].images[0]",
    ]


def test_bad_media_is_named_by_path() -> None:
    request = CreateRunRequest(agent_id="a", message="x")
    request.images.add()
    request.images.add(url="file:///etc/passwd")
    request.images.add(url="https://example.com/a.png", detail="ultra")
    request.images.add(url="data:image/png;base64,AAAA")
    request.audio.add(content=b"")
    request.files.add(external_id="file-abc")
    request.videos.add(url="/local/path.mp4")
    assert fields(request) == [
        "images[0]",
        "images[1].url",
        "images[2].detail",
        "audio[0].content",
        "videos[0].url",
        "files[0].external_id",
    ]


def test_output_schema_and_retries() -> None:
    assert fields(CreateRunRequest(agent_id="a", message="x", output_schema="{nope")) == ["output_schema"]
    assert fields(CreateRunRequest(agent_id="a", message="x", output_schema="[1, 2]")) == ["output_schema"]
    assert fields(CreateRunRequest(agent_id="a", message="x", retries=-1)) == ["retries"]
    assert fields(CreateRunRequest(agent_id="a", message="x", retries=11)) == ["retries"]
    schema = json.dumps({"type": "object"})
    assert run_arguments_from_request(
        CreateRunRequest(agent_id="a", message="x", output_schema=schema)
    ).output_schema == {"type": "object"}
    assert run_arguments_from_request(CreateRunRequest(agent_id="a", message="x", retries=0)).retries == 0


def test_oversized_lists_are_rejected_with_configurable_limits() -> None:
    limits = RequestLimits(max_messages=2, max_media_items=1, max_output_schema_chars=10)
    request = CreateRunRequest(agent_id="a", output_schema=json.dumps({"type": "object", "x": 1}))
    for _ in range(3):
        request.messages.add(role="user").content.string_value = "m"
    request.images.add(url="https://example.com/1.png")
    request.images.add(url="https://example.com/2.png")
    found = violations(request, limits=limits)
    assert [v.field for v in found] == ["messages", "images", "output_schema"]
    assert "at most 2" in found[0].description


def test_all_problems_are_reported_at_once() -> None:
    request = CreateRunRequest(retries=-3, output_schema="{")
    request.images.add()
    assert fields(request) == ["agent_id", "message", "images[0]", "output_schema", "retries"]


# Continue ------------------------------------------------------------------------------------


def full_continue() -> ContinueArguments:
    tool = s.pending_tool("call_9")
    tool.confirmed = True
    return ContinueArguments(
        run_id="run-1",
        updated_tools=[s.tool_execution("call_1")],
        requirements=[s.requirement(tool)],
        session_id="sess-1",
        user_id="user-1",
        stream_events=True,
        background=True,
        request_id="req-2",
        dependencies={"db": "main"},
        knowledge_filters={"topic": "x"},
        retries=1,
    )


def test_continue_arguments_round_trip() -> None:
    original = full_continue()
    request = continue_run_request(original)
    assert request.requirements[0].run_id == "run-1"
    assert continue_arguments_from_request(request) == original
    stream = stream_continue_run_request(original)
    assert isinstance(stream, run_service_pb2.StreamContinueRunRequest)
    assert continue_arguments_from_request(stream) == original
    kwargs = original.agent_continue_kwargs()
    assert kwargs["run_id"] == "run-1" and kwargs["requirements"] == original.requirements
    assert not {"stream_events", "background", "request_id"} & set(kwargs)


def test_continue_with_only_requirement_level_decisions() -> None:
    request = run_service_pb2.ContinueRunRequest(run_id="run-1")
    requirement = request.requirements.add(requirement_id="req-1", confirmed=True, confirmation_note="ok")
    requirement.tool_execution.tool_call_id = "call_9"
    args = continue_arguments_from_request(request)
    assert args.requirements is not None
    tool = args.requirements[0].tool_execution
    assert tool.tool_call_id == "call_9" and tool.confirmed is True and tool.confirmation_note == "ok"
    assert args.updated_tools is None and args.retries is None


def test_bad_continue_requests_are_named() -> None:
    request = run_service_pb2.ContinueRunRequest(retries=-1, session_id=" x")
    request.tools.add(tool_call_id="")
    request.tools.add(tool_call_id="c1")
    request.tools.add(tool_call_id="c1").user_input_schema.add(name="")
    request.requirements.add(requirement_id="")
    request.requirements.add(requirement_id="r1").user_input.add(name="")
    request.requirements.add(requirement_id="r1").tool_execution.user_input_schema.add()
    assert fields(request) == [
        "run_id",
        "session_id",
        "tools[0].tool_call_id",
        "tools[2].tool_call_id",
        "tools[2].user_input_schema[0].name",
        "requirements[0].requirement_id",
        "requirements[1].user_input[0].name",
        "requirements[2].requirement_id",
        "requirements[2].tool_execution.user_input_schema[0].name",
        "retries",
    ]
    limits = RequestLimits(max_tools=1, max_requirements=1)
    many = run_service_pb2.ContinueRunRequest(run_id="r")
    many.tools.add(tool_call_id="a")
    many.tools.add(tool_call_id="b")
    many.requirements.add(requirement_id="a")
    many.requirements.add(requirement_id="b")
    assert fields(many, limits=limits) == ["tools", "requirements"]


def test_violations_are_tuples_of_field_and_description() -> None:
    found = violations(CreateRunRequest(message="x"))
    assert found == [("agent_id", "one of agent_id, team_id or workflow_id is required")]
    with pytest.raises(ValueError):
        WireValidationError([])
