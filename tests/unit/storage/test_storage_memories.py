"""User memories on every backend: CRUD, filters, topics, stats, ownership."""

from __future__ import annotations

import pytest
from agentos.db import BaseDb, OwnershipError
from agentos.memory import UserMemory


async def seed(db: BaseDb) -> list[UserMemory]:
    return await db.upsert_memories(
        [
            UserMemory(
                "Likes green tea", topics=["food", "drinks"], user_id="alice", agent_id="a1", updated_at=10
            ),
            UserMemory("Works as a nurse", topics=["work"], user_id="alice", team_id="t1", updated_at=20),
            UserMemory("Has a dog named Rex", topics=["pets"], user_id="bob", agent_id="a1", updated_at=30),
            UserMemory("Prefers 100% dark chocolate", topics=["food"], user_id="bob", updated_at=40),
            UserMemory("Global note", topics=None, user_id=None, updated_at=5),
        ]
    )


async def test_upsert_assigns_ids_and_round_trips(db: BaseDb) -> None:
    stored = await db.upsert_user_memory(
        UserMemory(
            "Lives in Lisbon", topics=["home"], input="I moved to Lisbon", user_id="alice", created_at=7
        )
    )
    assert stored.memory_id
    assert stored.created_at == 7 and stored.updated_at is not None
    loaded = await db.get_user_memory(stored.memory_id)
    assert loaded == stored
    assert loaded.input == "I moved to Lisbon"
    assert await db.get_user_memory(stored.memory_id, user_id="alice") == stored
    assert await db.get_user_memory(stored.memory_id, user_id="bob") is None
    assert await db.get_user_memory("missing") is None

    stored.memory = "Lives in Porto"
    stored.topics = ["home", "moves"]
    replaced = await db.upsert_user_memory(stored)
    assert replaced.memory_id == stored.memory_id and replaced.created_at == 7
    again = await db.get_user_memory(stored.memory_id)
    assert again is not None and again.memory == "Lives in Porto" and again.topics == ["home", "moves"]


async def test_memory_of_another_user_cannot_be_overwritten(db: BaseDb) -> None:
    stored = await db.upsert_user_memory(UserMemory("secret", user_id="alice"))
    with pytest.raises(OwnershipError):
        await db.upsert_user_memory(UserMemory("hijacked", memory_id=stored.memory_id, user_id="mallory"))
    loaded = await db.get_user_memory(str(stored.memory_id))
    assert loaded is not None and loaded.memory == "secret"


async def test_filters(db: BaseDb) -> None:
    await seed(db)

    async def texts(**filters: object) -> list[str]:
        page = await db.get_user_memories(order_by="updated_at", descending=False, **filters)  # type: ignore[arg-type]
        assert page.total == len(page.items)
        return [m.memory for m in page.items]

    assert len(await texts()) == 5
    assert await texts(user_id="alice") == ["Likes green tea", "Works as a nurse"]
    assert await texts(agent_id="a1") == ["Likes green tea", "Has a dog named Rex"]
    assert await texts(team_id="t1") == ["Works as a nurse"]
    assert await texts(topics=["food"]) == ["Likes green tea", "Prefers 100% dark chocolate"]
    assert await texts(topics=["pets", "work"]) == ["Works as a nurse", "Has a dog named Rex"]
    assert await texts(topics=["nothing"]) == []
    assert await texts(user_id="bob", topics=["food"]) == ["Prefers 100% dark chocolate"]
    assert await texts(search_content="TEA") == ["Likes green tea"]
    assert await texts(search_content="100%") == ["Prefers 100% dark chocolate"]
    assert await texts(search_content="a") == [
        "Global note",
        "Likes green tea",
        "Works as a nurse",
        "Has a dog named Rex",
        "Prefers 100% dark chocolate",
    ]


async def test_paging(db: BaseDb) -> None:
    await seed(db)
    newest_first = await db.get_user_memories(limit=2)
    assert [m.memory for m in newest_first.items] == ["Prefers 100% dark chocolate", "Has a dog named Rex"]
    assert newest_first.total == 5
    following = await db.get_user_memories(limit=2, page_token=newest_first.next_page_token)
    assert [m.memory for m in following.items] == ["Works as a nurse", "Likes green tea"]
    last = await db.get_user_memories(limit=2, page_token=following.next_page_token)
    assert [m.memory for m in last.items] == ["Global note"]
    assert last.next_page_token is None
    assert [m.memory for m in (await db.get_user_memories(limit=2, offset=2)).items] == [
        "Works as a nurse",
        "Likes green tea",
    ]


async def test_topics_and_stats(db: BaseDb) -> None:
    await seed(db)
    assert await db.get_all_memory_topics() == ["drinks", "food", "pets", "work"]
    assert await db.get_all_memory_topics(user_id="alice") == ["drinks", "food", "work"]
    stats = await db.get_user_memory_stats()
    assert stats.total == 2
    assert [(s.user_id, s.total_memories, s.last_memory_updated_at) for s in stats.items] == [
        ("bob", 2, 40),
        ("alice", 2, 20),
    ]
    second = await db.get_user_memory_stats(limit=1, offset=1)
    assert [s.user_id for s in second.items] == ["alice"] and second.total == 2


async def test_delete_and_clear(db: BaseDb) -> None:
    memories = await seed(db)
    ids = [str(m.memory_id) for m in memories]
    assert await db.delete_user_memory(ids[0], user_id="bob") is False
    assert await db.delete_user_memory(ids[0], user_id="alice") is True
    assert await db.delete_user_memory(ids[0]) is False
    assert await db.delete_user_memories(ids[1:4], user_id="bob") == 2
    assert await db.delete_user_memories([]) == 0
    assert (await db.get_user_memories()).total == 2
    await db.clear_memories()
    assert (await db.get_user_memories()).total == 0
    assert await db.get_all_memory_topics() == []
