"""One database object used from several event loops: its own loop, fresh loops made by
``asyncio.run``, loops in other threads (as the sync Agent API makes), concurrently."""

from __future__ import annotations

import asyncio
import threading

import pytest
from agentos.db import BaseDb, SqliteDb
from agentos.session import AgentSession


async def save_and_read(db: BaseDb, session_id: str, runs: int) -> int:
    session = AgentSession(session_id=session_id)
    await asyncio.gather(
        *(
            db.save_run(session, {"run_id": f"{session_id}-{i}", "session_id": session_id})
            for i in range(runs)
        )
    )
    return len(await db.get_runs(session_id))


@pytest.mark.sql_only
async def test_loops_in_threads_and_fresh_loops_share_one_db(db: BaseDb) -> None:
    assert await save_and_read(db, "here", 3) == 3
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def in_thread(name: str) -> None:
        loop = asyncio.new_event_loop()  # kept open, like the sync Agent API's per-thread loop
        try:
            results[name] = loop.run_until_complete(save_and_read(db, name, 5))
            results[name + "-again"] = loop.run_until_complete(save_and_read(db, name + "-again", 2))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=in_thread, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    # This loop keeps working while the threads' loops use the same object.
    assert await save_and_read(db, "meanwhile", 4) == 4
    for thread in threads:
        await asyncio.to_thread(thread.join, 60)
    assert errors == []
    assert results == {"t0": 5, "t0-again": 2, "t1": 5, "t1-again": 2, "t2": 5, "t2-again": 2}
    # Fresh loops, one after the other, each closed at the end (its engine disposed with it).
    for i in range(2):
        count = await asyncio.to_thread(lambda i=i: asyncio.run(save_and_read(db, f"fresh{i}", 2)))  # type: ignore[misc]
        assert count == 2
    assert await save_and_read(db, "here", 0) == 3


@pytest.mark.sql_only
async def test_close_releases_every_loop_and_the_db_reconnects(db: BaseDb) -> None:
    assert await save_and_read(db, "a", 1) == 1
    await asyncio.to_thread(lambda: asyncio.new_event_loop().run_until_complete(save_and_read(db, "b", 1)))
    await db.close()
    assert await save_and_read(db, "c", 1) == 1
    assert len(await db.get_runs("a")) == 1


async def test_a_user_engine_is_left_to_its_owner(tmp_path: object) -> None:
    from pathlib import Path

    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    assert isinstance(tmp_path, Path)
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'user.db'}")
    db = SqliteDb(db_engine=engine)
    assert await save_and_read(db, "a", 2) == 2
    other = await asyncio.to_thread(lambda: asyncio.run(save_and_read(db, "b", 1)))
    assert other == 1
    await db.close()
    async with engine.connect() as conn:  # still the caller's, still usable
        assert (await conn.execute(text("SELECT count(*) FROM agentos_runs"))).scalar_one() == 3
    await engine.dispose()
