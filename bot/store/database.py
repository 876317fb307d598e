"""The database: open it (SQLite in WAL mode or PostgreSQL), migrate it, write batches, purge old rows.

One code path for both engines: SQLAlchemy 2's asyncio Core over ``aiosqlite`` or ``asyncpg``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, event, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.records import AuditRecord, CommentRecord, QuestionRecord, Record, VoteRecord
from bot.store.schema import audit, questions, store_meta, votes

DEFAULT_URL = "sqlite+aiosqlite:///data/bot.sqlite3"
MIGRATIONS = Path(__file__).parent / "migrations"
SALT_KEY = "member_salt"
# How long a SQLite writer waits for another one (the CLI, a second bot) before giving up.
SQLITE_BUSY_MS = 5000


class StoreUnavailable(Exception):
    """The database cannot be reached now (records wait and are retried)."""


def async_url(url: str) -> str:
    """``url`` with the asyncio driver named: ``sqlite://`` gets aiosqlite, ``postgresql://`` asyncpg."""
    parsed = make_url(url)
    drivers = {
        "sqlite": "sqlite+aiosqlite",
        "postgresql": "postgresql+asyncpg",
        "postgres": "postgresql+asyncpg",
    }
    name = drivers.get(parsed.drivername)
    return parsed.set(drivername=name).render_as_string(hide_password=False) if name else url


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware UTC datetime (SQLite gives naive ones back)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def upgrade_schema(connection: Connection, revision: str = "head") -> None:
    """Apply the Alembic migrations up to ``revision`` on a synchronous connection."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer; NORMAL is durable across a crash of the bot (not of the OS).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


class Store:
    """An open database: the engine and the salt members' ids are hashed with."""

    def __init__(self, engine: AsyncEngine, salt: str) -> None:
        self.engine = engine
        self._salt = salt

    @classmethod
    async def open(cls, url: str = DEFAULT_URL, *, migrate: bool = True) -> Store:
        """Connect (creating a SQLite file and its folder on first use), migrate, and read the salt."""
        url = async_url(url)
        parsed = make_url(url)
        options: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        else:
            options.update(pool_pre_ping=True, pool_size=5, max_overflow=5)
        engine = create_async_engine(url, **options)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        try:
            if migrate:
                async with engine.begin() as connection:
                    await connection.run_sync(upgrade_schema)
            salt = await cls._salt_of(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, salt)

    @staticmethod
    async def _salt_of(engine: AsyncEngine) -> str:
        """The salt, generated on first use; a concurrent first start keeps whichever was written first."""
        query = select(store_meta.c.value).where(store_meta.c.key == SALT_KEY)
        async with engine.begin() as connection:
            salt = (await connection.execute(query)).scalar_one_or_none()
        if salt is not None:
            return str(salt)
        # Another process may write it first: then its salt is read back and used.
        with contextlib.suppress(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(insert(store_meta).values(key=SALT_KEY, value=secrets.token_hex(16)))
        async with engine.begin() as connection:
            return str((await connection.execute(query)).scalar_one())

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    async def close(self) -> None:
        """Close every connection."""
        await self.engine.dispose()

    def member_key(self, user_id: int) -> str:
        """A member's salted hash: the same member gives the same key, and the key gives no id back."""
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:32]

    async def write(self, batch: Sequence[Record]) -> None:
        """Write ``batch`` in one transaction, in order (a vote after its question, a comment after it)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_write_batch, list(batch), self.member_key)

    async def vote_of(self, question_id: str, user_id: int) -> bool | None:
        """The member's current vote on an answer: True, False or None (no vote)."""
        voter = self.member_key(user_id)
        query = select(votes.c.helpful).where(votes.c.question_id == question_id, votes.c.voter == voter)
        async with self.engine.connect() as connection:
            value = (await connection.execute(query)).scalar_one_or_none()
        return None if value is None else bool(value)

    async def has_question(self, question_id: str) -> bool:
        """True while the answer ``question_id`` is kept (not purged)."""
        query = select(questions.c.id).where(questions.c.id == question_id)
        async with self.engine.connect() as connection:
            return (await connection.execute(query)).first() is not None

    async def purge(self, keep_days: int, now: dt.datetime | None = None) -> int:
        """Delete questions older than ``keep_days`` and their votes and comments; how many questions."""
        cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=keep_days)
        old = select(questions.c.id).where(questions.c.asked_at < cutoff)
        async with self.engine.begin() as connection:
            await connection.execute(delete(votes).where(votes.c.question_id.in_(old)))
            result = await connection.execute(delete(questions).where(questions.c.asked_at < cutoff))
        return int(result.rowcount or 0)


def _write_batch(connection: Connection, batch: list[Record], member_key: Callable[[int], str]) -> None:
    """Consecutive questions go in one statement; votes, comments and audit entries in order."""
    pending: list[dict[str, Any]] = []

    def flush_questions() -> None:
        if pending:
            connection.execute(insert(questions), pending)
            pending.clear()

    for record in batch:
        if isinstance(record, QuestionRecord):
            pending.append(
                {
                    "id": record.id,
                    "asked_at": record.asked_at,
                    "guild_id": record.guild_id,
                    "channel_id": record.channel_id,
                    "asker": member_key(record.asker_id),
                    "source": record.source,
                    "question": record.question,
                    "answered": record.answered,
                    "terms": record.terms,
                    "unmatched": json.dumps(list(record.unmatched)),
                    "passage_ids": json.dumps(list(record.passage_ids)),
                }
            )
            continue
        flush_questions()
        if isinstance(record, VoteRecord):
            voter = member_key(record.voter_id)
            key = (votes.c.question_id == record.question_id) & (votes.c.voter == voter)
            connection.execute(delete(votes).where(key))
            if record.helpful is not None:
                connection.execute(
                    insert(votes).values(
                        question_id=record.question_id,
                        voter=voter,
                        helpful=record.helpful,
                        voted_at=record.voted_at,
                    )
                )
        elif isinstance(record, CommentRecord):
            key = (votes.c.question_id == record.question_id) & (votes.c.voter == member_key(record.voter_id))
            connection.execute(update(votes).where(key).values(comment=record.comment))
        elif isinstance(record, AuditRecord):
            connection.execute(
                insert(audit).values(
                    at=record.at,
                    action=record.action,
                    requested_by=record.requested_by,
                    accepted=record.accepted,
                    summary=record.summary,
                )
            )
    flush_questions()
