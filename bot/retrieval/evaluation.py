"""Measuring the retriever on question sets: hit@1, hit@3, MRR and abstention.

Two layouts are read:

* JSON Lines, one question a line: ``{"question": ..., "evidence": [substrings a right passage
  contains]}``, or ``{"question": ..., "answerable": false}``.
* SQuAD JSON (``{"data": [{"title", "paragraphs": [{"context", "qas": [...]}]}]}``): a right passage
  is one cut from the question's own paragraph; ``is_impossible`` questions are unanswerable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.passages import HEADER_PARAGRAPH, Passage
from bot.retrieval.text import collapse_whitespace, normalise

RANK_DEPTH = 10


@dataclass(frozen=True)
class QuestionCase:
    """One question with what a right answer looks like (nothing, when it is unanswerable)."""

    question: str
    answerable: bool
    evidence: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    kind: str = ""  # For unanswerable questions, optional: "off-topic", "near-topic", ...

    def is_right(self, passage: Passage) -> bool:
        """True when ``passage`` answers this question."""
        text = _comparable(passage.text)
        if any(_comparable(e) in text for e in self.evidence):
            return True
        # A context is a body paragraph: the headline (often just the title) is not its answer.
        return passage.paragraph != HEADER_PARAGRAPH and any(text in _comparable(c) for c in self.contexts)


@dataclass(frozen=True)
class EvaluationReport:
    """Retrieval and abstention figures for one question set."""

    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    answered_rate: float
    wrongly_refused: int
    abstention_rate: float
    misses: tuple[str, ...]
    false_answers: tuple[str, ...]
    refused_by_kind: tuple[tuple[str, int, int], ...] = ()  # (kind, refused, questions) of each kind

    def lines(self) -> list[str]:
        """The report as the lines ``python -m bot eval`` prints."""
        lines = [
            f"answerable questions:    {self.answerable}",
            f"  hit@1:                 {self.hit_at_1:.3f}",
            f"  hit@3:                 {self.hit_at_3:.3f}",
            f"  MRR@{RANK_DEPTH}:                {self.mrr:.3f}",
            f"  answered:              {self.answered_rate:.3f} ({self.wrongly_refused} wrongly refused)",
            f"unanswerable questions:  {self.unanswerable}",
        ]
        if self.unanswerable:
            lines.append(f"  abstained:             {self.abstention_rate:.3f}")
        for kind, refused, total in self.refused_by_kind:
            lines.append(f"    {kind + ':':<20}{refused}/{total} refused")
        return lines


def _comparable(text: str) -> str:
    return collapse_whitespace(normalise(text))


def load_cases(path: str | Path) -> list[QuestionCase]:
    """Read a question file in JSON Lines or SQuAD layout; raise ValueError naming a bad line."""
    raw = Path(path).read_text(encoding="utf-8")
    stripped = raw.lstrip()
    if stripped.startswith("{") and '"data"' in stripped[:200]:
        try:
            return squad_cases(json.loads(raw))
        except json.JSONDecodeError:
            pass
    cases = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            cases.append(_case_from_record(record))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
    return cases


def _case_from_record(record: dict[str, Any]) -> QuestionCase:
    question = str(record["question"])
    if record.get("answerable", True) is False:
        return QuestionCase(question, answerable=False, kind=str(record.get("kind", "")))
    evidence = record["evidence"]
    if isinstance(evidence, str):
        evidence = [evidence]
    if not evidence:
        raise ValueError("an answerable question needs at least one evidence string")
    return QuestionCase(question, answerable=True, evidence=tuple(str(e) for e in evidence))


def squad_cases(data: dict[str, Any]) -> list[QuestionCase]:
    """Question cases from a SQuAD-layout dictionary."""
    cases = []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                if qa.get("is_impossible") or not qa.get("answers"):
                    cases.append(QuestionCase(qa["question"], answerable=False))
                else:
                    cases.append(QuestionCase(qa["question"], answerable=True, contexts=(context,)))
    return cases


def evaluate(knowledge_base: KnowledgeBase, cases: Sequence[QuestionCase]) -> EvaluationReport:
    """Rank and answer every case, and gather the figures."""
    answerable = [c for c in cases if c.answerable]
    unanswerable = [c for c in cases if not c.answerable]
    hits1 = hits3 = 0
    reciprocal = 0.0
    answered = 0
    misses: list[str] = []
    for case in answerable:
        ranked = knowledge_base.rank(case.question, RANK_DEPTH)
        rank = next((i for i, p in enumerate(ranked, start=1) if case.is_right(p)), None)
        if rank is not None:
            reciprocal += 1 / rank
            hits1 += rank == 1
            hits3 += rank <= 3
        if rank != 1:
            misses.append(case.question)
        answered += knowledge_base.search(case.question).answered
    false_cases = [c for c in unanswerable if knowledge_base.search(c.question).answered]
    false_answers = [c.question for c in false_cases]
    kinds = sorted({c.kind for c in unanswerable if c.kind})
    refused_by_kind = tuple(
        (
            kind,
            sum(c.kind == kind for c in unanswerable) - sum(c.kind == kind for c in false_cases),
            sum(c.kind == kind for c in unanswerable),
        )
        for kind in kinds
    )
    total = len(answerable) or 1
    return EvaluationReport(
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=hits1 / total,
        hit_at_3=hits3 / total,
        mrr=reciprocal / total,
        answered_rate=answered / total,
        wrongly_refused=len(answerable) - answered,
        abstention_rate=1 - len(false_answers) / (len(unanswerable) or 1),
        misses=tuple(misses),
        false_answers=tuple(false_answers),
        refused_by_kind=refused_by_kind,
    )


def squad_knowledge(data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """``(file name, Markdown text)`` for each SQuAD article: a knowledge directory in files."""
    for number, article in enumerate(data["data"], start=1):
        title = str(article["title"]).replace("_", " ")
        paragraphs = [collapse_whitespace(p["context"]) for p in article["paragraphs"]]
        body = "\n\n".join(paragraphs)
        yield f"{number:03d}.md", f"---\ntitle: {json.dumps(title)}\n---\n\n{body}\n"
