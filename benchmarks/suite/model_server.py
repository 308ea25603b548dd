"""The model behind every served run: the fake OpenAI-compatible server, in its OWN process.

Both runtimes (Agno's AgentOS and ours) call the same server, so model latency is the same for
both; running it in a separate process keeps its CPU out of the server CPU we measure.
Prints ``READY <base_url>`` on stdout, then serves until killed.

    .venv/bin/python benchmarks/suite/model_server.py --chars 16 --chunk-size 16
    .venv/bin/python benchmarks/suite/model_server.py --chars 4000 --chunk-size 4   # 1000 chunks
    .venv/bin/python benchmarks/suite/model_server.py --chars 40 --chunk-size 4 --chunk-delay 0.3
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "support"))

from fake_openai import FakeOpenAI, Turn


class _Forgetful(FakeOpenAI):
    """Does not keep a list of every request: a benchmark sends tens of thousands."""

    def _handle(self, request):  # type: ignore[no-untyped-def]
        self.requests.clear()
        return super()._handle(request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=16, help="length of every reply")
    parser.add_argument("--chunk-size", type=int, default=16, help="characters per streamed chunk")
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds between chunks")
    args = parser.parse_args()
    content = ("The sky is clear. " * (args.chars // 18 + 1))[: args.chars]
    turn = Turn(content, chunk_size=args.chunk_size, chunk_delay=args.chunk_delay)
    server = _Forgetful(default=turn).start()
    print(f"READY {server.base_url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
