"""RunOutput <-> Run, RunInput <-> RunInput, RunStatus <-> RunState."""

from __future__ import annotations

import dataclasses

import pytest
import wire_samples as s
from agentos.models import Message
from agentos.run import (
    RunCancelledEvent,
    RunErrorEvent,
    RunInput,
    RunOutput,
    RunStatus,
)
from agentos.v1 import common_pb2, runs_pb2
from agentos.wire import (
    error_detail,
    run_from_proto,
    run_input_from_proto,
    run_input_to_proto,
    run_state_to_status,
    run_status_to_state,
    run_to_proto,
)
from google.protobuf import json_format
from pydantic import BaseModel


def full_output() -> RunOutput:
    tools = [s.tool_execution("call_1"), s.pending_tool("call_9")]
    return RunOutput(
        run_id="run-1",
        agent_id="agent-1",
        agent_name="Agent One",
        session_id="sess-1",
        parent_run_id="parent-1",
        workflow_step_id="step-1",
        user_id="user-1",
        content={"answer": 42, "items": [1, "two"]},
        content_type="dict",
        reasoning_content="thought",
        reasoning_steps=s.reasoning_steps().reasoning_steps,
        reasoning_messages=[s.message()],
        model="gpt-4o",
        model_provider="OpenAI",
        messages=[s.message("user"), s.message()],
        metrics=s.metrics(),
        tools=tools,
        images=[s.image()],
        videos=[s.video()],
        audio=[s.audio()],
        files=[s.file()],
        response_audio=s.audio(),
        input=s.run_input(),
        citations=s.citations(),
        model_provider_data={"id": "resp_1"},
        references=s.references(),
        metadata={"source": "test"},
        session_state={"cart": []},
        created_at=s.CREATED_AT,
        status=RunStatus.paused,
        requirements=[s.requirement(tools[1])],
    )


def through_bytes(pb: runs_pb2.Run) -> runs_pb2.Run:
    wire = runs_pb2.Run.FromString(pb.SerializeToString())
    assert json_format.Parse(json_format.MessageToJson(wire), runs_pb2.Run()) == wire
    return wire


def test_run_round_trips_every_carried_field() -> None:
    original = full_output()
    back = run_from_proto(through_bytes(run_to_proto(original)))
    assert back == original
    # Requirements share their tool record with ``tools``, as in RunOutput.from_dict.
    assert back.requirements is not None and back.tools is not None
    assert back.requirements[0].tool_execution is back.tools[1]


def test_fields_not_in_the_run_message_are_dropped() -> None:
    original = dataclasses.replace(
        full_output(), workflow_id="wf-1", events=[RunCancelledEvent(reason="x", sequence=3)]
    )
    back = run_from_proto(run_to_proto(original))
    assert back.workflow_id is None and back.events is None


def test_additional_input_travels_in_the_full_view() -> None:
    examples = [
        Message(role="user", content="2+2?", id="ex1", created_at=s.CREATED_AT),
        Message(role="assistant", content="4", id="ex2", created_at=s.CREATED_AT),
    ]
    original = dataclasses.replace(full_output(), additional_input=examples)
    back = run_from_proto(through_bytes(run_to_proto(original)))
    assert back.additional_input == examples
    assert back == original
    assert not run_to_proto(original, full=False).additional_input


def test_basic_view_leaves_out_messages() -> None:
    pb = run_to_proto(full_output(), full=False)
    assert not pb.messages and not pb.reasoning_messages
    assert pb.tools and pb.metrics.input_tokens == 11


def test_string_content_and_unset_content() -> None:
    text = run_to_proto(RunOutput(run_id="r", content="hello", status=RunStatus.completed))
    assert text.content.string_value == "hello" and text.content_type == "str"
    empty = run_to_proto(RunOutput(run_id="r", status=RunStatus.running))
    assert not empty.HasField("content")
    assert "content" not in json_format.MessageToDict(empty)
    assert run_from_proto(empty).content is None


class Answer(BaseModel):
    value: int


def test_structured_content_is_rebuilt_with_the_output_schema() -> None:
    pb = run_to_proto(RunOutput(content=Answer(value=3), content_type="Answer", status=RunStatus.completed))
    assert run_from_proto(pb).content == {"value": 3}
    assert run_from_proto(pb, output_schema=Answer).content == Answer(value=3)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (RunStatus.pending, runs_pb2.RUN_STATE_PENDING),
        (RunStatus.running, runs_pb2.RUN_STATE_RUNNING),
        (RunStatus.paused, runs_pb2.RUN_STATE_PAUSED),
        (RunStatus.completed, runs_pb2.RUN_STATE_COMPLETED),
        (RunStatus.cancelled, runs_pb2.RUN_STATE_CANCELLED),
        (RunStatus.error, runs_pb2.RUN_STATE_FAILED),
    ],
)
def test_status_state_mapping(status: RunStatus, state: int) -> None:
    assert run_status_to_state(status) == state
    assert run_state_to_status(run_status_to_state(status)) is status


def test_unspecified_state_is_rejected() -> None:
    with pytest.raises(ValueError, match="unspecified"):
        run_state_to_status(runs_pb2.RUN_STATE_UNSPECIFIED)
    assert set(RunStatus) == {run_state_to_status(run_status_to_state(x)) for x in RunStatus}


def test_failed_run_error_uses_the_stored_error_event() -> None:
    output = RunOutput(
        run_id="r",
        status=RunStatus.error,
        error="model provider error: overloaded",
        events=[
            RunErrorEvent(
                content="model provider error: overloaded",
                error_type="ModelProviderError",
                additional_data={"status_code": 529},
                sequence=4,
            )
        ],
    )
    pb = run_to_proto(output)
    assert pb.state == runs_pb2.RUN_STATE_FAILED
    assert pb.error.message == "model provider error: overloaded"
    assert pb.error.reason == common_pb2.ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE
    assert dict(pb.error.metadata) == {"status_code": "529", "error_type": "ModelProviderError"}
    assert (pb.event_count, pb.last_sequence) == (1, 4)
    assert run_from_proto(pb).error == "model provider error: overloaded"
    # Without stored events the error is still reported, as INTERNAL.
    bare = run_to_proto(RunOutput(status=RunStatus.error, error="boom"))
    assert bare.error.message == "boom" and bare.error.reason == common_pb2.ERROR_REASON_INTERNAL
    # The server can pass the exact detail.
    given = run_to_proto(
        output, error=error_detail("custom", "InputCheckError"), event_count=9, last_sequence=12
    )
    assert given.error.message == "custom" and given.error.reason == common_pb2.ERROR_REASON_INPUT_REJECTED
    assert (given.event_count, given.last_sequence) == (9, 12)


def test_cancellation_reason_and_timestamps() -> None:
    output = RunOutput(
        status=RunStatus.cancelled, created_at=s.CREATED_AT, events=[RunCancelledEvent(reason="user stop")]
    )
    pb = run_to_proto(output, updated_at=s.CREATED_AT + 5)
    assert pb.cancellation_reason == "user stop"
    assert pb.created_at.seconds == s.CREATED_AT and pb.updated_at.seconds == s.CREATED_AT + 5
    assert run_to_proto(output, cancellation_reason="shutdown").cancellation_reason == "shutdown"


def test_team_and_workflow_runs_are_not_converted_yet() -> None:
    with pytest.raises(NotImplementedError, match="TeamRunOutput"):
        run_from_proto(runs_pb2.Run(team_id="t"))
    with pytest.raises(NotImplementedError, match="WorkflowRunOutput"):
        run_from_proto(runs_pb2.Run(workflow_id="w"))


@pytest.mark.parametrize(
    "content",
    [
        "plain text",
        [
            Message(role="user", content="a", id="m1", created_at=1),
            Message(role="user", content="b", id="m2", created_at=2),
        ],
        {"question": "why", "n": 2},
        [{"role": "user", "content": "dict messages stay data"}],
        None,
    ],
)
def test_run_input_round_trips(content: object) -> None:
    original = dataclasses.replace(s.run_input(), input_content=content)
    assert run_input_from_proto(run_input_to_proto(original)) == original


def test_run_input_lossy_forms() -> None:
    single = Message(role="user", content="one", id="m", created_at=1)
    assert run_input_from_proto(run_input_to_proto(RunInput(input_content=single))).input_content == [single]
    pydantic_input = run_input_to_proto(RunInput(input_content=Answer(value=1)))
    assert run_input_from_proto(pydantic_input).input_content == {"value": 1}
    both = runs_pb2.RunInput(message="first")
    both.messages.add(role="user", id="m2").content.string_value = "second"
    content = run_input_from_proto(both).input_content
    assert [(m.role, m.content) for m in content] == [("user", "first"), ("user", "second")]
