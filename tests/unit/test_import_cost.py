"""What importing and using the engine pulls in: a structural guard for start-up cost.

Every process that builds an agent pays for its imports (CLI tools, workers, serverless
functions, test runs). SQLAlchemy's asyncio layer alone costs ~170 ms, httpx ~45 ms; the engine
needs neither to define and run an agent, so they must arrive only with a database backend or a
model provider that uses them. gRPC, the generated stubs and the runtime are the server's: the
engine never imports them (DESIGN.md §2). Each check runs in a fresh interpreter, because this
test process has imported everything already. Timing goals live in benchmarks/, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# Top-level packages (or agentos sub-packages) that must stay out of the engine's import graph.
HEAVY = ("sqlalchemy", "aiosqlite", "psycopg", "asyncpg", "grpc", "opentelemetry", "agentos.os", "agentos.v1")


def _loaded_after(code: str) -> list[str]:
    """Module names from HEAVY (or below them) loaded by a fresh interpreter running ``code``."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        heavy = {HEAVY!r}
        loaded = [m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy)]
        print(json.dumps(sorted(loaded)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_agent_pulls_in_no_database_driver_grpc_or_runtime() -> None:
    assert _loaded_after("import agentos.agent") == []


def test_importing_the_agent_leaves_the_http_client_to_the_providers() -> None:
    script = """
    import sys
    import agentos.agent, agentos.models, agentos.tools, agentos.run, agentos.session, agentos.memory
    assert "httpx" not in sys.modules, "imported httpx"
    """
    assert _loaded_after(script) == []


def test_building_and_running_an_agent_without_a_database_stays_light() -> None:
    script = """
    from agentos.agent import Agent
    from agentos.db import InMemoryDb, StorageError, RunRecord
    from agentos.models.openai import OpenAIChat
    from agentos.models.scripted import ScriptedModel, tool_call

    def add(a: int, b: int) -> int:
        \"\"\"Add two numbers.\"\"\"
        return a + b

    Agent(model=OpenAIChat(id="gpt-4o"), tools=[add])
    agent = Agent(model=ScriptedModel(steps=[tool_call("add", a=1, b=2), "3"]), tools=[add], db=InMemoryDb())
    assert agent.run("1 + 2?").content == "3"
    """
    assert _loaded_after(script) == []


def test_the_client_does_not_import_the_storage_layer() -> None:
    script = """
    import sys
    import agentos.client
    assert not [m for m in sys.modules if m.startswith("agentos.db")], "imported agentos.db"
    """
    assert [m for m in _loaded_after(script) if m.startswith(("sqlalchemy", "agentos.os"))] == []


@pytest.mark.parametrize("name", ["SqliteDb", "PostgresDb", "InMemoryDb", "MigrationManager"])
def test_backends_load_on_first_access_under_their_public_names(name: str) -> None:
    import agentos.db

    value = getattr(agentos.db, name)
    assert value.__name__ == name
    assert name in dir(agentos.db)
    assert set(agentos.db.__all__) <= set(dir(agentos.db))


def test_an_unknown_name_of_the_storage_package_is_an_attribute_error() -> None:
    import agentos.db

    with pytest.raises(AttributeError, match="NoSuchDb"):
        agentos.db.NoSuchDb  # type: ignore[attr-defined]  # noqa: B018
