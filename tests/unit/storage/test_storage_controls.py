"""Run controls on every backend: cancel requests and request_id claims (insert-if-absent,
expiry on read and by cleanup), shared by database objects on one store as replicas share it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from agentos.db import BaseDb, MigrationManager, TableNames

DbFactory = Callable[[], Awaitable[BaseDb]]


async def test_cancel_requests_are_recorded_read_in_one_call_and_deleted(make_db: DbFactory) -> None:
    writer, reader = await make_db(), await make_db()
    first = await writer.record_cancel_request("r1", reason="stop", requested_by="user:ann")
    assert first.run_id == "r1" and first.reason == "stop" and first.requested_by == "user:ann"
    assert first.expires_at - first.requested_at == pytest.approx(600.0)
    await writer.record_cancel_request("r2")

    found = await reader.get_cancel_requests(["r1", "r2", "r3", "r1"])
    assert set(found) == {"r1", "r2"}
    assert found["r1"].reason == "stop" and found["r2"].reason is None
    assert await reader.get_cancel_requests([]) == {}

    # A later request replaces the reason and restarts the expiry.
    await writer.record_cancel_request("r1", reason="again", ttl_seconds=60)
    again = (await reader.get_cancel_requests(["r1"]))["r1"]
    assert again.reason == "again" and again.expires_at - again.requested_at == pytest.approx(60.0)

    assert await reader.delete_cancel_requests(["r1", "r3"]) == 1
    assert set(await writer.get_cancel_requests(["r1", "r2"])) == {"r2"}


async def test_many_run_ids_are_polled_at_once(db: BaseDb) -> None:
    ids = [f"run-{i}" for i in range(1200)]  # past SQLite's bound-parameter chunks
    for run_id in ids[::100]:
        await db.record_cancel_request(run_id)
    assert sorted(await db.get_cancel_requests(ids)) == sorted(ids[::100])
    assert await db.delete_cancel_requests(ids) == 12


async def test_expired_cancel_requests_are_invisible_and_cleaned_up(db: BaseDb) -> None:
    await db.record_cancel_request("old", ttl_seconds=0)
    await db.record_cancel_request("fresh", ttl_seconds=600)
    assert set(await db.get_cancel_requests(["old", "fresh"])) == {"fresh"}
    await db.claim_request_id("gone", fingerprint="f", run_id="r", ttl_seconds=0)
    await db.claim_request_id("kept", fingerprint="f", run_id="r", ttl_seconds=600)
    assert await db.get_request_claim("gone") is None

    assert await db.delete_expired_controls() == 2
    assert await db.delete_expired_controls() == 0
    assert set(await db.get_cancel_requests(["old", "fresh"])) == {"fresh"}
    assert await db.get_request_claim("kept") is not None
    with pytest.raises(ValueError, match="ttl_seconds"):
        await db.record_cancel_request("x", ttl_seconds=-1)


async def test_a_request_id_is_claimed_once_and_the_loser_learns_the_winner(make_db: DbFactory) -> None:
    a, b = await make_db(), await make_db()
    won = await a.claim_request_id("key-1", fingerprint="fp", run_id="run-a", ttl_seconds=60)
    lost = await b.claim_request_id("key-1", fingerprint="other", run_id="run-b", ttl_seconds=60)
    assert won.claimed and won.run_id == "run-a" and won.sequence is None
    assert not lost.claimed and lost.run_id == "run-a" and lost.fingerprint == "fp"

    assert await a.mark_request_started("key-1", run_id="run-a", sequence=7)
    assert not await b.mark_request_started("key-1", run_id="run-b", sequence=1)
    stored = await b.get_request_claim("key-1")
    assert stored is not None and stored.run_id == "run-a" and stored.sequence == 7 and not stored.claimed

    # Only the holder releases; then the key is free for a new attempt.
    assert not await b.release_request_claim("key-1", run_id="run-b")
    assert await a.release_request_claim("key-1", run_id="run-a")
    assert await b.get_request_claim("key-1") is None
    retry = await b.claim_request_id("key-1", fingerprint="fp", run_id="run-b", ttl_seconds=60)
    assert retry.claimed and retry.run_id == "run-b"


async def test_an_expired_claim_is_replaced(db: BaseDb) -> None:
    await db.claim_request_id("k", fingerprint="fp", run_id="first", ttl_seconds=0)
    again = await db.claim_request_id("k", fingerprint="fp2", run_id="second", ttl_seconds=60)
    assert again.claimed and again.run_id == "second" and again.fingerprint == "fp2"


async def test_concurrent_claims_have_exactly_one_winner(make_db: DbFactory) -> None:
    dbs = [await make_db() for _ in range(6)]
    claims = await asyncio.gather(
        *(
            db.claim_request_id("contended", fingerprint="fp", run_id=f"run-{i}", ttl_seconds=60)
            for i, db in enumerate(dbs)
        )
    )
    winners = [claim for claim in claims if claim.claimed]
    assert len(winners) == 1
    assert {claim.run_id for claim in claims} == {winners[0].run_id}


async def test_controls_follow_the_run_table_type_migrations(db: BaseDb) -> None:
    manager = MigrationManager(db)
    await db.record_cancel_request("r1")
    await db.claim_request_id("k", fingerprint="fp", run_id="r1", ttl_seconds=60)
    steps = await manager.down("1.0.0", table_type="run")
    assert [(s.table_type, str(s.version), s.direction) for s in steps] == [("run", "1.1.0", "down")]
    # The next ordinary call provisions 1.1.0 again, with empty control tables.
    assert await db.get_cancel_requests(["r1"]) == {}
    assert await db.get_request_claim("k") is None


def test_control_table_names_follow_a_custom_run_table() -> None:
    assert TableNames().run_control_table == "agentos_run_controls"
    custom = TableNames.with_defaults(run_table="tenant_runs")
    assert custom.run_control_table == "tenant_runs_controls"
    assert custom.request_id_table == "tenant_runs_request_ids"
    named = TableNames.with_defaults(run_table="tenant_runs", run_control_table="ctl")
    assert named.run_control_table == "ctl"


@pytest.mark.sql_only
async def test_a_database_at_schema_1_0_0_is_upgraded_in_place(make_db: DbFactory) -> None:
    first = await make_db()
    await MigrationManager(first).up(target_version="1.0.0")
    second = await make_db()
    applied = await MigrationManager(second).up()
    assert {(s.table_type, str(s.version)) for s in applied} >= {("run", "1.1.0")}
    await second.record_cancel_request("upgraded")
    assert set(await first.get_cancel_requests(["upgraded"])) == {"upgraded"}
