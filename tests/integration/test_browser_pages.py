"""The pages the REST gateway serves, opened in headless Chromium against a real AgentOS.

``/chat`` lists the agents (GET /v1/agents), streams a run (POST /v1/agents/{id}/runs:stream)
and renders the events as they arrive; ``/docs`` renders the generated OpenAPI document offline
and calls the API from its "Try it" form. Chromium is Debian's package, driven over the
DevTools protocol (see tests/support/headless_chromium.py)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import SqliteDb
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedReply, ScriptStep, chunks, tool_call
from agentos.os import AgentOS
from headless_chromium import Chromium, Page, chromium, chromium_binary
from rest_site import RestSite, serve_rest_site

__all__ = ["chromium", "chromium_binary"]

REPLY_CHUNKS = ("The ", "sum ", "is ", "5.")


def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


def reply(messages: list[Any], info: ModelCallInfo) -> ScriptStep:
    """Calls the tool, then streams the answer in chunks; "slow" streams one chunk and hangs."""
    question = next(m.content_text() for m in reversed(messages) if m.role == "user")
    if "slow" in question:
        return ScriptedReply(content="Thinking hard", chunks=["Thinking ", "hard"], hang_after_chunks=1)
    if info.turn == 0:
        return tool_call("add", a=2, b=3)
    return chunks(*REPLY_CHUNKS)


@pytest.fixture(scope="module")
def rest_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestSite]:
    tmp = tmp_path_factory.mktemp("browser")
    db = SqliteDb(db_file=str(tmp / "agentos.sqlite"))
    calculator = Agent(id="calc", name="Calculator", model=FunctionModel(fn=reply), tools=[add], db=db)
    echo = Agent(id="other", name="Other", model=FunctionModel(fn=reply), db=db)
    with serve_rest_site(AgentOS(agents=[calculator, echo], db=db), tmp / "site") as site:
        yield site


@pytest.fixture
def page(chromium: Chromium) -> Iterator[Page]:
    tab = chromium.new_page()
    try:
        yield tab
    finally:
        tab.close()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def send(page: Page, text: str) -> None:
    page.evaluate(
        f"document.getElementById('message-input').value = {json.dumps(text)};"
        "document.getElementById('composer').requestSubmit(); true"
    )


def texts(page: Page, selector: str) -> list[str]:
    value = page.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent)")
    assert isinstance(value, list)
    return [str(v) for v in value]


def open_chat(page: Page, site: RestSite) -> None:
    page.navigate(site.url + "/chat")
    page.wait_for("document.querySelectorAll('#agent-select option').length === 2")
    page.evaluate("document.getElementById('agent-select').value = 'calc'; true")
    page.wait_for("!document.getElementById('send-button').disabled")


def test_chat_page_streams_a_reply(rest_site: RestSite, page: Page) -> None:
    open_chat(page, rest_site)
    assert texts(page, "#agent-select option") == ["Calculator (calc)", "Other (other)"]

    send(page, "What is 2 + 3?")
    outcome = page.wait_for("document.querySelector('.msg.assistant')?.dataset.outcome", timeout=30)
    assert outcome == "RunCompleted"
    assert texts(page, ".msg.user") == ["What is 2 + 3?"]
    assert texts(page, ".msg.assistant") == ["".join(REPLY_CHUNKS)]
    # Each content delta was appended on its own, as its event arrived.
    assert page.evaluate("document.querySelector('.msg.assistant').dataset.chunks") == str(len(REPLY_CHUNKS))
    assert texts(page, ".tool.done") == ["⚙ add → 5"]
    events = texts(page, "#event-log li span:last-child")
    assert events[0] == "RunStarted" and events[-1] == "RunCompleted"
    assert events.count("RunContent") == len(REPLY_CHUNKS)
    assert events.index("ToolCallStarted") < events.index("ToolCallCompleted") < events.index("RunContent")
    sequences = [int(s) for s in texts(page, "#event-log li .seq")]
    assert sequences == sorted(set(sequences))
    assert not page.exceptions


def test_chat_page_continues_the_session(rest_site: RestSite, page: Page) -> None:
    open_chat(page, rest_site)
    send(page, "first question")
    page.wait_for("document.querySelectorAll('.msg.assistant[data-outcome]').length === 1", timeout=30)
    session = page.evaluate("document.getElementById('session-label').textContent")
    send(page, "second question")
    page.wait_for("document.querySelectorAll('.msg.assistant[data-outcome]').length === 2", timeout=30)
    assert page.evaluate("document.getElementById('session-label').textContent") == session
    session_id = session.removeprefix("session ")
    runs = get_json(f"{rest_site.url}/v1/sessions/{session_id}/runs")["runs"]
    assert len(runs) == 2
    assert {run["state"] for run in runs} == {"RUN_STATE_COMPLETED"}


def test_chat_page_shows_content_before_the_run_ends_and_stops_it(rest_site: RestSite, page: Page) -> None:
    open_chat(page, rest_site)
    send(page, "a slow one")
    # The first chunk is on screen while the run is still going (the model hangs after it).
    page.wait_for("document.querySelector('.msg.assistant')?.textContent === 'Thinking '", timeout=30)
    assert page.evaluate("document.querySelector('.msg.assistant').dataset.outcome") is None
    assert page.evaluate("document.querySelector('.msg.assistant').classList.contains('streaming')")
    run_id = page.wait_for("document.getElementById('transcript').dataset.runId")
    assert get_json(f"{rest_site.url}/v1/runs/{run_id}")["run"]["state"] == "RUN_STATE_RUNNING"

    page.evaluate("document.getElementById('stop-button').click(); true")
    outcome = page.wait_for("document.querySelector('.msg.assistant')?.dataset.outcome", timeout=30)
    assert outcome == "RunCancelled"
    assert texts(page, "#transcript .outcome") == ["Cancelled: stopped from the chat page"]
    assert get_json(f"{rest_site.url}/v1/runs/{run_id}")["run"]["state"] == "RUN_STATE_CANCELLED"


def test_chat_page_reports_errors_from_the_gateway(rest_site: RestSite, page: Page) -> None:
    open_chat(page, rest_site)
    # An agent that vanished between listing and sending: the gateway answers 404 with a Status.
    page.evaluate(
        "const o = document.createElement('option'); o.value = 'gone'; o.textContent = 'gone';"
        "document.getElementById('agent-select').append(o);"
        "document.getElementById('agent-select').value = 'gone'; true"
    )
    send(page, "hello?")
    outcome = page.wait_for("document.querySelector('.msg.assistant')?.dataset.outcome", timeout=30)
    assert outcome == "TransportError"
    (message,) = texts(page, ".msg.assistant.error")
    assert message.startswith("Error: 404: ") and "gone" in message


def test_docs_page_renders_the_document_offline_and_tries_a_call(rest_site: RestSite, page: Page) -> None:
    document = get_json(rest_site.url + "/openapi.json")
    operations = sum(1 for item in document["paths"].values() for key in item if not key.startswith("x-"))
    page.navigate(rest_site.url + "/docs")
    assert page.wait_for("document.body.dataset.operations", timeout=30) == str(operations)
    assert page.evaluate("document.getElementById('title').textContent") == document["info"]["title"]
    tags = texts(page, "section.tag > h2")
    assert tags == [t["name"] for t in document["tags"]] + ["Schemas"]

    # Open ListAgents, check what it documents, and call it from the Try it form.
    page.evaluate("document.getElementById('op-AgentOSService_ListAgents').open = true; true")
    op = "#op-AgentOSService_ListAgents"
    assert "pageSize" in texts(page, f"{op} td.name")
    page.evaluate(f"document.querySelector('{op} .try button[type=submit]').click(); true")
    output = page.wait_for(
        f"(document.querySelector('{op} .try pre')?.textContent || '').includes('calc') && "
        f"document.querySelector('{op} .try pre').textContent"
    )
    assert "200" in output and '"agentId": "calc"' in output

    # Filtering hides the operations that do not match.
    page.evaluate(
        "const s = document.getElementById('search'); s.value = ':cancel';"
        "s.dispatchEvent(new Event('input')); true"
    )
    visible = page.evaluate("[...document.querySelectorAll('details.op:not(.hidden)')].map(d => d.id)")
    assert visible == ["op-RunService_CancelRun"]

    # Offline: every request the page made went to the gateway that served it.
    assert page.requests and all(url.startswith(rest_site.url + "/") for url in page.requests), page.requests
    assert not page.exceptions
