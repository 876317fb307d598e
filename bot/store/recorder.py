"""The background recorder: answers never wait for the database.

Records go into a bounded in-memory queue (``submit`` never awaits); one task writes them in batches,
at most every ``interval`` seconds. When the database is down or slow the batch is retried with a
growing pause while new records wait in the queue; once the queue is full, new records are dropped,
counted and logged. ``close`` writes what is left (on SIGTERM) within a time bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.store.records import Record, VoteRecord

log = logging.getLogger(__name__)

MAX_PENDING = 10_000
BATCH_SIZE = 500
INTERVAL = 0.25
RETRY_FIRST = 0.5
RETRY_MAX = 30.0
# A batch refused this many times in a row for a reason other than the database being unreachable
# (bad data) is dropped, so one bad record cannot stop all recording.
MAX_REFUSALS = 5


@dataclass(frozen=True)
class RecorderHealth:
    """What /kb status shows of the store."""

    backend: str
    pending: int
    written: int
    dropped: int
    failing: bool
    last_error: str | None
    last_write: dt.datetime | None


def _unreachable(error: BaseException) -> bool:
    """True when ``error`` says the database cannot be reached now (worth waiting for), not bad data."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from bot.store.database import StoreUnavailable

    if isinstance(error, StoreUnavailable | OperationalError | OSError | TimeoutError | ConnectionError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class Recorder:
    """Writes records through ``write`` (``Store.write``) in batches, off the answering path."""

    def __init__(
        self,
        write: Callable[[Sequence[Record]], Awaitable[None]],
        *,
        backend: str = "?",
        max_pending: int = MAX_PENDING,
        batch_size: int = BATCH_SIZE,
        interval: float = INTERVAL,
    ) -> None:
        self._write = write
        self.backend = backend
        self._queue: asyncio.Queue[Record] = asyncio.Queue(max_pending)
        self._batch: list[Record] = []
        self.batch_size = batch_size
        self.interval = interval
        self.written = 0
        self.dropped = 0
        self._failures = 0
        self._last_error: str | None = None
        self._last_write: dt.datetime | None = None
        self._last_drop_log = 0.0
        self._task: asyncio.Task[None] | None = None
        self._writing = False

    def submit(self, record: Record) -> bool:
        """Queue ``record``; False (counted, logged at most every minute) when the queue is full."""
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self.dropped += 1
            now = time.monotonic()
            if now - self._last_drop_log > 60:
                self._last_drop_log = now
                log.warning("recorder queue full: %d record(s) dropped so far", self.dropped)
            return False
        return True

    def pending_vote(self, question_id: str, voter_id: int) -> VoteRecord | None:
        """The newest vote of ``voter_id`` on ``question_id`` not written yet, if any."""
        found: VoteRecord | None = None
        for record in [*self._batch, *self._queue._queue]:  # type: ignore[attr-defined]
            if isinstance(record, VoteRecord) and (record.question_id, record.voter_id) == (
                question_id,
                voter_id,
            ):
                found = record
        return found

    def pending_question(self, question_id: str) -> bool:
        """True when the question ``question_id`` is waiting to be written."""
        return any(
            getattr(record, "id", None) == question_id
            for record in [*self._batch, *self._queue._queue]  # type: ignore[attr-defined]
        )

    def health(self) -> RecorderHealth:
        """Queue length, totals and the last error."""
        return RecorderHealth(
            backend=self.backend,
            pending=self._queue.qsize() + len(self._batch),
            written=self.written,
            dropped=self.dropped,
            failing=self._failures > 0,
            last_error=self._last_error,
            last_write=self._last_write,
        )

    def start(self) -> None:
        """Start the writing task (once)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="recorder")

    async def _run(self) -> None:
        while True:
            if not self._batch:
                self._batch.append(await self._queue.get())
                # Gather what arrives within one interval into the same transaction.
                await asyncio.sleep(self.interval)
            self._take()
            if await self._write_batch():
                pause = 0.0
            else:
                pause = min(RETRY_MAX, RETRY_FIRST * 2 ** (self._failures - 1))
            if pause:
                await asyncio.sleep(pause)

    def _take(self) -> None:
        while len(self._batch) < self.batch_size and not self._queue.empty():
            self._batch.append(self._queue.get_nowait())

    async def _write_batch(self) -> bool:
        """Write the current batch; True when it is done with (written, or dropped as bad data)."""
        batch = self._batch
        self._writing = True
        try:
            await self._write(batch)
        except Exception as error:
            self._failures += 1
            self._last_error = (
                f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
            )
            if not _unreachable(error) and self._failures >= MAX_REFUSALS:
                log.error("dropping %d record(s) the database refused: %s", len(batch), self._last_error)
                self.dropped += len(batch)
                self._done()
                return True
            log.warning("could not write %d record(s), will retry: %s", len(batch), self._last_error)
            return False
        finally:
            self._writing = False
        self.written += len(batch)
        self._last_write = dt.datetime.now(dt.UTC)
        self._done()
        return True

    def _done(self) -> None:
        self._batch = []
        self._failures = 0

    async def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted so far is written; False when ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        while self._batch or not self._queue.empty():
            if time.monotonic() > deadline:
                return False
            if self._task is None:
                await self._drain_once()
            else:
                await asyncio.sleep(0.01)
        return True

    async def _drain_once(self) -> bool:
        """Write one batch from this task (the writing task is not running)."""
        self._take()
        return await self._write_batch()

    async def close(self, timeout: float = 10.0) -> None:
        """Stop the task and write what is left, giving up (counted as dropped) after ``timeout``."""
        if self._task is not None:
            # Never cancel a write half-way: the batch would be neither written nor safely retried.
            while self._writing:
                await asyncio.sleep(0.005)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        deadline = time.monotonic() + timeout
        while (self._batch or not self._queue.empty()) and time.monotonic() < deadline:
            if not await self._drain_once():
                await asyncio.sleep(min(RETRY_FIRST, max(0.0, deadline - time.monotonic())))
        lost = self._queue.qsize() + len(self._batch)
        if lost:
            self.dropped += lost
            log.error("shutting down: %d record(s) could not be written", lost)
