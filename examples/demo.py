"""The demo AgentOS that ``make serve`` starts: two agents on SQLite, served over gRPC.

    agentos serve examples.demo:agent_os          # from the repository root

The model comes from the environment:

* ``AGENTOS_MODEL="provider:model_id"`` (e.g. ``openai:gpt-4o-mini``, ``anthropic:claude-sonnet-4-5``),
  with that provider's usual key variable;
* otherwise OpenAIChat (``OPENAI_MODEL``, default ``gpt-4o-mini``) with ``OPENAI_API_KEY``, and
  ``OPENAI_BASE_URL`` to use any OpenAI-compatible server (a local one needs no real key).

Without any of them the server still starts (discovery, sessions and memories work) and logs
what to set; a run then fails with an error that names the variable.

Sessions and memories are stored in ``.tmp/demo.db`` at the repository root (gitignored), or
in the file ``AGENTOS_DEMO_DB`` names.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from agentos.agent import Agent
from agentos.db import SqliteDb
from agentos.models import Model
from agentos.models.openai import OpenAIChat
from agentos.os import AgentOS, AgentOSConfig, ChatConfig
from agentos.tools import tool
from agentos.tools.calculator import CalculatorTools

logger = logging.getLogger("agentos.demo")

REPO_ROOT = Path(__file__).resolve().parent.parent


def demo_model() -> Model | str:
    """The model named by the environment (see the module docstring)."""
    spec = os.environ.get("AGENTOS_MODEL", "").strip()
    if spec:
        return spec
    if not (os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")):
        logger.warning(
            "demo: no model configured; runs will fail until you set "
            "AGENTOS_MODEL='provider:model_id' (with the provider's key), or OPENAI_API_KEY "
            "(and OPENAI_BASE_URL for any OpenAI-compatible server)"
        )
    return OpenAIChat(id=os.environ.get("OPENAI_MODEL", "gpt-4o-mini"))


def demo_db() -> SqliteDb:
    path = Path(os.environ.get("AGENTOS_DEMO_DB") or REPO_ROOT / ".tmp" / "demo.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteDb(db_file=path, id="demo-db")


@tool
def current_time(timezone_name: str = "UTC") -> str:
    """Return the current date and time in ISO-8601 (only UTC is supported).

    Args:
        timezone_name: Name of the time zone; only "UTC" is supported.
    """
    if timezone_name.upper() != "UTC":
        return f"unsupported time zone {timezone_name!r}; only UTC is available"
    return datetime.now(UTC).isoformat(timespec="seconds")


def build_agent_os() -> AgentOS:
    """A fresh demo AgentOS (``examples.demo:build_agent_os`` works as a factory too)."""
    model = demo_model()
    db = demo_db()
    assistant = Agent(
        id="assistant",
        name="Assistant",
        description="A general assistant that knows the current time.",
        model=model,
        tools=[current_time],
        instructions=["Answer briefly.", "Use the current_time tool for questions about the date or time."],
        markdown=True,
        db=db,
    )
    calculator = Agent(
        id="calculator",
        name="Calculator",
        description="Exact arithmetic with calculator tools.",
        model=model,
        tools=[CalculatorTools()],
        instructions="Use the calculator tools for every computation and show the result.",
        db=db,
    )
    return AgentOS(
        id="agentos-demo",
        name="AgentOS demo",
        description="Two agents served over gRPC, with sessions and memories on SQLite.",
        version="0.1.0",
        agents=[assistant, calculator],
        db=db,
        config=AgentOSConfig(
            chat=ChatConfig(
                quick_prompts={
                    "assistant": ["What time is it?", "Tell me a fun fact."],
                    "calculator": ["What is 17 * 23?", "Is 7919 prime?"],
                }
            )
        ),
    )


agent_os = build_agent_os()
