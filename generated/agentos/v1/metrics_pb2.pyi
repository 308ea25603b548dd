import datetime

from agentos.v1 import common_pb2 as _common_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DayAggregatedMetrics(_message.Message):
    __slots__ = ("date", "agent_runs_count", "team_runs_count", "workflow_runs_count", "agent_sessions_count", "team_sessions_count", "workflow_sessions_count", "users_count", "token_metrics", "completed", "created_at", "updated_at")
    DATE_FIELD_NUMBER: _ClassVar[int]
    AGENT_RUNS_COUNT_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUNS_COUNT_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_RUNS_COUNT_FIELD_NUMBER: _ClassVar[int]
    AGENT_SESSIONS_COUNT_FIELD_NUMBER: _ClassVar[int]
    TEAM_SESSIONS_COUNT_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_SESSIONS_COUNT_FIELD_NUMBER: _ClassVar[int]
    USERS_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOKEN_METRICS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    date: str
    agent_runs_count: int
    team_runs_count: int
    workflow_runs_count: int
    agent_sessions_count: int
    team_sessions_count: int
    workflow_sessions_count: int
    users_count: int
    token_metrics: _common_pb2.Metrics
    completed: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, date: _Optional[str] = ..., agent_runs_count: _Optional[int] = ..., team_runs_count: _Optional[int] = ..., workflow_runs_count: _Optional[int] = ..., agent_sessions_count: _Optional[int] = ..., team_sessions_count: _Optional[int] = ..., workflow_sessions_count: _Optional[int] = ..., users_count: _Optional[int] = ..., token_metrics: _Optional[_Union[_common_pb2.Metrics, _Mapping]] = ..., completed: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetMetricsRequest(_message.Message):
    __slots__ = ("starting_date", "ending_date")
    STARTING_DATE_FIELD_NUMBER: _ClassVar[int]
    ENDING_DATE_FIELD_NUMBER: _ClassVar[int]
    starting_date: str
    ending_date: str
    def __init__(self, starting_date: _Optional[str] = ..., ending_date: _Optional[str] = ...) -> None: ...

class GetMetricsResponse(_message.Message):
    __slots__ = ("metrics", "updated_at")
    METRICS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[DayAggregatedMetrics]
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, metrics: _Optional[_Iterable[_Union[DayAggregatedMetrics, _Mapping]]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RefreshMetricsRequest(_message.Message):
    __slots__ = ("starting_date", "ending_date")
    STARTING_DATE_FIELD_NUMBER: _ClassVar[int]
    ENDING_DATE_FIELD_NUMBER: _ClassVar[int]
    starting_date: str
    ending_date: str
    def __init__(self, starting_date: _Optional[str] = ..., ending_date: _Optional[str] = ...) -> None: ...

class RefreshMetricsResponse(_message.Message):
    __slots__ = ("metrics",)
    METRICS_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[DayAggregatedMetrics]
    def __init__(self, metrics: _Optional[_Iterable[_Union[DayAggregatedMetrics, _Mapping]]] = ...) -> None: ...
