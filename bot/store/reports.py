"""What moderators ask of the records: the gaps, the figures, the audit log. Plain data, no formatting.

Rows are read with simple portable queries and grouped in Python, so that SQLite and PostgreSQL give the
same answers through one code path (days are UTC days).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.store.database import Store, utc
from bot.store.schema import audit, questions, votes

MAX_GAP_GROUPS = 10
TOP_PASSAGES = 5


@dataclass(frozen=True)
class GapQuestion:
    """One question behind a gap."""

    asked_at: dt.datetime
    question: str
    unmatched: tuple[str, ...]
    passage_id: str | None
    helpful: int
    unhelpful: int
    comments: tuple[str, ...]


@dataclass(frozen=True)
class GapGroup:
    """Questions asking the same thing (the same analysed words) that were declined, or voted unhelpful."""

    kind: str
    terms: str
    questions: tuple[GapQuestion, ...]

    @property
    def count(self) -> int:
        """How many times it was asked."""
        return len(self.questions)

    @property
    def example(self) -> str:
        """The most recent wording."""
        return self.questions[0].question

    @property
    def texts(self) -> list[str]:
        """Each distinct wording, most recent first."""
        return list(dict.fromkeys(q.question for q in self.questions))

    @property
    def unmatched(self) -> list[str]:
        """The words the knowledge base lacked, over every wording."""
        return list(dict.fromkeys(word for q in self.questions for word in q.unmatched))

    @property
    def passage_id(self) -> str | None:
        """The passage shown most often (unhelpful answers), None for declined questions."""
        shown = Counter(q.passage_id for q in self.questions if q.passage_id is not None)
        return shown.most_common(1)[0][0] if shown else None

    @property
    def comments(self) -> list[str]:
        """Members' comments, most recent first."""
        return [comment for q in self.questions for comment in q.comments]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``report gaps --json``."""
        return {
            "kind": self.kind,
            "count": self.count,
            "example": self.example,
            "questions": self.texts,
            "unmatched": self.unmatched,
            "passage_id": self.passage_id,
            "comments": self.comments,
        }


@dataclass(frozen=True)
class Gaps:
    """Every gap group of a window, most frequent first (reports show the first ``MAX_GAP_GROUPS``)."""

    days: int
    groups: tuple[GapGroup, ...]

    @property
    def top(self) -> tuple[GapGroup, ...]:
        """The groups a report shows."""
        return self.groups[:MAX_GAP_GROUPS]


@dataclass(frozen=True)
class DayCount:
    """Questions of one UTC day."""

    date: dt.date
    questions: int
    answered: int
    declined: int

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "questions": self.questions,
            "answered": self.answered,
            "declined": self.declined,
        }


@dataclass(frozen=True)
class Stats:
    """Figures of a window: questions, outcomes, votes, the most cited passages, and questions per day."""

    days: int
    questions: int
    answered: int
    declined: int
    helpful: int
    unhelpful: int
    askers: int
    per_day: tuple[DayCount, ...]
    top_passages: tuple[tuple[str, int], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``report stats --json``."""
        return {
            "questions": self.questions,
            "answered": self.answered,
            "declined": self.declined,
            "helpful": self.helpful,
            "unhelpful": self.unhelpful,
            "days": [day.to_json() for day in self.per_day],
            "top_passages": [{"passage_id": p, "count": n} for p, n in self.top_passages],
        }


@dataclass(frozen=True)
class AuditEntry:
    """One /kb change from the audit log."""

    at: dt.datetime
    action: str
    requested_by: str
    accepted: bool
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "action": self.action,
            "requested_by": self.requested_by,
            "accepted": self.accepted,
            "summary": self.summary,
        }


def _since(days: int, now: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    end = utc(now or dt.datetime.now(dt.UTC))
    return end - dt.timedelta(days=days), end


async def _window(store: Store, start: dt.datetime) -> tuple[list[Any], dict[str, list[Any]]]:
    """The window's questions, newest first, and their votes by question id."""
    question_rows = (
        select(questions).where(questions.c.asked_at >= start).order_by(questions.c.asked_at.desc())
    )
    vote_rows = select(votes).where(
        votes.c.question_id.in_(select(questions.c.id).where(questions.c.asked_at >= start))
    )
    async with store.engine.connect() as connection:
        rows = list((await connection.execute(question_rows)).all())
        by_question: dict[str, list[Any]] = {}
        for vote in (await connection.execute(vote_rows)).all():
            by_question.setdefault(vote.question_id, []).append(vote)
    return rows, by_question


async def gaps(store: Store, days: int = 7, now: dt.datetime | None = None) -> Gaps:
    """Questions declined, and answers voted more unhelpful than helpful, grouped by analysed words."""
    start, _ = _since(days, now)
    rows, by_question = await _window(store, start)
    grouped: dict[tuple[str, str], list[GapQuestion]] = {}
    for row in rows:
        row_votes = by_question.get(row.id, [])
        helpful = sum(1 for v in row_votes if v.helpful)
        unhelpful = len(row_votes) - helpful
        if row.answered and unhelpful <= helpful:
            continue
        shown = json.loads(row.passage_ids)
        comments = sorted((v for v in row_votes if v.comment), key=lambda v: utc(v.voted_at), reverse=True)
        kind = "unhelpful" if row.answered else "declined"
        grouped.setdefault((kind, row.terms or row.question.casefold()), []).append(
            GapQuestion(
                asked_at=utc(row.asked_at),
                question=row.question,
                unmatched=tuple(json.loads(row.unmatched)),
                passage_id=shown[0] if row.answered and shown else None,
                helpful=helpful,
                unhelpful=unhelpful,
                comments=tuple(v.comment for v in comments),
            )
        )
    groups = [GapGroup(kind, terms, tuple(found)) for (kind, terms), found in grouped.items()]
    groups.sort(key=lambda g: (-g.count, -g.questions[0].asked_at.timestamp(), g.kind))
    return Gaps(days, tuple(groups))


async def stats(store: Store, days: int = 30, now: dt.datetime | None = None) -> Stats:
    """The window's figures; ``per_day`` has every UTC day of the window, with zeros."""
    start, end = _since(days, now)
    rows, by_question = await _window(store, start)
    answered = sum(1 for row in rows if row.answered)
    all_votes = [vote for found in by_question.values() for vote in found]
    helpful = sum(1 for vote in all_votes if vote.helpful)
    cited: Counter[str] = Counter()
    for row in rows:
        if row.answered:
            cited.update(json.loads(row.passage_ids))
    per_day: dict[dt.date, list[int]] = {}
    day = start.date()
    while day <= end.date():
        per_day[day] = [0, 0]
        day += dt.timedelta(days=1)
    for row in rows:
        counts = per_day.setdefault(utc(row.asked_at).date(), [0, 0])
        counts[0 if row.answered else 1] += 1
    return Stats(
        days=days,
        questions=len(rows),
        answered=answered,
        declined=len(rows) - answered,
        helpful=helpful,
        unhelpful=len(all_votes) - helpful,
        askers=len({row.asker for row in rows}),
        per_day=tuple(DayCount(d, a + n, a, n) for d, (a, n) in sorted(per_day.items())),
        top_passages=tuple(sorted(cited.items(), key=lambda item: (-item[1], item[0]))[:TOP_PASSAGES]),
    )


async def history(store: Store, limit: int = 10) -> list[AuditEntry]:
    """The last ``limit`` /kb changes, newest first."""
    query = select(audit).order_by(audit.c.at.desc(), audit.c.id.desc()).limit(limit)
    async with store.engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [AuditEntry(utc(r.at), r.action, r.requested_by, bool(r.accepted), r.summary) for r in rows]
