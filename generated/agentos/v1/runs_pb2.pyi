import datetime

from agentos.v1 import common_pb2 as _common_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RunState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RUN_STATE_UNSPECIFIED: _ClassVar[RunState]
    RUN_STATE_PENDING: _ClassVar[RunState]
    RUN_STATE_RUNNING: _ClassVar[RunState]
    RUN_STATE_PAUSED: _ClassVar[RunState]
    RUN_STATE_COMPLETED: _ClassVar[RunState]
    RUN_STATE_CANCELLED: _ClassVar[RunState]
    RUN_STATE_FAILED: _ClassVar[RunState]
RUN_STATE_UNSPECIFIED: RunState
RUN_STATE_PENDING: RunState
RUN_STATE_RUNNING: RunState
RUN_STATE_PAUSED: RunState
RUN_STATE_COMPLETED: RunState
RUN_STATE_CANCELLED: RunState
RUN_STATE_FAILED: RunState

class RunInput(_message.Message):
    __slots__ = ("message", "messages", "input", "images", "audio", "videos", "files", "additional_data")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_DATA_FIELD_NUMBER: _ClassVar[int]
    message: str
    messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    input: _struct_pb2.Value
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    additional_data: _struct_pb2.Struct
    def __init__(self, message: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., additional_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class StepResult(_message.Message):
    __slots__ = ("step_name", "step_id", "step_type", "executor_type", "executor_name", "step_run_id", "content", "content_type", "images", "videos", "audio", "files", "success", "error", "stop", "metrics", "steps")
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    step_name: str
    step_id: str
    step_type: _common_pb2.StepType
    executor_type: _common_pb2.StepExecutorType
    executor_name: str
    step_run_id: str
    content: _struct_pb2.Value
    content_type: str
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    success: bool
    error: str
    stop: bool
    metrics: _common_pb2.Metrics
    steps: _containers.RepeatedCompositeFieldContainer[StepResult]
    def __init__(self, step_name: _Optional[str] = ..., step_id: _Optional[str] = ..., step_type: _Optional[_Union[_common_pb2.StepType, str]] = ..., executor_type: _Optional[_Union[_common_pb2.StepExecutorType, str]] = ..., executor_name: _Optional[str] = ..., step_run_id: _Optional[str] = ..., content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., success: _Optional[bool] = ..., error: _Optional[str] = ..., stop: _Optional[bool] = ..., metrics: _Optional[_Union[_common_pb2.Metrics, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[StepResult, _Mapping]]] = ...) -> None: ...

class Run(_message.Message):
    __slots__ = ("run_id", "agent_id", "team_id", "workflow_id", "agent_name", "team_name", "workflow_name", "session_id", "user_id", "parent_run_id", "workflow_step_id", "state", "input", "content", "content_type", "reasoning_content", "reasoning_steps", "reasoning_messages", "messages", "tools", "requirements", "metrics", "images", "videos", "audio", "files", "response_audio", "citations", "references", "model", "model_provider", "model_provider_data", "metadata", "session_state", "error", "cancellation_reason", "event_count", "last_sequence", "member_runs", "step_results", "created_at", "updated_at", "additional_input")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_NAME_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_NAME_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASONING_CONTENT_FIELD_NUMBER: _ClassVar[int]
    REASONING_STEPS_FIELD_NUMBER: _ClassVar[int]
    REASONING_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_FIELD_NUMBER: _ClassVar[int]
    CITATIONS_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_DATA_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    SESSION_STATE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CANCELLATION_REASON_FIELD_NUMBER: _ClassVar[int]
    EVENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MEMBER_RUNS_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_INPUT_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    agent_id: str
    team_id: str
    workflow_id: str
    agent_name: str
    team_name: str
    workflow_name: str
    session_id: str
    user_id: str
    parent_run_id: str
    workflow_step_id: str
    state: RunState
    input: RunInput
    content: _struct_pb2.Value
    content_type: str
    reasoning_content: str
    reasoning_steps: _containers.RepeatedCompositeFieldContainer[_common_pb2.ReasoningStepDetail]
    reasoning_messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    tools: _containers.RepeatedCompositeFieldContainer[_common_pb2.ToolExecution]
    requirements: _containers.RepeatedCompositeFieldContainer[_common_pb2.RunRequirement]
    metrics: _common_pb2.Metrics
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    response_audio: _common_pb2.Audio
    citations: _common_pb2.Citations
    references: _containers.RepeatedCompositeFieldContainer[_common_pb2.MessageReferences]
    model: str
    model_provider: str
    model_provider_data: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    session_state: _struct_pb2.Struct
    error: _common_pb2.ErrorDetail
    cancellation_reason: str
    event_count: int
    last_sequence: int
    member_runs: _containers.RepeatedCompositeFieldContainer[Run]
    step_results: _containers.RepeatedCompositeFieldContainer[StepResult]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    additional_input: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    def __init__(self, run_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., agent_name: _Optional[str] = ..., team_name: _Optional[str] = ..., workflow_name: _Optional[str] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., parent_run_id: _Optional[str] = ..., workflow_step_id: _Optional[str] = ..., state: _Optional[_Union[RunState, str]] = ..., input: _Optional[_Union[RunInput, _Mapping]] = ..., content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., reasoning_content: _Optional[str] = ..., reasoning_steps: _Optional[_Iterable[_Union[_common_pb2.ReasoningStepDetail, _Mapping]]] = ..., reasoning_messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., tools: _Optional[_Iterable[_Union[_common_pb2.ToolExecution, _Mapping]]] = ..., requirements: _Optional[_Iterable[_Union[_common_pb2.RunRequirement, _Mapping]]] = ..., metrics: _Optional[_Union[_common_pb2.Metrics, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., response_audio: _Optional[_Union[_common_pb2.Audio, _Mapping]] = ..., citations: _Optional[_Union[_common_pb2.Citations, _Mapping]] = ..., references: _Optional[_Iterable[_Union[_common_pb2.MessageReferences, _Mapping]]] = ..., model: _Optional[str] = ..., model_provider: _Optional[str] = ..., model_provider_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., session_state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., error: _Optional[_Union[_common_pb2.ErrorDetail, _Mapping]] = ..., cancellation_reason: _Optional[str] = ..., event_count: _Optional[int] = ..., last_sequence: _Optional[int] = ..., member_runs: _Optional[_Iterable[_Union[Run, _Mapping]]] = ..., step_results: _Optional[_Iterable[_Union[StepResult, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., additional_input: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ...) -> None: ...
