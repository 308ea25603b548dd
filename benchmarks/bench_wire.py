"""Cost of the wire layer: domain objects <-> protobuf, per streamed event and per run.

Every streamed chunk of a run is converted once on the server (event -> RunEvent) and once in
the Python client (RunEvent -> event), so the per-RunContent figures bound how many events a
core can push through the conversion alone (compare: one grpc.aio stream carries ~16k
messages/s on this kind of machine). Serialization to bytes is reported separately: gRPC does it
anyway.

    .venv/bin/python benchmarks/bench_wire.py
    .venv/bin/python benchmarks/bench_wire.py --repeat 9 --number 50000
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable
from typing import Any

from agentos.models import Message, Metrics, ToolCall, ToolExecution
from agentos.run import RunContentEvent, RunInput, RunOutput, RunStatus
from agentos.v1 import events_pb2
from agentos.wire import event_from_proto, event_to_proto, run_from_proto, run_to_proto


def content_event() -> RunContentEvent:
    return RunContentEvent(
        run_id="0b6a9c3e-6c0e-4a53-9d55-4a1e4d3c2f10",
        session_id="6f1f0d0e-2f4f-4bb8-9a55-0f0e0a1b2c3d",
        agent_id="web-agent",
        agent_name="Web Agent",
        content="Hello, this is one streamed chunk",
        sequence=42,
    )


def run_output() -> RunOutput:
    """A realistic finished run: a tool call, five messages, metrics with a per-model breakdown."""
    metrics = Metrics(
        input_tokens=812, output_tokens=95, total_tokens=907, duration=1.25, time_to_first_token=0.3
    )
    metrics.details["openai:gpt-4o"] = Metrics(input_tokens=812, output_tokens=95, total_tokens=907)
    tool = ToolExecution(
        tool_call_id="call_1", tool_name="get_weather", tool_args={"city": "Paris"}, result="It's sunny"
    )
    messages = [
        Message(role="system", content="You are a helpful assistant. Answer briefly."),
        Message(role="user", content="What is the weather in Paris?"),
        Message(
            role="assistant",
            tool_calls=[ToolCall(id="call_1", name="get_weather", arguments='{"city": "Paris"}')],
        ),
        Message(role="tool", content="It's sunny", tool_call_id="call_1", tool_name="get_weather"),
        Message(role="assistant", content="It is sunny in Paris today.", metrics=Metrics(output_tokens=9)),
    ]
    return RunOutput(
        run_id="0b6a9c3e-6c0e-4a53-9d55-4a1e4d3c2f10",
        agent_id="web-agent",
        agent_name="Web Agent",
        session_id="6f1f0d0e-2f4f-4bb8-9a55-0f0e0a1b2c3d",
        user_id="user-1",
        content="It is sunny in Paris today.",
        model="gpt-4o",
        model_provider="OpenAI",
        messages=messages,
        metrics=metrics,
        tools=[tool],
        input=RunInput(input_content="What is the weather in Paris?"),
        session_state={"city": "Paris", "visits": 3},
        status=RunStatus.completed,
    )


def _micros(fn: Callable[[], Any], repeat: int, number: int) -> tuple[float, float]:
    runs = [t / number * 1e6 for t in timeit.repeat(fn, repeat=repeat, number=number)]
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=20000)
    args = parser.parse_args()

    event = content_event()
    event_pb = event_to_proto(event)
    event_bytes = event_pb.SerializeToString()
    output = run_output()
    run_pb = run_to_proto(output)
    run_number = max(1, args.number // 20)

    cases: list[tuple[str, Callable[[], Any], int]] = [
        ("RunContent event -> RunEvent", lambda: event_to_proto(event), args.number),
        ("RunEvent -> RunContent event", lambda: event_from_proto(event_pb), args.number),
        (
            "RunContent event -> bytes -> event",
            lambda: event_from_proto(
                events_pb2.RunEvent.FromString(event_to_proto(event).SerializeToString())
            ),
            args.number,
        ),
        ("RunEvent serialize (gRPC's part)", event_pb.SerializeToString, args.number),
        ("RunEvent parse (gRPC's part)", lambda: events_pb2.RunEvent.FromString(event_bytes), args.number),
        ("RunOutput -> Run (5 messages, 1 tool)", lambda: run_to_proto(output), run_number),
        ("Run -> RunOutput", lambda: run_from_proto(run_pb), run_number),
    ]
    print(f"{'case':40} {'best µs':>10} {'median µs':>10}")
    for name, fn, number in cases:
        best, median = _micros(fn, args.repeat, number)
        print(f"{name:40} {best:10.2f} {median:10.2f}")


if __name__ == "__main__":
    main()
