"""MemoryManager: direct CRUD, model-driven changes through the memory tools, and search."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from agentos.db import BaseDb, InMemoryDb
from agentos.exceptions import ModelNotConfiguredError
from agentos.memory import MemoryManager, UserMemory
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, tool_call, tool_calls

_ID_LINE = re.compile(r"- id: (\S+) \| (.+?)(?: \[topics: .*\])?$", re.M)


def existing_memories(messages: list[Message]) -> dict[str, str]:
    """The id -> text of the memories the manager listed in its system message."""
    return dict(_ID_LINE.findall(messages[0].content_text()))


# -- direct access --------------------------------------------------------------------------------


async def test_crud_through_the_manager(db: BaseDb) -> None:
    manager = MemoryManager(db=db)
    memory = UserMemory(memory="Likes tea", topics=["drinks"])
    memory_id = await manager.aadd_user_memory(memory, user_id="ann")
    assert memory.memory_id == memory_id and memory.user_id == "ann"

    got = await manager.aget_user_memory(memory_id, user_id="ann")
    assert got is not None and got.memory == "Likes tea" and got.topics == ["drinks"]
    # Another user cannot see it, whatever the id.
    assert await manager.aget_user_memory(memory_id, user_id="bob") is None
    assert await manager.aget_user_memories("bob") == []

    await manager.areplace_user_memory(memory_id, UserMemory(memory="Likes green tea"), user_id="ann")
    [only] = await manager.aget_user_memories("ann")
    assert (only.memory_id, only.memory) == (memory_id, "Likes green tea")

    assert await manager.adelete_user_memory(memory_id, user_id="bob") is False
    assert await manager.adelete_user_memory(memory_id, user_id="ann") is True
    assert await manager.aget_user_memories("ann") == []


async def test_memories_without_a_user_belong_to_the_default_user(db: BaseDb) -> None:
    manager = MemoryManager(db=db)
    await manager.aadd_user_memory(UserMemory(memory="Prefers email"))
    [memory] = await manager.aget_user_memories()
    assert memory.user_id == "default"
    assert [m.memory for m in await manager.aget_user_memories("default")] == ["Prefers email"]


async def test_clear_removes_every_users_memories(db: BaseDb) -> None:
    manager = MemoryManager(db=db)
    for user in ("ann", "bob"):
        await manager.aadd_user_memory(UserMemory(memory=f"{user} fact"), user_id=user)
    assert set(await manager.aread_from_db()) == {"ann", "bob"}
    await manager.aclear()
    assert await manager.aread_from_db() == {}


async def test_a_manager_without_a_database_or_model_says_what_is_missing() -> None:
    with pytest.raises(ValueError, match="no database"):
        await MemoryManager().aget_user_memories("ann")
    with pytest.raises(ModelNotConfiguredError, match="no model"):
        await MemoryManager(db=InMemoryDb()).acreate_user_memories("My name is Ann", user_id="ann")


def test_sync_twins_drive_the_async_methods() -> None:
    # InMemoryDb: a SqliteDb's connections would stay open on the sync API's private loop.
    manager = MemoryManager(db=InMemoryDb())
    memory_id = manager.add_user_memory(UserMemory(memory="Lives in Oslo"), user_id="ann")
    assert [m.memory for m in manager.get_user_memories("ann")] == ["Lives in Oslo"]
    assert manager.get_user_memory(memory_id, user_id="ann") is not None
    assert manager.search_user_memories(limit=1, user_id="ann")[0].memory_id == memory_id
    assert manager.delete_user_memory(memory_id, user_id="ann") is True
    manager.clear()
    assert manager.read_from_db() == {}


async def test_sync_twins_refuse_to_block_a_running_loop() -> None:
    with pytest.raises(RuntimeError, match="aget_user_memories"):
        MemoryManager(db=InMemoryDb()).get_user_memories("ann")


# -- model-driven changes -------------------------------------------------------------------------


def curator(messages: list[Message], info: ModelCallInfo) -> Any:
    """A memory model: remembers "my name is X", forgets the memory about coffee when asked,
    and corrects the city when the user says they moved."""
    if info.turn > 0:
        return "done"
    text = messages[-1].content_text()
    existing = existing_memories(messages)
    calls = []
    name = re.search(r"my name is (\w+)", text, re.I)
    if name:
        calls.append(tool_call("add_memory", memory=f"The user's name is {name.group(1)}", topics=["name"]))
    if "forget the coffee" in text:
        calls += [tool_call("delete_memory", memory_id=i) for i, m in existing.items() if "coffee" in m]
    moved = re.search(r"moved to (\w+)", text)
    if moved:
        calls += [
            tool_call("update_memory", memory_id=i, memory=f"The user lives in {moved.group(1)}")
            for i, m in existing.items()
            if "lives in" in m
        ]
    return tool_calls(*calls) if calls else "nothing to remember"


async def test_the_model_adds_updates_and_deletes_memories(db: BaseDb) -> None:
    manager = MemoryManager(model=FunctionModel(fn=curator), db=db)
    await manager.aadd_user_memory(UserMemory(memory="The user lives in Paris"), user_id="ann")
    await manager.aadd_user_memory(UserMemory(memory="The user drinks coffee"), user_id="ann")

    reply = await manager.acreate_user_memories(
        "Hi, my name is Ann. I moved to Rome, and please forget the coffee thing.",
        user_id="ann",
        agent_id="a1",
    )
    assert reply == "done"
    memories = {m.memory: m for m in await manager.aget_user_memories("ann")}
    assert set(memories) == {"The user's name is Ann", "The user lives in Rome"}
    added = memories["The user's name is Ann"]
    assert added.topics == ["name"] and added.agent_id == "a1"
    assert added.input is not None and added.input.startswith("Hi, my name is Ann")


async def test_nothing_worth_remembering_changes_nothing(db: BaseDb) -> None:
    manager = MemoryManager(model=FunctionModel(fn=curator), db=db)
    assert await manager.acreate_user_memories("What is 2 + 2?", user_id="ann") == "nothing to remember"
    assert await manager.aget_user_memories("ann") == []


async def test_the_model_cannot_touch_another_users_memories(db: BaseDb) -> None:
    manager = MemoryManager(db=db)
    bobs = await manager.aadd_user_memory(UserMemory(memory="Bob's secret"), user_id="bob")
    model = ScriptedModel(
        steps=[
            tool_calls(
                tool_call("delete_memory", memory_id=bobs),
                tool_call("update_memory", memory_id=bobs, memory="x"),
            ),
            "ok",
        ]
    )
    manager = MemoryManager(model=model, db=db)
    await manager.aupdate_memory_task("forget everything", user_id="ann")
    [kept] = await manager.aget_user_memories("bob")
    assert kept.memory == "Bob's secret"


async def test_the_tool_results_tell_the_model_what_went_wrong() -> None:
    seen: list[str] = []

    def model_fn(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn == 0:
            return tool_calls(
                tool_call("update_memory", memory_id="nope", memory="x"),
                tool_call("no_such_tool"),
                tool_call("add_memory", memory="   "),
            )
        seen.extend(m.content_text() for m in messages if m.role == "tool")
        return ""

    manager = MemoryManager(model=FunctionModel(fn=model_fn), db=InMemoryDb())
    # No closing note from the model: the reply describes what changed.
    assert await manager.aupdate_memory_task("do things", user_id="ann") == "No memories were changed."
    assert "no memory with id 'nope'" in seen[0]
    assert "no tool named 'no_such_tool'" in seen[1]
    assert "empty" in seen[2]


async def test_the_tool_flags_choose_what_the_model_may_do() -> None:
    offered: list[list[str]] = []

    def model_fn(messages: list[Message], info: ModelCallInfo) -> str:
        offered.append([t.name for t in info.tools])
        return "ok"

    model = FunctionModel(fn=model_fn)
    db = InMemoryDb()
    await MemoryManager(model=model, db=db).aupdate_memory_task("x", user_id="u")
    await MemoryManager(model=model, db=db, delete_memories=False, clear_memories=True).aupdate_memory_task(
        "x", user_id="u"
    )
    assert offered == [
        ["add_memory", "update_memory", "delete_memory"],
        ["add_memory", "update_memory", "clear_memory"],
    ]


async def test_clear_memory_tool_only_clears_the_users_memories() -> None:
    db = InMemoryDb()
    manager = MemoryManager(
        model=ScriptedModel(steps=[tool_call("clear_memory"), "cleared"]), db=db, clear_memories=True
    )
    for user in ("ann", "bob"):
        await manager.aadd_user_memory(UserMemory(memory="fact"), user_id=user)
    await manager.aupdate_memory_task("forget everything about me", user_id="ann")
    assert await manager.aget_user_memories("ann") == []
    assert len(await manager.aget_user_memories("bob")) == 1


async def test_existing_memories_and_instructions_reach_the_model() -> None:
    prompts: list[str] = []

    def model_fn(messages: list[Message], info: ModelCallInfo) -> str:
        prompts.append(messages[0].content_text())
        return "ok"

    db = InMemoryDb()
    manager = MemoryManager(
        model=FunctionModel(fn=model_fn),
        db=db,
        memory_capture_instructions="Only remember pet names.",
        additional_instructions="Write memories in French.",
    )
    memory_id = await manager.aadd_user_memory(UserMemory(memory="Has a cat named Tom"), user_id="ann")
    await manager.acreate_user_memories(messages=[Message(role="user", content="hello")], user_id="ann")
    assert f"- id: {memory_id} | Has a cat named Tom" in prompts[0]
    assert "Only remember pet names." in prompts[0] and prompts[0].endswith("Write memories in French.")

    custom = MemoryManager(model=FunctionModel(fn=model_fn), db=db, system_message="You are terse.")
    await custom.acreate_user_memories("hello", user_id="ann")
    assert prompts[1] == "You are terse."


async def test_a_conversation_is_shown_to_the_model_as_one_user_turn() -> None:
    turns: list[list[tuple[str, str]]] = []

    def model_fn(messages: list[Message], info: ModelCallInfo) -> str:
        turns.append([(m.role, m.content_text()) for m in messages[1:]])
        return "ok"

    manager = MemoryManager(model=FunctionModel(fn=model_fn), db=InMemoryDb())
    await manager.acreate_user_memories(
        messages=[
            Message(role="system", content="ignored"),
            Message(role="user", content="I am vegan"),
            Message(role="assistant", content="Noted"),
        ],
        user_id="ann",
    )
    [[(role, text)]] = turns
    assert role == "user"
    assert text == "<conversation>\nuser: I am vegan\nassistant: Noted\n</conversation>"


# -- search ---------------------------------------------------------------------------------------


async def _three_memories(manager: MemoryManager) -> list[str]:
    ids = []
    for stamp, text in ((100, "oldest"), (200, "middle"), (300, "newest")):
        ids.append(await manager.aadd_user_memory(UserMemory(memory=text, updated_at=stamp), user_id="ann"))
    return ids


async def test_last_n_and_first_n_search(db: BaseDb) -> None:
    manager = MemoryManager(db=db)
    await _three_memories(manager)
    await manager.aadd_user_memory(UserMemory(memory="someone else's", updated_at=400), user_id="bob")

    def texts(memories: list[UserMemory]) -> list[str]:
        return [m.memory for m in memories]

    assert texts(await manager.asearch_user_memories(limit=2, user_id="ann")) == ["middle", "newest"]
    assert texts(await manager.asearch_user_memories(limit=2, retrieval_method="first_n", user_id="ann")) == [
        "oldest",
        "middle",
    ]
    assert texts(await manager.asearch_user_memories(retrieval_method="last_n", user_id="ann")) == [
        "oldest",
        "middle",
        "newest",
    ]
    with pytest.raises(ValueError, match="retrieval_method"):
        await manager.asearch_user_memories(retrieval_method="random", user_id="ann")  # type: ignore[arg-type]


async def test_agentic_search_lets_the_model_pick(db: BaseDb) -> None:
    requests: list[Any] = []

    def picker(messages: list[Message], info: ModelCallInfo) -> dict[str, Any]:
        requests.append(info.response_format)
        listed = json.loads(messages[0].content_text().split("<memories>\n")[1].split("\n</memories>")[0])
        query = messages[-1].content_text()
        # Relevant: memories sharing a word with the query, newest first; plus an unknown id.
        ids = [m["id"] for m in reversed(listed) if set(m["memory"].split()) & set(query.split())]
        return {"memory_ids": [*ids, "not-a-memory-id"]}

    manager = MemoryManager(model=FunctionModel(fn=picker), db=db)
    for text in ("likes green tea", "plays chess", "likes black tea"):
        await manager.aadd_user_memory(UserMemory(memory=text), user_id="ann")
    found = await manager.asearch_user_memories("which tea", retrieval_method="agentic", user_id="ann")
    assert sorted(m.memory for m in found) == ["likes black tea", "likes green tea"]
    one = await manager.asearch_user_memories("which tea", limit=1, retrieval_method="agentic", user_id="ann")
    assert len(one) == 1
    # The scripted model supports native structured output, so it was asked for a schema.
    assert requests[0].kind == "json_schema" and "memory_ids" in json.dumps(requests[0].schema)
    assert await manager.asearch_user_memories("tea", retrieval_method="agentic", user_id="nobody") == []
    with pytest.raises(ValueError, match="query"):
        await manager.asearch_user_memories(retrieval_method="agentic", user_id="ann")


async def test_agentic_search_understands_a_prose_answer() -> None:
    db = InMemoryDb()
    manager = MemoryManager(db=db)
    ids = await _three_memories(manager)
    prose = FunctionModel(fn=lambda messages, info: f"The relevant ones are {ids[2]} and then {ids[0]}.")
    found = await MemoryManager(model=prose, db=db).asearch_user_memories(
        "q", retrieval_method="agentic", user_id="ann"
    )
    assert [m.memory for m in found] == ["newest", "oldest"]
