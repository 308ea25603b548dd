import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EvalType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVAL_TYPE_UNSPECIFIED: _ClassVar[EvalType]
    EVAL_TYPE_ACCURACY: _ClassVar[EvalType]
    EVAL_TYPE_AGENT_AS_JUDGE: _ClassVar[EvalType]
    EVAL_TYPE_PERFORMANCE: _ClassVar[EvalType]
    EVAL_TYPE_RELIABILITY: _ClassVar[EvalType]

class ScoringStrategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCORING_STRATEGY_UNSPECIFIED: _ClassVar[ScoringStrategy]
    SCORING_STRATEGY_NUMERIC: _ClassVar[ScoringStrategy]
    SCORING_STRATEGY_BINARY: _ClassVar[ScoringStrategy]
EVAL_TYPE_UNSPECIFIED: EvalType
EVAL_TYPE_ACCURACY: EvalType
EVAL_TYPE_AGENT_AS_JUDGE: EvalType
EVAL_TYPE_PERFORMANCE: EvalType
EVAL_TYPE_RELIABILITY: EvalType
SCORING_STRATEGY_UNSPECIFIED: ScoringStrategy
SCORING_STRATEGY_NUMERIC: ScoringStrategy
SCORING_STRATEGY_BINARY: ScoringStrategy

class EvalRun(_message.Message):
    __slots__ = ("eval_run_id", "name", "eval_type", "agent_id", "team_id", "workflow_id", "model_id", "model_provider", "evaluated_component_name", "eval_input", "eval_data", "created_at", "updated_at")
    EVAL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EVAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_COMPONENT_NAME_FIELD_NUMBER: _ClassVar[int]
    EVAL_INPUT_FIELD_NUMBER: _ClassVar[int]
    EVAL_DATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    eval_run_id: str
    name: str
    eval_type: EvalType
    agent_id: str
    team_id: str
    workflow_id: str
    model_id: str
    model_provider: str
    evaluated_component_name: str
    eval_input: _struct_pb2.Struct
    eval_data: _struct_pb2.Struct
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, eval_run_id: _Optional[str] = ..., name: _Optional[str] = ..., eval_type: _Optional[_Union[EvalType, str]] = ..., agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., model_id: _Optional[str] = ..., model_provider: _Optional[str] = ..., evaluated_component_name: _Optional[str] = ..., eval_input: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., eval_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateEvalRunRequest(_message.Message):
    __slots__ = ("eval_type", "name", "agent_id", "team_id", "workflow_id", "input", "expected_output", "criteria", "scoring_strategy", "threshold", "num_iterations", "additional_guidelines", "model_id", "model_provider", "expected_tool_calls", "warmup_runs", "request_id")
    EVAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    SCORING_STRATEGY_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    NUM_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_GUIDELINES_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_TOOL_CALLS_FIELD_NUMBER: _ClassVar[int]
    WARMUP_RUNS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    eval_type: EvalType
    name: str
    agent_id: str
    team_id: str
    workflow_id: str
    input: str
    expected_output: str
    criteria: str
    scoring_strategy: ScoringStrategy
    threshold: int
    num_iterations: int
    additional_guidelines: _containers.RepeatedScalarFieldContainer[str]
    model_id: str
    model_provider: str
    expected_tool_calls: _containers.RepeatedScalarFieldContainer[str]
    warmup_runs: int
    request_id: str
    def __init__(self, eval_type: _Optional[_Union[EvalType, str]] = ..., name: _Optional[str] = ..., agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., input: _Optional[str] = ..., expected_output: _Optional[str] = ..., criteria: _Optional[str] = ..., scoring_strategy: _Optional[_Union[ScoringStrategy, str]] = ..., threshold: _Optional[int] = ..., num_iterations: _Optional[int] = ..., additional_guidelines: _Optional[_Iterable[str]] = ..., model_id: _Optional[str] = ..., model_provider: _Optional[str] = ..., expected_tool_calls: _Optional[_Iterable[str]] = ..., warmup_runs: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateEvalRunResponse(_message.Message):
    __slots__ = ("eval_run",)
    EVAL_RUN_FIELD_NUMBER: _ClassVar[int]
    eval_run: EvalRun
    def __init__(self, eval_run: _Optional[_Union[EvalRun, _Mapping]] = ...) -> None: ...

class GetEvalRunRequest(_message.Message):
    __slots__ = ("eval_run_id",)
    EVAL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    eval_run_id: str
    def __init__(self, eval_run_id: _Optional[str] = ...) -> None: ...

class GetEvalRunResponse(_message.Message):
    __slots__ = ("eval_run",)
    EVAL_RUN_FIELD_NUMBER: _ClassVar[int]
    eval_run: EvalRun
    def __init__(self, eval_run: _Optional[_Union[EvalRun, _Mapping]] = ...) -> None: ...

class ListEvalRunsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "order_by", "agent_id", "team_id", "workflow_id", "model_id", "eval_types")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EVAL_TYPES_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    order_by: str
    agent_id: str
    team_id: str
    workflow_id: str
    model_id: str
    eval_types: _containers.RepeatedScalarFieldContainer[EvalType]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_by: _Optional[str] = ..., agent_id: _Optional[str] = ..., team_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., model_id: _Optional[str] = ..., eval_types: _Optional[_Iterable[_Union[EvalType, str]]] = ...) -> None: ...

class ListEvalRunsResponse(_message.Message):
    __slots__ = ("eval_runs", "next_page_token", "total_size")
    EVAL_RUNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    eval_runs: _containers.RepeatedCompositeFieldContainer[EvalRun]
    next_page_token: str
    total_size: int
    def __init__(self, eval_runs: _Optional[_Iterable[_Union[EvalRun, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class UpdateEvalRunRequest(_message.Message):
    __slots__ = ("eval_run", "update_mask")
    EVAL_RUN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    eval_run: EvalRun
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, eval_run: _Optional[_Union[EvalRun, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateEvalRunResponse(_message.Message):
    __slots__ = ("eval_run",)
    EVAL_RUN_FIELD_NUMBER: _ClassVar[int]
    eval_run: EvalRun
    def __init__(self, eval_run: _Optional[_Union[EvalRun, _Mapping]] = ...) -> None: ...

class DeleteEvalRunsRequest(_message.Message):
    __slots__ = ("eval_run_ids",)
    EVAL_RUN_IDS_FIELD_NUMBER: _ClassVar[int]
    eval_run_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, eval_run_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteEvalRunsResponse(_message.Message):
    __slots__ = ("deleted_count",)
    DELETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    deleted_count: int
    def __init__(self, deleted_count: _Optional[int] = ...) -> None: ...
