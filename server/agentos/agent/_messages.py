"""Building the messages of a run: system message, few-shot input and the user's message.

Follows Agno's layout of the system message (description, role, instructions, additional
information, tool instructions, expected output, additional context, structured-output
instructions, session state) with XML-ish section tags that models follow well.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from agentos.agent._memory import memory_context
from agentos.agent._placeholders import placeholder_values, resolve_placeholders
from agentos.agent._structured import json_mode_instructions
from agentos.agent._summaries import summary_context
from agentos.exceptions import CheckTrigger, InputCheckError
from agentos.media import Audio, File, Image, Video
from agentos.models import Message
from agentos.run._serialize import to_jsonable
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.agent._state import RunState


async def call_with_injection(fn: Any, available: Mapping[str, Any]) -> Any:
    """Call a user callable (instructions, system_message, dependency) with the arguments it names.

    Sync callables run in a worker thread: they are user code and may block.
    """
    import asyncio

    kwargs = select_kwargs(fn, available)
    if inspect.iscoroutinefunction(fn):
        return await fn(**kwargs)
    result = await asyncio.to_thread(fn, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def select_kwargs(fn: Any, available: Mapping[str, Any]) -> dict[str, Any]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return dict(available)
    return {name: available[name] for name in params if name in available}


def _timezone(identifier: str | None) -> tzinfo | None:
    if not identifier:
        return None
    try:
        return ZoneInfo(identifier)
    except (KeyError, ValueError):
        return None


async def _instructions(agent: Agent, state: RunState) -> list[str]:
    value = agent.instructions
    if value is None:
        return []
    if callable(value):
        value = await call_with_injection(value, {"agent": agent, "run_context": state.context})
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


async def build_system_message(state: RunState) -> Message | None:
    agent = state.agent
    context = state.context
    values = placeholder_values(context) if agent.resolve_in_context else None

    def resolve(text: str) -> str:
        return resolve_placeholders(text, values) if values is not None else text

    if agent.system_message is not None:
        sm = agent.system_message
        if isinstance(sm, Message):
            return sm
        if callable(sm):
            sm = await call_with_injection(sm, {"agent": agent, "run_context": context})
            if isinstance(sm, Message):
                return sm
        return Message(role=agent.system_message_role, content=resolve(str(sm)))
    if not agent.build_context:
        return None

    parts: list[str] = []
    if agent.description:
        parts.append(agent.description)
    if agent.role:
        parts.append(f"<your_role>\n{agent.role}\n</your_role>")
    instructions = await _instructions(agent, state)
    schema = state.options.output_schema
    if agent.markdown and schema is None:
        instructions.append("Use markdown to format your answers.")
    if instructions:
        if len(instructions) == 1:
            parts.append(f"<instructions>\n{instructions[0]}\n</instructions>")
        else:
            parts.append("<instructions>\n" + "\n".join(f"- {i}" for i in instructions) + "\n</instructions>")
    info: list[str] = []
    if agent.add_datetime_to_context:
        now = datetime.now(_timezone(agent.timezone_identifier))
        info.append(f"The current time is {now.isoformat(sep=' ', timespec='seconds')}.")
    if agent.add_name_to_context and agent.name:
        info.append(f"Your name is: {agent.name}.")
    if info:
        parts.append(
            "<additional_information>\n" + "\n".join(f"- {i}" for i in info) + "\n</additional_information>"
        )
    if state.tools.instructions:
        parts.append(
            "<tool_instructions>\n" + "\n\n".join(state.tools.instructions) + "\n</tool_instructions>"
        )
    if agent.expected_output:
        parts.append(f"<expected_output>\n{agent.expected_output}\n</expected_output>")
    if agent.additional_context:
        parts.append(agent.additional_context)
    if schema is not None and state.uses_json_mode:
        parts.append(json_mode_instructions(schema))
    if state.options.add_session_state_to_context:
        state_json = json.dumps(to_jsonable(context.session_state), default=str)
        parts.append(f"<session_state>\n{state_json}\n</session_state>")
    # The user's memories and the session summary are added after placeholder resolution: they
    # quote the user and must reach the model as they are.
    recalled = [s for s in (await memory_context(state), summary_context(state)) if s]
    if not parts and not recalled:
        return None
    sections = [resolve("\n\n".join(parts))] if parts else []
    return Message(role=agent.system_message_role, content="\n\n".join(sections + recalled))


def additional_input_messages(agent: Agent) -> list[Message]:
    """Few-shot messages placed between the system message and the user's message."""
    out: list[Message] = []
    for item in agent.additional_input or ():
        if isinstance(item, Message):
            out.append(item)
        elif isinstance(item, str):
            out.append(Message(role="user", content=item))
        elif isinstance(item, BaseModel):
            out.append(Message(role="user", content=item.model_dump_json()))
        elif isinstance(item, Mapping):
            if "role" in item:
                out.append(Message(role=str(item["role"]), content=item.get("content")))
            else:
                out.append(Message(role="user", content=json.dumps(to_jsonable(item))))
        else:
            out.append(Message(role="user", content=str(item)))
    return out


def validate_input(agent: Agent, value: Any) -> Any:
    """Check the input against ``input_schema``; a mismatch refuses the run like a guardrail."""
    schema = agent.input_schema
    if schema is None:
        return value
    try:
        if isinstance(value, schema):
            return value
        if isinstance(value, BaseModel):
            return schema.model_validate(value.model_dump())
        if isinstance(value, Mapping):
            return schema.model_validate(dict(value))
        if isinstance(value, str):
            return schema.model_validate_json(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<input>'}: {err['msg']}" for err in exc.errors()
        )
        raise InputCheckError(
            f"input does not match input_schema {schema.__name__}: {problems}",
            check_trigger=CheckTrigger.VALIDATION_FAILED,
        ) from exc
    raise InputCheckError(
        f"input_schema {schema.__name__} expects a dict or a {schema.__name__}, got {type(value).__name__}",
        check_trigger=CheckTrigger.VALIDATION_FAILED,
    )


def _is_message(item: Any) -> bool:
    return isinstance(item, Message) or (isinstance(item, Mapping) and "role" in item and "content" in item)


def build_user_messages(
    state: RunState,
    input: Any,
    *,
    images: Sequence[Image] | None,
    audio: Sequence[Audio] | None,
    videos: Sequence[Video] | None,
    files: Sequence[File] | None,
) -> list[Message]:
    """The user's turn: one message, or the given messages when the input is a list of them."""
    agent = state.agent
    context = state.context
    send_media = agent.send_media_to_model
    media: dict[str, Any] = {}
    if send_media:
        media = {
            "images": list(images) if images else None,
            "audio": list(audio) if audio else None,
            "videos": list(videos) if videos else None,
            "files": list(files) if files else None,
        }

    if isinstance(input, Message):
        return [input]
    if isinstance(input, list) and input and all(_is_message(m) for m in input):
        return [
            m if isinstance(m, Message) else Message(role=str(m["role"]), content=m["content"]) for m in input
        ]

    if isinstance(input, str):
        content: str | list[Any] = input
    elif isinstance(input, BaseModel):
        content = input.model_dump_json()
    elif isinstance(input, Mapping):
        content = json.dumps(to_jsonable(input), default=str)
    elif isinstance(input, list):
        content = list(input)
    elif input is None:
        content = ""
    else:
        content = str(input)

    if agent.build_user_context and isinstance(content, str):
        if agent.resolve_in_context:
            content = resolve_placeholders(content, placeholder_values(context))
        if state.options.add_dependencies_to_context and context.dependencies:
            deps = json.dumps(to_jsonable(context.dependencies), default=str, indent=2)
            content = f"{content}\n\n<additional context>\n{deps}\n</additional context>"
    return [Message(role=agent.user_message_role, content=content, **media)]
