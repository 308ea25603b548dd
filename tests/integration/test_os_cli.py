"""``agentos serve`` as a subprocess serving the demo app, called with grpc and ``buf curl``."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest
from agentos.os.cli import main
from agentos.v1 import (
    agent_os_pb2,
    agent_os_pb2_grpc,
    run_service_pb2,
    run_service_pb2_grpc,
    sessions_pb2,
    sessions_pb2_grpc,
)
from fake_openai import FakeOpenAI, Turn

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVING = re.compile(r"serving gRPC on (\S+:\d+)")


def agentos_command() -> list[str]:
    script = BIN / "agentos"
    return [str(script)] if script.exists() else [sys.executable, "-m", "agentos.os.cli"]


def demo_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AGENTOS_", "ANTHROPIC_"))}
    env["AGENTOS_DEMO_DB"] = str(tmp_path / "demo.db")
    env["PYTHONPATH"] = str(REPO)
    return env


@dataclass
class Served:
    process: subprocess.Popen[str]
    address: str
    log: list[str] = field(default_factory=list)


@contextlib.contextmanager
def serve_demo(env: dict[str, str], *args: str) -> Iterator[Served]:
    """``agentos serve`` of the demo app with ``args``, once it serves (stderr kept in ``log``)."""
    process = subprocess.Popen(
        [*agentos_command(), "serve", "examples.demo:agent_os", "--port", "0", *args],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    log: list[str] = []
    address = ""
    for line in process.stderr:
        log.append(line)
        match = SERVING.search(line)
        if match:
            address = match.group(1)
            break
    if not address:
        process.kill()
        pytest.fail("the server did not start:\n" + "".join(log))
    # Keep draining stderr so the child never blocks on a full pipe.
    drain = threading.Thread(target=lambda: log.extend(process.stderr or ()), daemon=True)
    drain.start()
    served = Served(process=process, address=address, log=log)
    try:
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        drain.join(timeout=30)


@pytest.fixture
def served_demo(tmp_path: Path) -> Iterator[Served]:
    with serve_demo(demo_env(tmp_path), "--grace-period", "5") as served:
        yield served


def test_serve_the_demo_and_shut_down_on_sigterm(served_demo: Served) -> None:
    assert any("no model configured" in line and "AGENTOS_MODEL" in line for line in served_demo.log)
    with grpc.insecure_channel(served_demo.address) as channel:
        config = agent_os_pb2_grpc.AgentOSServiceStub(channel).GetConfig(
            agent_os_pb2.GetConfigRequest(), timeout=10
        )
        assert config.config.os_id == "agentos-demo"
        assert [a.id for a in config.config.agents] == ["assistant", "calculator"]
        assert [d.db_type for d in config.config.databases] == ["sqlite"]
        created = sessions_pb2_grpc.SessionServiceStub(channel).CreateSession(
            sessions_pb2.CreateSessionRequest(
                session=sessions_pb2.Session(agent_id="assistant", user_id="me")
            ),
            timeout=10,
        )
        assert created.session.session_id
    served_demo.process.send_signal(signal.SIGTERM)
    assert served_demo.process.wait(timeout=30) == 0
    assert any("stopped" in line for line in served_demo.log)


def test_buf_curl_lists_the_agents_through_reflection(served_demo: Served) -> None:
    buf = BIN / "buf"
    assert buf.exists(), f"{buf} is missing: buf-bin comes with the dev dependencies (`make install`)"
    result = subprocess.run(
        [
            str(buf),
            "curl",
            "--protocol",
            "grpc",
            "--http2-prior-knowledge",
            f"http://{served_demo.address}/agentos.v1.AgentOSService/ListAgents",
            "-d",
            "{}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert [a["agentId"] for a in body["agents"]] == ["assistant", "calculator"]
    assert body["agents"][1]["tools"][0]["toolkit"] == "calculator"


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_serve_streams_a_model_run_on_either_event_loop(loop: str, tmp_path: Path) -> None:
    """The server, the model client and the database on the loop ``--event-loop`` names."""
    with FakeOpenAI(default=Turn("The sky is clear today.", chunk_size=3)) as model_server:
        env = {**demo_env(tmp_path), "OPENAI_BASE_URL": model_server.base_url, "OPENAI_API_KEY": "sk-test"}
        with serve_demo(env, "--event-loop", loop) as served:
            assert any(SERVING.search(line) and f"event loop: {loop}" in line for line in served.log)
            with grpc.insecure_channel(served.address) as channel:
                request = run_service_pb2.StreamRunRequest(
                    agent_id="assistant", message="Weather?", stream_events=True
                )
                events = list(run_service_pb2_grpc.RunServiceStub(channel).StreamRun(request, timeout=30))
            content = "".join(e.run_content.content.string_value for e in events if e.event == "RunContent")
            assert content == "The sky is clear today."
            assert events[-1].event == "RunCompleted"
            served.process.send_signal(signal.SIGTERM)
            assert served.process.wait(timeout=30) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "examples.demo"], "expected MODULE:ATTR"),
        (["serve", "examples.nothing_here:app"], "cannot import module 'examples.nothing_here'"),
        (["serve", "examples.demo:missing"], "has no attribute 'missing'"),
        (["serve", "examples.demo:REPO_ROOT"], "expected an AgentOS or a zero-argument factory"),
        (["serve", "examples.demo:demo_model"], "returned a OpenAIChat, expected an AgentOS"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("AGENTOS_DEMO_DB", str(tmp_path / "demo.db"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_console_script_reports_argument_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [*agentos_command(), "serve", "examples.demo:agent_os", "--port", "70000"],
        cwd=REPO,
        env=demo_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "port must be between 0 and 65535" in result.stderr and "Traceback" not in result.stderr


def test_rest_port_without_envoy_fails_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("AGENTOS_DEMO_DB", str(tmp_path / "demo.db"))
    monkeypatch.setenv("AGENTOS_ENVOY", str(tmp_path / "no-envoy-here"))
    assert main(["serve", "examples.demo:agent_os", "--port", "0", "--rest-port", "0"]) == 2
    err = capsys.readouterr().err
    assert "AGENTOS_ENVOY" in err and "Traceback" not in err
