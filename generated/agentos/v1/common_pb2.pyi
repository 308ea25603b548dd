import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.rpc import code_pb2 as _code_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ERROR_REASON_UNSPECIFIED: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_INPUT: _ClassVar[ErrorReason]
    ERROR_REASON_INPUT_SCHEMA_MISMATCH: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_PAGE_TOKEN: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_UPDATE_MASK: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_ORDER_BY: _ClassVar[ErrorReason]
    ERROR_REASON_INPUT_REJECTED: _ClassVar[ErrorReason]
    ERROR_REASON_OUTPUT_REJECTED: _ClassVar[ErrorReason]
    ERROR_REASON_REQUEST_ID_REUSED: _ClassVar[ErrorReason]
    ERROR_REASON_AGENT_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_TEAM_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_WORKFLOW_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_RUN_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_SESSION_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_MEMORY_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_KNOWLEDGE_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_CONTENT_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_TRACE_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_EVAL_RUN_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_REQUIREMENT_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_READER_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_RUN_NOT_PAUSED: _ClassVar[ErrorReason]
    ERROR_REASON_RUN_ALREADY_TERMINAL: _ClassVar[ErrorReason]
    ERROR_REASON_RUN_ALREADY_EXISTS: _ClassVar[ErrorReason]
    ERROR_REASON_REQUIREMENT_UNRESOLVED: _ClassVar[ErrorReason]
    ERROR_REASON_SESSION_MISMATCH: _ClassVar[ErrorReason]
    ERROR_REASON_ALREADY_EXISTS: _ClassVar[ErrorReason]
    ERROR_REASON_MODEL_NOT_CONFIGURED: _ClassVar[ErrorReason]
    ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE: _ClassVar[ErrorReason]
    ERROR_REASON_MODEL_PROVIDER_RATE_LIMITED: _ClassVar[ErrorReason]
    ERROR_REASON_MODEL_PROVIDER_ERROR: _ClassVar[ErrorReason]
    ERROR_REASON_DATABASE_NOT_CONFIGURED: _ClassVar[ErrorReason]
    ERROR_REASON_DATABASE_UNAVAILABLE: _ClassVar[ErrorReason]
    ERROR_REASON_REMOTE_SERVER_UNAVAILABLE: _ClassVar[ErrorReason]
    ERROR_REASON_RUN_TIMEOUT: _ClassVar[ErrorReason]
    ERROR_REASON_SERVER_SHUTTING_DOWN: _ClassVar[ErrorReason]
    ERROR_REASON_OUTPUT_PARSE_FAILED: _ClassVar[ErrorReason]
    ERROR_REASON_CONTENT_TOO_LARGE: _ClassVar[ErrorReason]
    ERROR_REASON_UNSUPPORTED_CONTENT_TYPE: _ClassVar[ErrorReason]
    ERROR_REASON_UNAUTHENTICATED: _ClassVar[ErrorReason]
    ERROR_REASON_TOKEN_EXPIRED: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_AUDIENCE: _ClassVar[ErrorReason]
    ERROR_REASON_PERMISSION_DENIED: _ClassVar[ErrorReason]
    ERROR_REASON_TOKEN_MISSING: _ClassVar[ErrorReason]
    ERROR_REASON_TOKEN_INVALID: _ClassVar[ErrorReason]
    ERROR_REASON_INTERNAL: _ClassVar[ErrorReason]

class RequirementKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REQUIREMENT_KIND_UNSPECIFIED: _ClassVar[RequirementKind]
    REQUIREMENT_KIND_CONFIRMATION: _ClassVar[RequirementKind]
    REQUIREMENT_KIND_USER_INPUT: _ClassVar[RequirementKind]
    REQUIREMENT_KIND_EXTERNAL_EXECUTION: _ClassVar[RequirementKind]

class ReasoningNextAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REASONING_NEXT_ACTION_UNSPECIFIED: _ClassVar[ReasoningNextAction]
    REASONING_NEXT_ACTION_CONTINUE: _ClassVar[ReasoningNextAction]
    REASONING_NEXT_ACTION_VALIDATE: _ClassVar[ReasoningNextAction]
    REASONING_NEXT_ACTION_FINAL_ANSWER: _ClassVar[ReasoningNextAction]
    REASONING_NEXT_ACTION_RESET: _ClassVar[ReasoningNextAction]

class StepType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_TYPE_UNSPECIFIED: _ClassVar[StepType]
    STEP_TYPE_STEP: _ClassVar[StepType]
    STEP_TYPE_STEPS: _ClassVar[StepType]
    STEP_TYPE_PARALLEL: _ClassVar[StepType]
    STEP_TYPE_CONDITION: _ClassVar[StepType]
    STEP_TYPE_LOOP: _ClassVar[StepType]
    STEP_TYPE_ROUTER: _ClassVar[StepType]

class StepExecutorType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_EXECUTOR_TYPE_UNSPECIFIED: _ClassVar[StepExecutorType]
    STEP_EXECUTOR_TYPE_AGENT: _ClassVar[StepExecutorType]
    STEP_EXECUTOR_TYPE_TEAM: _ClassVar[StepExecutorType]
    STEP_EXECUTOR_TYPE_FUNCTION: _ClassVar[StepExecutorType]
ERROR_REASON_UNSPECIFIED: ErrorReason
ERROR_REASON_INVALID_INPUT: ErrorReason
ERROR_REASON_INPUT_SCHEMA_MISMATCH: ErrorReason
ERROR_REASON_INVALID_PAGE_TOKEN: ErrorReason
ERROR_REASON_INVALID_UPDATE_MASK: ErrorReason
ERROR_REASON_INVALID_ORDER_BY: ErrorReason
ERROR_REASON_INPUT_REJECTED: ErrorReason
ERROR_REASON_OUTPUT_REJECTED: ErrorReason
ERROR_REASON_REQUEST_ID_REUSED: ErrorReason
ERROR_REASON_AGENT_NOT_FOUND: ErrorReason
ERROR_REASON_TEAM_NOT_FOUND: ErrorReason
ERROR_REASON_WORKFLOW_NOT_FOUND: ErrorReason
ERROR_REASON_RUN_NOT_FOUND: ErrorReason
ERROR_REASON_SESSION_NOT_FOUND: ErrorReason
ERROR_REASON_MEMORY_NOT_FOUND: ErrorReason
ERROR_REASON_KNOWLEDGE_NOT_FOUND: ErrorReason
ERROR_REASON_CONTENT_NOT_FOUND: ErrorReason
ERROR_REASON_TRACE_NOT_FOUND: ErrorReason
ERROR_REASON_EVAL_RUN_NOT_FOUND: ErrorReason
ERROR_REASON_REQUIREMENT_NOT_FOUND: ErrorReason
ERROR_REASON_READER_NOT_FOUND: ErrorReason
ERROR_REASON_RUN_NOT_PAUSED: ErrorReason
ERROR_REASON_RUN_ALREADY_TERMINAL: ErrorReason
ERROR_REASON_RUN_ALREADY_EXISTS: ErrorReason
ERROR_REASON_REQUIREMENT_UNRESOLVED: ErrorReason
ERROR_REASON_SESSION_MISMATCH: ErrorReason
ERROR_REASON_ALREADY_EXISTS: ErrorReason
ERROR_REASON_MODEL_NOT_CONFIGURED: ErrorReason
ERROR_REASON_MODEL_PROVIDER_UNAVAILABLE: ErrorReason
ERROR_REASON_MODEL_PROVIDER_RATE_LIMITED: ErrorReason
ERROR_REASON_MODEL_PROVIDER_ERROR: ErrorReason
ERROR_REASON_DATABASE_NOT_CONFIGURED: ErrorReason
ERROR_REASON_DATABASE_UNAVAILABLE: ErrorReason
ERROR_REASON_REMOTE_SERVER_UNAVAILABLE: ErrorReason
ERROR_REASON_RUN_TIMEOUT: ErrorReason
ERROR_REASON_SERVER_SHUTTING_DOWN: ErrorReason
ERROR_REASON_OUTPUT_PARSE_FAILED: ErrorReason
ERROR_REASON_CONTENT_TOO_LARGE: ErrorReason
ERROR_REASON_UNSUPPORTED_CONTENT_TYPE: ErrorReason
ERROR_REASON_UNAUTHENTICATED: ErrorReason
ERROR_REASON_TOKEN_EXPIRED: ErrorReason
ERROR_REASON_INVALID_AUDIENCE: ErrorReason
ERROR_REASON_PERMISSION_DENIED: ErrorReason
ERROR_REASON_TOKEN_MISSING: ErrorReason
ERROR_REASON_TOKEN_INVALID: ErrorReason
ERROR_REASON_INTERNAL: ErrorReason
REQUIREMENT_KIND_UNSPECIFIED: RequirementKind
REQUIREMENT_KIND_CONFIRMATION: RequirementKind
REQUIREMENT_KIND_USER_INPUT: RequirementKind
REQUIREMENT_KIND_EXTERNAL_EXECUTION: RequirementKind
REASONING_NEXT_ACTION_UNSPECIFIED: ReasoningNextAction
REASONING_NEXT_ACTION_CONTINUE: ReasoningNextAction
REASONING_NEXT_ACTION_VALIDATE: ReasoningNextAction
REASONING_NEXT_ACTION_FINAL_ANSWER: ReasoningNextAction
REASONING_NEXT_ACTION_RESET: ReasoningNextAction
STEP_TYPE_UNSPECIFIED: StepType
STEP_TYPE_STEP: StepType
STEP_TYPE_STEPS: StepType
STEP_TYPE_PARALLEL: StepType
STEP_TYPE_CONDITION: StepType
STEP_TYPE_LOOP: StepType
STEP_TYPE_ROUTER: StepType
STEP_EXECUTOR_TYPE_UNSPECIFIED: StepExecutorType
STEP_EXECUTOR_TYPE_AGENT: StepExecutorType
STEP_EXECUTOR_TYPE_TEAM: StepExecutorType
STEP_EXECUTOR_TYPE_FUNCTION: StepExecutorType

class ErrorDetail(_message.Message):
    __slots__ = ("message", "reason", "code", "metadata", "details")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    message: str
    reason: ErrorReason
    code: _code_pb2.Code
    metadata: _containers.ScalarMap[str, str]
    details: _struct_pb2.Struct
    def __init__(self, message: _Optional[str] = ..., reason: _Optional[_Union[ErrorReason, str]] = ..., code: _Optional[_Union[_code_pb2.Code, str]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., details: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Image(_message.Message):
    __slots__ = ("id", "url", "content", "mime_type", "format", "detail", "original_prompt", "revised_prompt", "alt_text")
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_PROMPT_FIELD_NUMBER: _ClassVar[int]
    REVISED_PROMPT_FIELD_NUMBER: _ClassVar[int]
    ALT_TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    url: str
    content: bytes
    mime_type: str
    format: str
    detail: str
    original_prompt: str
    revised_prompt: str
    alt_text: str
    def __init__(self, id: _Optional[str] = ..., url: _Optional[str] = ..., content: _Optional[bytes] = ..., mime_type: _Optional[str] = ..., format: _Optional[str] = ..., detail: _Optional[str] = ..., original_prompt: _Optional[str] = ..., revised_prompt: _Optional[str] = ..., alt_text: _Optional[str] = ...) -> None: ...

class Audio(_message.Message):
    __slots__ = ("id", "url", "content", "mime_type", "format", "transcript", "duration", "sample_rate", "channels", "expires_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    url: str
    content: bytes
    mime_type: str
    format: str
    transcript: str
    duration: _duration_pb2.Duration
    sample_rate: int
    channels: int
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., url: _Optional[str] = ..., content: _Optional[bytes] = ..., mime_type: _Optional[str] = ..., format: _Optional[str] = ..., transcript: _Optional[str] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., sample_rate: _Optional[int] = ..., channels: _Optional[int] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Video(_message.Message):
    __slots__ = ("id", "url", "content", "mime_type", "format", "duration", "width", "height")
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    id: str
    url: str
    content: bytes
    mime_type: str
    format: str
    duration: _duration_pb2.Duration
    width: int
    height: int
    def __init__(self, id: _Optional[str] = ..., url: _Optional[str] = ..., content: _Optional[bytes] = ..., mime_type: _Optional[str] = ..., format: _Optional[str] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., width: _Optional[int] = ..., height: _Optional[int] = ...) -> None: ...

class File(_message.Message):
    __slots__ = ("id", "url", "content", "external_id", "filename", "mime_type", "format", "size_bytes")
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    url: str
    content: bytes
    external_id: str
    filename: str
    mime_type: str
    format: str
    size_bytes: int
    def __init__(self, id: _Optional[str] = ..., url: _Optional[str] = ..., content: _Optional[bytes] = ..., external_id: _Optional[str] = ..., filename: _Optional[str] = ..., mime_type: _Optional[str] = ..., format: _Optional[str] = ..., size_bytes: _Optional[int] = ...) -> None: ...

class MessageToolCall(_message.Message):
    __slots__ = ("id", "type", "name", "arguments")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    name: str
    arguments: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., arguments: _Optional[str] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("id", "role", "content", "name", "tool_calls", "tool_call_id", "tool_name", "tool_args", "tool_call_error", "reasoning_content", "images", "audio", "videos", "files", "audio_output", "compressed_content", "from_history", "metrics", "created_at", "provider_data", "stop_after_tool_call")
    ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALLS_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    TOOL_NAME_FIELD_NUMBER: _ClassVar[int]
    TOOL_ARGS_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALL_ERROR_FIELD_NUMBER: _ClassVar[int]
    REASONING_CONTENT_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    AUDIO_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    COMPRESSED_CONTENT_FIELD_NUMBER: _ClassVar[int]
    FROM_HISTORY_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_DATA_FIELD_NUMBER: _ClassVar[int]
    STOP_AFTER_TOOL_CALL_FIELD_NUMBER: _ClassVar[int]
    id: str
    role: str
    content: _struct_pb2.Value
    name: str
    tool_calls: _containers.RepeatedCompositeFieldContainer[MessageToolCall]
    tool_call_id: str
    tool_name: str
    tool_args: _struct_pb2.Struct
    tool_call_error: bool
    reasoning_content: str
    images: _containers.RepeatedCompositeFieldContainer[Image]
    audio: _containers.RepeatedCompositeFieldContainer[Audio]
    videos: _containers.RepeatedCompositeFieldContainer[Video]
    files: _containers.RepeatedCompositeFieldContainer[File]
    audio_output: Audio
    compressed_content: str
    from_history: bool
    metrics: Metrics
    created_at: _timestamp_pb2.Timestamp
    provider_data: _struct_pb2.Struct
    stop_after_tool_call: bool
    def __init__(self, id: _Optional[str] = ..., role: _Optional[str] = ..., content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., name: _Optional[str] = ..., tool_calls: _Optional[_Iterable[_Union[MessageToolCall, _Mapping]]] = ..., tool_call_id: _Optional[str] = ..., tool_name: _Optional[str] = ..., tool_args: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., tool_call_error: _Optional[bool] = ..., reasoning_content: _Optional[str] = ..., images: _Optional[_Iterable[_Union[Image, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[Audio, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[Video, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[File, _Mapping]]] = ..., audio_output: _Optional[_Union[Audio, _Mapping]] = ..., compressed_content: _Optional[str] = ..., from_history: _Optional[bool] = ..., metrics: _Optional[_Union[Metrics, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., provider_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., stop_after_tool_call: _Optional[bool] = ...) -> None: ...

class Metrics(_message.Message):
    __slots__ = ("input_tokens", "output_tokens", "total_tokens", "audio_input_tokens", "audio_output_tokens", "audio_total_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "time_to_first_token", "duration", "provider_metrics", "additional_metrics", "models")
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    CACHE_READ_TOKENS_FIELD_NUMBER: _ClassVar[int]
    CACHE_WRITE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    REASONING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TIME_TO_FIRST_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_METRICS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_METRICS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    input_tokens: int
    output_tokens: int
    total_tokens: int
    audio_input_tokens: int
    audio_output_tokens: int
    audio_total_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int
    time_to_first_token: _duration_pb2.Duration
    duration: _duration_pb2.Duration
    provider_metrics: _struct_pb2.Struct
    additional_metrics: _struct_pb2.Struct
    models: _containers.RepeatedCompositeFieldContainer[ModelMetrics]
    def __init__(self, input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., total_tokens: _Optional[int] = ..., audio_input_tokens: _Optional[int] = ..., audio_output_tokens: _Optional[int] = ..., audio_total_tokens: _Optional[int] = ..., cache_read_tokens: _Optional[int] = ..., cache_write_tokens: _Optional[int] = ..., reasoning_tokens: _Optional[int] = ..., time_to_first_token: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., provider_metrics: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., additional_metrics: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., models: _Optional[_Iterable[_Union[ModelMetrics, _Mapping]]] = ...) -> None: ...

class ModelMetrics(_message.Message):
    __slots__ = ("model_id", "model_provider", "model_type", "call_count", "input_tokens", "output_tokens", "total_tokens", "audio_input_tokens", "audio_output_tokens", "audio_total_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "time_to_first_token", "duration", "provider_metrics")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_FIELD_NUMBER: _ClassVar[int]
    CALL_COUNT_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    CACHE_READ_TOKENS_FIELD_NUMBER: _ClassVar[int]
    CACHE_WRITE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    REASONING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TIME_TO_FIRST_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_METRICS_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    model_provider: str
    model_type: str
    call_count: int
    input_tokens: int
    output_tokens: int
    total_tokens: int
    audio_input_tokens: int
    audio_output_tokens: int
    audio_total_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int
    time_to_first_token: _duration_pb2.Duration
    duration: _duration_pb2.Duration
    provider_metrics: _struct_pb2.Struct
    def __init__(self, model_id: _Optional[str] = ..., model_provider: _Optional[str] = ..., model_type: _Optional[str] = ..., call_count: _Optional[int] = ..., input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., total_tokens: _Optional[int] = ..., audio_input_tokens: _Optional[int] = ..., audio_output_tokens: _Optional[int] = ..., audio_total_tokens: _Optional[int] = ..., cache_read_tokens: _Optional[int] = ..., cache_write_tokens: _Optional[int] = ..., reasoning_tokens: _Optional[int] = ..., time_to_first_token: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., provider_metrics: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class UserInputField(_message.Message):
    __slots__ = ("name", "field_type", "description", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FIELD_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    field_type: str
    description: str
    value: _struct_pb2.Value
    def __init__(self, name: _Optional[str] = ..., field_type: _Optional[str] = ..., description: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class ToolExecution(_message.Message):
    __slots__ = ("tool_call_id", "tool_name", "tool_args", "result", "tool_call_error", "confirmed", "confirmation_note", "requires_confirmation", "requires_user_input", "user_input_schema", "external_execution_required", "answered", "stop_after_tool_call", "show_result", "child_run_id", "metrics", "created_at")
    TOOL_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    TOOL_NAME_FIELD_NUMBER: _ClassVar[int]
    TOOL_ARGS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALL_ERROR_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    CONFIRMATION_NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_CONFIRMATION_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_USER_INPUT_FIELD_NUMBER: _ClassVar[int]
    USER_INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_EXECUTION_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    STOP_AFTER_TOOL_CALL_FIELD_NUMBER: _ClassVar[int]
    SHOW_RESULT_FIELD_NUMBER: _ClassVar[int]
    CHILD_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    tool_call_id: str
    tool_name: str
    tool_args: _struct_pb2.Struct
    result: str
    tool_call_error: bool
    confirmed: bool
    confirmation_note: str
    requires_confirmation: bool
    requires_user_input: bool
    user_input_schema: _containers.RepeatedCompositeFieldContainer[UserInputField]
    external_execution_required: bool
    answered: bool
    stop_after_tool_call: bool
    show_result: bool
    child_run_id: str
    metrics: Metrics
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, tool_call_id: _Optional[str] = ..., tool_name: _Optional[str] = ..., tool_args: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., result: _Optional[str] = ..., tool_call_error: _Optional[bool] = ..., confirmed: _Optional[bool] = ..., confirmation_note: _Optional[str] = ..., requires_confirmation: _Optional[bool] = ..., requires_user_input: _Optional[bool] = ..., user_input_schema: _Optional[_Iterable[_Union[UserInputField, _Mapping]]] = ..., external_execution_required: _Optional[bool] = ..., answered: _Optional[bool] = ..., stop_after_tool_call: _Optional[bool] = ..., show_result: _Optional[bool] = ..., child_run_id: _Optional[str] = ..., metrics: _Optional[_Union[Metrics, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunRequirement(_message.Message):
    __slots__ = ("requirement_id", "kind", "tool_execution", "run_id", "confirmed", "confirmation_note", "user_input", "external_execution_result", "resolved", "created_at")
    REQUIREMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOOL_EXECUTION_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    CONFIRMATION_NOTE_FIELD_NUMBER: _ClassVar[int]
    USER_INPUT_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_EXECUTION_RESULT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    requirement_id: str
    kind: RequirementKind
    tool_execution: ToolExecution
    run_id: str
    confirmed: bool
    confirmation_note: str
    user_input: _containers.RepeatedCompositeFieldContainer[UserInputField]
    external_execution_result: str
    resolved: bool
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, requirement_id: _Optional[str] = ..., kind: _Optional[_Union[RequirementKind, str]] = ..., tool_execution: _Optional[_Union[ToolExecution, _Mapping]] = ..., run_id: _Optional[str] = ..., confirmed: _Optional[bool] = ..., confirmation_note: _Optional[str] = ..., user_input: _Optional[_Iterable[_Union[UserInputField, _Mapping]]] = ..., external_execution_result: _Optional[str] = ..., resolved: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UrlCitation(_message.Message):
    __slots__ = ("url", "title")
    URL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    url: str
    title: str
    def __init__(self, url: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class DocumentCitation(_message.Message):
    __slots__ = ("document_title", "cited_text", "file_name")
    DOCUMENT_TITLE_FIELD_NUMBER: _ClassVar[int]
    CITED_TEXT_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    document_title: str
    cited_text: str
    file_name: str
    def __init__(self, document_title: _Optional[str] = ..., cited_text: _Optional[str] = ..., file_name: _Optional[str] = ...) -> None: ...

class Citations(_message.Message):
    __slots__ = ("raw", "urls", "documents")
    RAW_FIELD_NUMBER: _ClassVar[int]
    URLS_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    raw: _struct_pb2.Value
    urls: _containers.RepeatedCompositeFieldContainer[UrlCitation]
    documents: _containers.RepeatedCompositeFieldContainer[DocumentCitation]
    def __init__(self, raw: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., urls: _Optional[_Iterable[_Union[UrlCitation, _Mapping]]] = ..., documents: _Optional[_Iterable[_Union[DocumentCitation, _Mapping]]] = ...) -> None: ...

class MessageReferences(_message.Message):
    __slots__ = ("query", "references", "time")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    query: str
    references: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    time: _duration_pb2.Duration
    def __init__(self, query: _Optional[str] = ..., references: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ..., time: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ReasoningStepDetail(_message.Message):
    __slots__ = ("title", "action", "result", "reasoning", "next_action", "confidence")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    NEXT_ACTION_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    title: str
    action: str
    result: str
    reasoning: str
    next_action: ReasoningNextAction
    confidence: float
    def __init__(self, title: _Optional[str] = ..., action: _Optional[str] = ..., result: _Optional[str] = ..., reasoning: _Optional[str] = ..., next_action: _Optional[_Union[ReasoningNextAction, str]] = ..., confidence: _Optional[float] = ...) -> None: ...
