from __future__ import annotations

import pytest
from agentos.exceptions import CheckTrigger, InputCheckError, OutputCheckError
from agentos.guardrails import BaseGuardrail, PIIDetectionGuardrail, iban_valid, luhn_valid
from agentos.models import Message
from agentos.run import RunInput, RunOutput
from pydantic import BaseModel


def kinds(guardrail: PIIDetectionGuardrail, text: str) -> list[str]:
    return [match.kind for match in guardrail.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.doe+news@mail.example.co.uk today", ["email"]),
        ("my card is 4111 1111 1111 1111", ["credit_card"]),
        ("amex 3782-822463-10005", ["credit_card"]),
        ("ssn 123-45-6789", ["ssn"]),
        ("call me on (555) 123-4567", ["phone"]),
        ("or +44 20 7946 0958 from abroad", ["phone"]),
        ("pay to DE89 3704 0044 0532 0130 00 please", ["iban"]),
        ("GB82WEST12345698765432", ["iban"]),
    ],
)
def test_each_detector_finds_its_kind(text: str, expected: list[str]) -> None:
    assert kinds(PIIDetectionGuardrail(), text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112",  # fails Luhn
        "ssn 000-12-3456",  # never-issued area
        "ssn 123-00-4567",  # never-issued group
        "iban DE89 3704 0044 0532 0130 01",  # fails mod 97
        "meeting on 2024-01-15 at 10:30",
        "order number 12345, version 1.2.3, host 192.168.100.200",
        "no personal data here at all",
    ],
)
def test_validation_rejects_lookalikes(text: str) -> None:
    assert PIIDetectionGuardrail().detect(text) == []


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("GB83 WEST 1234 5698 7654 32")


def test_card_number_is_not_also_reported_as_phone() -> None:
    found = PIIDetectionGuardrail().detect("4111111111111111")
    assert [m.kind for m in found] == ["credit_card"]


def test_check_raises_input_error_without_leaking_values() -> None:
    guard = PIIDetectionGuardrail()
    with pytest.raises(InputCheckError) as info:
        guard.check(RunInput(input_content="I am jane@example.com, SSN 123-45-6789"))
    err = info.value
    assert err.check_trigger == CheckTrigger.PII_DETECTED
    assert err.additional_data == {"detected_pii": ["email", "ssn"], "count": 2}
    assert "jane@example.com" not in str(err)


def test_clean_input_passes() -> None:
    run_input = RunInput(input_content="What is the capital of France?")
    PIIDetectionGuardrail().check(run_input)
    assert run_input.input_content == "What is the capital of France?"


def test_disabled_detectors_are_skipped() -> None:
    guard = PIIDetectionGuardrail(enable_email_check=False, enable_phone_check=False)
    guard.check(RunInput(input_content="mail bob@example.com or call 555-123-4567"))
    with pytest.raises(InputCheckError):
        guard.check(RunInput(input_content="ssn 123-45-6789"))


def test_custom_patterns_are_reported_by_name() -> None:
    guard = PIIDetectionGuardrail(custom_patterns={"employee_id": r"\bEMP-\d{6}\b"})
    with pytest.raises(InputCheckError) as info:
        guard.check(RunInput(input_content="ticket for EMP-123456"))
    assert info.value.additional_data is not None
    assert info.value.additional_data["detected_pii"] == ["employee_id"]


def test_at_least_one_detector_is_required() -> None:
    with pytest.raises(ValueError, match="at least one"):
        PIIDetectionGuardrail(
            enable_email_check=False,
            enable_phone_check=False,
            enable_credit_card_check=False,
            enable_ssn_check=False,
            enable_iban_check=False,
        )


def test_mask_pii_rewrites_string_input_and_does_not_raise() -> None:
    run_input = RunInput(input_content="mail jane@example.com about card 4111-1111-1111-1111")
    PIIDetectionGuardrail(mask_pii=True).check(run_input)
    assert run_input.input_content == "mail **************** about card *******************"


def test_mask_pii_rewrites_structured_input_without_touching_the_callers_dict() -> None:
    original = {"note": "call 555-123-4567", "items": ["ok", "jane@example.com"], "n": 3}
    run_input = RunInput(input_content=original)
    PIIDetectionGuardrail(mask_pii=True).check(run_input)
    assert run_input.input_content == {
        "note": "call ************",
        "items": ["ok", "****************"],
        "n": 3,
    }
    assert original["note"] == "call 555-123-4567"


class Ticket(BaseModel):
    subject: str
    body: str


def test_mask_pii_in_pydantic_and_message_inputs() -> None:
    model_input = RunInput(input_content=Ticket(subject="help", body="ssn 123-45-6789"))
    PIIDetectionGuardrail(mask_pii=True).check(model_input)
    assert model_input.input_content == Ticket(subject="help", body="ssn ***********")

    msg_input = RunInput(input_content=[Message(role="user", content="jane@example.com")])
    PIIDetectionGuardrail(mask_pii=True).check(msg_input)
    assert msg_input.input_content[0].content == "****************"

    bare = Message(role="user", content="call 555-123-4567")
    PIIDetectionGuardrail(mask_pii=True).check(bare)
    assert bare.content == "call ************"
    with pytest.raises(InputCheckError):
        PIIDetectionGuardrail().check(Message(role="user", content="call 555-123-4567"))


def test_integer_card_number_is_detected() -> None:
    with pytest.raises(InputCheckError):
        PIIDetectionGuardrail().check(RunInput(input_content={"card": 4111111111111111}))


def test_output_check_raises_output_error_and_masks_output() -> None:
    guard = PIIDetectionGuardrail()
    output = RunOutput(content="The user's email is jane@example.com")
    with pytest.raises(OutputCheckError) as info:
        guard.check_output(output)
    assert info.value.check_trigger == CheckTrigger.PII_DETECTED

    PIIDetectionGuardrail(mask_pii=True).check_output(output)
    assert output.content == "The user's email is ****************"


async def test_async_check_behaves_like_check() -> None:
    guard: BaseGuardrail = PIIDetectionGuardrail()
    with pytest.raises(InputCheckError):
        await guard.async_check(RunInput(input_content="ssn 123-45-6789"))
    with pytest.raises(OutputCheckError):
        await guard.async_check_output(RunOutput(content="ssn 123-45-6789"))
    await guard.async_check(RunInput(input_content="fine"))
