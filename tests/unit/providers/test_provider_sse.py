"""The SSE parser against a line-by-line reading of the spec, whatever the byte boundaries."""

from __future__ import annotations

import random
import re

import pytest
from agentos.models._http import SSEEvent, SSEParser

STREAMS = [
    b'data: {"a": 1}\n\ndata: {"b": 2}\n\ndata: [DONE]\n\n',
    b"event: message_start\ndata: one\n\nevent: ping\ndata: two\ndata: lines\n\n",
    b": comment\n\ndata:no space\n\ndata: \xc3\xa9t\xc3\xa9\n\n\n\ndata: after blanks\n\n",
    b"id: 7\nretry: 10\ndata: x\n\nfield without colon\ndata: y\n\n",
    b"data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\n\n",
    b"data: last event without blank line\ndata: second line",
    b"event: e\ndata: tail with CR\r",
    b"data: one\n\ndata: partial",
]


def reference(stream: bytes) -> list[SSEEvent]:
    """The spec, read literally: split lines on CRLF, CR or LF; dispatch on blank lines and at the end."""
    out: list[SSEEvent] = []
    event: str | None = None
    data: list[str] = []
    lines = re.split(rb"\r\n|\r|\n", stream)
    for line in lines:
        if not line:
            if data:
                out.append(SSEEvent(event, "\n".join(data)))
            event, data = None, []
            continue
        if line.startswith(b":"):
            continue
        name, sep, value = line.partition(b":")
        if sep and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            data.append(value.decode("utf-8", "replace"))
        elif name == b"event":
            event = value.decode("utf-8", "replace")
    if data:
        out.append(SSEEvent(event, "\n".join(data)))
    return out


def parse(pieces: list[bytes]) -> list[SSEEvent]:
    parser = SSEParser()
    out: list[SSEEvent] = []
    for piece in pieces:
        out.extend(parser.feed(piece))
    out.extend(parser.finish())
    return out


@pytest.mark.parametrize("stream", STREAMS)
def test_whole_and_byte_by_byte(stream: bytes) -> None:
    expected = reference(stream)
    assert parse([stream]) == expected
    assert parse([stream[i : i + 1] for i in range(len(stream))]) == expected


def test_random_boundaries_over_concatenated_streams() -> None:
    rng = random.Random(7)
    for _ in range(300):
        stream = b"".join(rng.sample(STREAMS[:5], 3))
        cuts = sorted(rng.sample(range(1, len(stream)), rng.randint(1, 12)))
        pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
        assert parse(pieces) == reference(stream), pieces
