"""The tables, as SQLAlchemy Core metadata: one schema for SQLite and PostgreSQL.

The migrations in ``migrations/versions`` create exactly these; a test checks that they agree.
Members appear only as salted hashes (``asker``, ``voter``); the salt lives in ``store_meta``.
Votes have no foreign key to their question: a vote written after its question was purged is
harmless, and a batch must never fail on it.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)

questions = Table(
    "questions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("guild_id", BigInteger, nullable=True),
    Column("channel_id", BigInteger, nullable=True),
    Column("asker", String(64), nullable=False),
    Column("source", String(16), nullable=False),
    Column("question", Text, nullable=False),
    Column("answered", Boolean, nullable=False),
    # The question's analysed words, sorted and space-separated: questions asking the same thing meet.
    Column("terms", Text, nullable=False),
    # JSON lists: the words the knowledge base lacked, and the passages shown (best first).
    Column("unmatched", Text, nullable=False),
    Column("passage_ids", Text, nullable=False),
    Index("ix_questions_asked_at", "asked_at"),
)

votes = Table(
    "votes",
    metadata,
    Column("question_id", String(32), primary_key=True),
    Column("voter", String(64), primary_key=True),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text, nullable=True),
    Column("voted_at", DateTime(timezone=True), nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(32), nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("summary", Text, nullable=False),
    Index("ix_audit_at", "at"),
)
