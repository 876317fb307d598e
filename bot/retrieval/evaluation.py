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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bot.retrieval.knowledge_base import DEFAULT_K, KnowledgeBase
from bot.retrieval.passages import HEADER_PARAGRAPH, Passage
from bot.retrieval.text import collapse_whitespace, normalise

RANK_DEPTH = 10

# Passages a member is shown at most for a question (``KnowledgeBase.search``'s default).
SHOWN = DEFAULT_K


@dataclass(frozen=True)
class QuestionCase:
    """One question with what a right answer looks like (nothing, when it is unanswerable)."""

    question: str
    answerable: bool
    evidence: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    kind: str = ""  # For unanswerable questions, optional: "off-topic", "near-topic", ...
    where: str = field(default="", compare=False)  # "file:line" of a JSON Lines question

    def is_right(self, passage: Passage) -> bool:
        """True when ``passage`` answers this question."""
        text = _comparable(passage.text)
        if any(_comparable(e) in text for e in self.evidence):
            return True
        # A context is a body paragraph: the headline (often just the title) is not its answer.
        return passage.paragraph != HEADER_PARAGRAPH and any(text in _comparable(c) for c in self.contexts)


@dataclass(frozen=True)
class EvaluationReport:
    """Retrieval and abstention figures for one question set.

    ``hit_at_1`` and ``hit_at_3`` are what a member sees: the right passage is the first shown, or among
    the passages shown; an answerable question the bot refuses is a miss at every k. The
    ``ranking_*`` figures score the ranking alone, with every refusal and cut switched off.
    """

    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    ranking_hit_at_1: float
    ranking_hit_at_3: float
    mrr: float
    answered_rate: float
    wrongly_refused: int
    abstention_rate: float
    misses: tuple[str, ...]  # answerable questions whose first shown passage is not right
    refused: tuple[str, ...]  # answerable questions the bot refused (a subset of ``misses``)
    false_answers: tuple[str, ...]
    refused_by_kind: tuple[tuple[str, int, int], ...] = ()  # (kind, refused, questions) of each kind
    # (kind, answered naming a word the article lacks): "the article doesn't mention *governor*"
    flagged_by_kind: tuple[tuple[str, int], ...] = ()
    # Answerable questions answered with a note that the article does not mention one of their words.
    answerable_flagged: int = 0

    def lines(self) -> list[str]:
        """The report as the lines ``python -m bot eval`` prints."""
        lines = [
            f"answerable questions:    {self.answerable}",
            f"  hit@1:                 {self.hit_at_1:.3f}",
            f"  hit@3:                 {self.hit_at_3:.3f}",
            f"  answered:              {self.answered_rate:.3f} ({self.wrongly_refused} wrongly refused)",
            f"  answered with a note:  {self.answerable_flagged} (naming a word the article lacks)",
            f"  ranking only, refusals off: hit@1 {self.ranking_hit_at_1:.3f}, "
            f"hit@3 {self.ranking_hit_at_3:.3f}, MRR@{RANK_DEPTH}: {self.mrr:.3f}",
            f"unanswerable questions:  {self.unanswerable}",
        ]
        if self.unanswerable:
            lines.append(f"  abstained:             {self.abstention_rate:.3f}")
        flagged = dict(self.flagged_by_kind)
        for kind, refused, total in self.refused_by_kind:
            more = f", {flagged[kind]} more flagged (unmatched)" if flagged.get(kind) else ""
            lines.append(f"    {kind + ':':<20}{refused}/{total} refused{more}")
        return lines


def _comparable(text: str) -> str:
    return collapse_whitespace(normalise(text))


def load_cases(path: str | Path) -> list[QuestionCase]:
    """Read a question file in JSON Lines or SQuAD layout; raise ValueError naming a bad line.

    A file with no question is refused too: figures over nothing would read as a score.
    """
    raw = Path(path).read_text(encoding="utf-8")
    stripped = raw.lstrip()
    cases: list[QuestionCase] = []
    if stripped.startswith("{") and '"data"' in stripped[:200]:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            data = None
        if data is not None:
            try:
                cases = squad_cases(data)
            except ValueError as error:
                raise ValueError(f"{path}: not a SQuAD file: {error}") from None
            if not cases:
                raise ValueError(f"{path}: no questions")
            return cases
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON: {error}") from None
        try:
            cases.append(_case_from_record(record, f"{path}:{number}"))
        except ValueError as error:
            raise ValueError(f"{path}:{number}: {error}") from None
    if not cases:
        raise ValueError(f"{path}: no questions")
    return cases


def _case_from_record(record: object, where: str) -> QuestionCase:
    """One JSON Lines record as a case; ValueError saying what is wrong with its shape."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, not {type(record).__name__}")
    if "question" not in record:
        raise ValueError('missing field "question"')
    question = record["question"]
    if not isinstance(question, str) or not question.strip():
        raise ValueError('"question" must be a non-empty string')
    answerable = record.get("answerable", True)
    if not isinstance(answerable, bool):
        raise ValueError('"answerable" must be true or false')
    kind = record.get("kind", "")
    if not isinstance(kind, str):
        raise ValueError('"kind" must be a string')
    if not answerable:
        return QuestionCase(question, answerable=False, kind=kind, where=where)
    if "evidence" not in record:
        raise ValueError('missing field "evidence" (or "answerable": false)')
    evidence = record["evidence"]
    if isinstance(evidence, str):
        evidence = [evidence]
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise ValueError('"evidence" must be a list of strings')
    if not any(e.strip() for e in evidence):
        raise ValueError("an answerable question needs at least one evidence string")
    return QuestionCase(question, answerable=True, evidence=tuple(evidence), where=where)


def squad_cases(data: object) -> list[QuestionCase]:
    """Question cases from a SQuAD-layout dictionary; ValueError naming the first part out of shape."""
    articles = _field(data, "data", list, "the file")
    cases = []
    for a, article in enumerate(articles):
        paragraphs = _field(article, "paragraphs", list, f"data[{a}]")
        for p, paragraph in enumerate(paragraphs):
            where = f"data[{a}].paragraphs[{p}]"
            context = _field(paragraph, "context", str, where)
            for q, qa in enumerate(_field(paragraph, "qas", list, where)):
                question = _field(qa, "question", str, f"{where}.qas[{q}]")
                answers = qa.get("answers") if isinstance(qa, dict) else None
                if qa.get("is_impossible") or not answers:
                    cases.append(QuestionCase(question, answerable=False))
                else:
                    cases.append(QuestionCase(question, answerable=True, contexts=(context,)))
    return cases


_T = TypeVar("_T")


def _field(container: object, key: str, kind: type[_T], where: str) -> _T:
    """``container[key]`` when ``container`` is an object and the value a ``kind``; else ValueError."""
    if not isinstance(container, dict):
        raise ValueError(f"{where} is not a JSON object")
    value = container.get(key)
    if not isinstance(value, kind):
        expected = "a list" if kind is list else f"a {kind.__name__}"
        raise ValueError(f'{where} has no "{key}" ({expected})')
    return value


def evidence_problems(knowledge_base: KnowledgeBase, cases: Iterable[QuestionCase]) -> list[str]:
    """``file:line: ...`` for each evidence string that no passage of the knowledge base contains.

    Such a string (a typo in the question set) would count its question as a miss whatever the
    ranking. A question with several evidence strings is reported for each one that matches nothing.
    """
    texts = [_comparable(p.text) for p in knowledge_base.passages]
    problems = []
    for case in cases:
        for evidence in case.evidence:
            wanted = _comparable(evidence)
            if not any(wanted in text for text in texts):
                problems.append(f"{case.where or case.question}: evidence {evidence!r} occurs in no passage")
    return problems


def evaluate(knowledge_base: KnowledgeBase, cases: Sequence[QuestionCase]) -> EvaluationReport:
    """Answer and rank every case, and gather the figures."""
    answerable = [c for c in cases if c.answerable]
    unanswerable = [c for c in cases if not c.answerable]
    hits1 = hits3 = ranked1 = ranked3 = 0
    reciprocal = 0.0
    misses: list[str] = []
    refused: list[str] = []
    noted = 0
    for case in answerable:
        result = knowledge_base.search(case.question, k=SHOWN)
        shown = [hit.passage for hit in result.hits]
        noted += bool(shown) and bool(result.unmatched)
        if not shown:
            refused.append(case.question)
        right = [case.is_right(p) for p in shown]
        hits1 += bool(right) and right[0]
        hits3 += any(right)
        if not (right and right[0]):
            misses.append(case.question)
        ranked = knowledge_base.rank(case.question, RANK_DEPTH)
        rank = next((i for i, p in enumerate(ranked, start=1) if case.is_right(p)), None)
        if rank is not None:
            reciprocal += 1 / rank
            ranked1 += rank == 1
            ranked3 += rank <= SHOWN
    false_cases: list[QuestionCase] = []
    flagged: list[QuestionCase] = []  # answered, but saying what the article does not mention
    for case in unanswerable:
        result = knowledge_base.search(case.question)
        if result.answered:
            false_cases.append(case)
            if result.unmatched:
                flagged.append(case)
    kinds = sorted({c.kind for c in unanswerable if c.kind})
    refused_by_kind = tuple(
        (
            kind,
            sum(c.kind == kind for c in unanswerable) - sum(c.kind == kind for c in false_cases),
            sum(c.kind == kind for c in unanswerable),
        )
        for kind in kinds
    )
    flagged_by_kind = tuple((kind, sum(c.kind == kind for c in flagged)) for kind in kinds)
    total = len(answerable) or 1
    return EvaluationReport(
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=hits1 / total,
        hit_at_3=hits3 / total,
        ranking_hit_at_1=ranked1 / total,
        ranking_hit_at_3=ranked3 / total,
        mrr=reciprocal / total,
        answered_rate=(len(answerable) - len(refused)) / total,
        wrongly_refused=len(refused),
        abstention_rate=1 - len(false_cases) / (len(unanswerable) or 1),
        misses=tuple(misses),
        refused=tuple(refused),
        false_answers=tuple(c.question for c in false_cases),
        refused_by_kind=refused_by_kind,
        flagged_by_kind=flagged_by_kind,
        answerable_flagged=noted,
    )


def squad_knowledge(data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """``(file name, Markdown text)`` for each SQuAD article: a knowledge directory in files."""
    for number, article in enumerate(data["data"], start=1):
        title = str(article["title"]).replace("_", " ")
        paragraphs = [collapse_whitespace(p["context"]) for p in article["paragraphs"]]
        body = "\n\n".join(paragraphs)
        yield f"{number:03d}.md", f"---\ntitle: {json.dumps(title)}\n---\n\n{body}\n"
