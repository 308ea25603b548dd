"""Python values <-> ``google.protobuf.Struct``/``Value``, and time <-> Timestamp/Duration.

Structured data (session state, metadata, dependencies, structured output) travels as
Struct/Value, whose numbers are doubles and whose leaves are JSON types. The conversion rules,
chosen so that a conversion never raises whatever a tool or model put into a run:

* ``None``/``bool``/``str``/``dict``/``list``/``tuple`` map to their JSON counterparts (tuples
  come back as lists, non-string dict keys as ``str(key)``).
* ``int`` travels as a number; a number that comes back integral (``5.0``) is returned as
  ``int`` because JSON data is far more often integer-valued than integral-float-valued (so
  ``1.0`` comes back as ``1``, which compares equal). Integers beyond 2**53 cannot be carried
  exactly by a double and travel as their decimal string.
* ``float`` NaN and infinities are not JSON: they travel as the strings ``"NaN"``,
  ``"Infinity"``, ``"-Infinity"``.
* pydantic models and dataclasses travel as their JSON form; enums as their value;
  ``datetime``/``date``/``time`` as ISO-8601 strings; ``bytes`` as base64 text; sets as lists
  (sorted when the items allow it); objects with a ``to_dict()`` as that dict; anything else as
  ``str(value)`` (numbers registered with ``numbers.Integral``/``Real``, such as numpy scalars,
  become ``int``/``float``). Nesting deeper than 100 levels (or a cycle) is cut off with ``str``.

Values are written straight into the target message (no intermediate JSON, no json_format)
because some of them are on the per-event hot path.
"""

from __future__ import annotations

import base64
import dataclasses
import math
import numbers
from collections.abc import Mapping
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from google.protobuf import duration_pb2, struct_pb2, timestamp_pb2
from pydantic import BaseModel

_MAX_EXACT_INT = 2**53
_MAX_DEPTH = 100
_NANOS = 1_000_000_000


# JSON rendering ------------------------------------------------------------------------------


def jsonable(value: Any, _depth: int = 0) -> Any:
    """A JSON-compatible rendering of ``value`` following the rules in the module docstring."""
    if value is None or isinstance(value, str | bool | int):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, float):
        return value
    if _depth > _MAX_DEPTH:
        return str(value)
    depth = _depth + 1
    if isinstance(value, Enum):
        return jsonable(value.value, depth)
    if isinstance(value, Mapping):
        return {_key(k): jsonable(v, depth) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v, depth) for v in value]
    if isinstance(value, set | frozenset):
        items = [jsonable(v, depth) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, type):
        return value.__name__
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        try:
            return jsonable(to_dict(), depth)
        except Exception:
            return str(value)
    if dataclasses.is_dataclass(value):
        return {f.name: jsonable(getattr(value, f.name), depth) for f in dataclasses.fields(value)}
    if isinstance(value, numbers.Integral):  # e.g. numpy integers
        return int(value)
    if isinstance(value, numbers.Real):  # e.g. numpy floats, fractions
        return float(value)
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key.value if isinstance(key, Enum) else key
    if isinstance(key, Enum):
        return str(key.value)
    return str(key)


# Value / Struct ------------------------------------------------------------------------------


def fill_value(target: struct_pb2.Value, value: Any, _depth: int = 0) -> None:
    """Write ``value`` into ``target`` (a Value field of some message, or a fresh Value)."""
    kind = type(value)
    if kind is str:
        target.string_value = value
    elif value is None:
        target.null_value = struct_pb2.NULL_VALUE
    elif kind is bool:
        target.bool_value = value
    elif kind is int:
        if -_MAX_EXACT_INT <= value <= _MAX_EXACT_INT:
            target.number_value = value
        else:
            target.string_value = str(value)
    elif kind is float:
        if math.isfinite(value):
            target.number_value = value
        else:
            target.string_value = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    elif kind is dict:
        struct = target.struct_value
        struct.SetInParent()
        fill_struct(struct, value, _depth + 1)
    elif kind is list or kind is tuple:
        items = target.list_value
        items.SetInParent()
        if _depth > _MAX_DEPTH:
            target.string_value = str(value)
            return
        add = items.values.add
        for item in value:
            fill_value(add(), item, _depth + 1)
    else:
        # Subclasses of the JSON types (StrEnum, IntEnum, OrderedDict...) and every other object:
        # render to JSON first, then write the plain result.
        rendered = jsonable(value, _depth)
        if type(rendered) is type(value) and not isinstance(value, Enum):
            rendered = _plain(rendered)
        fill_value(target, rendered, _depth + 1)


def _plain(value: Any) -> Any:
    """Subclass instances of str/int/float/dict/list as their plain base type."""
    for base in (bool, str, int, float):
        if isinstance(value, base):
            return base(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list | tuple):
        return list(value)
    return str(value)


def fill_struct(target: struct_pb2.Struct, data: Mapping[Any, Any], _depth: int = 0) -> None:
    """Write a mapping into a Struct; keys become strings."""
    fields = target.fields
    if _depth > _MAX_DEPTH:
        fields["value"].string_value = str(data)
        return
    for key, item in data.items():
        fill_value(fields[key if type(key) is str else _key(key)], item, _depth)


def fill_struct_any(target: struct_pb2.Struct, value: Any) -> None:
    """Write any value into a Struct field: mappings as they are, other values as ``{"value": v}``.

    Used for fields the domain types as ``Any`` but the contract as an object (e.g.
    ``model_provider_data``); a non-object value is wrapped rather than dropped.
    """
    target.SetInParent()
    if isinstance(value, Mapping):
        fill_struct(target, value)
        return
    rendered = jsonable(value)
    if isinstance(rendered, dict):
        fill_struct(target, rendered)
    else:
        fill_value(target.fields["value"], rendered)


def to_value(value: Any) -> struct_pb2.Value:
    out = struct_pb2.Value()
    fill_value(out, value)
    return out


def to_struct(data: Mapping[Any, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    fill_struct(out, data)
    return out


def from_value(value: struct_pb2.Value) -> Any:
    """The Python value of a Value; an unset Value and ``null_value`` are both ``None``."""
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        number = value.number_value
        if number.is_integer() and -_MAX_EXACT_INT <= number <= _MAX_EXACT_INT:
            return int(number)
        return number
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return from_struct(value.struct_value)
    if kind == "list_value":
        return [from_value(item) for item in value.list_value.values]
    return None


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return {key: from_value(item) for key, item in struct.fields.items()}


# Time ----------------------------------------------------------------------------------------


def set_timestamp(target: timestamp_pb2.Timestamp, unix_seconds: float) -> None:
    """Write unix seconds (the domain's ``created_at``) into a Timestamp field."""
    if type(unix_seconds) is int:
        target.seconds = unix_seconds
        return
    nanos = round(unix_seconds * _NANOS)
    seconds, nanos = divmod(nanos, _NANOS)  # Timestamp nanos are always non-negative
    target.seconds = seconds
    target.nanos = nanos


def timestamp_from_unix(unix_seconds: float) -> timestamp_pb2.Timestamp:
    out = timestamp_pb2.Timestamp()
    set_timestamp(out, unix_seconds)
    return out


def unix_from_timestamp(timestamp: timestamp_pb2.Timestamp) -> int:
    """Whole unix seconds (the domain keeps ``created_at`` as an int; sub-second parts are dropped)."""
    return int(timestamp.seconds)


def set_duration(target: duration_pb2.Duration, seconds: float) -> None:
    """Write float seconds into a Duration field (nanosecond resolution)."""
    total = round(seconds * _NANOS)
    whole, nanos = divmod(abs(total), _NANOS)
    sign = -1 if total < 0 else 1  # Duration seconds and nanos carry the same sign
    target.seconds = sign * whole
    target.nanos = sign * nanos


def duration_from_seconds(seconds: float) -> duration_pb2.Duration:
    out = duration_pb2.Duration()
    set_duration(out, seconds)
    return out


def seconds_from_duration(duration: duration_pb2.Duration) -> float:
    return duration.seconds + duration.nanos / _NANOS
