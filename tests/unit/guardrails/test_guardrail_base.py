from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest
from agentos.exceptions import CheckTrigger, InputCheckError, OutputCheckError
from agentos.guardrails import BaseGuardrail, check_error, extract_text, guardrail_stage, rewrite_text
from agentos.models import Message
from agentos.run import RunInput, RunOutput
from pydantic import BaseModel


class BlockWord(BaseGuardrail):
    """A user guardrail written only against the sync ``check``."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.threads: list[int] = []

    def check(self, run_input: Any) -> None:
        self.threads.append(threading.get_ident())
        if self.word in extract_text(run_input):
            raise check_error(
                guardrail_stage(run_input), f"'{self.word}' is not allowed", CheckTrigger.OFF_TOPIC
            )


def test_base_guardrail_is_abstract() -> None:
    with pytest.raises(TypeError):
        BaseGuardrail()  # type: ignore[abstract]


async def test_default_async_check_runs_sync_check_off_the_event_loop() -> None:
    guard = BlockWord("football")
    with pytest.raises(InputCheckError) as info:
        await guard.async_check(RunInput(input_content="let's talk football"))
    assert info.value.check_trigger == CheckTrigger.OFF_TOPIC
    assert guard.threads == [guard.threads[0]]
    assert guard.threads[0] != threading.get_ident()


async def test_sync_only_guardrail_works_as_post_hook() -> None:
    guard = BlockWord("football")
    with pytest.raises(OutputCheckError):
        await guard.async_check_output(RunOutput(content="football scores"))
    guard.check_output(RunOutput(content="tennis"))


def test_stage_detection() -> None:
    assert guardrail_stage(RunInput(input_content="x")) == "input"
    assert guardrail_stage(RunOutput(content="x")) == "output"
    assert guardrail_stage("plain text") == "input"
    assert guardrail_stage({"content": "x"}) == "input"
    assert guardrail_stage(Message(role="user", content="x")) == "input"
    assert guardrail_stage(Message(role="assistant", content="x")) == "output"


class Address(BaseModel):
    street: str
    zip_code: int


@dataclass
class Order:
    note: str
    address: Address
    paid: bool = True


def test_extract_text_walks_nested_values() -> None:
    value = RunInput(
        input_content=[
            Message(role="user", content=[{"type": "text", "text": "first"}, "second"]),
            {"a": ["third", None, b"bytes are skipped"], "b": 4.5},
            Order(note="fourth", address=Address(street="fifth", zip_code=12345)),
        ]
    )
    assert extract_text(value).split("\n") == ["first", "second", "third", "4.5", "fourth", "fifth", "12345"]
    assert extract_text(RunOutput(content="out")) == "out"
    assert extract_text(RunInput(input_content=None)) == ""


def test_extract_text_stops_on_self_reference() -> None:
    loop: list[Any] = ["x"]
    loop.append(loop)
    assert extract_text(loop).startswith("x")


def test_rewrite_text_copies_containers() -> None:
    original: dict[str, Any] = {"k": ["ab", ("cd",)], "m": Message(role="user", content="ef")}
    rewritten = rewrite_text(original, str.upper)
    assert rewritten["k"] == ["AB", ("CD",)]
    assert rewritten["m"].content == "EF"
    assert original["k"] == ["ab", ("cd",)]
    assert original["m"].content == "ef"
