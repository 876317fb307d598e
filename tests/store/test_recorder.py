"""The background recorder: batches, waits out a database that is down, drops (counted) when full, flushes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.store.database import Store
from bot.store.recorder import Recorder
from bot.store.records import AuditRecord, Record, VoteRecord

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def entry(number: int) -> AuditRecord:
    return AuditRecord(NOW, "reload", "mod", True, f"entry {number}")


class FlakyDatabase:
    """Refuses writes while ``down``; remembers every batch it accepted."""

    def __init__(self, error: Exception | None = None) -> None:
        self.batches: list[list[Record]] = []
        self.error = error
        self.attempts = 0

    async def write(self, batch: Sequence[Record]) -> None:
        self.attempts += 1
        if self.error is not None:
            raise self.error
        self.batches.append(list(batch))


async def test_records_are_written_in_batches_in_order(store: Store) -> None:
    recorder = Recorder(store.write, backend=store.backend, interval=0.05)
    recorder.start()
    for number in range(120):
        assert recorder.submit(entry(number))
    assert await recorder.flush(10)
    await recorder.close()
    health = recorder.health()
    assert (health.written, health.dropped, health.pending, health.failing) == (120, 0, 0, False)
    assert health.backend == store.backend and health.last_write is not None
    async with store.engine.connect() as connection:
        count = (await connection.exec_driver_sql("SELECT count(*) FROM audit")).scalar()
    assert count == 120


async def test_a_database_that_is_down_makes_records_wait_then_they_are_written() -> None:
    database = FlakyDatabase(OperationalError("INSERT", {}, ConnectionRefusedError("down")))
    recorder = Recorder(database.write, interval=0.01)
    recorder.start()
    recorder.submit(entry(1))
    recorder.submit(VoteRecord("q1", 1, True, NOW))
    assert recorder.pending_vote("q1", 1) is not None
    assert recorder.pending_vote("q1", 2) is None
    assert not await recorder.flush(0.3)
    health = recorder.health()
    assert health.failing and health.pending == 2 and "OperationalError" in (health.last_error or "")
    database.error = None
    assert await recorder.flush(5)
    assert sum(len(b) for b in database.batches) == 2
    await recorder.close()
    assert recorder.dropped == 0


async def test_a_full_queue_drops_and_counts() -> None:
    database = FlakyDatabase()
    recorder = Recorder(database.write, max_pending=3)
    accepted = [recorder.submit(entry(n)) for n in range(5)]
    assert accepted == [True, True, True, False, False]
    assert recorder.health().dropped == 2
    await recorder.close()
    assert sum(len(b) for b in database.batches) == 3


async def test_a_batch_the_database_keeps_refusing_is_dropped_so_recording_goes_on() -> None:
    database = FlakyDatabase(IntegrityError("INSERT", {}, ValueError("duplicate")))
    recorder = Recorder(database.write, interval=0.0)
    recorder.submit(entry(1))
    for _ in range(5):
        await recorder.flush(0.05)
    assert recorder.dropped == 1
    database.error = None
    recorder.submit(entry(2))
    assert await recorder.flush(1)
    assert database.batches == [[entry(2)]]


async def test_close_writes_what_is_left_and_counts_what_it_cannot() -> None:
    database = FlakyDatabase()
    recorder = Recorder(database.write, interval=10.0)
    recorder.start()
    recorder.submit(entry(1))
    recorder.submit(entry(2))
    await asyncio.sleep(0.05)
    assert recorder.pending_question("nothing") is False
    await recorder.close()
    assert database.batches == [[entry(1), entry(2)]]

    down = FlakyDatabase(OperationalError("INSERT", {}, ConnectionRefusedError("down")))
    stuck = Recorder(down.write)
    stuck.submit(entry(3))
    await stuck.close(timeout=0.2)
    assert stuck.dropped == 1
