"""RunEvent covers every Agno run event, one oneof case per event name, and nothing else unlisted."""

from __future__ import annotations

import re
from pathlib import Path

from agentos.v1 import events_pb2
from google.protobuf import descriptor_pb2

DESCRIPTOR_SET = Path(__file__).resolve().parents[3] / "generated/agentos/v1/agentos_descriptor.binpb"

# Agent events of the seeds' run-event reference (RunOutputEvent types).
AGNO_AGENT_EVENTS = [
    "RunStarted",
    "RunContent",
    "RunContentCompleted",
    "RunIntermediateContent",
    "RunCompleted",
    "RunPaused",
    "RunContinued",
    "RunError",
    "RunCancelled",
    "PreHookStarted",
    "PreHookCompleted",
    "PostHookStarted",
    "PostHookCompleted",
    "ReasoningStarted",
    "ReasoningStep",
    "ReasoningCompleted",
    "ToolCallStarted",
    "ToolCallCompleted",
    "MemoryUpdateStarted",
    "MemoryUpdateCompleted",
    "SessionSummaryStarted",
    "SessionSummaryCompleted",
    "ParserModelResponseStarted",
    "ParserModelResponseCompleted",
    "OutputModelResponseStarted",
    "OutputModelResponseCompleted",
    "CustomEvent",
]

# Team events of the seeds (TeamRunOutputEvent types); teams share "CustomEvent" with agents.
AGNO_TEAM_EVENTS = [
    "TeamRunStarted",
    "TeamRunContent",
    "TeamRunContentCompleted",
    "TeamRunIntermediateContent",
    "TeamRunCompleted",
    "TeamRunError",
    "TeamRunCancelled",
    "TeamPreHookStarted",
    "TeamPreHookCompleted",
    "TeamPostHookStarted",
    "TeamPostHookCompleted",
    "TeamToolCallStarted",
    "TeamToolCallCompleted",
    "TeamReasoningStarted",
    "TeamReasoningStep",
    "TeamReasoningCompleted",
    "TeamMemoryUpdateStarted",
    "TeamMemoryUpdateCompleted",
    "TeamSessionSummaryStarted",
    "TeamSessionSummaryCompleted",
    "TeamParserModelResponseStarted",
    "TeamParserModelResponseCompleted",
    "TeamOutputModelResponseStarted",
    "TeamOutputModelResponseCompleted",
]

# Workflow events of the seeds (WorkflowRunOutputEvent types).
AGNO_WORKFLOW_EVENTS = [
    "WorkflowStarted",
    "WorkflowCompleted",
    "WorkflowCancelled",
    "WorkflowAgentCompleted",
    "StepStarted",
    "StepCompleted",
    "StepOutput",
    "ConditionExecutionStarted",
    "ConditionExecutionCompleted",
    "ParallelExecutionStarted",
    "ParallelExecutionCompleted",
    "LoopExecutionStarted",
    "LoopIterationStarted",
    "LoopIterationCompleted",
    "LoopExecutionCompleted",
    "RouterExecutionStarted",
    "RouterExecutionCompleted",
    "StepsExecutionStarted",
    "StepsExecutionCompleted",
]

# Events AgentOS adds: tool-call errors (newer Agno), team human-in-the-loop, workflow and step
# errors (so every workflow stream ends in-band), and the start of the workflow agent.
AGENTOS_ADDED_EVENTS = [
    "ToolCallError",
    "TeamToolCallError",
    "TeamRunPaused",
    "TeamRunContinued",
    "WorkflowError",
    "StepError",
    "WorkflowAgentStarted",
]

# Payloads that are not Agno events at all.
NON_AGNO_PAYLOADS = ["RunSnapshot"]

# Every stream ends with one of these for the stream's own run.
TERMINAL_EVENTS = {
    "RunCompleted",
    "RunPaused",
    "RunCancelled",
    "RunError",
    "TeamRunCompleted",
    "TeamRunPaused",
    "TeamRunCancelled",
    "TeamRunError",
    "WorkflowCompleted",
    "WorkflowCancelled",
    "WorkflowError",
}

ALL_EVENT_NAMES = (
    AGNO_AGENT_EVENTS + AGNO_TEAM_EVENTS + AGNO_WORKFLOW_EVENTS + AGENTOS_ADDED_EVENTS + NON_AGNO_PAYLOADS
)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(case: str) -> str:
    return "".join(part.capitalize() for part in case.split("_"))


def _payload_cases() -> dict[str, str]:
    """oneof case name -> payload message name."""
    oneof = events_pb2.RunEvent.DESCRIPTOR.oneofs_by_name["payload"]
    return {field.name: field.message_type.name for field in oneof.fields}


def test_event_lists_have_no_duplicates() -> None:
    assert len(ALL_EVENT_NAMES) == len(set(ALL_EVENT_NAMES))


def test_every_event_has_a_payload_case() -> None:
    cases = _payload_cases()
    missing = [name for name in ALL_EVENT_NAMES if _snake(name) not in cases]
    assert not missing


def test_payload_oneof_has_no_unlisted_case() -> None:
    expected = {_snake(name) for name in ALL_EVENT_NAMES}
    assert set(_payload_cases()) == expected


def test_case_names_round_trip_to_event_names() -> None:
    # RunEvent.event is the case name in UpperCamelCase; it must give back the Agno name.
    for name in ALL_EVENT_NAMES:
        assert _camel(_snake(name)) == name


def test_agent_payload_messages_are_named_after_the_event() -> None:
    cases = _payload_cases()
    for name in [*AGNO_AGENT_EVENTS, "ToolCallError", "RunSnapshot"]:
        assert cases[_snake(name)] == name


def test_workflow_payload_messages_are_named_after_the_event() -> None:
    cases = _payload_cases()
    for name in [*AGNO_WORKFLOW_EVENTS, "StepError", "WorkflowAgentStarted"]:
        assert cases[_snake(name)] == name
    # WorkflowError carries the same fields as RunError.
    assert cases["workflow_error"] == "RunError"


def test_team_payloads_reuse_the_agent_payload_of_the_same_event() -> None:
    cases = _payload_cases()
    for name in [*AGNO_TEAM_EVENTS, "TeamToolCallError", "TeamRunPaused", "TeamRunContinued"]:
        agent_name = name.removeprefix("Team")
        assert cases[_snake(name)] == agent_name, name


def test_payload_case_numbers_leave_room_for_the_envelope() -> None:
    oneof = events_pb2.RunEvent.DESCRIPTOR.oneofs_by_name["payload"]
    envelope = [f for f in events_pb2.RunEvent.DESCRIPTOR.fields if f.containing_oneof is None]
    assert max(f.number for f in envelope) < min(f.number for f in oneof.fields)


def test_envelope_fields() -> None:
    fields = events_pb2.RunEvent.DESCRIPTOR.fields_by_name
    for name in [
        "run_id",
        "parent_run_id",
        "session_id",
        "user_id",
        "agent_id",
        "agent_name",
        "team_id",
        "team_name",
        "workflow_id",
        "workflow_name",
        "workflow_run_id",
        "step_id",
        "step_name",
        "step_index",
        "parent_step_id",
        "created_at",
        "sequence",
        "event",
    ]:
        assert name in fields, name
    assert fields["sequence"].type == fields["sequence"].TYPE_UINT64
    assert fields["created_at"].message_type.full_name == "google.protobuf.Timestamp"


def test_terminal_payloads_are_documented_as_terminal() -> None:
    # Comments are only in the descriptor set that `make generate` writes (with source info).
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(DESCRIPTOR_SET.read_bytes())
    events = next(f for f in fds.file if f.name == "agentos/v1/events.proto")
    run_event_index = [m.name for m in events.message_type].index("RunEvent")
    run_event = events.message_type[run_event_index]
    comments = {}
    for location in events.source_code_info.location:
        path = list(location.path)
        if len(path) == 4 and path[:3] == [4, run_event_index, 2]:
            comments[run_event.field[path[3]].name] = location.leading_comments
    for name in TERMINAL_EVENTS:
        assert "Terminal" in comments[_snake(name)], name
    non_terminal = {_snake(n) for n in ALL_EVENT_NAMES} - {_snake(n) for n in TERMINAL_EVENTS}
    for case in non_terminal:
        assert "Terminal" not in comments[case], case
