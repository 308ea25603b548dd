"""The event loop ``AgentOS.serve()`` creates: uvloop when installed, asyncio's on request or without it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import uvloop
from agentos.os import ServerSettings
from agentos.os._event_loop import event_loop_factory, loop_name

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("choice", "expected"), [("auto", "uvloop"), ("uvloop", "uvloop"), ("asyncio", "asyncio")]
)
def test_the_loop_each_setting_creates(choice: str, expected: str) -> None:
    loop = event_loop_factory(choice)()
    try:
        assert loop_name(loop) == expected
        assert isinstance(loop, uvloop.Loop) == (expected == "uvloop")
    finally:
        loop.close()


def test_an_unknown_loop_is_refused_when_the_settings_are_made() -> None:
    with pytest.raises(ValueError, match="event_loop must be one of auto, asyncio, uvloop"):
        ServerSettings(event_loop="trio")
    assert ServerSettings().event_loop == "auto"


def _without_uvloop(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where ``import uvloop`` fails, as without the extra."""
    prelude = "import sys\nsys.modules['uvloop'] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_uvloop_auto_falls_back_and_uvloop_is_a_clear_error() -> None:
    result = _without_uvloop(
        """
        import asyncio
        from agentos.os._event_loop import EventLoopUnavailableError, event_loop_factory
        assert event_loop_factory("auto") is asyncio.new_event_loop
        try:
            event_loop_factory("uvloop")
        except EventLoopUnavailableError as exc:
            print(exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'agentos[uvloop]'" in result.stdout


def test_the_cli_names_the_missing_loop(tmp_path: Path) -> None:
    result = _without_uvloop(
        f"""
        import os
        os.environ["AGENTOS_DEMO_DB"] = {str(tmp_path / "demo.db")!r}
        sys.path.insert(0, {str(REPO)!r})
        from agentos.os.cli import main
        sys.exit(main(["serve", "examples.demo:agent_os", "--port", "0", "--event-loop", "uvloop"]))
        """
    )
    assert result.returncode == 2
    assert "needs uvloop" in result.stderr and "Traceback" not in result.stderr
