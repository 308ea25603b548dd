"""The Node.js interop client (tests/interop/node): find node, install its packages, run it.

CI machines have ``node`` and ``npm`` but no ``node_modules``, so the first test that needs the
client runs ``npm ci`` once (from the committed package-lock.json, scripts disabled) and leaves a
stamp with the lock file's digest; later sessions reuse the install until the lock changes.
A missing ``node``/``npm`` fails the tests with a message saying what to install rather than
skipping them, so a machine without Node cannot pass the interop suite by accident.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_PROJECT = REPO / "tests" / "interop" / "node"
CLIENT = NODE_PROJECT / "client.mjs"
_STAMP = NODE_PROJECT / "node_modules" / ".agentos-installed"
_LOCK = NODE_PROJECT / ".npm-install.lock"
NPM_CI_TIMEOUT = 300.0
MIN_NODE_MAJOR = 18


class NodeSetupError(RuntimeError):
    """Node or its packages are not usable; the message says what to do."""


def _lock_digest() -> str:
    return hashlib.sha256((NODE_PROJECT / "package-lock.json").read_bytes()).hexdigest()


def _which(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise NodeSetupError(
            f"`{name}` is not on PATH: the interop tests need Node.js >= {MIN_NODE_MAJOR} with npm "
            "(e.g. `apt-get install nodejs npm`)"
        )
    return found


def _check_node_version(node: str) -> None:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    version = out.stdout.strip().lstrip("v")
    major = int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0
    if major < MIN_NODE_MAJOR:
        raise NodeSetupError(f"node {out.stdout.strip() or '?'} is too old: need >= {MIN_NODE_MAJOR}")


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise installs between concurrent pytest processes sharing the work tree."""
    with _LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_node_client() -> str:
    """The path of ``node``, with the client's packages installed (``npm ci`` when needed)."""
    node = _which("node")
    _check_node_version(node)
    digest = _lock_digest()
    with _install_lock():
        if _STAMP.exists() and _STAMP.read_text().strip() == digest:
            return node
        npm = _which("npm")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
            cwd=NODE_PROJECT,
            capture_output=True,
            text=True,
            timeout=NPM_CI_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise NodeSetupError(
                f"`npm ci` in {NODE_PROJECT} failed (exit {result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        _STAMP.write_text(digest + "\n")
    return node


@pytest.fixture(scope="session")
def node_binary() -> str:
    """``node``, ready to run the interop client; fails (never skips) when Node is unusable."""
    try:
        return ensure_node_client()
    except NodeSetupError as exc:
        pytest.fail(str(exc), pytrace=False)


@dataclass
class NodeResult:
    """What one run of the client printed: its stdout records by kind, and its error report."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r["kind"] == kind]

    def one(self, kind: str) -> dict[str, Any]:
        found = self.of_kind(kind)
        assert len(found) == 1, f"expected one {kind!r} record, got {len(found)}:\n{self.describe()}"
        return found[0]

    @property
    def error(self) -> dict[str, Any]:
        """The client's ``{"kind": "error", ...}`` report (its last stderr line)."""
        lines = [line for line in self.stderr.splitlines() if line.startswith("{")]
        assert lines, f"the client reported no error:\n{self.describe()}"
        report: dict[str, Any] = json.loads(lines[-1])
        return report

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


async def run_node_client(
    node: str, args: Sequence[str], *, limit_seconds: float = 60.0, env: dict[str, str] | None = None
) -> NodeResult:
    """Run client.mjs without blocking the event loop (the server under test may share it)."""
    process = await asyncio.create_subprocess_exec(
        node,
        str(CLIENT),
        *args,
        cwd=NODE_PROJECT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), limit_seconds)
    except TimeoutError:
        process.kill()
        stdout, stderr = await process.communicate()
        raise AssertionError(
            f"the node client did not finish in {limit_seconds} s\n--- stdout\n{stdout.decode()}\n"
            f"--- stderr\n{stderr.decode()}"
        ) from None
    assert process.returncode is not None
    return NodeResult(process.returncode, stdout.decode(), stderr.decode())
