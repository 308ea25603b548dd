"""The Agent facade: parameters, identity, features, copies, tools and sync/async entry points."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from agentos.agent import Agent
from agentos.exceptions import ModelNotConfiguredError
from agentos.models.scripted import ScriptedModel
from agentos.tools import tool
from pydantic import BaseModel


def get_weather(city: str) -> str:
    """Weather for a city."""
    return f"sunny in {city}"


def test_every_agno_parameter_is_accepted_with_its_default() -> None:
    params = inspect.signature(Agent.__init__).parameters
    expected_defaults = {
        "model": None,
        "tools": None,
        "tool_call_limit": None,
        "reasoning_min_steps": 1,
        "reasoning_max_steps": 10,
        "resolve_in_context": True,
        "search_knowledge": True,
        "references_format": "json",
        "system_message_role": "system",
        "user_message_role": "user",
        "build_context": True,
        "build_user_context": True,
        "parse_response": True,
        "send_media_to_model": True,
        "store_media": True,
        "telemetry": True,
        "debug_level": 1,
        "retries": 0,
        "delay_between_retries": 1,
        "stream_events": False,
        "store_events": False,
        "markdown": False,
    }
    for name, default in expected_defaults.items():
        assert params[name].default == default, name
    # 92 documented parameters, all keyword-only.
    assert len([p for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]) == 92


def test_unknown_keyword_raises_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="not_a_param"):
        Agent(not_a_param=1)  # type: ignore[call-arg]


def test_id_is_assigned_once_and_kept() -> None:
    agent = Agent(name="a")
    first = agent.id
    assert first and agent.id == first
    assert Agent(id="fixed").id == "fixed"
    assert Agent().id != Agent().id


def test_deferred_features_are_stored_and_reported() -> None:
    agent = Agent(knowledge=object(), enable_user_memories=True, add_history_to_context=True, reasoning=True)
    features = agent.features
    assert features["knowledge"].startswith("stored, not active yet")
    assert features["add_history_to_context"] == "active"
    assert features["enable_user_memories"] == "active"
    assert features["reasoning"] == "active"
    assert agent.to_dict()["features"] == features
    assert agent.enable_user_memories is True


def test_to_dict_lists_non_default_parameters_and_tool_names() -> None:
    class Out(BaseModel):
        x: int

    agent = Agent(
        name="w", model=ScriptedModel(steps=["hi"]), tools=[get_weather], output_schema=Out, markdown=True
    )
    data = agent.to_dict()
    assert data["name"] == "w"
    assert data["tools"] == ["get_weather"]
    assert data["output_schema"] == "Out"
    assert data["markdown"] is True
    assert data["model"]["id"] == "scripted"
    assert "retries" not in data


def test_deep_copy_copies_mutable_settings_and_applies_updates() -> None:
    agent = Agent(name="a", session_state={"items": [1]}, tools=[get_weather])
    clone = agent.deep_copy(update={"name": "b"})
    assert clone.name == "b" and clone.id == agent.id
    assert clone.session_state == {"items": [1]}
    assert clone.session_state is not agent.session_state
    clone.session_state["items"].append(2)  # type: ignore[index]
    assert agent.session_state == {"items": [1]}
    with pytest.raises(TypeError):
        agent.deep_copy(update={"bogus": 1})


def test_add_tool_and_set_tools_refresh_the_resolved_tools() -> None:
    @tool
    def other() -> str:
        """Other."""
        return "o"

    agent = Agent(tools=[get_weather])
    assert [f.name for f in agent.get_tools()] == ["get_weather"]
    agent.add_tool(other)
    assert [f.name for f in agent.get_tools()] == ["get_weather", "other"]
    agent.set_tools([other])
    assert [f.name for f in agent.get_tools()] == ["other"]


def test_run_without_model_raises_a_clear_error() -> None:
    with pytest.raises(ModelNotConfiguredError, match="has no model"):
        Agent(name="x").run("hi")


def test_sync_run_works_and_refuses_inside_a_running_loop() -> None:
    agent = Agent(model=ScriptedModel(steps=["hello"]))
    assert agent.run("hi").content == "hello"

    async def inside() -> None:
        with pytest.raises(RuntimeError, match="arun"):
            agent.run("hi")

    asyncio.run(inside())


def test_sync_stream_yields_events_and_can_be_abandoned() -> None:
    agent = Agent(model=ScriptedModel(steps=["a b c"]))
    events = list(agent.run("hi", stream=True))
    assert events[-1].event == "RunCompleted"
    stream = agent.run("hi", stream=True)
    first = next(iter(stream))
    assert first.event == "RunContent"
    stream.close()  # type: ignore[attr-defined]


def test_unknown_run_keyword_is_rejected() -> None:
    agent = Agent(model=ScriptedModel(steps=["x"]))
    with pytest.raises(TypeError, match="bogus"):
        agent.run("hi", bogus=1)  # type: ignore[call-overload]


def test_print_response_writes_the_answer(tmp_path: object) -> None:
    import io

    buffer = io.StringIO()
    Agent(model=ScriptedModel(steps=["printed answer"])).print_response("q", console=buffer)
    assert "printed answer" in buffer.getvalue()
    buffer = io.StringIO()
    Agent(model=ScriptedModel(steps=["streamed answer"])).print_response("q", stream=True, console=buffer)
    assert "streamed answer" in buffer.getvalue()


async def test_aprint_response_writes_the_answer() -> None:
    import io

    buffer = io.StringIO()
    await Agent(model=ScriptedModel(steps=["async answer"])).aprint_response(
        "q", console=buffer, markdown=False
    )
    assert "Response: async answer" in buffer.getvalue()
