"""Run requests <-> typed, validated Python arguments.

The server turns ``CreateRunRequest``/``StreamRunRequest`` into ``RunArguments`` and
``ContinueRunRequest``/``StreamContinueRunRequest`` into ``ContinueArguments``; the client goes
the other way. The stream variants are field-for-field copies of the unary ones (the contract
promises it), so they are re-parsed from their bytes and share one code path.

Validation collects every problem before failing, so a caller fixes its request in one go: the
``WireValidationError`` lists ``(field_path, description)`` pairs, which the server reports as
INVALID_ARGUMENT with a ``google.rpc.BadRequest`` (each ``FieldViolation`` has the ``field`` and
``description`` of ``BadRequest.FieldViolation``). Paths follow
the request's field names (``messages[2].role``, ``images[0].url``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence, Sized
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, cast

from agentos.media import Audio, File, Image, Video
from agentos.models import Message, ToolExecution
from agentos.run import RunRequirement
from agentos.v1 import common_pb2, run_service_pb2
from agentos.wire._media import (
    add_all,
    audio_from_proto,
    file_from_proto,
    fill_audio,
    fill_file,
    fill_image,
    fill_video,
    image_from_proto,
    read_all,
    video_from_proto,
)
from agentos.wire._messages import add_messages, read_messages
from agentos.wire._runs import input_content_from_parts
from agentos.wire._tools import (
    fill_requirement,
    fill_tool_execution,
    requirement_from_proto,
    tool_execution_from_proto,
)
from agentos.wire._values import fill_struct, fill_value, from_struct, from_value
from google.protobuf import struct_pb2

TargetKind = Literal["agent", "team", "workflow"]
MESSAGE_ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
IMAGE_DETAILS = frozenset({"", "low", "high", "auto"})
URL_SCHEMES = ("http://", "https://", "data:")
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")
"""C0 controls and DEL: not allowed in ids (one regex scan; a per-character check in Python
cost ~15 us for a run request's ids)."""


class FieldViolation(NamedTuple):
    """One invalid request field: its path in the request and what is wrong with it."""

    field: str
    description: str


class WireValidationError(ValueError):
    """A request failed validation; ``violations`` names every offending field.

    ``field`` is the first violation's path, for handlers that report a single field.
    """

    def __init__(self, violations: Sequence[FieldViolation]) -> None:
        if not violations:
            raise ValueError("WireValidationError needs at least one violation")
        self.violations: list[FieldViolation] = list(violations)
        self.field = self.violations[0].field
        super().__init__("; ".join(f"{v.field}: {v.description}" for v in self.violations))


@dataclass(frozen=True, slots=True)
class RequestLimits:
    """Upper bounds on what one request may carry (the server may configure its own)."""

    max_messages: int = 1000
    max_media_items: int = 64
    max_tools: int = 256
    max_requirements: int = 256
    max_user_input_fields: int = 256
    max_output_schema_chars: int = 256 * 1024
    max_retries: int = 10
    max_id_length: int = 256


DEFAULT_LIMITS = RequestLimits()


@dataclass(slots=True, kw_only=True)
class RunArguments:
    """A validated run request. ``input`` is a str, a list of Messages, or structured JSON data.

    The optional booleans and ``retries`` are None when the caller left them to the target's
    default.
    """

    target_kind: TargetKind
    target_id: str
    input: Any = None
    images: list[Image] | None = None
    audio: list[Audio] | None = None
    videos: list[Video] | None = None
    files: list[File] | None = None
    session_id: str | None = None
    user_id: str | None = None
    session_state: dict[str, Any] | None = None
    dependencies: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    knowledge_filters: dict[str, Any] | None = None
    additional_data: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    stream_events: bool = False
    background: bool = False
    request_id: str | None = None
    run_id: str | None = None
    add_history_to_context: bool | None = None
    add_session_state_to_context: bool | None = None
    add_dependencies_to_context: bool | None = None
    retries: int | None = None

    def agent_run_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``Agent.arun`` (only those the request set).

        ``stream``/``stream_events``, ``background``, ``request_id`` and ``additional_data``
        are left out: their meaning depends on the RPC and on the target kind.
        """
        names = (
            "images",
            "audio",
            "videos",
            "files",
            "session_id",
            "user_id",
            "session_state",
            "dependencies",
            "metadata",
            "knowledge_filters",
            "output_schema",
            "run_id",
            "add_history_to_context",
            "add_session_state_to_context",
            "add_dependencies_to_context",
            "retries",
        )
        return {name: value for name in names if (value := getattr(self, name)) is not None}


@dataclass(slots=True, kw_only=True)
class ContinueArguments:
    """A validated continue request: the paused run and the client's decisions."""

    run_id: str
    updated_tools: list[ToolExecution] | None = None
    requirements: list[RunRequirement] | None = None
    session_id: str | None = None
    user_id: str | None = None
    stream_events: bool = False
    background: bool = False
    request_id: str | None = None
    dependencies: dict[str, Any] | None = None
    knowledge_filters: dict[str, Any] | None = None
    retries: int | None = None

    def agent_continue_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``Agent.acontinue_run`` (only those the request set)."""
        names = (
            "run_id",
            "updated_tools",
            "requirements",
            "session_id",
            "user_id",
            "dependencies",
            "knowledge_filters",
            "retries",
        )
        return {name: value for name in names if (value := getattr(self, name)) is not None}


# Validation helpers ----------------------------------------------------------------------------


class _Checker:
    """Collects violations while the request is read."""

    def __init__(self, limits: RequestLimits) -> None:
        self.limits = limits
        self.violations: list[FieldViolation] = []

    def add(self, path: str, description: str) -> None:
        self.violations.append(FieldViolation(path, description))

    def raise_if_any(self) -> None:
        if self.violations:
            raise WireValidationError(self.violations)

    def id(self, value: str, path: str, *, required: bool = False) -> None:
        if not value:
            if required:
                self.add(path, "is required")
            return
        if len(value) > self.limits.max_id_length:
            self.add(path, f"must be at most {self.limits.max_id_length} characters")
        elif value != value.strip() or _CONTROL_CHARACTER.search(value) is not None:
            self.add(path, "must not contain control characters or surrounding whitespace")

    def count(self, items: Sized, path: str, limit: int) -> bool:
        if len(items) > limit:
            self.add(path, f"must have at most {limit} items (got {len(items)})")
            return False
        return True

    def retries(self, request: Any) -> int | None:
        if not request.HasField("retries"):
            return None
        retries = int(request.retries)
        if retries < 0:
            self.add("retries", "must not be negative")
        elif retries > self.limits.max_retries:
            self.add("retries", f"must be at most {self.limits.max_retries}")
        return retries

    def media(self, request: Any, prefix: str = "") -> None:
        for name in ("images", "audio", "videos", "files"):
            items = getattr(request, name)
            path = f"{prefix}{name}"
            if not self.count(items, path, self.limits.max_media_items):
                continue
            for index, item in enumerate(items):
                self._medium(item, f"{path}[{index}]", name)

    def _medium(self, item: Any, path: str, kind: str) -> None:
        source = item.WhichOneof("source")
        if source is None:
            self.add(path, "needs a url or content")
        elif source == "url":
            if not item.url.startswith(URL_SCHEMES):
                self.add(f"{path}.url", "must be an http(s) or data: URL (server paths are not accepted)")
        elif source == "content":
            if not item.content:
                self.add(f"{path}.content", "must not be empty")
        elif source == "external_id":
            self.add(
                f"{path}.external_id", "provider-hosted files are not supported yet; send url or content"
            )
        if kind == "images" and item.detail not in IMAGE_DETAILS:
            self.add(f"{path}.detail", "must be one of low, high or auto")

    def messages(self, messages: Sequence[common_pb2.Message], prefix: str = "messages") -> None:
        if not self.count(messages, prefix, self.limits.max_messages):
            return
        for index, message in enumerate(messages):
            path = f"{prefix}[{index}]"
            if message.role not in MESSAGE_ROLES:
                self.add(f"{path}.role", f"must be one of {', '.join(sorted(MESSAGE_ROLES))}")
            kind = message.content.WhichOneof("kind") if message.HasField("content") else None
            if kind not in (None, "null_value", "string_value", "list_value"):
                self.add(f"{path}.content", "must be a string or a list of content parts")
            if message.role == "tool" and not message.tool_call_id:
                self.add(f"{path}.tool_call_id", "is required for tool messages")
            if message.tool_calls and message.role != "assistant":
                self.add(f"{path}.tool_calls", "only assistant messages carry tool calls")
            for call_index, call in enumerate(message.tool_calls):
                call_path = f"{path}.tool_calls[{call_index}]"
                if not call.id:
                    self.add(f"{call_path}.id", "is required")
                if not call.name:
                    self.add(f"{call_path}.name", "is required")
                if call.arguments and not _is_json_object(call.arguments):
                    self.add(f"{call_path}.arguments", "must be a JSON object")
            self.media(message, f"{path}.")

    def output_schema(self, text: str) -> dict[str, Any] | None:
        if not text:
            return None
        if len(text) > self.limits.max_output_schema_chars:
            self.add("output_schema", f"must be at most {self.limits.max_output_schema_chars} characters")
            return None
        try:
            schema = json.loads(text)
        except json.JSONDecodeError as exc:
            self.add("output_schema", f"is not valid JSON: {exc.msg} at position {exc.pos}")
            return None
        if not isinstance(schema, dict):
            self.add("output_schema", "must be a JSON object (a JSON schema)")
            return None
        return schema


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except json.JSONDecodeError:
        return False


def _optional_struct(request: Any, name: str) -> dict[str, Any] | None:
    return from_struct(getattr(request, name)) if request.HasField(name) else None


def _optional_bool(request: Any, name: str) -> bool | None:
    return bool(getattr(request, name)) if request.HasField(name) else None


# Requests -> arguments -------------------------------------------------------------------------


def run_arguments_from_request(
    request: run_service_pb2.CreateRunRequest | run_service_pb2.StreamRunRequest,
    *,
    limits: RequestLimits = DEFAULT_LIMITS,
) -> RunArguments:
    """Validate a CreateRun/StreamRun request; raises WireValidationError listing every bad field."""
    if isinstance(request, run_service_pb2.StreamRunRequest):
        request = run_service_pb2.CreateRunRequest.FromString(request.SerializeToString())
    check = _Checker(limits)
    target = request.WhichOneof("target")
    target_id = getattr(request, target) if target else ""
    if target is None:
        check.add("agent_id", "one of agent_id, team_id or workflow_id is required")
    else:
        check.id(target_id, target, required=True)
    has_input = request.HasField("input") and request.input.WhichOneof("kind") not in (None, "null_value")
    if not request.message and not request.messages and not has_input:
        check.add("message", "one of message, messages or input is required")
    if has_input and (request.message or request.messages):
        check.add("input", "give either input or message/messages, not both")
    check.messages(request.messages)
    check.media(request)
    for name in ("session_id", "user_id", "request_id", "run_id"):
        check.id(getattr(request, name), name)
    output_schema = check.output_schema(request.output_schema)
    retries = check.retries(request)
    check.raise_if_any()
    return RunArguments(
        target_kind=cast(TargetKind, target.removesuffix("_id") if target else "agent"),
        target_id=target_id,
        input=input_content_from_parts(
            request.message, read_messages(request.messages), from_value(request.input) if has_input else None
        ),
        images=read_all(request.images, image_from_proto),
        audio=read_all(request.audio, audio_from_proto),
        videos=read_all(request.videos, video_from_proto),
        files=read_all(request.files, file_from_proto),
        session_id=request.session_id or None,
        user_id=request.user_id or None,
        session_state=_optional_struct(request, "session_state"),
        dependencies=_optional_struct(request, "dependencies"),
        metadata=_optional_struct(request, "metadata"),
        knowledge_filters=_optional_struct(request, "knowledge_filters"),
        additional_data=_optional_struct(request, "additional_data"),
        output_schema=output_schema,
        stream_events=request.stream_events,
        background=request.background,
        request_id=request.request_id or None,
        run_id=request.run_id or None,
        add_history_to_context=_optional_bool(request, "add_history_to_context"),
        add_session_state_to_context=_optional_bool(request, "add_session_state_to_context"),
        add_dependencies_to_context=_optional_bool(request, "add_dependencies_to_context"),
        retries=retries,
    )


def continue_arguments_from_request(
    request: run_service_pb2.ContinueRunRequest | run_service_pb2.StreamContinueRunRequest,
    *,
    limits: RequestLimits = DEFAULT_LIMITS,
) -> ContinueArguments:
    """Validate a ContinueRun/StreamContinueRun request; raises WireValidationError."""
    if isinstance(request, run_service_pb2.StreamContinueRunRequest):
        request = run_service_pb2.ContinueRunRequest.FromString(request.SerializeToString())
    check = _Checker(limits)
    check.id(request.run_id, "run_id", required=True)
    for name in ("session_id", "user_id", "request_id"):
        check.id(getattr(request, name), name)
    if check.count(request.tools, "tools", limits.max_tools):
        seen: set[str] = set()
        for index, tool in enumerate(request.tools):
            path = f"tools[{index}].tool_call_id"
            if not tool.tool_call_id:
                check.add(path, "is required (it names the paused call)")
            elif tool.tool_call_id in seen:
                check.add(path, f"duplicate tool_call_id {tool.tool_call_id!r}")
            seen.add(tool.tool_call_id)
            _check_user_input(check, tool.user_input_schema, f"tools[{index}].user_input_schema")
    if check.count(request.requirements, "requirements", limits.max_requirements):
        seen_ids: set[str] = set()
        for index, requirement in enumerate(request.requirements):
            path = f"requirements[{index}]"
            if not requirement.requirement_id:
                check.add(f"{path}.requirement_id", "is required")
            elif requirement.requirement_id in seen_ids:
                check.add(
                    f"{path}.requirement_id", f"duplicate requirement_id {requirement.requirement_id!r}"
                )
            seen_ids.add(requirement.requirement_id)
            _check_user_input(check, requirement.user_input, f"{path}.user_input")
            _check_user_input(
                check,
                requirement.tool_execution.user_input_schema,
                f"{path}.tool_execution.user_input_schema",
            )
    retries = check.retries(request)
    check.raise_if_any()
    return ContinueArguments(
        run_id=request.run_id,
        updated_tools=[tool_execution_from_proto(t) for t in request.tools] or None,
        requirements=[requirement_from_proto(r) for r in request.requirements] or None,
        session_id=request.session_id or None,
        user_id=request.user_id or None,
        stream_events=request.stream_events,
        background=request.background,
        request_id=request.request_id or None,
        dependencies=_optional_struct(request, "dependencies"),
        knowledge_filters=_optional_struct(request, "knowledge_filters"),
        retries=retries,
    )


def _check_user_input(check: _Checker, fields: Sequence[common_pb2.UserInputField], path: str) -> None:
    if not check.count(fields, path, check.limits.max_user_input_fields):
        return
    for index, item in enumerate(fields):
        if not item.name:
            check.add(f"{path}[{index}].name", "is required")


# Arguments -> requests (the client side) ------------------------------------------------------


def create_run_request(args: RunArguments) -> run_service_pb2.CreateRunRequest:
    """The CreateRunRequest for ``args`` (no validation: the server validates)."""
    request = run_service_pb2.CreateRunRequest()
    setattr(request, f"{args.target_kind}_id", args.target_id)
    content = args.input
    if isinstance(content, str):
        request.message = content
    elif isinstance(content, Message):
        add_messages(request.messages, [content])
    elif isinstance(content, list) and content and all(isinstance(m, Message) for m in content):
        add_messages(request.messages, content)
    elif content is not None:
        fill_value(request.input, content)
    add_all(request.images, args.images, fill_image)
    add_all(request.audio, args.audio, fill_audio)
    add_all(request.videos, args.videos, fill_video)
    add_all(request.files, args.files, fill_file)
    for name in ("session_id", "user_id", "request_id", "run_id"):
        value = getattr(args, name)
        if value:
            setattr(request, name, value)
    for name in ("session_state", "dependencies", "metadata", "knowledge_filters", "additional_data"):
        data = getattr(args, name)
        if data is not None:
            struct: struct_pb2.Struct = getattr(request, name)
            struct.SetInParent()
            fill_struct(struct, data)
    if args.output_schema is not None:
        request.output_schema = json.dumps(args.output_schema)
    request.stream_events = args.stream_events
    request.background = args.background
    for name in ("add_history_to_context", "add_session_state_to_context", "add_dependencies_to_context"):
        flag = getattr(args, name)
        if flag is not None:
            setattr(request, name, flag)
    if args.retries is not None:
        request.retries = args.retries
    return request


def stream_run_request(args: RunArguments) -> run_service_pb2.StreamRunRequest:
    return run_service_pb2.StreamRunRequest.FromString(create_run_request(args).SerializeToString())


def continue_run_request(args: ContinueArguments) -> run_service_pb2.ContinueRunRequest:
    """The ContinueRunRequest for ``args``; requirements carry their decisions at both levels."""
    request = run_service_pb2.ContinueRunRequest(run_id=args.run_id)
    for tool in args.updated_tools or ():
        fill_tool_execution(request.tools.add(), tool)
    for requirement in args.requirements or ():
        fill_requirement(request.requirements.add(), requirement, args.run_id)
    for name in ("session_id", "user_id", "request_id"):
        value = getattr(args, name)
        if value:
            setattr(request, name, value)
    request.stream_events = args.stream_events
    request.background = args.background
    for name in ("dependencies", "knowledge_filters"):
        data = getattr(args, name)
        if data is not None:
            struct: struct_pb2.Struct = getattr(request, name)
            struct.SetInParent()
            fill_struct(struct, data)
    if args.retries is not None:
        request.retries = args.retries
    return request


def stream_continue_run_request(args: ContinueArguments) -> run_service_pb2.StreamContinueRunRequest:
    return run_service_pb2.StreamContinueRunRequest.FromString(continue_run_request(args).SerializeToString())
