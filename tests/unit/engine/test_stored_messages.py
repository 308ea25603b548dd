"""How a run's messages are stored: every field survives a trip through JSON, fields holding
their default are left out of the stored form, and rows written with every key present (as
before the compact form) still read back."""

from __future__ import annotations

import json
from dataclasses import fields

from agentos.media import Audio, File, Image, Video
from agentos.models import Message, Metrics, ToolCall
from agentos.run import RunOutput, RunStatus


def through_json(output: RunOutput) -> RunOutput:
    return RunOutput.from_dict(json.loads(json.dumps(output.to_dict())))


def every_field_message() -> Message:
    return Message(
        role="assistant",
        content=[{"type": "text", "text": "hi"}],
        name="helper",
        tool_calls=[ToolCall(id="c1", name="add", arguments='{"a": 1}')],
        tool_call_id="c0",
        tool_name="add",
        tool_args={"a": 1, "nested": {"b": [1, 2]}},
        tool_call_error=True,
        stop_after_tool_call=True,
        images=[Image(url="https://example.invalid/cat.png", detail="low")],
        audio=[Audio(content=b"\x00\x01", format="wav", sample_rate=16000)],
        videos=[Video(filepath="/tmp/clip.mp4", format="mp4")],
        files=[File(content=b"%PDF", filename="a.pdf", mime_type="application/pdf")],
        audio_output=Audio(content=b"\x02", format="mp3"),
        reasoning_content="because",
        compressed_content="short",
        from_history=True,
        provider_data={"blocks": [1]},
        metrics=Metrics(input_tokens=3, output_tokens=2, total_tokens=5, duration=0.5),
    )


def test_every_message_field_survives_storage() -> None:
    message = every_field_message()
    names = {f.name for f in fields(Message)}
    default = Message(role="x")
    unset = [n for n in names if n not in ("id", "created_at") and getattr(message, n) == getattr(default, n)]
    assert unset == [], "this test must set every field of Message"
    again = through_json(RunOutput(run_id="r", messages=[message], status=RunStatus.completed))
    assert again.messages == [message]


def test_default_fields_are_left_out_of_the_stored_message() -> None:
    message = Message(role="user", content="hello")
    stored = RunOutput(run_id="r", messages=[message]).to_dict()["messages"][0]
    assert stored == {"role": "user", "content": "hello", "id": message.id, "created_at": message.created_at}
    assert through_json(RunOutput(run_id="r", messages=[message])).messages == [message]


def test_messages_stored_with_every_key_still_read_back() -> None:
    legacy = {
        "role": "assistant",
        "content": "a1",
        "name": None,
        "tool_calls": [],
        "tool_call_id": None,
        "tool_name": None,
        "tool_args": None,
        "tool_call_error": False,
        "stop_after_tool_call": False,
        "images": None,
        "audio": None,
        "videos": None,
        "files": None,
        "audio_output": None,
        "reasoning_content": None,
        "compressed_content": None,
        "from_history": False,
        "provider_data": None,
        "metrics": {"input_tokens": 1, "total_tokens": 1},
        "id": "m1",
        "created_at": 1700000000,
        "a_key_from_a_newer_version": True,
    }
    restored = RunOutput.from_dict({"run_id": "r", "messages": [legacy]}).messages
    assert restored == [
        Message(
            role="assistant",
            content="a1",
            metrics=Metrics(input_tokens=1, total_tokens=1),
            id="m1",
            created_at=1700000000,
        )
    ]
