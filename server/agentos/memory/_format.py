"""How a user's memories are presented to an agent in its system message."""

from __future__ import annotations

from collections.abc import Sequence

from agentos.memory._user_memory import UserMemory

AGENTIC_MEMORY_TOOL = "update_user_memory"


def memories_for_context(memories: Sequence[UserMemory], *, agentic: bool) -> str:
    """The system-message section about what the agent remembers of this user.

    The memories come with a caveat that the current conversation wins: a memory may be stale
    (the user moved, changed their mind) and the model should not argue with the user about it.
    With agentic memory the section also tells the model it can change the memories itself.
    """
    if memories:
        listing = "\n".join(f"- {m.memory}" for m in memories)
        section = (
            "You remember these facts about the user from earlier conversations:\n"
            f"<memories_from_previous_interactions>\n{listing}\n</memories_from_previous_interactions>\n"
            "They may be out of date: when this conversation says otherwise, trust this conversation."
        )
    else:
        section = (
            "You can remember facts about the user across conversations, but you know nothing about them yet."
        )
    if agentic:
        section += (
            "\n\n<updating_user_memories>\n"
            f"- Use the `{AGENTIC_MEMORY_TOOL}` tool to add, change or delete memories about the user when "
            "they share something worth remembering, correct something you remember, or ask you to forget.\n"
            "- Describe the change in plain words in the `task` argument.\n"
            "</updating_user_memories>"
        )
    return section
