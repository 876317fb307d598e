"""What the bot records, seen from the Discord layer: questions asked, votes, comments, /kb changes.

``QuestionLog`` ties the store (``bot.store``) to the bot. Answers never wait for it: a question's record
is built before the answer is sent (its id goes into the feedback buttons) and queued after; the
background recorder writes it. The database is opened lazily and reopened after a failure, so a
database that is down at start delays records, never the bot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from bot.store.database import Store, StoreUnavailable
from bot.store.recorder import Recorder, RecorderHealth
from bot.store.records import AuditRecord, CommentRecord, QuestionRecord, Record, VoteRecord

if TYPE_CHECKING:
    from bot.retrieval.knowledge_base import KnowledgeBase, SearchResult
    from bot.retrieval.live import RefreshOutcome

log = logging.getLogger(__name__)

PURGE_EVERY = 24 * 3600.0
# The first purge waits a little, so that a start (or a short-lived test bot) is not slowed by it.
FIRST_PURGE_AFTER = 60.0
# Passages recorded as "shown": the first page of an answer.
SHOWN_PASSAGES = 3
QUESTION_ID_BYTES = 8
# On shutdown, how long queued records may take to be written before they are given up (and counted).
CLOSE_TIMEOUT = 10.0
OPEN_WAIT = 10.0


@dataclass(frozen=True)
class Origin:
    """Where a question came from: who asked (never stored as such), the server and channel."""

    user_id: int
    guild_id: int | None
    channel_id: int | None
    source: str


def search_with_terms(knowledge_base: KnowledgeBase, question: str, k: int) -> tuple[SearchResult, str]:
    """Search, and the question's analysed words (sorted, corrected spellings included): its group key."""
    result = knowledge_base.search(question, k)
    terms = sorted({term.term or term.word for term in knowledge_base.analyse(question)})
    return result, " ".join(terms)


class QuestionLog:
    """The bot's recorder: builds records, queues them, answers votes and reports."""

    def __init__(self, url: str, *, record_questions: bool = True, keep_days: int = 90) -> None:
        self.url = url
        self.record_questions = record_questions
        self.keep_days = keep_days
        self._store: Store | None = None
        self._opening = asyncio.Lock()
        self.recorder = Recorder(self._write, backend=url.split(":", 1)[0])
        self.close_timeout = CLOSE_TIMEOUT
        # Database work that must not be cancelled half-way (a SQLite connection left open keeps its
        # thread, and the process, alive): close() waits for it instead.
        self._uncancelled: set[asyncio.Task[None]] = set()

    async def store(self) -> Store:
        """The open store, opening it (and migrating) on first use; ``StoreUnavailable`` when it cannot."""
        if self._store is not None:
            return self._store
        async with self._opening:
            if self._store is None:
                try:
                    self._store = await Store.open(self.url)
                except Exception as error:
                    raise StoreUnavailable(
                        str(error).splitlines()[0] if str(error) else repr(error)
                    ) from error
                self.recorder.backend = self._store.backend
        return self._store

    async def _write(self, batch: Sequence[Record]) -> None:
        await (await self.store()).write(batch)

    async def start(self, wait: float = OPEN_WAIT) -> None:
        """Open the database (applying migrations) and start writing.

        Waits up to ``wait`` seconds for the database, so that migrating does not compete with the
        first answers; a database that takes longer is opened in the background meanwhile.
        """
        self.recorder.start()
        await asyncio.wait({self._run_uncancelled(self._open_at_start())}, timeout=wait)

    async def _open_at_start(self) -> None:
        try:
            await self.store()
        except StoreUnavailable as error:
            log.error("the database is unavailable (%s); records wait and are retried", error)

    def _run_uncancelled(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(coroutine)
        self._uncancelled.add(task)
        task.add_done_callback(self._uncancelled.discard)
        return task

    async def close(self) -> None:
        """Write what is queued (within ``close_timeout``), then close the database."""
        if self._uncancelled:
            await asyncio.wait(set(self._uncancelled), timeout=self.close_timeout)
        await self.recorder.close(self.close_timeout)
        if self._store is not None:
            await self._store.close()
            self._store = None

    def health(self) -> RecorderHealth:
        """The recorder's queue, totals and last error."""
        return self.recorder.health()

    # ----------------------------------------------------------------- questions

    def new_question(self, result: SearchResult, terms: str, origin: Origin) -> QuestionRecord | None:
        """The record of an answer about to be sent (None when questions are not recorded).

        Queue it with ``submit`` once the answer is sent. The asker's id is hashed when written.
        """
        if not self.record_questions:
            return None
        shown = (
            tuple(hit.passage.passage_id for hit in result.hits[:SHOWN_PASSAGES]) if result.answered else ()
        )
        return QuestionRecord(
            id=secrets.token_hex(QUESTION_ID_BYTES),
            asked_at=dt.datetime.now(dt.UTC),
            guild_id=origin.guild_id,
            channel_id=origin.channel_id if origin.guild_id is not None else None,
            asker_id=origin.user_id,
            source=origin.source,
            question=result.question,
            answered=result.answered,
            terms=terms,
            unmatched=result.unmatched,
            passage_ids=shown,
        )

    def submit(self, record: Record | None) -> None:
        """Queue ``record`` for writing (never waits)."""
        if record is not None:
            self.recorder.submit(record)

    # ----------------------------------------------------------------- votes

    async def vote(self, question_id: str, user_id: int, helpful: bool) -> bool | None:
        """Press a vote button: set, change or (pressed again) withdraw; the vote now (None: withdrawn).

        Raises ``KeyError`` when the answer is no longer kept, ``StoreUnavailable`` when the database
        cannot say whose vote it is.
        """
        pending = self.recorder.pending_vote(question_id, user_id)
        if pending is not None:
            current = pending.helpful
        else:
            store = await self.store()
            try:
                queued = self.recorder.pending_question(question_id)
                if not queued and not await store.has_question(question_id):
                    raise KeyError(question_id)
                current = await store.vote_of(question_id, user_id)
            except (SQLAlchemyError, OSError) as error:
                raise StoreUnavailable(str(error).splitlines()[0] if str(error) else repr(error)) from error
        new = None if current is helpful else helpful
        self.submit(VoteRecord(question_id, user_id, new, dt.datetime.now(dt.UTC)))
        return new

    def comment(self, question_id: str, user_id: int, text: str) -> None:
        """Store what a member who voted "Not helpful" was looking for, with their vote."""
        self.submit(CommentRecord(question_id, user_id, text))

    # ----------------------------------------------------------------- audit log and retention

    async def record_refresh(self, outcome: RefreshOutcome) -> None:
        """Listener of ``LiveKnowledge``: every /kb change, accepted or refused, goes to the audit log."""
        self.submit(
            AuditRecord(outcome.at, outcome.action, outcome.requested_by, outcome.accepted, outcome.summary())
        )

    async def purge_daily(self, every: float = PURGE_EVERY, first: float = FIRST_PURGE_AFTER) -> None:
        """Delete questions older than the retention, ``first`` seconds after start, then every ``every``."""
        await asyncio.sleep(first)
        while True:
            # Shielded: cancelling this loop (at shutdown) lets a purge under way finish.
            await asyncio.shield(self._run_uncancelled(self.purge()))
            await asyncio.sleep(every)

    async def purge(self) -> None:
        """Delete questions older than the retention, with their votes and comments; log a failure."""
        try:
            removed = await (await self.store()).purge(self.keep_days)
        except Exception:
            log.exception("could not purge old questions; will try again")
            return
        if removed:
            log.info("purged %d question(s) older than %d days", removed, self.keep_days)
