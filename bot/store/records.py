"""What the bot records: one frozen dataclass per kind of row, written in batches by the recorder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionRecord:
    """A question and what the bot showed for it."""

    id: str
    asked_at: dt.datetime
    guild_id: int | None
    channel_id: int | None
    # The member's id is hashed with the store's salt when written; only the hash is stored.
    asker_id: int
    source: str
    question: str
    answered: bool
    terms: str
    unmatched: tuple[str, ...]
    passage_ids: tuple[str, ...]


@dataclass(frozen=True)
class VoteRecord:
    """A member's vote on an answer; ``helpful`` None withdraws it."""

    question_id: str
    voter_id: int
    helpful: bool | None
    voted_at: dt.datetime


@dataclass(frozen=True)
class CommentRecord:
    """What a member who voted "Not helpful" says they were looking for."""

    question_id: str
    voter_id: int
    comment: str


@dataclass(frozen=True)
class AuditRecord:
    """One /kb change, accepted or refused."""

    at: dt.datetime
    action: str
    requested_by: str
    accepted: bool
    summary: str


Record = QuestionRecord | VoteRecord | CommentRecord | AuditRecord
