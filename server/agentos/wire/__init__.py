"""The one place that converts between domain objects and ``agentos.v1`` protobuf messages.

The gRPC server uses it to answer and to stream; the Python client uses it to send requests and
to turn what comes back into the same ``RunOutput``, event classes, sessions and memories that
local runs produce. ``*_to_proto`` builds a message, ``*_from_proto`` reads one; requests are
validated into ``RunArguments`` / ``ContinueArguments`` (``WireValidationError`` lists the bad
fields). What the contract cannot carry is listed in each private module's docstring.
"""

from agentos.wire._content import citations_from_proto, content_from_value
from agentos.wire._errors import error_detail, error_parts_from_proto, error_reason_for
from agentos.wire._events import (
    DecodeOptions,
    EventCodec,
    UnknownCustomEvent,
    UnsupportedEventError,
    event_codec,
    event_from_proto,
    event_to_proto,
    fill_event,
    mapped_event_classes,
    register_event_codec,
)
from agentos.wire._media import (
    audio_from_proto,
    audio_to_proto,
    file_from_proto,
    file_to_proto,
    image_from_proto,
    image_to_proto,
    video_from_proto,
    video_to_proto,
)
from agentos.wire._memories import user_memory_from_proto, user_memory_to_proto
from agentos.wire._messages import message_from_proto, message_to_proto
from agentos.wire._metrics import metrics_from_proto, metrics_to_proto
from agentos.wire._requests import (
    DEFAULT_LIMITS,
    ContinueArguments,
    FieldViolation,
    RequestLimits,
    RunArguments,
    WireValidationError,
    continue_arguments_from_request,
    continue_run_request,
    create_run_request,
    run_arguments_from_request,
    stream_continue_run_request,
    stream_run_request,
)
from agentos.wire._runs import (
    fill_run,
    run_from_proto,
    run_input_from_proto,
    run_input_to_proto,
    run_state_to_status,
    run_status_to_state,
    run_to_proto,
)
from agentos.wire._sessions import (
    session_from_proto,
    session_summary_from_proto,
    session_summary_to_proto,
    session_to_proto,
    session_type_from_proto,
    session_type_to_proto,
)
from agentos.wire._tools import (
    requirement_from_proto,
    requirement_to_proto,
    tool_execution_from_proto,
    tool_execution_to_proto,
    user_input_field_from_proto,
)
from agentos.wire._values import (
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

__all__ = [
    "DEFAULT_LIMITS",
    "ContinueArguments",
    "DecodeOptions",
    "EventCodec",
    "FieldViolation",
    "RequestLimits",
    "RunArguments",
    "UnknownCustomEvent",
    "UnsupportedEventError",
    "WireValidationError",
    "audio_from_proto",
    "audio_to_proto",
    "citations_from_proto",
    "content_from_value",
    "continue_arguments_from_request",
    "continue_run_request",
    "create_run_request",
    "duration_from_seconds",
    "error_detail",
    "error_parts_from_proto",
    "error_reason_for",
    "event_codec",
    "event_from_proto",
    "event_to_proto",
    "file_from_proto",
    "file_to_proto",
    "fill_event",
    "fill_run",
    "from_struct",
    "from_value",
    "image_from_proto",
    "image_to_proto",
    "jsonable",
    "mapped_event_classes",
    "message_from_proto",
    "message_to_proto",
    "metrics_from_proto",
    "metrics_to_proto",
    "register_event_codec",
    "requirement_from_proto",
    "requirement_to_proto",
    "run_arguments_from_request",
    "run_from_proto",
    "run_input_from_proto",
    "run_input_to_proto",
    "run_state_to_status",
    "run_status_to_state",
    "run_to_proto",
    "seconds_from_duration",
    "session_from_proto",
    "session_summary_from_proto",
    "session_summary_to_proto",
    "session_to_proto",
    "session_type_from_proto",
    "session_type_to_proto",
    "stream_continue_run_request",
    "stream_run_request",
    "timestamp_from_unix",
    "to_struct",
    "to_value",
    "tool_execution_from_proto",
    "tool_execution_to_proto",
    "unix_from_timestamp",
    "user_input_field_from_proto",
    "user_memory_from_proto",
    "user_memory_to_proto",
    "video_from_proto",
    "video_to_proto",
]
