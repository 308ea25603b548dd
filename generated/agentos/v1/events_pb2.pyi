import datetime

from agentos.v1 import common_pb2 as _common_pb2
from agentos.v1 import runs_pb2 as _runs_pb2
from agentos.v1 import sessions_pb2 as _sessions_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RunEvent(_message.Message):
    __slots__ = ("run_id", "parent_run_id", "session_id", "user_id", "agent_id", "agent_name", "team_id", "team_name", "workflow_id", "workflow_name", "workflow_run_id", "step_id", "step_name", "step_index", "step_index_path", "parent_step_id", "created_at", "sequence", "event", "run_snapshot", "run_started", "run_content", "run_content_completed", "run_intermediate_content", "run_completed", "run_paused", "run_continued", "run_error", "run_cancelled", "pre_hook_started", "pre_hook_completed", "post_hook_started", "post_hook_completed", "reasoning_started", "reasoning_step", "reasoning_completed", "tool_call_started", "tool_call_completed", "tool_call_error", "memory_update_started", "memory_update_completed", "session_summary_started", "session_summary_completed", "parser_model_response_started", "parser_model_response_completed", "output_model_response_started", "output_model_response_completed", "custom_event", "team_run_started", "team_run_content", "team_run_content_completed", "team_run_intermediate_content", "team_run_completed", "team_run_paused", "team_run_continued", "team_run_error", "team_run_cancelled", "team_pre_hook_started", "team_pre_hook_completed", "team_post_hook_started", "team_post_hook_completed", "team_reasoning_started", "team_reasoning_step", "team_reasoning_completed", "team_tool_call_started", "team_tool_call_completed", "team_tool_call_error", "team_memory_update_started", "team_memory_update_completed", "team_session_summary_started", "team_session_summary_completed", "team_parser_model_response_started", "team_parser_model_response_completed", "team_output_model_response_started", "team_output_model_response_completed", "workflow_started", "workflow_completed", "workflow_cancelled", "workflow_error", "workflow_agent_started", "workflow_agent_completed", "step_started", "step_completed", "step_error", "step_output", "condition_execution_started", "condition_execution_completed", "parallel_execution_started", "parallel_execution_completed", "loop_execution_started", "loop_iteration_started", "loop_iteration_completed", "loop_execution_completed", "router_execution_started", "router_execution_completed", "steps_execution_started", "steps_execution_completed")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_NAME_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_NAME_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_INDEX_FIELD_NUMBER: _ClassVar[int]
    STEP_INDEX_PATH_FIELD_NUMBER: _ClassVar[int]
    PARENT_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RUN_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    RUN_STARTED_FIELD_NUMBER: _ClassVar[int]
    RUN_CONTENT_FIELD_NUMBER: _ClassVar[int]
    RUN_CONTENT_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RUN_INTERMEDIATE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    RUN_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RUN_PAUSED_FIELD_NUMBER: _ClassVar[int]
    RUN_CONTINUED_FIELD_NUMBER: _ClassVar[int]
    RUN_ERROR_FIELD_NUMBER: _ClassVar[int]
    RUN_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    PRE_HOOK_STARTED_FIELD_NUMBER: _ClassVar[int]
    PRE_HOOK_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    POST_HOOK_STARTED_FIELD_NUMBER: _ClassVar[int]
    POST_HOOK_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    REASONING_STARTED_FIELD_NUMBER: _ClassVar[int]
    REASONING_STEP_FIELD_NUMBER: _ClassVar[int]
    REASONING_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALL_STARTED_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALL_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALL_ERROR_FIELD_NUMBER: _ClassVar[int]
    MEMORY_UPDATE_STARTED_FIELD_NUMBER: _ClassVar[int]
    MEMORY_UPDATE_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    SESSION_SUMMARY_STARTED_FIELD_NUMBER: _ClassVar[int]
    SESSION_SUMMARY_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    PARSER_MODEL_RESPONSE_STARTED_FIELD_NUMBER: _ClassVar[int]
    PARSER_MODEL_RESPONSE_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_MODEL_RESPONSE_STARTED_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_MODEL_RESPONSE_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_EVENT_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_CONTENT_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_CONTENT_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_INTERMEDIATE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_PAUSED_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_CONTINUED_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_ERROR_FIELD_NUMBER: _ClassVar[int]
    TEAM_RUN_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    TEAM_PRE_HOOK_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_PRE_HOOK_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_POST_HOOK_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_POST_HOOK_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_REASONING_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_REASONING_STEP_FIELD_NUMBER: _ClassVar[int]
    TEAM_REASONING_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_TOOL_CALL_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_TOOL_CALL_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_TOOL_CALL_ERROR_FIELD_NUMBER: _ClassVar[int]
    TEAM_MEMORY_UPDATE_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_MEMORY_UPDATE_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_SESSION_SUMMARY_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_SESSION_SUMMARY_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_PARSER_MODEL_RESPONSE_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_PARSER_MODEL_RESPONSE_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TEAM_OUTPUT_MODEL_RESPONSE_STARTED_FIELD_NUMBER: _ClassVar[int]
    TEAM_OUTPUT_MODEL_RESPONSE_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_STARTED_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ERROR_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_AGENT_STARTED_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_AGENT_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    STEP_STARTED_FIELD_NUMBER: _ClassVar[int]
    STEP_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    STEP_ERROR_FIELD_NUMBER: _ClassVar[int]
    STEP_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    CONDITION_EXECUTION_STARTED_FIELD_NUMBER: _ClassVar[int]
    CONDITION_EXECUTION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    PARALLEL_EXECUTION_STARTED_FIELD_NUMBER: _ClassVar[int]
    PARALLEL_EXECUTION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    LOOP_EXECUTION_STARTED_FIELD_NUMBER: _ClassVar[int]
    LOOP_ITERATION_STARTED_FIELD_NUMBER: _ClassVar[int]
    LOOP_ITERATION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    LOOP_EXECUTION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    ROUTER_EXECUTION_STARTED_FIELD_NUMBER: _ClassVar[int]
    ROUTER_EXECUTION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    STEPS_EXECUTION_STARTED_FIELD_NUMBER: _ClassVar[int]
    STEPS_EXECUTION_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    parent_run_id: str
    session_id: str
    user_id: str
    agent_id: str
    agent_name: str
    team_id: str
    team_name: str
    workflow_id: str
    workflow_name: str
    workflow_run_id: str
    step_id: str
    step_name: str
    step_index: int
    step_index_path: _containers.RepeatedScalarFieldContainer[int]
    parent_step_id: str
    created_at: _timestamp_pb2.Timestamp
    sequence: int
    event: str
    run_snapshot: RunSnapshot
    run_started: RunStarted
    run_content: RunContent
    run_content_completed: RunContentCompleted
    run_intermediate_content: RunIntermediateContent
    run_completed: RunCompleted
    run_paused: RunPaused
    run_continued: RunContinued
    run_error: RunError
    run_cancelled: RunCancelled
    pre_hook_started: PreHookStarted
    pre_hook_completed: PreHookCompleted
    post_hook_started: PostHookStarted
    post_hook_completed: PostHookCompleted
    reasoning_started: ReasoningStarted
    reasoning_step: ReasoningStep
    reasoning_completed: ReasoningCompleted
    tool_call_started: ToolCallStarted
    tool_call_completed: ToolCallCompleted
    tool_call_error: ToolCallError
    memory_update_started: MemoryUpdateStarted
    memory_update_completed: MemoryUpdateCompleted
    session_summary_started: SessionSummaryStarted
    session_summary_completed: SessionSummaryCompleted
    parser_model_response_started: ParserModelResponseStarted
    parser_model_response_completed: ParserModelResponseCompleted
    output_model_response_started: OutputModelResponseStarted
    output_model_response_completed: OutputModelResponseCompleted
    custom_event: CustomEvent
    team_run_started: RunStarted
    team_run_content: RunContent
    team_run_content_completed: RunContentCompleted
    team_run_intermediate_content: RunIntermediateContent
    team_run_completed: RunCompleted
    team_run_paused: RunPaused
    team_run_continued: RunContinued
    team_run_error: RunError
    team_run_cancelled: RunCancelled
    team_pre_hook_started: PreHookStarted
    team_pre_hook_completed: PreHookCompleted
    team_post_hook_started: PostHookStarted
    team_post_hook_completed: PostHookCompleted
    team_reasoning_started: ReasoningStarted
    team_reasoning_step: ReasoningStep
    team_reasoning_completed: ReasoningCompleted
    team_tool_call_started: ToolCallStarted
    team_tool_call_completed: ToolCallCompleted
    team_tool_call_error: ToolCallError
    team_memory_update_started: MemoryUpdateStarted
    team_memory_update_completed: MemoryUpdateCompleted
    team_session_summary_started: SessionSummaryStarted
    team_session_summary_completed: SessionSummaryCompleted
    team_parser_model_response_started: ParserModelResponseStarted
    team_parser_model_response_completed: ParserModelResponseCompleted
    team_output_model_response_started: OutputModelResponseStarted
    team_output_model_response_completed: OutputModelResponseCompleted
    workflow_started: WorkflowStarted
    workflow_completed: WorkflowCompleted
    workflow_cancelled: WorkflowCancelled
    workflow_error: RunError
    workflow_agent_started: WorkflowAgentStarted
    workflow_agent_completed: WorkflowAgentCompleted
    step_started: StepStarted
    step_completed: StepCompleted
    step_error: StepError
    step_output: StepOutput
    condition_execution_started: ConditionExecutionStarted
    condition_execution_completed: ConditionExecutionCompleted
    parallel_execution_started: ParallelExecutionStarted
    parallel_execution_completed: ParallelExecutionCompleted
    loop_execution_started: LoopExecutionStarted
    loop_iteration_started: LoopIterationStarted
    loop_iteration_completed: LoopIterationCompleted
    loop_execution_completed: LoopExecutionCompleted
    router_execution_started: RouterExecutionStarted
    router_execution_completed: RouterExecutionCompleted
    steps_execution_started: StepsExecutionStarted
    steps_execution_completed: StepsExecutionCompleted
    def __init__(self, run_id: _Optional[str] = ..., parent_run_id: _Optional[str] = ..., session_id: _Optional[str] = ..., user_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., agent_name: _Optional[str] = ..., team_id: _Optional[str] = ..., team_name: _Optional[str] = ..., workflow_id: _Optional[str] = ..., workflow_name: _Optional[str] = ..., workflow_run_id: _Optional[str] = ..., step_id: _Optional[str] = ..., step_name: _Optional[str] = ..., step_index: _Optional[int] = ..., step_index_path: _Optional[_Iterable[int]] = ..., parent_step_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sequence: _Optional[int] = ..., event: _Optional[str] = ..., run_snapshot: _Optional[_Union[RunSnapshot, _Mapping]] = ..., run_started: _Optional[_Union[RunStarted, _Mapping]] = ..., run_content: _Optional[_Union[RunContent, _Mapping]] = ..., run_content_completed: _Optional[_Union[RunContentCompleted, _Mapping]] = ..., run_intermediate_content: _Optional[_Union[RunIntermediateContent, _Mapping]] = ..., run_completed: _Optional[_Union[RunCompleted, _Mapping]] = ..., run_paused: _Optional[_Union[RunPaused, _Mapping]] = ..., run_continued: _Optional[_Union[RunContinued, _Mapping]] = ..., run_error: _Optional[_Union[RunError, _Mapping]] = ..., run_cancelled: _Optional[_Union[RunCancelled, _Mapping]] = ..., pre_hook_started: _Optional[_Union[PreHookStarted, _Mapping]] = ..., pre_hook_completed: _Optional[_Union[PreHookCompleted, _Mapping]] = ..., post_hook_started: _Optional[_Union[PostHookStarted, _Mapping]] = ..., post_hook_completed: _Optional[_Union[PostHookCompleted, _Mapping]] = ..., reasoning_started: _Optional[_Union[ReasoningStarted, _Mapping]] = ..., reasoning_step: _Optional[_Union[ReasoningStep, _Mapping]] = ..., reasoning_completed: _Optional[_Union[ReasoningCompleted, _Mapping]] = ..., tool_call_started: _Optional[_Union[ToolCallStarted, _Mapping]] = ..., tool_call_completed: _Optional[_Union[ToolCallCompleted, _Mapping]] = ..., tool_call_error: _Optional[_Union[ToolCallError, _Mapping]] = ..., memory_update_started: _Optional[_Union[MemoryUpdateStarted, _Mapping]] = ..., memory_update_completed: _Optional[_Union[MemoryUpdateCompleted, _Mapping]] = ..., session_summary_started: _Optional[_Union[SessionSummaryStarted, _Mapping]] = ..., session_summary_completed: _Optional[_Union[SessionSummaryCompleted, _Mapping]] = ..., parser_model_response_started: _Optional[_Union[ParserModelResponseStarted, _Mapping]] = ..., parser_model_response_completed: _Optional[_Union[ParserModelResponseCompleted, _Mapping]] = ..., output_model_response_started: _Optional[_Union[OutputModelResponseStarted, _Mapping]] = ..., output_model_response_completed: _Optional[_Union[OutputModelResponseCompleted, _Mapping]] = ..., custom_event: _Optional[_Union[CustomEvent, _Mapping]] = ..., team_run_started: _Optional[_Union[RunStarted, _Mapping]] = ..., team_run_content: _Optional[_Union[RunContent, _Mapping]] = ..., team_run_content_completed: _Optional[_Union[RunContentCompleted, _Mapping]] = ..., team_run_intermediate_content: _Optional[_Union[RunIntermediateContent, _Mapping]] = ..., team_run_completed: _Optional[_Union[RunCompleted, _Mapping]] = ..., team_run_paused: _Optional[_Union[RunPaused, _Mapping]] = ..., team_run_continued: _Optional[_Union[RunContinued, _Mapping]] = ..., team_run_error: _Optional[_Union[RunError, _Mapping]] = ..., team_run_cancelled: _Optional[_Union[RunCancelled, _Mapping]] = ..., team_pre_hook_started: _Optional[_Union[PreHookStarted, _Mapping]] = ..., team_pre_hook_completed: _Optional[_Union[PreHookCompleted, _Mapping]] = ..., team_post_hook_started: _Optional[_Union[PostHookStarted, _Mapping]] = ..., team_post_hook_completed: _Optional[_Union[PostHookCompleted, _Mapping]] = ..., team_reasoning_started: _Optional[_Union[ReasoningStarted, _Mapping]] = ..., team_reasoning_step: _Optional[_Union[ReasoningStep, _Mapping]] = ..., team_reasoning_completed: _Optional[_Union[ReasoningCompleted, _Mapping]] = ..., team_tool_call_started: _Optional[_Union[ToolCallStarted, _Mapping]] = ..., team_tool_call_completed: _Optional[_Union[ToolCallCompleted, _Mapping]] = ..., team_tool_call_error: _Optional[_Union[ToolCallError, _Mapping]] = ..., team_memory_update_started: _Optional[_Union[MemoryUpdateStarted, _Mapping]] = ..., team_memory_update_completed: _Optional[_Union[MemoryUpdateCompleted, _Mapping]] = ..., team_session_summary_started: _Optional[_Union[SessionSummaryStarted, _Mapping]] = ..., team_session_summary_completed: _Optional[_Union[SessionSummaryCompleted, _Mapping]] = ..., team_parser_model_response_started: _Optional[_Union[ParserModelResponseStarted, _Mapping]] = ..., team_parser_model_response_completed: _Optional[_Union[ParserModelResponseCompleted, _Mapping]] = ..., team_output_model_response_started: _Optional[_Union[OutputModelResponseStarted, _Mapping]] = ..., team_output_model_response_completed: _Optional[_Union[OutputModelResponseCompleted, _Mapping]] = ..., workflow_started: _Optional[_Union[WorkflowStarted, _Mapping]] = ..., workflow_completed: _Optional[_Union[WorkflowCompleted, _Mapping]] = ..., workflow_cancelled: _Optional[_Union[WorkflowCancelled, _Mapping]] = ..., workflow_error: _Optional[_Union[RunError, _Mapping]] = ..., workflow_agent_started: _Optional[_Union[WorkflowAgentStarted, _Mapping]] = ..., workflow_agent_completed: _Optional[_Union[WorkflowAgentCompleted, _Mapping]] = ..., step_started: _Optional[_Union[StepStarted, _Mapping]] = ..., step_completed: _Optional[_Union[StepCompleted, _Mapping]] = ..., step_error: _Optional[_Union[StepError, _Mapping]] = ..., step_output: _Optional[_Union[StepOutput, _Mapping]] = ..., condition_execution_started: _Optional[_Union[ConditionExecutionStarted, _Mapping]] = ..., condition_execution_completed: _Optional[_Union[ConditionExecutionCompleted, _Mapping]] = ..., parallel_execution_started: _Optional[_Union[ParallelExecutionStarted, _Mapping]] = ..., parallel_execution_completed: _Optional[_Union[ParallelExecutionCompleted, _Mapping]] = ..., loop_execution_started: _Optional[_Union[LoopExecutionStarted, _Mapping]] = ..., loop_iteration_started: _Optional[_Union[LoopIterationStarted, _Mapping]] = ..., loop_iteration_completed: _Optional[_Union[LoopIterationCompleted, _Mapping]] = ..., loop_execution_completed: _Optional[_Union[LoopExecutionCompleted, _Mapping]] = ..., router_execution_started: _Optional[_Union[RouterExecutionStarted, _Mapping]] = ..., router_execution_completed: _Optional[_Union[RouterExecutionCompleted, _Mapping]] = ..., steps_execution_started: _Optional[_Union[StepsExecutionStarted, _Mapping]] = ..., steps_execution_completed: _Optional[_Union[StepsExecutionCompleted, _Mapping]] = ...) -> None: ...

class RunSnapshot(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _runs_pb2.Run
    def __init__(self, run: _Optional[_Union[_runs_pb2.Run, _Mapping]] = ...) -> None: ...

class RunStarted(_message.Message):
    __slots__ = ("model", "model_provider")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    model: str
    model_provider: str
    def __init__(self, model: _Optional[str] = ..., model_provider: _Optional[str] = ...) -> None: ...

class RunContent(_message.Message):
    __slots__ = ("content", "content_type", "reasoning_content", "citations", "model_provider_data", "response_audio", "image", "references", "additional_input", "reasoning_steps", "reasoning_messages")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASONING_CONTENT_FIELD_NUMBER: _ClassVar[int]
    CITATIONS_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_DATA_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_INPUT_FIELD_NUMBER: _ClassVar[int]
    REASONING_STEPS_FIELD_NUMBER: _ClassVar[int]
    REASONING_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    reasoning_content: str
    citations: _common_pb2.Citations
    model_provider_data: _struct_pb2.Struct
    response_audio: _common_pb2.Audio
    image: _common_pb2.Image
    references: _containers.RepeatedCompositeFieldContainer[_common_pb2.MessageReferences]
    additional_input: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    reasoning_steps: _containers.RepeatedCompositeFieldContainer[_common_pb2.ReasoningStepDetail]
    reasoning_messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., reasoning_content: _Optional[str] = ..., citations: _Optional[_Union[_common_pb2.Citations, _Mapping]] = ..., model_provider_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., response_audio: _Optional[_Union[_common_pb2.Audio, _Mapping]] = ..., image: _Optional[_Union[_common_pb2.Image, _Mapping]] = ..., references: _Optional[_Iterable[_Union[_common_pb2.MessageReferences, _Mapping]]] = ..., additional_input: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., reasoning_steps: _Optional[_Iterable[_Union[_common_pb2.ReasoningStepDetail, _Mapping]]] = ..., reasoning_messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ...) -> None: ...

class RunContentCompleted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RunIntermediateContent(_message.Message):
    __slots__ = ("content", "content_type")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ...) -> None: ...

class RunCompleted(_message.Message):
    __slots__ = ("content", "content_type", "reasoning_content", "citations", "model_provider_data", "images", "videos", "audio", "files", "response_audio", "references", "additional_input", "reasoning_steps", "reasoning_messages", "metadata", "metrics", "session_state", "member_responses")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASONING_CONTENT_FIELD_NUMBER: _ClassVar[int]
    CITATIONS_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROVIDER_DATA_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_INPUT_FIELD_NUMBER: _ClassVar[int]
    REASONING_STEPS_FIELD_NUMBER: _ClassVar[int]
    REASONING_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    SESSION_STATE_FIELD_NUMBER: _ClassVar[int]
    MEMBER_RESPONSES_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    reasoning_content: str
    citations: _common_pb2.Citations
    model_provider_data: _struct_pb2.Struct
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    response_audio: _common_pb2.Audio
    references: _containers.RepeatedCompositeFieldContainer[_common_pb2.MessageReferences]
    additional_input: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    reasoning_steps: _containers.RepeatedCompositeFieldContainer[_common_pb2.ReasoningStepDetail]
    reasoning_messages: _containers.RepeatedCompositeFieldContainer[_common_pb2.Message]
    metadata: _struct_pb2.Struct
    metrics: _common_pb2.Metrics
    session_state: _struct_pb2.Struct
    member_responses: _containers.RepeatedCompositeFieldContainer[_runs_pb2.Run]
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., reasoning_content: _Optional[str] = ..., citations: _Optional[_Union[_common_pb2.Citations, _Mapping]] = ..., model_provider_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., response_audio: _Optional[_Union[_common_pb2.Audio, _Mapping]] = ..., references: _Optional[_Iterable[_Union[_common_pb2.MessageReferences, _Mapping]]] = ..., additional_input: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., reasoning_steps: _Optional[_Iterable[_Union[_common_pb2.ReasoningStepDetail, _Mapping]]] = ..., reasoning_messages: _Optional[_Iterable[_Union[_common_pb2.Message, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metrics: _Optional[_Union[_common_pb2.Metrics, _Mapping]] = ..., session_state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., member_responses: _Optional[_Iterable[_Union[_runs_pb2.Run, _Mapping]]] = ...) -> None: ...

class RunPaused(_message.Message):
    __slots__ = ("tools", "requirements")
    TOOLS_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    tools: _containers.RepeatedCompositeFieldContainer[_common_pb2.ToolExecution]
    requirements: _containers.RepeatedCompositeFieldContainer[_common_pb2.RunRequirement]
    def __init__(self, tools: _Optional[_Iterable[_Union[_common_pb2.ToolExecution, _Mapping]]] = ..., requirements: _Optional[_Iterable[_Union[_common_pb2.RunRequirement, _Mapping]]] = ...) -> None: ...

class RunContinued(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RunError(_message.Message):
    __slots__ = ("error",)
    ERROR_FIELD_NUMBER: _ClassVar[int]
    error: _common_pb2.ErrorDetail
    def __init__(self, error: _Optional[_Union[_common_pb2.ErrorDetail, _Mapping]] = ...) -> None: ...

class RunCancelled(_message.Message):
    __slots__ = ("reason",)
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: str
    def __init__(self, reason: _Optional[str] = ...) -> None: ...

class PreHookStarted(_message.Message):
    __slots__ = ("pre_hook_name", "run_input")
    PRE_HOOK_NAME_FIELD_NUMBER: _ClassVar[int]
    RUN_INPUT_FIELD_NUMBER: _ClassVar[int]
    pre_hook_name: str
    run_input: _runs_pb2.RunInput
    def __init__(self, pre_hook_name: _Optional[str] = ..., run_input: _Optional[_Union[_runs_pb2.RunInput, _Mapping]] = ...) -> None: ...

class PreHookCompleted(_message.Message):
    __slots__ = ("pre_hook_name", "run_input")
    PRE_HOOK_NAME_FIELD_NUMBER: _ClassVar[int]
    RUN_INPUT_FIELD_NUMBER: _ClassVar[int]
    pre_hook_name: str
    run_input: _runs_pb2.RunInput
    def __init__(self, pre_hook_name: _Optional[str] = ..., run_input: _Optional[_Union[_runs_pb2.RunInput, _Mapping]] = ...) -> None: ...

class PostHookStarted(_message.Message):
    __slots__ = ("post_hook_name",)
    POST_HOOK_NAME_FIELD_NUMBER: _ClassVar[int]
    post_hook_name: str
    def __init__(self, post_hook_name: _Optional[str] = ...) -> None: ...

class PostHookCompleted(_message.Message):
    __slots__ = ("post_hook_name",)
    POST_HOOK_NAME_FIELD_NUMBER: _ClassVar[int]
    post_hook_name: str
    def __init__(self, post_hook_name: _Optional[str] = ...) -> None: ...

class ReasoningStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReasoningStep(_message.Message):
    __slots__ = ("content", "content_type", "reasoning_content")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASONING_CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    reasoning_content: str
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., reasoning_content: _Optional[str] = ...) -> None: ...

class ReasoningCompleted(_message.Message):
    __slots__ = ("content", "content_type")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ...) -> None: ...

class ToolCallStarted(_message.Message):
    __slots__ = ("tool",)
    TOOL_FIELD_NUMBER: _ClassVar[int]
    tool: _common_pb2.ToolExecution
    def __init__(self, tool: _Optional[_Union[_common_pb2.ToolExecution, _Mapping]] = ...) -> None: ...

class ToolCallCompleted(_message.Message):
    __slots__ = ("tool", "content", "images", "videos", "audio", "files")
    TOOL_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    tool: _common_pb2.ToolExecution
    content: _struct_pb2.Value
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    def __init__(self, tool: _Optional[_Union[_common_pb2.ToolExecution, _Mapping]] = ..., content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ...) -> None: ...

class ToolCallError(_message.Message):
    __slots__ = ("tool", "error")
    TOOL_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    tool: _common_pb2.ToolExecution
    error: str
    def __init__(self, tool: _Optional[_Union[_common_pb2.ToolExecution, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...

class MemoryUpdateStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MemoryUpdateCompleted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SessionSummaryStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SessionSummaryCompleted(_message.Message):
    __slots__ = ("session_summary",)
    SESSION_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    session_summary: _sessions_pb2.SessionSummary
    def __init__(self, session_summary: _Optional[_Union[_sessions_pb2.SessionSummary, _Mapping]] = ...) -> None: ...

class ParserModelResponseStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ParserModelResponseCompleted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OutputModelResponseStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OutputModelResponseCompleted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CustomEvent(_message.Message):
    __slots__ = ("name", "data")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    data: _struct_pb2.Struct
    def __init__(self, name: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class WorkflowStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WorkflowCompleted(_message.Message):
    __slots__ = ("content", "content_type", "step_results", "metadata", "metrics", "images", "videos", "audio", "files", "response_audio")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    step_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    metadata: _struct_pb2.Struct
    metrics: _common_pb2.Metrics
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    files: _containers.RepeatedCompositeFieldContainer[_common_pb2.File]
    response_audio: _common_pb2.Audio
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., step_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metrics: _Optional[_Union[_common_pb2.Metrics, _Mapping]] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., files: _Optional[_Iterable[_Union[_common_pb2.File, _Mapping]]] = ..., response_audio: _Optional[_Union[_common_pb2.Audio, _Mapping]] = ...) -> None: ...

class WorkflowCancelled(_message.Message):
    __slots__ = ("reason", "content", "content_type", "step_results", "metadata")
    REASON_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    reason: str
    content: _struct_pb2.Value
    content_type: str
    step_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    metadata: _struct_pb2.Struct
    def __init__(self, reason: _Optional[str] = ..., content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., step_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class WorkflowAgentStarted(_message.Message):
    __slots__ = ("input",)
    INPUT_FIELD_NUMBER: _ClassVar[int]
    input: _struct_pb2.Value
    def __init__(self, input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class WorkflowAgentCompleted(_message.Message):
    __slots__ = ("content", "content_type")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ...) -> None: ...

class StepStarted(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class StepCompleted(_message.Message):
    __slots__ = ("content", "content_type", "images", "videos", "audio", "response_audio", "step_response")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    VIDEOS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_AUDIO_FIELD_NUMBER: _ClassVar[int]
    STEP_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    content: _struct_pb2.Value
    content_type: str
    images: _containers.RepeatedCompositeFieldContainer[_common_pb2.Image]
    videos: _containers.RepeatedCompositeFieldContainer[_common_pb2.Video]
    audio: _containers.RepeatedCompositeFieldContainer[_common_pb2.Audio]
    response_audio: _common_pb2.Audio
    step_response: _runs_pb2.StepResult
    def __init__(self, content: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., content_type: _Optional[str] = ..., images: _Optional[_Iterable[_Union[_common_pb2.Image, _Mapping]]] = ..., videos: _Optional[_Iterable[_Union[_common_pb2.Video, _Mapping]]] = ..., audio: _Optional[_Iterable[_Union[_common_pb2.Audio, _Mapping]]] = ..., response_audio: _Optional[_Union[_common_pb2.Audio, _Mapping]] = ..., step_response: _Optional[_Union[_runs_pb2.StepResult, _Mapping]] = ...) -> None: ...

class StepError(_message.Message):
    __slots__ = ("error", "attempt", "will_retry", "skipped")
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    WILL_RETRY_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    error: str
    attempt: int
    will_retry: bool
    skipped: bool
    def __init__(self, error: _Optional[str] = ..., attempt: _Optional[int] = ..., will_retry: _Optional[bool] = ..., skipped: _Optional[bool] = ...) -> None: ...

class StepOutput(_message.Message):
    __slots__ = ("step_output",)
    STEP_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    step_output: _runs_pb2.StepResult
    def __init__(self, step_output: _Optional[_Union[_runs_pb2.StepResult, _Mapping]] = ...) -> None: ...

class ConditionExecutionStarted(_message.Message):
    __slots__ = ("condition_result",)
    CONDITION_RESULT_FIELD_NUMBER: _ClassVar[int]
    condition_result: bool
    def __init__(self, condition_result: _Optional[bool] = ...) -> None: ...

class ConditionExecutionCompleted(_message.Message):
    __slots__ = ("condition_result", "executed_steps", "step_results")
    CONDITION_RESULT_FIELD_NUMBER: _ClassVar[int]
    EXECUTED_STEPS_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    condition_result: bool
    executed_steps: int
    step_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    def __init__(self, condition_result: _Optional[bool] = ..., executed_steps: _Optional[int] = ..., step_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ...) -> None: ...

class ParallelExecutionStarted(_message.Message):
    __slots__ = ("parallel_step_count",)
    PARALLEL_STEP_COUNT_FIELD_NUMBER: _ClassVar[int]
    parallel_step_count: int
    def __init__(self, parallel_step_count: _Optional[int] = ...) -> None: ...

class ParallelExecutionCompleted(_message.Message):
    __slots__ = ("parallel_step_count", "step_results")
    PARALLEL_STEP_COUNT_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    parallel_step_count: int
    step_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    def __init__(self, parallel_step_count: _Optional[int] = ..., step_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ...) -> None: ...

class LoopExecutionStarted(_message.Message):
    __slots__ = ("max_iterations",)
    MAX_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    max_iterations: int
    def __init__(self, max_iterations: _Optional[int] = ...) -> None: ...

class LoopIterationStarted(_message.Message):
    __slots__ = ("iteration", "max_iterations")
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    MAX_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    iteration: int
    max_iterations: int
    def __init__(self, iteration: _Optional[int] = ..., max_iterations: _Optional[int] = ...) -> None: ...

class LoopIterationCompleted(_message.Message):
    __slots__ = ("iteration", "max_iterations", "iteration_results", "should_continue")
    ITERATION_FIELD_NUMBER: _ClassVar[int]
    MAX_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    ITERATION_RESULTS_FIELD_NUMBER: _ClassVar[int]
    SHOULD_CONTINUE_FIELD_NUMBER: _ClassVar[int]
    iteration: int
    max_iterations: int
    iteration_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    should_continue: bool
    def __init__(self, iteration: _Optional[int] = ..., max_iterations: _Optional[int] = ..., iteration_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ..., should_continue: _Optional[bool] = ...) -> None: ...

class LoopIterationResults(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ...) -> None: ...

class LoopExecutionCompleted(_message.Message):
    __slots__ = ("total_iterations", "max_iterations", "all_results")
    TOTAL_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_ITERATIONS_FIELD_NUMBER: _ClassVar[int]
    ALL_RESULTS_FIELD_NUMBER: _ClassVar[int]
    total_iterations: int
    max_iterations: int
    all_results: _containers.RepeatedCompositeFieldContainer[LoopIterationResults]
    def __init__(self, total_iterations: _Optional[int] = ..., max_iterations: _Optional[int] = ..., all_results: _Optional[_Iterable[_Union[LoopIterationResults, _Mapping]]] = ...) -> None: ...

class RouterExecutionStarted(_message.Message):
    __slots__ = ("selected_steps",)
    SELECTED_STEPS_FIELD_NUMBER: _ClassVar[int]
    selected_steps: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, selected_steps: _Optional[_Iterable[str]] = ...) -> None: ...

class RouterExecutionCompleted(_message.Message):
    __slots__ = ("selected_steps", "executed_steps", "step_results")
    SELECTED_STEPS_FIELD_NUMBER: _ClassVar[int]
    EXECUTED_STEPS_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    selected_steps: _containers.RepeatedScalarFieldContainer[str]
    executed_steps: int
    step_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    def __init__(self, selected_steps: _Optional[_Iterable[str]] = ..., executed_steps: _Optional[int] = ..., step_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ...) -> None: ...

class StepsExecutionStarted(_message.Message):
    __slots__ = ("steps_count",)
    STEPS_COUNT_FIELD_NUMBER: _ClassVar[int]
    steps_count: int
    def __init__(self, steps_count: _Optional[int] = ...) -> None: ...

class StepsExecutionCompleted(_message.Message):
    __slots__ = ("steps_count", "executed_steps", "step_results")
    STEPS_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXECUTED_STEPS_FIELD_NUMBER: _ClassVar[int]
    STEP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    steps_count: int
    executed_steps: int
    step_results: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StepResult]
    def __init__(self, steps_count: _Optional[int] = ..., executed_steps: _Optional[int] = ..., step_results: _Optional[_Iterable[_Union[_runs_pb2.StepResult, _Mapping]]] = ...) -> None: ...
