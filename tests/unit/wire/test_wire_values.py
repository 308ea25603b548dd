"""Python values <-> Struct/Value, and unix seconds/float seconds <-> Timestamp/Duration.

JSON data round-trips exactly (checked on many seeded random trees); everything else takes the
documented lossy-but-safe path and never raises.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum, IntEnum, StrEnum
from fractions import Fraction
from typing import Any

import pytest
from agentos.wire import (
    duration_from_seconds,
    from_struct,
    from_value,
    jsonable,
    seconds_from_duration,
    timestamp_from_unix,
    to_struct,
    to_value,
    unix_from_timestamp,
)
from google.protobuf import json_format, struct_pb2
from pydantic import BaseModel


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.randint(-(2**53), 2**53)
    if kind == 3:
        return rng.uniform(-1e6, 1e6)
    if kind == 4:
        return "".join(rng.choice("abc ü€\n\"'\\𝄞") for _ in range(rng.randrange(6)))
    if kind in (5, 6):
        return {f"k{rng.randrange(100)}": _random_json(rng, depth + 1) for _ in range(rng.randrange(4))}
    return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]


@pytest.mark.parametrize("seed", range(200))
def test_json_data_round_trips_exactly(seed: int) -> None:
    data = _random_json(random.Random(seed))
    value = to_value(data)
    assert from_value(struct_pb2.Value.FromString(value.SerializeToString())) == data
    # and the same through the JSON mapping used by the REST gateway
    assert from_value(json_format.Parse(json_format.MessageToJson(value), struct_pb2.Value())) == data


def test_integers_come_back_as_int_and_floats_keep_their_fraction() -> None:
    back = from_struct(to_struct({"n": 3, "x": 2.5, "neg": -7, "big": 2**53}))
    assert back == {"n": 3, "x": 2.5, "neg": -7, "big": 2**53}
    assert type(back["n"]) is int and type(back["x"]) is float
    # An integral float is indistinguishable from an int on the wire: it comes back as int.
    assert type(from_value(to_value(1.0))) is int


def test_empty_containers_keep_their_kind() -> None:
    assert from_value(to_value({})) == {}
    assert from_value(to_value([])) == []
    assert to_value({}).WhichOneof("kind") == "struct_value"
    assert to_value([]).WhichOneof("kind") == "list_value"
    assert from_value(struct_pb2.Value()) is None
    assert from_value(to_value(None)) is None


class Color(StrEnum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


class Plain(Enum):
    A = ("x", 1)


class Point(BaseModel):
    x: int
    when: datetime


@dataclass
class Box:
    size: int
    tags: set[str]


class Opaque:
    def __str__(self) -> str:
        return "<opaque>"


def test_non_json_values_take_the_documented_lossy_path() -> None:
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    data = {
        "when": when,
        "day": date(2024, 1, 2),
        "raw": b"\x00\xff",
        "set": {3, 1, 2},
        "mixed_set": {1, "a"},
        "color": Color.RED,
        "level": Level.HIGH,
        "plain_enum": Plain.A,
        "model": Point(x=1, when=when),
        "box": Box(size=2, tags={"b", "a"}),
        "opaque": Opaque(),
        "tuple": (1, "two"),
        7: "int key",
        Color.RED: "enum key",
        "nan": math.nan,
        "inf": math.inf,
        "ninf": -math.inf,
        "huge": 2**70,
        "fraction": Fraction(1, 4),
        "type": int,
    }
    back = from_struct(to_struct(data))
    assert back["when"] == "2024-01-02T03:04:05+00:00"
    assert back["day"] == "2024-01-02"
    assert back["raw"] == "AP8="
    assert back["set"] == [1, 2, 3]
    assert sorted(map(str, back["mixed_set"])) == ["1", "a"]
    assert back["color"] == "red" and back["level"] == 3
    assert back["plain_enum"] == ["x", 1]
    assert back["model"] == {"x": 1, "when": "2024-01-02T03:04:05Z"}
    assert back["box"] == {"size": 2, "tags": ["a", "b"]}
    assert back["opaque"] == "<opaque>"
    assert back["tuple"] == [1, "two"]
    assert back["7"] == "int key" and back["red"] == "enum key"
    assert (back["nan"], back["inf"], back["ninf"]) == ("NaN", "Infinity", "-Infinity")
    assert back["huge"] == str(2**70)
    assert back["fraction"] == 0.25
    assert back["type"] == "int"
    # Whatever went in, the message is valid JSON for the REST gateway.
    json_format.MessageToJson(to_struct(data))


def test_cycles_and_deep_nesting_do_not_crash() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    back = from_struct(to_struct(loop))
    depth = 0
    node: Any = back
    while isinstance(node, dict) and "self" in node:
        node = node["self"]
        depth += 1
    assert depth > 10
    deep: list[Any] = []
    for _ in range(500):
        deep = [deep]
    from_value(to_value(deep))
    assert isinstance(jsonable(loop), dict)


def test_objects_whose_to_dict_fails_become_text() -> None:
    class Broken:
        def to_dict(self) -> dict[str, Any]:
            raise RuntimeError("nope")

        def __str__(self) -> str:
            return "broken"

    assert from_value(to_value(Broken())) == "broken"


@pytest.mark.parametrize("seconds", [0, 1, 1_700_000_123, 2**40])
def test_unix_seconds_round_trip_through_timestamps(seconds: int) -> None:
    ts = timestamp_from_unix(seconds)
    assert ts.seconds == seconds and ts.nanos == 0
    assert unix_from_timestamp(ts) == seconds


def test_fractional_unix_seconds_keep_nanoseconds_on_the_wire() -> None:
    ts = timestamp_from_unix(1.5)
    assert (ts.seconds, ts.nanos) == (1, 500_000_000)
    assert unix_from_timestamp(ts) == 1  # the domain keeps whole seconds
    neg = timestamp_from_unix(-1.25)
    assert (neg.seconds, neg.nanos) == (-2, 750_000_000)


@pytest.mark.parametrize("seconds", [0.0, 0.1, 1.5, 12.345, 0.000000001, 3600.25, -2.5, 86400 * 3 + 0.75])
def test_durations_round_trip(seconds: float) -> None:
    duration = duration_from_seconds(seconds)
    assert (duration.seconds >= 0 and duration.nanos >= 0) or (duration.seconds <= 0 and duration.nanos <= 0)
    assert seconds_from_duration(duration) == pytest.approx(seconds, abs=1e-9)
    json_format.MessageToJson(duration)


@pytest.mark.parametrize("seed", range(50))
def test_random_durations_round_trip_to_the_nanosecond(seed: int) -> None:
    nanos = random.Random(seed).randrange(0, 10**15)
    seconds = nanos / 1e9
    back = seconds_from_duration(duration_from_seconds(seconds))
    assert back == pytest.approx(seconds, rel=1e-15, abs=1e-9)
