"""The texts a memory manager shows its model.

Kept apart from the manager's logic so the wording can be tuned (and tested) on its own. The
existing memories are listed with their ids because the update/delete tools take ids: the model
can only refer to what it is shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from agentos.memory._tools import ADD, CLEAR, DELETE, UPDATE
from agentos.memory._user_memory import UserMemory

DEFAULT_CAPTURE_INSTRUCTIONS = (
    "Remember facts about the user that will help in later conversations: their name and other "
    "personal details, their preferences and dislikes, their goals and plans, their work and "
    "circumstances, and anything they explicitly ask you to remember. Do not remember small "
    "talk, one-off requests, or what the assistant said."
)

_TOOL_GUIDANCE = {
    ADD: f"- `{ADD}`: remember a new fact. Write it as one short sentence about the user.",
    UPDATE: f"- `{UPDATE}`: correct or extend an existing memory (by its id) instead of adding a duplicate.",
    DELETE: f"- `{DELETE}`: forget a memory that is wrong or outdated, or that the user asks you to forget.",
    CLEAR: f"- `{CLEAR}`: forget everything about the user, only when the user asks for exactly that.",
}


def format_existing(memories: Sequence[UserMemory]) -> str:
    """The user's memories as the manager's model sees them: one line per memory with its id."""
    if not memories:
        return "(none yet)"
    lines = []
    for memory in memories:
        topics = f" [topics: {', '.join(memory.topics)}]" if memory.topics else ""
        lines.append(f"- id: {memory.memory_id} | {memory.memory}{topics}")
    return "\n".join(lines)


def manager_system_message(
    *,
    capture_instructions: str | None,
    additional_instructions: str | None,
    existing: Sequence[UserMemory],
    tool_names: Sequence[str],
) -> str:
    """The default system message of a memory manager call."""
    parts = [
        "You maintain the long-term memories an assistant keeps about one user. Read the input and "
        "decide whether the memories need to change; use the tools to make the changes, then reply "
        "with a one-line note of what you changed. If nothing is worth remembering, change nothing.",
        f"<what_to_remember>\n{capture_instructions or DEFAULT_CAPTURE_INSTRUCTIONS}\n</what_to_remember>",
        f"<existing_memories>\n{format_existing(existing)}\n</existing_memories>",
    ]
    guidance = [_TOOL_GUIDANCE[name] for name in tool_names if name in _TOOL_GUIDANCE]
    if guidance:
        parts.append("<tools>\n" + "\n".join(guidance) + "\n</tools>")
    else:
        parts.append(
            "You may not change the memories in this conversation; reply with what you would change."
        )
    if additional_instructions:
        parts.append(additional_instructions)
    return "\n\n".join(parts)


SEARCH_SCHEMA: dict[str, object] = {
    "type": "object",
    "properties": {
        "memory_ids": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Ids of the relevant memories, most relevant first.",
        }
    },
    "required": ["memory_ids"],
    "additionalProperties": False,
}


def search_system_message(memories: Sequence[UserMemory], limit: int | None) -> str:
    """The system message of an agentic search: pick the memories relevant to a query."""
    listing = json.dumps(
        [{"id": m.memory_id, "memory": m.memory, "topics": m.topics or []} for m in memories], indent=1
    )
    cap = f" Return at most {limit} ids." if limit is not None else ""
    return (
        "You find which of a user's memories are relevant to a query. Answer with the ids of the "
        "relevant memories, most relevant first; answer with an empty list when none is relevant."
        f"{cap}\n\n<memories>\n{listing}\n</memories>"
    )
