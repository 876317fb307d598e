"""The search API: a question in, cited passages (or an honest "not covered") out."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.retrieval import answer_types, proximity, which_questions
from bot.retrieval.asides import about_the_asker, clauses
from bot.retrieval.chat import ANSWER_FORM_RE, CHAT_FILLER, META_QUESTION_RE
from bot.retrieval.collocations import collocated
from bot.retrieval.decisions import (
    ANSWER_THRESHOLD,
    FRAME_VERBS,
    LINK_SENTENCES,
    ROLE_WORDS,
    SUPPORT_RATIO,
    UNCOUNTED_WORDS,
    UNKNOWN_WORDS,
    PassageLinks,
    chance_bar,
    is_off_topic,
)
from bot.retrieval.documents import Document, KnowledgeError, load_directory
from bot.retrieval.overview import SUMMARY_WORDS, asks_for_overview, asks_for_summary
from bot.retrieval.passages import HEADER_PARAGRAPH, Passage, build_passages, headline_id
from bot.retrieval.question import (
    MAX_QUERY_CHARS,
    RELATED_WEIGHT,
    TOPIC_MAX_ZIPF,
    QueryTerm,
    QuestionReader,
    unmatched_words,
    zipf,
)
from bot.retrieval.quote_questions import (
    ASKING_WORDS,
    QuoteQuestion,
    asked_speaker,
    asks_for_words,
    speaker_quotes,
    topic_terms,
)
from bot.retrieval.quotes import Quote, QuoteIndex
from bot.retrieval.ranking import K1, B, BM25Index
from bot.retrieval.reported_speech import SCAN_LIMIT, asked_subject, never_heard
from bot.retrieval.spelling import Speller
from bot.retrieval.synonyms import Synonyms
from bot.retrieval.text import capitalised_terms, encode_texts, short_only_terms, writes_out, written_short
from bot.retrieval.which_questions import WhichDid, slot_ids, stand_together, which_did
from bot.retrieval.word_family import WordFamilies

DEFAULT_K = 3

# With several documents, a candidate passage is ranked by its own score plus this share of the best
# first-stage score, times how well its whole document matches the question (its document's BM25
# score as a share of the best document's): of two passages that match alike, the one in the
# article about the question comes first. Measured on SQuAD (35 articles; ``benchmarks/squad.py``):
# hit@1 0.8421 -> 0.8426, hit@3 0.9322 -> 0.9345; any weight from 0.25 to 1.0 gives hit@1 0.8421 to
# 0.8435 and hit@3 0.9342 to 0.9347, 1.5 loses (0.8402 / 0.9335). One document: nothing changes.
# It costs 0.02 ms a question at 102,000 passages in 2,040 documents.
DOCUMENT_WEIGHT = 0.5

# A question word a passage holds only as a news abbreviation written out ("Atty. Gen." for "attorney
# general", ``text.NEWS_ABBREVIATIONS``) earns it this share of the word's weight less, in units of what
# the word earns in a passage of average length: of two paragraphs naming the attorney general, the
# one that writes it out, as the member typed it, comes first ("who was the california attorney
# general in this": "California Attorney General Kamala Harris said Tuesday" before "a legal
# directive issued by California Atty. Gen. Kamala Harris"). Measured on the article's forty-seven
# development sets: 12 more right passages first, 3 fewer ("was the AGs thing an actual law or more
# like a legal memo type thing", whose answer writes "Atty. Gen."), nothing else changed; 1 more on
# ``holdout42``-``47``; SQuAD unchanged. Half the weight: one fewer gained.
SHORT_WORD_SHARE = 0.25

# Questions asking for a date (``answer_types.wanted_pattern``): among the best
# ``ANSWER_TYPE_CANDIDATES`` passages, those at least ``ANSWER_TYPE_SUPPORT`` as relevant as the best
# and holding a date come first. Measured with 0.5 and 0.8 on SQuAD (0.8 slightly better) and the
# article's sets (the same).
ANSWER_TYPE_CANDIDATES = 5
ANSWER_TYPE_SUPPORT = 0.8

# A question asking for a date that names something else ("what day did Baca announce this") is
# ranked by its other words (``KnowledgeBase._dated``): the word "day" is answered by a date, not by
# "National Day Laborer" or the byline's "publication day". Of the best ``DATE_CANDIDATES`` by those
# words, a passage holding a date within ``DATE_WINDOW`` terms of one of them ("Baca said Wednesday",
# "introduced on Monday") earns ``DATE_SHARE`` of what the date words would, one holding a date
# elsewhere ``DATE_ANYWHERE`` of that. Measured on the article's ten development sets (614 answerable
# questions): 6 more right passages first, 8 more among those shown; a window of 6 or more terms
# loses the gain at hit@1 ("In October, NDLON ... sued Sheriff Baca" is 6 terms from "Baca"). SQuAD
# (130 date questions): hit@1 0.8450 -> 0.8448, hit@3 unchanged; a share of 1.0 cost 5 questions.
# A date question naming nothing else ("what yr is this from") puts the passages holding a date
# first: on the twelve development sets 5 more right passages first, SQuAD unchanged. Frame verbs
# ("when did the sheriff *make* his announcement") are left out of the words a date question is
# ranked by when it names something else: 4 more first on twenty development sets, SQuAD unchanged.
DATE_CANDIDATES = 10
DATE_WINDOW = 4
DATE_SHARE = 0.25
DATE_ANYWHERE = 0.5
# A question naming the kind of date it wants ("what day of the week", "which month", "what day") is
# answered only by that kind (``answer_types.asked_date_kind``): the byline's year does not say on
# which weekday Baca spoke. Few passages hold a weekday or a month, so one that does near the
# question's words earns what the date words would in full. On twenty-four development sets (1,438
# answerable questions) 4 more right passages first, 2 more among those shown; SQuAD unchanged. The
# same share for "what year" cost SQuAD 2 questions at hit@1 (years are everywhere in it), so years
# and dates of any kind keep ``DATE_SHARE``.
KIND_SHARE: dict[str, float] = {"weekday": 1.0, "month": 1.0, "day": 1.0}

# "Who is Newman?", "what's NDLON", "what does NDLON stand for": questions asking what a name is. News
# writing introduces a person or a group where it first names them ("Chris Newman, Legal Director
# at the National Day Laborer Organizing Network") and later only repeats the name ("Newman said"),
# so these questions are answered by the first paragraph that names everything asked about.
# Chat drops the apostrophe ("whos newman", "whats ndlon"). "What is Newman's job" asks the same as
# "who is Newman": the introduction gives a person's title and organisation, so words asking for a
# role are not taken for part of the name. "Which sheriff is the story about" asks the same: the one
# the story introduces (on the article's development sets 5 more right passages first; SQuAD hit@1
# unchanged, hit@3 +0.0001: its "which" questions name more than two things, or things the
# knowledge base lacks, and are ranked as before).
# Chat puts a word between ("who *even* is the sheriff in this story"): 1 more right passage first on
# the forty-two development sets, SQuAD unchanged.
_INTRODUCTION_RE = re.compile(
    r"^\W*(?:(?:who|what)(?:\s+(?:even|exactly|actually|really|tf))?\s*(?:'s|\s(?:is|are)\b)|(?:whos|whats)\b"
    r"|(?:which|wich)\b(?!\s+(?:day|date|month|year|yr|weekday|time)\b))"  # "which day" asks for a date
    r"|\b(?:stand(?:s)?|short)\s+for\b|\bmean(?:s)?\W*$|\bfull\s+names?\b|\babbreviat(?:e|es|ed)\b",
    re.IGNORECASE,
)
# Words a chat message may open with before it asks ("*yo* whos the sheriff this is about", "*ok so*
# what is ndlon"): chat filler and a few discourse words. Measured on the article's forty-seven
# development sets and ``holdout42``-``47``: 1 more right passage first, nothing else changed.
_OPENERS_RE = re.compile(
    r"^(?:\W*(?:"
    + "|".join(
        sorted(map(re.escape, CHAT_FILLER | {"so", "and", "but", "also", "like", "then", "oh", "hey"}))
    )
    + "|"
    + META_QUESTION_RE.pattern  # "quick q whats the sheriffs name"
    + "|"
    + ANSWER_FORM_RE.pattern  # "eli5 who is newman"
    + r")\b)+",
    re.IGNORECASE,
)
_INTRODUCTION_WORDS = ROLE_WORDS | frozenset(
    """
    stand stands occupation profession org
    acronym acronyms abbreviation abbreviations initials short abbreviate abbreviates abbreviated
    group groups organization organisation
    """.split()
)

# "What is the full name of the group abbreviated NDLON" asks what NDLON stands for: there "full" and
# "name" ask too (on the twenty-eight development sets 2 more right passages first and 2 fewer
# answerable questions refused; SQuAD unchanged). Elsewhere "name" asks only when the question names
# one thing besides ("whats the sheriffs name": 3 more right passages first on the development sets,
# SQuAD unchanged); taking it for an asking word in "what is the name of the border to the south"
# cost SQuAD 2 right passages first.
# So do "first name", "last name" and "surname" ("whats baca's *first* name": the introduction writes
# "Lee Baca"; "first" is no word of the topic): 2 more right passages first on the development sets,
# SQuAD unchanged. So do "actual", "real", "exact", "official", "proper", "complete" and "correct"
# before "name" ("whats the sheriffs *actual* name" was ranked as any question, "actual" being no word
# of the article, and found "A spokesman for the Sheriff"): on the development sets one question's
# first passage moved there to the lead ("Sheriff Lee Baca"; its evidence is the summary line), nothing
# else changed; SQuAD hit@1 0.8456 -> 0.8458 and hit@3 0.9362 -> 0.9364 ("What is the Yuan dynasty's
# official name?").
_NAME_MODIFIERS = frozenset(
    {"full", "first", "last", "actual", "real", "exact", "official", "proper", "complete", "correct"}
)
_FULL_NAME_RE = re.compile(
    r"\b(?:" + "|".join(sorted(_NAME_MODIFIERS)) + r")\s+names?\b|\bsurnames?\b", re.IGNORECASE
)
_NAME_ASKING_WORDS = frozenset({"name", "names"})
_FULL_NAME_WORDS = _INTRODUCTION_WORDS | _NAME_ASKING_WORDS | _NAME_MODIFIERS | {"surname", "surnames"}


def introduction_words(question: str) -> frozenset[str]:
    """The words by which ``question`` asks what a name is, rather than naming what it asks about."""
    return _FULL_NAME_WORDS if _FULL_NAME_RE.search(question[:MAX_QUERY_CHARS]) else _INTRODUCTION_WORDS


# "Who is Chris Newman" names one thing; "what is the largest city in Norway" asks about several.
NAME_WORDS = 2

# How many of the best passages are looked through for the one that introduces the name.
INTRODUCTION_CANDIDATES = 10


@dataclass(frozen=True)
class Hit:
    """One passage that answers a question."""

    passage: Passage
    score: float
    relevance: float
    best_sentence: str

    def to_json(self) -> dict[str, Any]:
        """The passage as in the ``ask --json`` contract."""
        citation = self.passage.citation
        return {
            "text": self.passage.text,
            "citation": str(citation),
            "document": citation.document,
            "paragraph": self.passage.paragraph,
            "score": round(self.score, 6),
            "best_sentence": self.best_sentence,
            "url": citation.url,
            "passage_id": self.passage.passage_id,
        }


@dataclass(frozen=True)
class SearchResult:
    """What the knowledge base says about a question."""

    question: str
    answered: bool
    hits: tuple[Hit, ...]
    elapsed_ms: float
    # Words of the question naming something the answer does not mention, in question order.
    unmatched: tuple[str, ...] = ()
    # The person's quotations, when the question asked for someone's words ("what did Newman say").
    quotes: tuple[Quote, ...] = ()
    # Words of the question the answer was found by, as written (for "here is what it says about").
    matched: tuple[str, ...] = ()
    # Names a declined question asked the words or response of, which the article never reports
    # speaking ("what did ICE say": ("ice",)).
    unheard: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The result as printed by ``ask --json`` (the documented contract)."""
        payload: dict[str, Any] = {
            "question": self.question,
            "answered": self.answered,
            "passages": [hit.to_json() for hit in self.hits],
            "unmatched": list(self.unmatched),
            "elapsed_ms": round(self.elapsed_ms, 3),
        }
        if self.unheard:
            payload["unheard"] = list(self.unheard)
        if self.quotes:
            payload["quotes"] = [
                {"speaker": q.speaker, "text": q.text, "citation": str(q.citation), "paragraph": q.paragraph}
                for q in self.quotes
            ]
        return payload


class KnowledgeBase:
    """Passages of a set of documents, ranked with BM25 against questions."""

    def __init__(
        self,
        documents: Sequence[Document],
        k1: float = K1,
        b: float = B,
        synonyms: Synonyms | None = None,
    ) -> None:
        if not documents:
            raise KnowledgeError([])
        self.documents: tuple[Document, ...] = tuple(documents)
        self.passages: tuple[Passage, ...] = tuple(build_passages(self.documents))
        encoded = encode_texts(p.search_text for p in self.passages)
        self.index = BM25Index.from_encoded(encoded, k1=k1, b=b)
        index = self.index
        # Whole documents, scored with the same terms (``DOCUMENT_WEIGHT``): passages come in document
        # order, so each document is a run of consecutive passages.
        runs = [len(list(run)) for _, run in itertools.groupby(p.doc_id for p in self.passages)]
        self._document_of = np.repeat(np.arange(len(runs)), runs)
        # The passages holding terms only as news abbreviations written out, with those terms' ids
        # (``SHORT_WORD_SHARE``): few passages abbreviate, and only those are read again.
        self._short_only: dict[int, frozenset[int]] = {
            i: frozenset(index.vocabulary[t] for t in short)
            for i in encoded.written_out
            if (short := short_only_terms(self.passages[i].search_text))
        }
        several = 1 < len(runs) == len(self.documents)
        self.document_index = index.grouped(np.asarray(runs, dtype=np.int64)) if several else None

        def frequency(term: str) -> float:
            return float(index.document_frequency[index.vocabulary[term]])

        # Looked up, not found by reading the vocabulary: 12 ms of a rebuild at 100,000 passages.
        self._date_terms = {
            kind: frozenset(
                term_id
                for word in answer_types.date_terms(kind)
                if (term_id := index.vocabulary.get(word)) is not None
            )
            for kind in answer_types.DATE_KINDS
        }
        self.synonyms = synonyms if synonyms is not None else Synonyms.empty()
        self.reader = QuestionReader(
            index,
            Speller(encoded.word_terms, frequency),
            WordFamilies(index.vocabulary, frequency),
            self.synonyms,
            index.adjacent,
        )

    @classmethod
    def from_directory(cls, directory: str | Path) -> KnowledgeBase:
        """Load ``directory``; raise ``KnowledgeError`` listing every problem if any file is bad."""
        report = load_directory(directory)
        if not report.ok:
            raise KnowledgeError(report.errors)
        return cls(report.documents, synonyms=report.synonyms)

    @cached_property
    def quotes(self) -> QuoteIndex:
        """The direct quotations of the documents, with who said them: built on first use (the live
        knowledge base builds it with the index, off the event loop)."""
        return QuoteIndex(self.documents)

    def document(self, doc_id: str) -> Document | None:
        """The document with id ``doc_id``, or None."""
        return next((d for d in self.documents if d.doc_id == doc_id), None)

    def analyse(self, question: str) -> list[QueryTerm]:
        """The question's words mapped to index terms: known, mapped or unknown (``question.py``)."""
        return self.reader.read(question)

    @cached_property
    def _reason_terms(self) -> tuple[QueryTerm, ...]:
        """What the knowledge base reads "reason" as (its moderators' rules, its own word, WordNet),
        each term a guess standing for "why": it ranks, and neither links nor counts as asked."""
        read = self.analyse(answer_types.REASON_WORD)
        return tuple(dataclasses.replace(t, word="why", guessed=True) for t in read if t.term is not None)

    def _relevance(self, matched: float, terms: Sequence[QueryTerm]) -> float:
        """``matched`` as a share of what the question's terms earn, each found once, in a passage.

        The yard stick is the question's own: every content word of it counts, including words the
        knowledge base has never seen (at the weight of a rare word), so a question that only shares
        "Los Angeles" with the article scores low however big the knowledge base is. A passage that
        repeats the question's words, or is short, can score above 1. Words the knowledge base lacks
        that only phrase the question (``UNCOUNTED_WORDS``: "whats the sheriffs *name* again i
        *forgot*") do not count: on the forty-two development sets 2 fewer answerable questions
        refused, nothing else changed; SQuAD unchanged.
        """
        attainable = sum(
            self.index.reference_contribution(t.weight)
            for t in terms
            if t.known or t.word not in UNCOUNTED_WORDS
        )
        return matched / attainable if attainable > 0 else 0.0

    def _candidates(
        self, terms: Sequence[QueryTerm], k: int, slot: WhichDid | None = None
    ) -> list[tuple[int, float]]:
        """Up to ``k`` passages as ``(index, matched score)``, best first.

        First stage: exact BM25 over every passage. Second stage: the best ``proximity.CANDIDATES``
        are re-ordered by BM25 plus a bonus for question words standing close together, with
        several documents one for how well the passage's whole document matches, and for a question
        asking which of a kind did something (``slot``), one for the kind next to the verb.
        """
        vocabulary = self.index.vocabulary
        tokens = [t.term for t in terms if t.term is not None]
        if not tokens or k <= 0:
            return []
        factors = bm25_factors(terms)
        first = self.index.best_matches(tokens, max(k, proximity.CANDIDATES), factors)
        weights = {vocabulary[t.term]: t.weight for t in terms if t.term is not None}
        candidates = np.asarray(first.indices, dtype=np.int64)
        document = np.zeros(candidates.size)  # each candidate's bonus for its whole document
        if self.document_index is not None and candidates.size:
            whole = self.document_index.matched_scores(tokens, factors)
            if whole.max() > 0:
                share = whole[self._document_of[candidates]] / whole.max()
                document = DOCUMENT_WEIGHT * max(first.scores) * share
        # Which question words each candidate holds bounds its proximity bonus: one word alone is
        # its own window, and no window holds more than the words the passage has.
        holds = {term_id: self.index.holds(term_id, candidates) for term_id in weights}
        held_weight = sum((weight * holds[t] for t, weight in weights.items()), np.zeros(candidates.size))
        held_count = sum((holds[t].astype(np.int64) for t in weights), np.zeros(candidates.size, np.int64))
        together = self._slot_bonus(candidates, slot)
        short = self._short_word_penalty(candidates, weights)
        scored: list[tuple[int, float]] = []
        best: list[float] = []  # combined scores so far, ascending: best[-k] is the k-th best
        for j, first_score in enumerate(first.scores):
            score = first_score + float(document[j]) + together.get(j, 0.0) - short.get(j, 0.0)
            most = proximity.WEIGHT * float(held_weight[j])
            if len(best) >= k and score + most < best[-k]:
                continue  # Even its largest bonus cannot lift it into the top k.
            i = int(candidates[j])
            if held_count[j] <= 1:
                bonus = most
            else:
                bonus = proximity.WEIGHT * proximity.window_score(self.index.sequence(i), weights)
            scored.append((i, score + bonus))
            bisect.insort(best, score + bonus)
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        matched = dict(zip(first.indices, first.scores, strict=True))
        return [(i, matched[i]) for i, _ in scored[:k]]

    def _short_word_penalty(
        self, candidates: npt.NDArray[np.int64], weights: Mapping[int, float]
    ) -> dict[int, float]:
        """What each candidate (by its position in ``candidates``) earns less for the question's terms
        (``weights``, by term id, as ``_candidates`` weighs them) that it holds only as news
        abbreviations written out (``SHORT_WORD_SHARE``)."""
        if not self._short_only:
            return {}
        penalties: dict[int, float] = {}
        for j, i in enumerate(candidates.tolist()):
            short = [
                self.index.reference_contribution(w)
                for t, w in weights.items()
                if t in self._short_only.get(i, ())
            ]
            if short:
                penalties[j] = SHORT_WORD_SHARE * sum(short)
        return penalties

    def _slot_bonus(self, candidates: npt.NDArray[np.int64], slot: WhichDid | None) -> dict[int, float]:
        """For a question asking which of a kind did something, the bonus of each candidate (by its
        position in ``candidates``) where the kind stands next to the verb."""
        if slot is None or candidates.size == 0:
            return {}
        kind, verb = slot_ids(slot, self.index.vocabulary)
        bonus = which_questions.SLOT_WEIGHT * self.index.reference_contribution(slot.weight)
        return {
            j: bonus
            for j, i in enumerate(candidates.tolist())
            if stand_together(self.index.sequence(i), kind, verb)
        }

    def _ranked(self, question: str, terms: Sequence[QueryTerm], k: int) -> list[tuple[int, float]]:
        """``_candidates``, with the introducing paragraph first when the question asks what a name is,
        and passages that hold a date before those that do not when the question asks for one; a
        question asking why is also ranked by the knowledge base's words for a reason
        (``answer_types.asks_why``)."""
        if answer_types.asks_why(question[:MAX_QUERY_CHARS]):
            held = {t.term for t in terms}
            terms = [*terms, *(t for t in self._reason_terms if t.term not in held)]
        slot = which_did(question[:MAX_QUERY_CHARS], terms)
        if not asks_what_a_name_is(question):
            wanted = answer_types.wanted_pattern(question[:MAX_QUERY_CHARS])
            if wanted is None:
                return self._candidates(terms, k, slot)
            # Only date questions are asked for a pattern.
            dated = self._dated(terms, k, answer_types.asked_date_kind(question[:MAX_QUERY_CHARS]))
            if dated is not None:
                return dated
            candidates = self._candidates(terms, max(k, ANSWER_TYPE_CANDIDATES), slot)
            return self._preferred(candidates, wanted)[:k]
        # "whos the sheriff theyre talkin about": a frame verb the article lacks names nothing.
        asking = introduction_words(question)
        named = [t for t in terms if t.word not in asking and (t.known or t.word not in UNCOUNTED_WORDS)]
        # "whats the sheriffs name" asks who the one thing it names is, as "who is the sheriff" does;
        # "what is the French name for the Rhine" names two and is ranked as any other question.
        unnamed = [t for t in named if t.word not in _NAME_ASKING_WORDS]
        if len({t.word for t in unnamed}) == 1:
            named = unnamed
        # Every word must be known: in "who is suing Baca" the name is not what is asked about.
        if len(named) > NAME_WORDS or any(t.term is None for t in named):
            return self._candidates(terms, k, slot)
        candidates = self._candidates(terms, max(k, INTRODUCTION_CANDIDATES), slot)
        introduction = self._introduction(candidates, named)
        if introduction is not None:
            candidates.insert(0, candidates.pop(introduction))
        return candidates[:k]

    def _dated(self, terms: Sequence[QueryTerm], k: int, kind: str) -> list[tuple[int, float]] | None:
        """For a question asking for a date ("what day did Baca announce this"): the passages ranked
        by the question's other words, each earning a share of what its date words ("day") would
        earn when it holds a date of the ``kind`` asked, in full when the date stands within
        ``DATE_WINDOW`` terms of one of those words ("Baca said Wednesday"). None when the question
        has no date word."""
        asked = [t for t in terms if t.word in answer_types.DATE_WORDS]
        if not asked:
            return None
        topic = [t for t in terms if t.word not in answer_types.DATE_WORDS]
        framed = [t for t in topic if t.word not in FRAME_VERBS]
        if any(t.known for t in framed):
            topic = framed
        if not any(t.known for t in topic):
            # "What year is this from": nothing but the date is asked, and the passages that hold
            # one (the byline's) come first.
            candidates = self._candidates(terms, max(k, DATE_CANDIDATES))
            return sorted(candidates, key=lambda pair: not self._holds_date(pair[0], kind))[:k]
        dated = self._date_terms[kind]
        share = KIND_SHARE.get(kind, DATE_SHARE)
        earned = share * sum(self.index.reference_contribution(t.weight) for t in asked)
        near = {self.index.vocabulary[t.term] for t in topic if t.term is not None}
        scored = []
        for i, score in self._candidates(topic, max(k, DATE_CANDIDATES)):
            sequence = self.index.sequence(i).tolist()
            dates = [n for n, term_id in enumerate(sequence) if term_id in dated]
            words = [n for n, term_id in enumerate(sequence) if term_id in near]
            if any(abs(d - w) <= DATE_WINDOW for d in dates for w in words):
                score += earned
            elif dates:
                score += DATE_ANYWHERE * earned
            scored.append((i, score))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:k]

    def _headlines(self, k: int) -> list[tuple[int, float]]:
        """The headline passages of the first ``k`` documents, in the knowledge base's order."""
        return [(i, 0.0) for i, p in enumerate(self.passages) if p.passage_id == headline_id(p.doc_id)][:k]

    def _holds_date(self, i: int, kind: str) -> bool:
        """True when passage ``i`` holds a date of ``kind`` (``answer_types.asked_date_kind``)."""
        dated = self._date_terms[kind]
        return any(term_id in dated for term_id in self.index.sequence(i).tolist())

    def _preferred(
        self, candidates: list[tuple[int, float]], wanted: re.Pattern[str]
    ) -> list[tuple[int, float]]:
        """``candidates`` with those holding ``wanted`` first, among the ones at least
        ``ANSWER_TYPE_SUPPORT`` as relevant as the best; the order is kept otherwise."""
        if not candidates:
            return candidates
        floor = ANSWER_TYPE_SUPPORT * max(score for _, score in candidates)

        def preferred(pair: tuple[int, float]) -> bool:
            return pair[1] >= floor and wanted.search(self.passages[pair[0]].text) is not None

        return sorted(candidates, key=lambda pair: not preferred(pair))

    def _introduction(
        self, candidates: Sequence[tuple[int, float]], terms: Sequence[QueryTerm]
    ) -> int | None:
        """Position in ``candidates`` of the first body paragraph naming every known question word
        (writing its title out, when a later one does so).

        Only the document of the best such paragraph is looked at: another document may introduce
        the same name, but the best match says which one the question is about. When the first
        writes a title short ("California *Atty. Gen.* Kamala Harris", ``text.NEWS_ABBREVIATIONS``),
        a later one that writes it out ("California *Attorney General* Kamala Harris said Tuesday")
        answers "whats harris's job title" more plainly and is taken instead. Measured on the
        article's forty-seven development sets: 7 more right passages first ("whats kamala harris's
        job in this story", "which states AG is this btw"), 2 more on ``holdout42``-``47``, none
        lost, nothing else changed; SQuAD unchanged.
        """
        indices = np.asarray([i for i, _ in candidates], dtype=np.int64)
        names_all = np.ones(indices.size, dtype=np.bool_)
        for term_id in {self.index.vocabulary[t.term] for t in terms if t.term is not None}:
            names_all &= self.index.holds(term_id, indices)
        naming = [
            (position, int(i))
            for position, i in enumerate(indices)
            if names_all[position] and self.passages[i].paragraph != HEADER_PARAGRAPH
        ]
        if not naming:
            return None
        # Passages are numbered in reading order, so the smallest number in a document comes first.
        document = self.passages[naming[0][1]].doc_id
        introducing = sorted((i, position) for position, i in naming if self.passages[i].doc_id == document)
        short = written_short(self.passages[introducing[0][0]].text)
        if short:
            for i, position in introducing[1:]:
                if writes_out(self.passages[i].text, short):
                    return position
        return introducing[0][1]

    def search(self, question: str, k: int = DEFAULT_K) -> SearchResult:
        """The ``k`` most relevant passages for ``question``, or ``answered=False`` with none.

        A question asking for a quoted person's words is answered with their quotations and the
        passages that hold them (``quote_questions``). When it names what it asks about besides the
        person and the quotations found sit in one passage, the passages that answer it as any other
        question follow, ``k`` in all: one passage of someone's words may not hold what the article
        reports of the matter. Measured on the article's forty-seven development sets (three in chat
        register): 14 more right passages among those shown ("did the AG say police depts too or just
        sheriffs": her quotation, then "at the discretion of sheriffs' and police departments"), none
        lost, nothing else changed; SQuAD hit@3 0.9361 -> 0.9362. Doing so after quotations in
        several passages too changed no figure, and added a passage without the person's words to
        "what did Chris Newman tell colorlines", answered by his two quotations.
        """
        started = time.perf_counter()
        asked_as = question
        # Cut to ``MAX_QUERY_CHARS``, with the function words meant ("whta is ndlon"), for every rule
        # below that reads the question.
        question = self.reader.respelled(question[:MAX_QUERY_CHARS])
        said = self.analyse(question)
        # "what does ndlon stand for, i keep reading it like some tech company lol": talk is left out.
        asides = self._aside_words(question, said)
        terms = [t for t in said if t.word not in asides] if asides else said
        # The quote index is only looked at (and, on first use, built) for questions asking for words.
        # "What did ICE say": nobody by that name speaks in the article, whoever else the question names.
        unheard = self._unheard(question)
        asked = (
            asked_speaker(question, self.quotes)
            if k > 0 and asks_for_words(question) and not unheard
            else None
        )
        naming = asks_what_a_name_is(question)
        introducing = introduction_words(question) if naming else frozenset()  # "what does NDLON stand for"
        dating = answer_types.asks_for_date(question)
        quotes: tuple[Quote, ...] = ()
        decided = _without_asking_words(terms, introducing)
        if dating:
            decided = _without_asking_words(decided, answer_types.DATE_WORDS)
        if asked is not None:
            quotes, shown = self._quoted(asked, terms, speaker_quotes(asked, self.quotes, k, terms))
            if len(shown) == 1 < k and topic_terms(asked, terms):
                # "did the AG say police depts too or just sheriffs": after her words, what the
                # article reports of the matter in its own ("at the discretion of sheriffs' and police
                # departments").
                shown = _followed_by(
                    shown, self._shown(question, decided, self._ranked(question, terms, k)), k
                )
        elif k > 0 and self._asks_for_gist(question, terms):
            shown = self._headlines(k)  # "what is this article about", "tl;dr?"
        elif unheard:
            shown = []
        else:
            shown = self._shown(question, decided, self._ranked(question, terms, k))
        base = self.index.delta * sum(t.weight for t in terms if t.term is not None)
        hits = tuple(
            Hit(
                passage=self.passages[i],
                score=score + base,
                relevance=self._relevance(score, terms),
                best_sentence=self.best_sentence(i, terms, quotes),
            )
            for i, score in shown
        )
        elapsed = (time.perf_counter() - started) * 1000
        asking = (ASKING_WORDS if asked is not None else frozenset()) | introducing
        if dating:
            asking |= answer_types.DATE_WORDS  # "which month": the kind of answer, not its topic
        # A declined question reports every word it names, its talk too: what a moderator could add.
        named = terms if hits else said
        unmatched = self._unmatched([t for t in named if t.word not in asking], [i for i, _ in shown])
        matched = tuple(dict.fromkeys(t.word for t in terms if t.known and t.word not in asking))
        return SearchResult(
            asked_as, bool(hits), hits, elapsed, unmatched, quotes, matched, unheard if not hits else ()
        )

    def _aside_words(self, question: str, terms: Sequence[QueryTerm]) -> frozenset[str]:
        """The words of ``question`` that only its talk about the asker holds (``asides``): clauses
        that share no word with the knowledge base and are in the first person or say how the matter
        strikes the asker or what the question is ("what does ndlon stand for, *i keep reading it
        like some tech company lol*", "when was this written, *feels kinda old*", "*quick q*, who is
        the lawyer quoted"), when the rest asks a plain question, not for advice or about the asker's
        life (``chance_bar``: "*my dog keeps barking*, how do i get him to stop" keeps its words).
        Such words are left out of the question: they neither rank passages (the commonest words,
        "some", "time", may be among them) nor count against the question, in relevance and in the
        off-topic rule, nor are named as missing in an answer. Only questions with words the
        knowledge base lacks are read clause by clause.

        Measured on a chat development set written for it (``article_chat_dev4.jsonl``: 100
        answerable questions, half of them long, with talk around the question): 14 -> 7 answerable
        questions refused, hit@1 0.72 -> 0.76, hit@3 0.82 -> 0.89; on the forty-four development
        sets 1 more right passage first and among those shown, 1 fewer answerable question refused
        ("when was this posted? feels old"), 3 fewer needless notes; the five off-topic sets and
        SQuAD unchanged. Counting every clause that shares no word with the knowledge base as talk,
        whatever it says, answered about as many there but 7 more off-topic questions ("What foods
        are high in protein but low in fat?", "pineapple on pizza yes or no, fight me"); leaving
        out talk whatever the rest asks answered "i think my phone got hacked, how do i secure it".
        """
        if all(t.known for t in terms):
            return frozenset()
        parts = clauses(question)
        if len(parts) < 2:
            return frozenset()
        talk_words: set[str] = set()
        question_words: set[str] = set()
        question_clauses: list[str] = []
        for part in parts:
            read = self.analyse(part)
            words = {t.word for t in read}
            if about_the_asker(part) and not any(_links_a_clause(t) for t in read):
                talk_words |= words
            else:
                question_words |= words
                question_clauses.append(part)
        if not talk_words or not question_clauses:
            return frozenset()
        if chance_bar(" ".join(question_clauses)) < UNKNOWN_WORDS:
            return frozenset()  # the rest asks for advice or about the asker's life: talk is its topic
        return frozenset(talk_words - question_words)

    def _unheard(self, question: str) -> tuple[str, ...]:
        """When ``question`` asks what someone said or how they responded, and names someone the
        knowledge base never reports speaking (``reported_speech``): the words naming them; else
        none. Only the passages holding the subject's words are read, and none when they are more
        than ``SCAN_LIMIT``."""
        subject = asked_subject(question)
        if subject is None:
            return ()
        read = [(t.word, t.term) for t in self.analyse(subject) if t.known and t.term is not None]
        terms = {term for _, term in read}
        if not terms:
            return ()
        holding = self.index.passages_holding(terms, SCAN_LIMIT + 1)
        if len(holding) > SCAN_LIMIT:
            return ()
        names = never_heard(terms, (self.passages[i] for i in holding))
        return tuple(dict.fromkeys(word for word, term in read if term in names))

    @staticmethod
    def _asks_for_gist(question: str, terms: Sequence[QueryTerm]) -> bool:
        """True for "what is this article about" (naming nothing) and for "tl;dr?" (naming nothing
        the knowledge base knows but the words that ask for a summary)."""
        if asks_for_summary(question):
            return not any(t.known for t in terms if t.word not in SUMMARY_WORDS)
        return _names_nothing(terms) and asks_for_overview(question)

    def _quoted(
        self, asked: QuoteQuestion, terms: Sequence[QueryTerm], quotes: Sequence[Quote]
    ) -> tuple[tuple[Quote, ...], list[tuple[int, float]]]:
        """The passages holding ``quotes``, each once, with their scores, and the quotations in the
        order of their passages.

        When the question names what it is about besides the speaker, the passages come in the order
        of their BM25 score on those words over the whole knowledge base, which weighs a word by how
        rare it is there: "newman called baca's *opposition* what" finds his "*opposition* to the
        TRUSTAct" rather than his quotation that names Baca (ranked among a few quotations, "Baca"
        looks as rare as "opposition"). Measured on the article's thirty-six development sets: 7 more
        right passages first, 1 fewer; SQuAD unchanged. Otherwise they come in the quotations' order.
        """
        tokens = [t.term for t in terms if t.term is not None]
        scores = self.index.matched_scores(tokens) if tokens else None
        placed = [(quote, self._passage_of(quote)) for quote in quotes]
        found: dict[int, float] = {}
        for _, i in placed:
            if i is not None and i not in found:
                found[i] = float(scores[i]) if scores is not None else 0.0
        shown = list(found.items())
        topic = topic_terms(asked, terms)
        if topic:
            on_topic = self.index.matched_scores([t.term for t in topic if t.term], bm25_factors(topic))
            shown.sort(key=lambda item: -float(on_topic[item[0]]))
            position = {i: n for n, (i, _) in enumerate(shown)}
            placed.sort(key=lambda pair: len(shown) if pair[1] is None else position[pair[1]])
        return tuple(quote for quote, _ in placed), shown

    def _passage_of(self, quote: Quote) -> int | None:
        """The index of the passage that holds ``quote`` (its paragraph, or the part of it)."""
        start = quote.text[:40]
        in_paragraph = [
            i
            for i, p in enumerate(self.passages)
            if p.doc_id == quote.doc_id and p.paragraph == quote.paragraph
        ]
        return next(
            (i for i in in_paragraph if start in self.passages[i].text), next(iter(in_paragraph), None)
        )

    def _unmatched(self, terms: Sequence[QueryTerm], shown: Sequence[int]) -> tuple[str, ...]:
        """The question's words that name something the answer does not mention: words the knowledge
        base lacks, and words found only through WordNet whose guesses the first passage lacks. For a
        declined question, every content word the knowledge base lacks (what a moderator could add)."""
        if not shown:
            lacking = (t.word for t in terms if not t.known and t.word not in UNCOUNTED_WORDS)
            return tuple(dict.fromkeys(lacking))
        # A guess counts when the answer itself holds it: "founded" guessed as "based" is not
        # matched by a supporting passage that says "based on their priorities" (measured: 2 more
        # near-topic questions noted on the development sets, 2 more answerable ones).
        indices = np.asarray(shown[:1], dtype=np.int64)
        missing = [
            t
            for t in terms
            if t.term is None
            or (t.guessed and not self.index.holds(self.index.vocabulary[t.term], indices).any())
        ]
        held = {t.word for t in terms if t.term is not None and t not in missing}
        return unmatched_words([t for t in missing if t.word not in held], UNCOUNTED_WORDS)

    def _shown(
        self, question: str, terms: Sequence[QueryTerm], candidates: Sequence[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """The ranked ``candidates`` to show as the answer: none when the knowledge base does not
        answer the question, else those at least ``SUPPORT_RATIO`` as relevant as the best."""
        if not candidates or not any(t.known for t in terms):
            return []  # Linked to the knowledge base by WordNet's guesses alone.
        # Off topic when no candidate links the question to itself by more than chance.
        # How much a chance link must be outweighed, read only for a question with unknown words.
        against = functools.partial(chance_bar, question[:MAX_QUERY_CHARS])
        if is_off_topic(terms, self._held_by_each(candidates, terms), against):
            return []
        best_matched = max(score for _, score in candidates)
        if self._relevance(best_matched, terms) < ANSWER_THRESHOLD:
            return []
        # The first candidate is the answer (an introduction may have been put first); the others are
        # shown when at least ``SUPPORT_RATIO`` as relevant as the best.
        first, *others = candidates
        shown = [first, *((i, score) for i, score in others if score >= SUPPORT_RATIO * best_matched)]
        sentences = self._answering_sentences([i for i, _ in shown], terms)
        if not answer_types.holds_answer(question[:MAX_QUERY_CHARS], sentences):
            return []  # "How old is Baca?": the passages name him, but none holds a number.
        letters = answer_types.asked_initialism(question[:MAX_QUERY_CHARS])
        if letters is not None and not self._spelled_out(letters):
            return []  # "What does ICE stand for?": the article uses the letters, never the name.
        return shown

    def _spelled_out(self, letters: str) -> bool:
        """True when a passage holding ``letters`` (the first ``SCAN_LIMIT`` of them) writes out the
        name they abbreviate. True as well when the knowledge base never writes them in capitals
        ("what does Newman stand for" asks what he stands for): the question is judged as any other."""
        if letters not in self.index.vocabulary:
            return True
        texts = [self.passages[i].text for i in self.index.passages_holding([letters], SCAN_LIMIT)]
        capitals = re.compile(rf"\b{re.escape(letters.upper())}\b")
        if not any(capitals.search(text) for text in texts):
            return True
        return any(answer_types.spells_out(letters, text) for text in texts)

    def _answering_sentences(self, shown: Sequence[int], terms: Sequence[QueryTerm]) -> Iterator[str]:
        """The sentences of the ``shown`` passages whose question words weigh at least
        ``answer_types.ANSWER_SENTENCE_SHARE`` of what the passage's best sentence holds."""
        weights = _term_weights(terms)
        for i in shown:
            scored = _sentence_scores(self.passages[i], weights)
            best = max(score for _, score in scored)
            yield from (s for s, score in scored if score >= answer_types.ANSWER_SENTENCE_SHARE * best)

    def _held_by_each(
        self, candidates: Sequence[tuple[int, float]], terms: Sequence[QueryTerm]
    ) -> Iterator[PassageLinks]:
        """For each candidate, what it holds of ``terms``: their index terms, and the pairs of
        neighbouring question words it also holds side by side, in lower case (a phrase of its own,
        not a name). Looked up on first use."""
        vocabulary = self.index.vocabulary
        indices = np.asarray([i for i, _ in candidates], dtype=np.int64)
        otherwise = self._meant_otherwise(terms)
        holds = {
            t.term: self.index.holds(vocabulary[t.term], indices)
            for t in terms
            if t.term is not None and t.term not in otherwise
        }
        pairs = [
            (first, second)
            for first, second in itertools.pairwise(terms)
            if first.known and second.known and first.word != second.word
            if " " not in first.word + second.word  # not a phrase already ("let go")
        ]
        for j, i in enumerate(indices.tolist()):
            held = self._held_together(
                i, {str(term) for term, passage_holds in holds.items() if passage_holds[j]}
            )
            both_held = [(a, b) for a, b in pairs if a.term in held and b.term in held]
            yield PassageLinks(held, self._phrases_held(i, both_held))

    def _meant_otherwise(self, terms: Sequence[QueryTerm]) -> frozenset[str]:
        """The index terms of the question words that, with a neighbouring one, make a two-word noun
        the knowledge base never writes side by side ("is the *press release* for the new pixel out"
        beside the article's "press office" and "release date"): the question means that noun, and
        they link it to no passage.

        Measured on the article's forty-four development sets and the five off-topic sets: 5 more
        off-topic questions refused ("is the public library open on monday or nah", "when is Election
        Day held in the United States"), nothing else changed; SQuAD unchanged. That is once a phrase
        of common words ("keep in") no longer weighs as a rare name (``names_something_particular``):
        before, "which people will the sheriff's department no longer keep in custody when *federal
        officials* ask?" was refused."""
        words = [word for word, _ in itertools.groupby(t.word for t in terms)]
        found: set[str] = set()
        for first, second in collocated(words):
            pair = [
                [t for t in terms if t.word == words[n] and t.known and t.term is not None]
                for n in (first, second)
            ]
            if pair[0] and pair[1] and self.index.adjacent(str(pair[0][0].term), str(pair[1][0].term)):
                continue  # "release date", "law enforcement": the knowledge base's own phrase
            found.update(str(t.term) for t in pair[0] + pair[1])
        return frozenset(found)

    def _held_together(self, i: int, held: set[str]) -> set[str]:
        """Of the question terms ``held`` by body passage ``i``, those that its best run of
        ``LINK_SENTENCES`` neighbouring sentences holds, with those no sentence shows (a name's
        initials); all of them in a header passage, whose title and summary are read as one."""
        passage = self.passages[i]
        if len(held) <= 1 or passage.paragraph == HEADER_PARAGRAPH:
            return held
        in_sentences = [held & found for _, found in passage.sentence_terms]
        if len(in_sentences) <= LINK_SENTENCES:
            return held
        runs = (
            set().union(*in_sentences[start : start + LINK_SENTENCES])
            for start in range(len(in_sentences) - LINK_SENTENCES + 1)
        )
        best: set[str] = max(runs, key=len)  # the first of the runs holding the most
        return best | (held - set().union(*in_sentences))

    def _phrases_held(
        self, i: int, pairs: Sequence[tuple[QueryTerm, QueryTerm]]
    ) -> frozenset[tuple[str, str]]:
        """The ``pairs`` of question words passage ``i`` holds side by side, neither written with a
        capital there."""
        if not pairs:
            return frozenset()
        vocabulary = self.index.vocabulary
        names: frozenset[str] | None = None
        found = set()
        for first, second in pairs:
            if not self.index.stands_before(i, vocabulary[str(first.term)], vocabulary[str(second.term)]):
                continue
            names = capitalised_terms(self.passages[i].text) if names is None else names
            if first.term not in names and second.term not in names:
                found.add((first.word, second.word))
        return frozenset(found)

    def rank(self, question: str, k: int) -> list[Passage]:
        """The ``k`` best passages in answer order, without abstention or filtering (for evaluation)."""
        question = self.reader.respelled(question[:MAX_QUERY_CHARS])
        return [self.passages[i] for i, _ in self._ranked(question, self.analyse(question), k)]

    def best_sentence(self, i: int, terms: Iterable[QueryTerm], quotes: Sequence[Quote] = ()) -> str:
        """The sentence of passage ``i`` that covers most of the question's weight (first on a tie);
        the one that opens a quotation asked for, when the question asked for someone's words."""
        passage = self.passages[i]
        best, best_score = passage.sentences[0], 0.0
        if len(passage.sentences) == 1:
            return best  # The only sentence is the best, whatever it holds: no need to read it.
        for quote in quotes:
            opening = quote.text[:40]
            quoted = next(
                (s for s in passage.sentences if opening in s or s.strip('"“ ') in quote.text), None
            )
            if quoted is not None:
                return quoted
        weights = _term_weights(terms)
        # No sentence holds more of the question than its passage: the first sentence holding all the
        # passage holds is the best, and the sentences after it are not read (most passages shown for
        # a question on a large knowledge base hold one or two of its words).
        vocabulary, held = self.index.vocabulary, set(self.index.sequence(i).tolist())
        most = sum(w for term, w in weights.items() if vocabulary.get(term) in held)
        for sentence, found in passage.sentence_terms_in_order():
            score = sum(w for term, w in weights.items() if term in found)
            if score > best_score:
                best, best_score = sentence, score
                if score >= most:
                    break
        return best


def _followed_by(
    first: Sequence[tuple[int, float]], then: Sequence[tuple[int, float]], k: int
) -> list[tuple[int, float]]:
    """``first``, then the passages of ``then`` it does not hold, ``k`` at most in all."""
    held = {i for i, _ in first}
    return [*first, *(pair for pair in then if pair[0] not in held)][:k]


def _term_weights(terms: Iterable[QueryTerm]) -> dict[str, float]:
    """The weight of each index term of a question's ``terms``."""
    return {t.term: t.weight for t in terms if t.term is not None}


def _sentence_scores(passage: Passage, weights: Mapping[str, float]) -> list[tuple[str, float]]:
    """Each sentence of ``passage`` with what the question's terms it holds weigh (``weights``), as
    the best sentence and the sentences that may hold an answer are chosen."""
    return [
        (sentence, sum(w for term, w in weights.items() if term in found))
        for sentence, found in passage.sentence_terms
    ]


def bm25_factors(terms: Sequence[QueryTerm]) -> dict[str, float]:
    """The share of its BM25 contribution each term counts: a word found only through WordNet
    counts ``RELATED_WEIGHT`` of an exact match; a word family ranks as the word it is a form of
    (measured: a share there changes nothing). A term also written as such counts in full."""
    factors: dict[str, float] = {}
    for t in terms:
        if t.term is not None:
            share = (RELATED_WEIGHT if t.guessed else 1.0) * t.portion
            factors[t.term] = max(factors.get(t.term, 0.0), share)
    return factors


def _links_a_clause(term: QueryTerm) -> bool:
    """True when ``term`` ties a clause of a question to the knowledge base: a word it has that is
    neither one of English's commonest ("some", "time", "one": ``TOPIC_MAX_ZIPF``) nor one that
    only phrases a question (``UNCOUNTED_WORDS``)."""
    return term.known and term.word not in UNCOUNTED_WORDS and zipf(term.word) < TOPIC_MAX_ZIPF


def _without_asking_words(terms: Sequence[QueryTerm], asking: frozenset[str]) -> list[QueryTerm]:
    """``terms`` without the words of ``asking`` that the knowledge base lacks: the words by which a
    question asks what a name is ("what does the *acronym* NDLON stand for", "what's Harris's *job*")
    or asks for a date ("what *month* was this written") say what kind of answer is wanted, so they
    neither count against the answer's relevance nor make the question look off topic, even where
    WordNet guesses a known word for them ("stands" as "base").

    Measured on the article's ten development sets, for naming words: 2 right passages more first, 3
    answerable questions fewer refused; SQuAD unchanged ("name" as such a word put 2 more right
    passages first there but cost SQuAD 2). For date words, on twelve sets: 1 answerable question
    fewer refused, nothing else changed; SQuAD unchanged."""
    return [t for t in terms if t.known or t.word not in asking]


def _names_nothing(terms: Sequence[QueryTerm]) -> bool:
    """True when no word of the question is in the knowledge base or says what it asks about."""
    return not any(t.known for t in terms) and not unmatched_words(terms, UNCOUNTED_WORDS)


def asks_what_a_name_is(question: str) -> bool:
    """True for "who is X", "what's X", "which X is it about", "what does X stand for" and the like,
    chat openers before them too ("yo whos the sheriff", "ok so what is ndlon")."""
    text = question[:MAX_QUERY_CHARS].replace("\u2019", "'")
    if _INTRODUCTION_RE.search(text) is not None:
        return True
    opener = _OPENERS_RE.match(text)
    return opener is not None and _INTRODUCTION_RE.search(text[opener.end() :]) is not None
