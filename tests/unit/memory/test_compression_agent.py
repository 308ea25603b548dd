"""Tool-result compression inside the Agent's tool loop."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent, RunStatus
from agentos.compression import DEFAULT_INSTRUCTIONS, CompressionManager
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, tool_call


def fetch(page: int) -> str:
    """Fetch a page of a long document.

    Args:
        page: The page number.
    """
    return f"page{page} " + "lorem ipsum " * 40


def shorten(messages: list[Message], info: ModelCallInfo) -> str:
    """A compression model: keeps the first word of the tool result."""
    result = messages[-1].content_text().split("<tool_result>\n")[1]
    return "short:" + result.split()[0]


class Reader:
    """The agent's model: fetches pages 1..4, one per turn, then answers. Records what the tool
    results looked like (as sent to the model) at each call."""

    def __init__(self, pages: int = 4) -> None:
        self.pages = pages
        self.seen: list[list[str]] = []

    def __call__(self, messages: list[Message], info: ModelCallInfo) -> Any:
        self.seen.append([str(m.content_for_model()) for m in messages if m.role == "tool"])
        if info.turn < self.pages:
            return tool_call("fetch", page=info.turn + 1)
        return "read everything"


async def test_tool_results_are_compressed_before_the_next_model_call() -> None:
    reader = Reader()
    manager = CompressionManager(model=FunctionModel(fn=shorten), compress_tool_results_limit=2)
    agent = Agent(
        model=FunctionModel(fn=reader), tools=[fetch], compress_tool_results=True, compression_manager=manager
    )
    output = await agent.arun("read the document")
    assert output.status == RunStatus.completed and output.content == "read everything"
    # Call 2 saw one (uncompressed) result; by call 3 two results had accumulated and were compressed.
    assert reader.seen[1][0].startswith("page1 lorem")
    assert reader.seen[2] == ["short:page1", "short:page2"]
    assert reader.seen[3][:2] == ["short:page1", "short:page2"] and reader.seen[3][2].startswith(
        "page3 lorem"
    )
    assert reader.seen[4] == ["short:page1", "short:page2", "short:page3", "short:page4"]
    # The run keeps the originals next to their compressed forms.
    tool_messages = [m for m in output.messages or [] if m.role == "tool"]
    assert [m.compressed_content for m in tool_messages] == [f"short:page{i}" for i in range(1, 5)]
    assert all(str(m.content).startswith(f"page{i} lorem") for i, m in enumerate(tool_messages, start=1))
    assert manager.stats["tool_results_compressed"] == 4


async def test_compression_defaults_to_the_agents_model() -> None:
    reader = Reader(pages=3)

    def model_fn(messages: list[Message], info: ModelCallInfo) -> Any:
        if messages[0].content_text() == DEFAULT_INSTRUCTIONS:  # a compression call
            return shorten(messages, info)
        return reader(messages, info)

    agent = Agent(model=FunctionModel(fn=model_fn), tools=[fetch], compress_tool_results=True)
    output = await agent.arun("read")
    assert output.status == RunStatus.completed
    # The default manager compresses once three results are uncompressed.
    assert reader.seen[3] == ["short:page1", "short:page2", "short:page3"]


async def test_no_compression_unless_asked() -> None:
    reader = Reader(pages=4)
    output = await Agent(model=FunctionModel(fn=reader), tools=[fetch]).arun("read")
    assert all(m.compressed_content is None for m in output.messages or [])
    assert all(text.startswith("page") for text in reader.seen[-1])


async def test_a_manager_with_compression_off_leaves_results_alone() -> None:
    reader = Reader(pages=4)
    manager = CompressionManager(model=FunctionModel(fn=shorten), compress_tool_results=False)
    output = await Agent(model=FunctionModel(fn=reader), tools=[fetch], compression_manager=manager).arun(
        "read"
    )
    assert all(m.compressed_content is None for m in output.messages or [])
