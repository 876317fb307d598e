"""A PostgreSQL server that goes away and comes back: records wait, then are written; nothing is lost."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pytest
from postgres_server import PostgresServer, running_server

from bot.store.database import Store
from bot.store.recorder import Recorder
from bot.store.records import AuditRecord


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A server of this test's own, since the test stops it."""
    with running_server() as server:
        yield server


def entry(number: int) -> AuditRecord:
    return AuditRecord(dt.datetime(2026, 12, 4, tzinfo=dt.UTC), "reload", "mod", True, f"entry {number}")


async def test_records_wait_for_postgresql_to_come_back(own_server: PostgresServer) -> None:
    store = await Store.open(own_server.url())
    recorder = Recorder(store.write, backend=store.backend, interval=0.05)
    recorder.start()
    try:
        recorder.submit(entry(1))
        assert await recorder.flush(10)
        await asyncio.to_thread(own_server.pause)
        for number in range(2, 12):
            recorder.submit(entry(number))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if recorder.health().failing:
                break
        health = recorder.health()
        assert health.failing and health.pending == 10 and health.written == 1
        await asyncio.to_thread(own_server.resume)
        assert await recorder.flush(60)
        assert recorder.health().dropped == 0
        async with store.engine.connect() as connection:
            count = (await connection.exec_driver_sql("SELECT count(*) FROM audit")).scalar()
        assert count == 11
    finally:
        await recorder.close(1)
        await store.close()
