"""Human in the loop: confirmation, user input, external execution, dynamic user input.

Each flow pauses (status paused, RunPaused last, requirements) and resumes with
``continue_run``/``acontinue_run``, by ``run_response=`` or by ``run_id=`` with
``updated_tools=`` or ``requirements=``, streaming or not.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, tool_call, tool_calls
from agentos.run import RequirementKind, RunOutput, RunPausedEvent, RunStatus, ToolCallErrorEvent
from agentos.tools import Toolkit, tool
from agentos.tools.user_control_flow import UserControlFlowTools

sent: list[str] = []


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    sent.append(path)
    return f"deleted {path}"


@tool(requires_user_input=True, user_input_fields=["to_address"])
def send_email(subject: str, to_address: str) -> str:
    """Send an email."""
    return f"sent '{subject}' to {to_address}"


@tool(external_execution=True)
def run_shell(command: str) -> str:
    """Run a shell command."""
    raise AssertionError("external tools are run by the caller")


def last_tool_result(out: RunOutput) -> str:
    return str([m for m in out.messages or [] if m.role == "tool"][-1].content)


def confirm_agent() -> Agent:
    return Agent(
        model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "file deleted"]),
        tools=[delete_file],
    )


async def test_confirmation_pauses_then_continues_by_run_response() -> None:
    sent.clear()
    agent = confirm_agent()
    out = await agent.arun("delete /tmp/x")
    assert out.is_paused and out.status == RunStatus.paused
    assert sent == []
    assert [t.tool_name for t in out.tools_requiring_confirmation] == ["delete_file"]
    assert out.requirements and out.requirements[0].kind == RequirementKind.confirmation
    assert out.active_requirements == out.requirements
    out.tools_requiring_confirmation[0].confirmed = True
    done = await agent.acontinue_run(run_response=out)
    assert done.status == RunStatus.completed and done.content == "file deleted"
    assert sent == ["/tmp/x"]
    assert last_tool_result(done) == "deleted /tmp/x"
    assert done.run_id == out.run_id


async def test_rejection_is_reported_to_the_model_and_the_loop_continues() -> None:
    sent.clear()
    agent = confirm_agent()
    out = await agent.arun("delete /tmp/x")
    out.requirements[0].reject(note="not that file")  # type: ignore[index]
    events = [
        e
        async for e in agent.acontinue_run(
            run_id=out.run_id, requirements=out.requirements, stream=True, stream_events=True
        )
    ]
    assert events[0].event == "RunContinued"
    assert any(isinstance(e, ToolCallErrorEvent) and "rejected" in (e.error or "") for e in events)
    assert events[-1].event == "RunCompleted"
    assert sent == []


async def test_continue_by_run_id_with_updated_tools() -> None:
    sent.clear()
    agent = confirm_agent()
    out = await agent.arun("delete")
    from agentos.models import ToolExecution

    update = ToolExecution(tool_call_id=out.tools[0].tool_call_id, tool_name="delete_file", confirmed=True)  # type: ignore[index]
    done = await agent.acontinue_run(run_id=out.run_id, updated_tools=[update])
    assert done.content == "file deleted" and sent == ["/tmp/x"]


async def test_continue_from_a_deserialized_run_output_without_the_registry() -> None:
    sent.clear()
    agent = confirm_agent()
    out = await agent.arun("delete")
    # Simulate another process: rebuild the paused run from its stored form.
    stored = RunOutput.from_dict(json.loads(json.dumps(out.to_dict())))
    from agentos.agent import _hitl

    assert _hitl.PAUSED_RUNS.take(out.run_id or "") is not None  # drop the in-process copy
    stored.requirements[0].confirm()  # type: ignore[index]
    done = await agent.acontinue_run(run_response=stored)
    assert done.status == RunStatus.completed and sent == ["/tmp/x"]


async def test_streaming_pause_ends_with_run_paused() -> None:
    agent = confirm_agent()
    events = [e async for e in agent.arun("delete", stream=True, stream_events=True)]
    paused = events[-1]
    assert isinstance(paused, RunPausedEvent)
    assert [t.tool_name for t in paused.tools or []] == ["delete_file"]
    assert paused.requirements and paused.requirements[0].needs_confirmation
    assert [e.event for e in events][:1] == ["RunStarted"]


async def test_other_calls_of_the_turn_run_before_the_pause() -> None:
    ran: list[str] = []

    def harmless() -> str:
        """Harmless."""
        ran.append("harmless")
        return "fine"

    agent = Agent(
        model=ScriptedModel(
            steps=[tool_calls(tool_call("harmless"), tool_call("delete_file", path="p")), "ok"]
        ),
        tools=[harmless, delete_file],
    )
    out = await agent.arun("go")
    assert out.is_paused and ran == ["harmless"]
    out.requirements[0].confirm()  # type: ignore[index]
    done = await agent.acontinue_run(run_response=out)
    assert done.content == "ok"
    assert ran == ["harmless"]


async def test_user_input_for_some_fields() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("send_email", subject="Hi", to_address="?"), "sent it"]),
        tools=[send_email],
    )
    out = await agent.arun("email")
    assert out.is_paused
    tool_exec = out.tools_requiring_user_input[0]
    fields = {f.name: f for f in tool_exec.user_input_schema or []}
    assert fields["subject"].value == "Hi"  # given by the model
    assert fields["to_address"].value is None  # the user supplies it
    req = out.requirements[0]  # type: ignore[index]
    assert req.kind == RequirementKind.user_input and req.needs_user_input
    with pytest.raises(ValueError, match="no user input field"):
        req.provide_user_input({"bogus": 1})
    req.provide_user_input({"to_address": "a@b.c"})
    assert req.is_resolved()
    done = await agent.acontinue_run(run_response=out)
    assert done.content == "sent it"
    assert last_tool_result(done) == "sent 'Hi' to a@b.c"


def test_user_input_set_on_fields_directly_v1_style_sync() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("send_email", subject="S", to_address=""), "ok"]),
        tools=[send_email],
    )
    out = agent.run("email")
    while out.is_paused:
        for t in out.tools_requiring_user_input:
            for field in t.user_input_schema or []:
                if field.value is None:
                    field.value = "x@y.z"
        out = agent.continue_run(run_response=out)
    assert out.content == "ok" and last_tool_result(out) == "sent 'S' to x@y.z"


async def test_external_execution_result_becomes_the_tool_result_streaming() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[tool_call("run_shell", command="ls"), "you have 2 files"]),
        tools=[run_shell],
    )
    out = await agent.arun("list files")
    assert [t.tool_name for t in out.tools_awaiting_external_execution] == ["run_shell"]
    assert out.tools_awaiting_external_execution[0].tool_args == {"command": "ls"}
    out.requirements[0].set_external_execution_result("a.txt\nb.txt")  # type: ignore[index]
    events = [e async for e in agent.acontinue_run(run_response=out, stream=True)]
    assert events[-1].event == "RunCompleted" and events[-1].content == "you have 2 files"  # type: ignore[union-attr]


async def test_continue_with_unresolved_requirement_pauses_again() -> None:
    agent = confirm_agent()
    out = await agent.arun("delete")
    again = await agent.acontinue_run(run_response=out)
    assert again.is_paused and again.requirements and again.requirements[0].needs_confirmation
    again.requirements[0].confirm()
    done = await agent.acontinue_run(run_response=again)
    assert done.status == RunStatus.completed


async def test_toolkit_level_hitl_lists() -> None:
    class Files(Toolkit):
        def __init__(self) -> None:
            super().__init__(
                name="files",
                tools=[self.read, self.wipe],
                requires_confirmation_tools=["wipe"],
            )

        def read(self) -> str:
            """Read."""
            return "content"

        def wipe(self) -> str:
            """Wipe."""
            return "wiped"

    agent = Agent(model=ScriptedModel(steps=[tool_call("read"), tool_call("wipe"), "done"]), tools=[Files()])
    out = await agent.arun("go")
    assert out.is_paused and out.tools_requiring_confirmation[0].tool_name == "wipe"
    out.requirements[0].confirm()  # type: ignore[index]
    done = await agent.acontinue_run(run_response=out)
    assert done.content == "done" and last_tool_result(done) == "wiped"


async def test_dict_tool_without_entrypoint_is_external() -> None:
    spec = {
        "type": "function",
        "function": {
            "name": "lookup",
            "description": "Look up",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
        },
    }
    agent = Agent(model=ScriptedModel(steps=[tool_call("lookup", q="x"), "found"]), tools=[spec])
    out = await agent.arun("go")
    assert out.tools_awaiting_external_execution[0].tool_name == "lookup"
    out.tools_awaiting_external_execution[0].result = "42"
    done = await agent.acontinue_run(run_response=out)
    assert done.content == "found" and last_tool_result(done) == "42"


async def test_user_control_flow_tools_dynamic_input() -> None:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn == 0:
            return tool_call(
                "get_user_input",
                user_input_fields=[
                    {"field_name": "city", "field_type": "str", "field_description": "Your city"}
                ],
            )
        answer = json.loads(str(messages[-1].content))
        return f"weather for {answer['user_input']['city']}"

    agent = Agent(model=FunctionModel(fn=reply), tools=[UserControlFlowTools()])
    out = await agent.arun("what's the weather?")
    assert out.is_paused
    fields = out.tools_requiring_user_input[0].user_input_schema or []
    assert [(f.name, f.description) for f in fields] == [("city", "Your city")]
    out.requirements[0].provide_user_input({"city": "Paris"})  # type: ignore[index]
    done = await agent.acontinue_run(run_response=out)
    assert done.content == "weather for Paris"


async def test_continue_errors_are_clear() -> None:
    agent = Agent(model=ScriptedModel(steps=["x"]))
    with pytest.raises(ValueError, match="needs the paused run"):
        await agent.acontinue_run()
    with pytest.raises(ValueError, match="no paused run"):
        await agent.acontinue_run(run_id="nope")
    done = await agent.arun("hi")
    with pytest.raises(ValueError, match="not paused"):
        await agent.acontinue_run(run_response=done)
