import datetime

from agentos.v1 import common_pb2 as _common_pb2
from agentos.v1 import events_pb2 as _events_pb2
from agentos.v1 import runs_pb2 as _runs_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RunView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RUN_VIEW_UNSPECIFIED: _ClassVar[RunView]
    RUN_VIEW_BASIC: _ClassVar[RunView]
    RUN_VIEW_FULL: _ClassVar[RunView]
RUN_VIEW_UNSPECIFIED: RunView
RUN_VIEW_BASIC: RunView
RUN_VIEW_FULL: RunView

class CreateRunRequest(_message.Message):
    __slots__ = ("agent_id", "team_id", "workflow_id", "message", "messages", "input", "images", "audio", "videos", "files", "session_id", "user_id", "session_state", "dependencies", "metadata", "knowledge_filters", "additional_data", "output_schema", "stream_events", "background", "request_id", "run_id", "add_history_to_context", "add_session_state_to_context", "add_dependencies_to_context", "retries")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_STATE_FIELD_NUMBER: _ClassVar[int]
    DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FILTERS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_DATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    STREAM_EVENTS_FIELD_NUMBER: _ClassVar[int]
    BACKGROUND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    ADD_HISTORY_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ADD_SESSION_STATE_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ADD_DEPENDENCIES_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    team_id: str
    workflow_id: str
    message: str
    messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    input: _struct_pb2.Value
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    session_id: str
    user_id: str
    session_state: _struct_pb2.Struct
    dependencies: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    knowledge_filters: _struct_pb2.Struct
    additional_data: _struct_pb2.Struct
    output_schema: str
    stream_events: bool
    background: bool
    request_id: str
    run_id: str
    add_history_to_context: bool
    add_session_state_to_context: bool
    add_dependencies_to_context: bool
    retries: int
    def __init__(self, agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., message: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., session_state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., dependencies: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., knowledge_filters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., additional_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., output_schema: _Optional[str] = ..., stream_events: _Optional[bool] = ..., background: _Optional[bool] = ..., request_id: _Optional[str] = ..., run_id: _Optional[str] = ..., add_history_to_context: _Optional[bool] = ..., add_session_state_to_context: _Optional[bool] = ..., add_dependencies_to_context: _Optional[bool] = ..., retries: _Optional[int] = ...) -> None: ...

class CreateRunResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _runs_pb2.Run
    def __init__(self, run: _Optional[_Union[_runs_pb2.Run, _Mapping]] = ...) -> None: ...

class StreamRunRequest(_message.Message):
    __slots__ = ("agent_id", "team_id", "workflow_id", "message", "messages", "input", "images", "audio", "videos", "files", "session_id", "user_id", "session_state", "dependencies", "metadata", "knowledge_filters", "additional_data", "output_schema", "stream_events", "background", "request_id", "run_id", "add_history_to_context", "add_session_state_to_context", "add_dependencies_to_context", "retries")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_STATE_FIELD_NUMBER: _ClassVar[int]
    DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FILTERS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_DATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    STREAM_EVENTS_FIELD_NUMBER: _ClassVar[int]
    BACKGROUND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    ADD_HISTORY_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ADD_SESSION_STATE_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ADD_DEPENDENCIES_TO_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    team_id: str
    workflow_id: str
    message: str
    messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    input: _struct_pb2.Value
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    session_id: str
    user_id: str
    session_state: _struct_pb2.Struct
    dependencies: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    knowledge_filters: _struct_pb2.Struct
    additional_data: _struct_pb2.Struct
    output_schema: str
    stream_events: bool
    background: bool
    request_id: str
    run_id: str
    add_history_to_context: bool
    add_session_state_to_context: bool
    add_dependencies_to_context: bool
    retries: int
    def __init__(self, agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., message: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., session_state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., dependencies: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., knowledge_filters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., additional_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., output_schema: _Optional[str] = ..., stream_events: _Optional[bool] = ..., background: _Optional[bool] = ..., request_id: _Optional[str] = ..., run_id: _Optional[str] = ..., add_history_to_context: _Optional[bool] = ..., add_session_state_to_context: _Optional[bool] = ..., add_dependencies_to_context: _Optional[bool] = ..., retries: _Optional[int] = ...) -> None: ...

class ContinueRunRequest(_message.Message):
    __slots__ = ("run_id", "tools", "requirements", "session_id", "user_id", "stream_events", "background", "request_id", "dependencies", "knowledge_filters", "retries")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_EVENTS_FIELD_NUMBER: _ClassVar[int]
    BACKGROUND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FILTERS_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    tools: _containers.RepeatedCompositeFieldContainer[_common_pb2.ToolExecution]
    requirements: _containers.RepeatedCompositeFieldContainer[_common_pb2.RunRequirement]
    session_id: str
    user_id: str
    stream_events: bool
    background: bool
    request_id: str
    dependencies: _struct_pb2.Struct
    knowledge_filters: _struct_pb2.Struct
    retries: int
    def __init__(self, run_id: _Optional[str] = ..., tools: _Optional[_Iterable[_Union[_common_pb2.ToolExecution, _Mapping]]] = ..., requirements: _Optional[_Iterable[_Union[_common_pb2.RunRequirement, _Mapping]]] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., stream_events: _Optional[bool] = ..., background: _Optional[bool] = ..., request_id: _Optional[str] = ..., dependencies: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., knowledge_filters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., retries: _Optional[int] = ...) -> None: ...

class ContinueRunResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _runs_pb2.Run
    def __init__(self, run: _Optional[_Union[_runs_pb2.Run, _Mapping]] = ...) -> None: ...

class StreamContinueRunRequest(_message.Message):
    __slots__ = ("run_id", "tools", "requirements", "session_id", "user_id", "stream_events", "background", "request_id", "dependencies", "knowledge_filters", "retries")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_EVENTS_FIELD_NUMBER: _ClassVar[int]
    BACKGROUND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FILTERS_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    tools: _containers.RepeatedCompositeFieldContainer[_common_pb2.ToolExecution]
    requirements: _containers.RepeatedCompositeFieldContainer[_common_pb2.RunRequirement]
    session_id: str
    user_id: str
    stream_events: bool
    background: bool
    request_id: str
    dependencies: _struct_pb2.Struct
    knowledge_filters: _struct_pb2.Struct
    retries: int
    def __init__(self, run_id: _Optional[str] = ..., tools: _Optional[_Iterable[_Union[_common_pb2.ToolExecution, _Mapping]]] = ..., requirements: _Optional[_Iterable[_Union[_common_pb2.RunRequirement, _Mapping]]] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., stream_events: _Optional[bool] = ..., background: _Optional[bool] = ..., request_id: _Optional[str] = ..., dependencies: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., knowledge_filters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., retries: _Optional[int] = ...) -> None: ...

class CancelRunRequest(_message.Message):
    __slots__ = ("run_id", "reason", "request_id", "allow_missing")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOW_MISSING_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    reason: str
    request_id: str
    allow_missing: bool
    def __init__(self, run_id: _Optional[str] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ..., allow_missing: _Optional[bool] = ...) -> None: ...

class CancelRunResponse(_message.Message):
    __slots__ = ("run", "cancelled_before_start")
    RUN_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_BEFORE_START_FIELD_NUMBER: _ClassVar[int]
    run: _runs_pb2.Run
    cancelled_before_start: bool
    def __init__(self, run: _Optional[_Union[_runs_pb2.Run, _Mapping]] = ..., cancelled_before_start: _Optional[bool] = ...) -> None: ...

class GetRunRequest(_message.Message):
    __slots__ = ("run_id", "view")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    view: RunView
    def __init__(self, run_id: _Optional[str] = ..., view: _Optional[_Union[RunView, str]] = ...) -> None: ...

class GetRunResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _runs_pb2.Run
    def __init__(self, run: _Optional[_Union[_runs_pb2.Run, _Mapping]] = ...) -> None: ...

class ListRunsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "order_by", "view", "session_id", "user_id", "agent_id", "team_id", "workflow_id", "states", "parent_run_id", "include_member_runs", "created_after", "created_before")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    PARENT_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_MEMBER_RUNS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    order_by: str
    view: RunView
    session_id: str
    user_id: str
    agent_id: str
    team_id: str
    workflow_id: str
    states: _containers.RepeatedScalarFieldContainer[_runs_pb2.RunState]
    parent_run_id: str
    include_member_runs: bool
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_by: _Optional[str] = ..., view: _Optional[_Union[RunView, str]] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., states: _Optional[_Iterable[_Union[_runs_pb2.RunState, str]]] = ..., parent_run_id: _Optional[str] = ..., include_member_runs: _Optional[bool] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListRunsResponse(_message.Message):
    __slots__ = ("runs", "next_page_token", "total_size")
    RUNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[_runs_pb2.Run]
    next_page_token: str
    total_size: int
    def __init__(self, runs: _Optional[_Iterable[_Union[_runs_pb2.Run, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class WatchRunRequest(_message.Message):
    __slots__ = ("run_id", "after_sequence", "view")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    after_sequence: int
    view: RunView
    def __init__(self, run_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., view: _Optional[_Union[RunView, str]] = ...) -> None: ...
