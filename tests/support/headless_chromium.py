"""Headless Chromium for browser tests, driven over the DevTools protocol (CDP).

Why raw CDP over a websocket rather than Selenium or Playwright: Debian's ``chromium`` package
is the only browser this project can install (no browser downloads), and CDP needs nothing but
the ``websockets`` package: launch Chromium with ``--remote-debugging-port=0``, read the port it
picked from ``DevToolsActivePort`` in its profile directory, attach to the page target, and send
``Page.navigate`` / ``Runtime.evaluate`` commands.

``chromium_path()`` finds the browser, installing Debian's package when it is missing (tests run
as root in CI; ``apt-get`` needs the package index, so it runs ``apt-get update`` first). The
``chromium`` fixture gives each test a fresh browser with a throwaway profile.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)
_INSTALL_TIMEOUT = 900.0


class BrowserUnavailable(RuntimeError):
    """Chromium is not installed and could not be installed here."""


def _installed() -> str | None:
    for candidate in (os.environ.get("AGENTOS_CHROMIUM"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_path() -> str:
    """The Chromium binary; installs Debian's ``chromium`` package when it is missing."""
    found = _installed()
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise BrowserUnavailable(
            "Chromium is missing and cannot be installed here (needs root and apt-get): "
            "run `apt-get update && apt-get install -y chromium`, or set AGENTOS_CHROMIUM"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=_INSTALL_TIMEOUT)
        if result.returncode != 0:
            raise BrowserUnavailable(f"`{' '.join(command)}` failed:\n{result.stderr[-2000:]}")
    found = _installed()
    if not found:
        raise BrowserUnavailable("apt-get installed chromium but no chromium binary was found")
    return found


class Page:
    """One browser tab, driven with CDP commands over its websocket."""

    def __init__(self, ws_url: str) -> None:
        from websockets.sync.client import connect

        # Entered as a context manager, the one way every websockets version accepts.
        self._stack = contextlib.ExitStack()
        self._ws = self._stack.enter_context(connect(ws_url, max_size=64 * 1024 * 1024, open_timeout=10))
        self._ids = itertools.count(1)
        self.console: list[str] = []
        self.exceptions: list[str] = []
        self.requests: list[str] = []  # every URL the page asked for, in order
        self.send("Runtime.enable")
        self.send("Page.enable")
        self.send("Network.enable")

    def close(self) -> None:
        self._stack.close()

    def send(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        """Sends a command and returns its result; events that arrive meanwhile are recorded."""
        message_id = next(self._ids)
        self._ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"CDP {method} got no answer in {timeout} s")
            message = json.loads(self._ws.recv(timeout=remaining))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"CDP {method} failed: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self._record(message)

    def _record(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(
                str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])
            )
            self.console.append(f"{params.get('type')}: {text}")
        elif method == "Network.requestWillBeSent":
            self.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception", {})
            self.exceptions.append(exception.get("description") or details.get("text", "exception"))

    def navigate(self, url: str, timeout: float = 30.0) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", timeout=timeout)

    def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        """The JSON value of a JS expression (promises are awaited)."""
        result = self.send(
            "Runtime.evaluate",
            timeout=timeout,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JS error in {expression!r}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30.0, interval: float = 0.05) -> Any:
        """Polls ``expression`` until it is truthy and returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"timed out after {timeout} s waiting for {expression!r}; "
                    f"console: {self.console[-10:]}; exceptions: {self.exceptions[-5:]}"
                )
            time.sleep(interval)

    def screenshot(self, path: Path) -> Path:
        import base64

        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path


class Chromium:
    """A headless Chromium process with a fresh profile; ``new_page()`` attaches to its tab."""

    def __init__(self, binary: str) -> None:
        self._profile = tempfile.mkdtemp(prefix="agentos-chromium-")
        self._process = subprocess.Popen(
            [binary, *FLAGS, "--remote-debugging-port=0", f"--user-data-dir={self._profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.port = self._wait_for_port()
        except BaseException:
            self.close()
            raise

    def _wait_for_port(self, timeout: float = 30.0) -> int:
        marker = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrowserUnavailable(f"chromium exited with code {self._process.returncode} at start")
            with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
                return int(marker.read_text().splitlines()[0])
            time.sleep(0.05)
        raise BrowserUnavailable(f"chromium did not open its DevTools port in {timeout} s")

    def new_page(self) -> Page:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t.get("type") == "page")
        return Page(page["webSocketDebuggerUrl"])

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        shutil.rmtree(self._profile, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """Chromium's path (installed from Debian's package on first use when missing)."""
    try:
        return chromium_path()
    except BrowserUnavailable as exc:
        pytest.fail(str(exc))


@pytest.fixture
def chromium(chromium_binary: str) -> Iterator[Chromium]:
    """A fresh headless Chromium for one test."""
    browser = Chromium(chromium_binary)
    try:
        yield browser
    finally:
        browser.close()
