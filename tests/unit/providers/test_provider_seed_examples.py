"""The seed documents' own examples, run with OpenAIChat against the local OpenAI-compatible server.

Each test scripts the server to answer as a real model would for that example, runs the
example's code as a user writes it (sync ``Agent.run`` / ``continue_run``), and checks both what
the user gets and what went over the wire.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agentos.agent import Agent, RunEvent, RunStatus
from agentos.models.anthropic import Claude
from agentos.models.openai import OpenAIChat
from agentos.tools import tool
from fake_anthropic import FakeAnthropic, ToolUse
from fake_anthropic import Turn as ClaudeTurn
from fake_openai import FakeOpenAI, FakeToolCall, Turn
from pydantic import BaseModel, Field


@pytest.fixture
def model(fake_openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIChat]:
    """``OpenAIChat(id="gpt-4o")`` exactly as the examples write it, configured from the environment."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-example")
    yield OpenAIChat(id="gpt-4o")


def test_basic_agent(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    fake_openai_server.script(Turn("Breaking news from New York: a bagel shop won a jazz award."))
    agent = Agent(model=model, description="You are an enthusiastic news reporter.", markdown=True)
    run = agent.run("Tell me about a breaking news story from New York.")
    assert run.status == RunStatus.completed
    assert run.content == "Breaking news from New York: a bagel shop won a jazz award."
    assert run.metrics is not None and run.metrics.input_tokens == 10 and run.metrics.output_tokens == 5
    body = fake_openai_server.bodies[0]
    assert body["model"] == "gpt-4o"
    assert fake_openai_server.requests[0].headers["authorization"] == "Bearer sk-example"
    system, user = body["messages"]
    assert system["role"] == "system" and "enthusiastic news reporter" in system["content"]
    assert user == {"role": "user", "content": "Tell me about a breaking news story from New York."}


def test_streaming_agent(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    story = "Once upon a time, a tiny robot learned to paint."
    fake_openai_server.script(Turn(story, chunk_size=5), Turn(story, chunk_size=5))
    agent = Agent(model=model, description="You tell short stories.")
    # stream=True alone yields the content as it arrives, then the terminal event ...
    events = list(agent.run("Tell me a story", stream=True))
    assert {e.event for e in events[:-1]} == {RunEvent.run_content.value}
    assert events[-1].event == RunEvent.run_completed.value
    pieces = [e.content for e in events[:-1] if e.content]
    assert len(pieces) > 1 and "".join(pieces) == story
    # ... and stream_events=True adds the lifecycle events around it.
    events = list(agent.run("Tell me a story", stream=True, stream_events=True))
    assert events[0].event == RunEvent.run_started.value
    assert events[-1].event == RunEvent.run_completed.value
    assert "".join(e.content for e in events if e.event == RunEvent.run_content.value and e.content) == story
    assert all(body["stream"] is True for body in fake_openai_server.bodies)


def test_agent_with_tools(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    def get_top_hackernews_stories(num_stories: int = 10) -> str:
        """Use this function to get top stories from Hacker News.

        Args:
            num_stories (int): Number of stories to return. Defaults to 10.
        """
        return "\n".join(f"Story {i + 1}" for i in range(num_stories))

    fake_openai_server.script(
        Turn(tool_calls=[FakeToolCall("get_top_hackernews_stories", {"num_stories": 2})]),
        Turn("The top two stories are Story 1 and Story 2."),
    )
    agent = Agent(model=model, tools=[get_top_hackernews_stories], markdown=True)
    run = agent.run("Summarize the top 2 stories on hackernews?")
    assert run.content == "The top two stories are Story 1 and Story 2."
    first, second = fake_openai_server.bodies
    tool_spec = first["tools"][0]["function"]
    assert tool_spec["name"] == "get_top_hackernews_stories"
    assert "num_stories" in tool_spec["parameters"]["properties"]
    call_id = second["messages"][-2]["tool_calls"][0]["id"]
    assert second["messages"][-1] == {"role": "tool", "tool_call_id": call_id, "content": "Story 1\nStory 2"}
    assert [t.tool_name for t in run.tools or []] == ["get_top_hackernews_stories"]


class MovieScript(BaseModel):
    setting: str = Field(..., description="Provide a nice setting for a blockbuster movie.")
    ending: str = Field(..., description="Ending of the movie.")
    genre: str = Field(..., description="Genre of the movie.")
    name: str = Field(..., description="Give a name to this movie")
    characters: list[str] = Field(..., description="Name of characters for this movie.")
    storyline: str = Field(..., description="3 sentence storyline for the movie.")


SCRIPT = MovieScript(
    setting="Manhattan rooftops at night.",
    ending="The city lights come back on.",
    genre="Thriller",
    name="Blackout",
    characters=["Ava", "Marcus"],
    storyline="A blackout hits. Two strangers race the clock. The lights return.",
)


def test_structured_output_with_native_json_schema(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    fake_openai_server.script(Turn(SCRIPT.model_dump_json()))
    agent = Agent(model=model, description="You write movie scripts.", output_schema=MovieScript)
    run = agent.run("New York")
    assert run.content == SCRIPT
    response_format = fake_openai_server.bodies[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert set(response_format["json_schema"]["schema"]["properties"]) == set(MovieScript.model_fields)


def test_structured_output_with_json_mode(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    fake_openai_server.script(Turn(SCRIPT.model_dump_json()))
    agent = Agent(
        model=model, description="You write movie scripts.", output_schema=MovieScript, use_json_mode=True
    )
    run = agent.run("New York")
    assert run.content == SCRIPT
    body = fake_openai_server.bodies[0]
    assert body["response_format"] == {"type": "json_object"}
    assert "storyline" in body["messages"][0]["content"]  # the schema travels in the instructions


def test_hitl_confirmation(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    executed: list[str] = []

    @tool(requires_confirmation=True)
    def sensitive_operation(data: str) -> str:
        """Perform a sensitive operation that requires confirmation."""
        executed.append(data)
        return "Operation completed"

    fake_openai_server.script(
        Turn(tool_calls=[FakeToolCall("sensitive_operation", {"data": "payroll"})]),
        Turn("The sensitive operation is done."),
    )
    agent = Agent(model=model, tools=[sensitive_operation])
    run = agent.run("Perform sensitive operation")
    assert run.is_paused and executed == []
    assert len(fake_openai_server.requests) == 1
    for pending in run.tools_requiring_confirmation:
        assert (pending.tool_name, pending.tool_args) == ("sensitive_operation", {"data": "payroll"})
        pending.confirmed = True
    run = agent.continue_run(run_response=run)
    assert run.status == RunStatus.completed and run.content == "The sensitive operation is done."
    assert executed == ["payroll"]
    assert fake_openai_server.bodies[1]["messages"][-1]["content"] == "Operation completed"


def test_hitl_user_input(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    @tool(requires_user_input=True, user_input_fields=["to_address"])
    def send_email(subject: str, body: str, to_address: str) -> str:
        """Send an email.

        Args:
            subject (str): The subject of the email.
            body (str): The body of the email.
            to_address (str): The address to send the email to.
        """
        return f"Sent email to {to_address} with subject {subject} and body {body}"

    fake_openai_server.script(
        Turn(tool_calls=[FakeToolCall("send_email", {"subject": "Hello", "body": "Hello, world!"})]),
        Turn("Your email is on its way."),
    )
    agent = Agent(model=model, tools=[send_email])
    run = agent.run("Send an email with the subject 'Hello' and the body 'Hello, world!'")
    assert run.is_paused
    for pending in run.tools_requiring_user_input:
        fields = {f.name: f for f in pending.user_input_schema or []}
        assert fields["subject"].value == "Hello"  # filled by the model
        assert fields["to_address"].value is None  # the user's to give
        fields["to_address"].value = "ada@example.com"
    run = agent.continue_run(run_response=run)
    assert run.content == "Your email is on its way."
    tool_result = fake_openai_server.bodies[1]["messages"][-1]["content"]
    assert tool_result == "Sent email to ada@example.com with subject Hello and body Hello, world!"


def test_hitl_external_execution(fake_openai_server: FakeOpenAI, model: OpenAIChat) -> None:
    @tool(external_execution=True)
    def execute_shell_command(command: str) -> str:
        """Execute a shell command.

        Args:
            command (str): The shell command to execute
        """
        return f"ran {command}"  # the example runs the entrypoint itself, outside the agent

    fake_openai_server.script(
        Turn(tool_calls=[FakeToolCall("execute_shell_command", {"command": "ls"})]),
        Turn("You have two files: a.txt and b.txt."),
    )
    agent = Agent(model=model, tools=[execute_shell_command], markdown=True)
    run = agent.run("What files do I have in my current directory?")
    assert run.is_paused
    for pending in run.tools_awaiting_external_execution:
        assert pending.tool_name == execute_shell_command.name
        assert execute_shell_command.entrypoint is not None
        pending.result = "a.txt\nb.txt"
    run = agent.continue_run(run_response=run)
    assert run.content == "You have two files: a.txt and b.txt."
    assert fake_openai_server.bodies[1]["messages"][-1]["content"] == "a.txt\nb.txt"


@pytest.mark.parametrize("stream", [False, True])
def test_claude_agent_with_tools_and_thinking(fake_anthropic_server: FakeAnthropic, stream: bool) -> None:
    """Claude as the agent's model: tool results go back as tool_result blocks, signed thinking with them."""

    def get_weather(city: str) -> str:
        """Get the weather for a city."""
        return f"{city}: 21C"

    fake_anthropic_server.script(
        ClaudeTurn(thinking="Need the weather.", tool_calls=[ToolUse("get_weather", {"city": "Lisbon"})]),
        ClaudeTurn("It is 21C in Lisbon."),
    )
    model = Claude(
        base_url=fake_anthropic_server.base_url,
        api_key="sk-ant",
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    agent = Agent(model=model, tools=[get_weather], instructions="Be brief.")
    if stream:
        events = list(agent.run("Weather in Lisbon?", stream=True))
        content = "".join(e.content for e in events if e.event == RunEvent.run_content.value and e.content)
    else:
        content = str(agent.run("Weather in Lisbon?").content)
    assert content == "It is 21C in Lisbon."
    first, second = fake_anthropic_server.bodies
    assert "Be brief." in first["system"]
    assert first["tools"][0]["name"] == "get_weather"
    assistant, results = second["messages"][-2:]
    assert assistant["content"][0] == {
        "type": "thinking",
        "thinking": "Need the weather.",
        "signature": "sig-1",
    }
    assert assistant["content"][-1]["type"] == "tool_use"
    assert results == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": assistant["content"][-1]["id"], "content": "Lisbon: 21C"}
        ],
    }
