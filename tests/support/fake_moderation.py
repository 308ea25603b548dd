"""A local OpenAI-compatible ``/moderations`` server for guardrail tests.

Runs an ``http.server`` in a daemon thread on 127.0.0.1 (ephemeral port), so it serves both
the sync and the async client of the guardrail. It flags an input when a configured trigger
word occurs in its text, and records every request it receives.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# trigger word -> categories it flags
DEFAULT_TRIGGERS: dict[str, list[str]] = {
    "kill": ["violence"],
    "hateful": ["hate", "harassment"],
    "gore": ["violence/graphic"],
}

ALL_CATEGORIES = ["hate", "harassment", "self-harm", "sexual", "violence", "violence/graphic", "illicit"]


@dataclass
class FakeModeration:
    """State shared between the test and the handler thread."""

    triggers: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_TRIGGERS))
    # When set, every request gets this status and body instead of a moderation result.
    fail_status: int | None = None
    fail_body: str = '{"error": {"message": "boom"}}'
    fail_headers: dict[str, str] = field(default_factory=dict)
    raw_body: str | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""

    def result_for(self, payload: dict[str, Any]) -> dict[str, Any]:
        value = payload.get("input")
        if isinstance(value, list):
            text = " ".join(part.get("text", "") for part in value if isinstance(part, dict))
        else:
            text = str(value)
        flagged = sorted(
            {cat for word, cats in self.triggers.items() if word in text.lower() for cat in cats}
        )
        return {
            "id": "modr-test",
            "model": payload.get("model"),
            "results": [
                {
                    "flagged": bool(flagged),
                    "categories": {cat: cat in flagged for cat in ALL_CATEGORIES},
                    "category_scores": {cat: 0.99 if cat in flagged else 0.01 for cat in ALL_CATEGORIES},
                }
            ],
        }


def _handler(state: FakeModeration) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(payload)
            state.headers.append({k.lower(): v for k, v in self.headers.items()})
            if self.path != "/v1/moderations":
                self._send(404, '{"error": "not found"}', {})
            elif state.fail_status is not None:
                self._send(state.fail_status, state.fail_body, state.fail_headers)
            elif state.raw_body is not None:
                self._send(200, state.raw_body, {})
            else:
                self._send(200, json.dumps(state.result_for(payload)), {})

        def _send(self, status: int, body: str, headers: dict[str, str]) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fake_moderation_server() -> Iterator[FakeModeration]:
    """Start the server; yields its state with ``base_url`` set (``http://127.0.0.1:PORT/v1``)."""
    state = FakeModeration()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
