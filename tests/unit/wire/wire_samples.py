"""Domain objects with a non-default value in every field the contract carries.

Shared by the wire tests: a round trip of these must give back equal objects, so a field the
conversion forgets shows up as a difference.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agentos.media import Audio, File, Image, Video
from agentos.models import Message, Metrics, ToolCall, ToolExecution, UserInputField
from agentos.reasoning import NextAction, ReasoningStep, ReasoningSteps
from agentos.run import RequirementKind, RunInput, RunRequirement
from agentos.session import SessionSummary

CREATED_AT = 1_700_000_123


def metrics() -> Metrics:
    out = Metrics(
        input_tokens=11,
        output_tokens=12,
        total_tokens=23,
        audio_input_tokens=1,
        audio_output_tokens=2,
        audio_total_tokens=3,
        cache_read_tokens=4,
        cache_write_tokens=5,
        reasoning_tokens=6,
        time_to_first_token=0.125,
        duration=1.5,
        provider_metrics={"prompt_tokens_details": {"cached_tokens": 4}, "service_tier": "default"},
        additional_metrics={"cost": 0.0025},
    )
    out.details["openai:gpt-4o"] = Metrics(
        input_tokens=11,
        output_tokens=12,
        total_tokens=23,
        reasoning_tokens=6,
        time_to_first_token=0.125,
        duration=1.25,
        provider_metrics={"id": "resp_1"},
    )
    out.details["ollama:llama3:8b"] = Metrics(input_tokens=1, output_tokens=2, total_tokens=3)
    return out


def image(*, inline: bool = False) -> Image:
    if inline:
        return Image(id="img-2", content=b"\x89PNG\r\n", mime_type="image/png", detail="low")
    return Image(
        id="img-1",
        url="https://example.com/cat.png",
        mime_type="image/png",
        detail="high",
        revised_prompt="a cat",
    )


def audio() -> Audio:
    return Audio(
        id="aud-1",
        content=b"RIFF....",
        mime_type="audio/wav",
        format="wav",
        transcript="hello",
        sample_rate=24000,
    )


def video() -> Video:
    return Video(id="vid-1", url="https://example.com/v.mp4", mime_type="video/mp4", format="mp4")


def file() -> File:
    return File(id="file-1", content=b"%PDF-1.7", mime_type="application/pdf", filename="report.pdf")


def message(role: str = "assistant") -> Message:
    return Message(
        role=role,
        content=[{"type": "text", "text": "hi"}, "plain part"],
        name="helper",
        tool_calls=[ToolCall(id="call_1", name="get_weather", arguments='{"city": "nyc"}')],
        tool_call_id="call_0",
        tool_name="lookup",
        tool_args={"q": "x", "n": 3},
        tool_call_error=True,
        images=[image(), image(inline=True)],
        audio=[audio()],
        videos=[video()],
        files=[file()],
        audio_output=audio(),
        reasoning_content="thinking...",
        compressed_content="short",
        from_history=True,
        metrics=metrics(),
        id="msg-1",
        created_at=CREATED_AT,
    )


def tool_execution(call_id: str = "call_1") -> ToolExecution:
    return ToolExecution(
        tool_call_id=call_id,
        tool_name="send_email",
        tool_args={"subject": "hi", "nested": {"a": [1, 2.5, None, True]}},
        result="sent",
        tool_call_error=True,
        requires_confirmation=True,
        confirmed=False,
        confirmation_note="not now",
        requires_user_input=True,
        user_input_schema=[
            UserInputField(name="to_address", field_type=str, description="Recipient", value="a@b.c"),
            UserInputField(name="count", field_type=int, description=None, value=None),
            UserInputField(name="ratio", field_type=float, value=0.5),
            UserInputField(name="flag", field_type=bool, value=False),
            UserInputField(name="opts", field_type=dict, value={"k": "v"}),
            UserInputField(name="items", field_type=list, value=["x"]),
        ],
        external_execution_required=True,
        answered=True,
        stop_after_tool_call=True,
        show_result=True,
        metrics=Metrics(duration=0.5),
        created_at=CREATED_AT,
    )


def pending_tool(call_id: str = "call_9") -> ToolExecution:
    return ToolExecution(
        tool_call_id=call_id,
        tool_name="delete_file",
        tool_args={"path": "/tmp/x"},
        requires_confirmation=True,
        created_at=CREATED_AT,
    )


def requirement(tool: ToolExecution | None = None) -> RunRequirement:
    tool = tool or pending_tool()
    return RunRequirement(
        tool_execution=tool, kind=RequirementKind.confirmation, id="req-1", created_at=tool.created_at + 5
    )


def reasoning_step() -> ReasoningStep:
    return ReasoningStep(
        title="Plan",
        action="I will look it up",
        result="found it",
        reasoning="because",
        next_action=NextAction.VALIDATE,
        confidence=0.75,
    )


def reasoning_steps() -> ReasoningSteps:
    # A confidence of exactly 0 and no confidence at all must stay apart on the wire.
    return ReasoningSteps(
        reasoning_steps=[
            reasoning_step(),
            ReasoningStep(title="Doubt", confidence=0.0),
            ReasoningStep(title="Answer"),
        ]
    )


def citations() -> dict[str, Any]:
    return {
        "raw": {"provider": [{"start": 1, "end": 5}]},
        "urls": [{"url": "https://example.com", "title": "Example"}],
        "documents": [{"document_title": "Doc", "cited_text": "quote", "file_name": "doc.pdf"}],
    }


def references() -> list[Any]:
    return [{"query": "weather", "references": [{"content": "sunny", "meta": {"page": 2}}], "time": 0.25}]


def run_input() -> RunInput:
    return RunInput(
        input_content="What is the weather?",
        images=[image()],
        videos=[video()],
        audio=[audio()],
        files=[file()],
    )


def session_summary() -> SessionSummary:
    return SessionSummary(
        summary="They talked about the weather",
        topics=["weather", "travel"],
        updated_at=datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC),
    )
