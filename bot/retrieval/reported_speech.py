"""Who the knowledge base reports as speaking, for questions that ask what someone said.

"What did ICE say about Baca's decision", "how did the Obama administration respond", "did Arpaio
react": the article names ICE, the Obama administration and Arpaio, so their passages share the
question's words, but it reports nothing any of them said. Such a question is about something the
article does not tell, and showing the passages that merely name them would pass them off as the
answer. A question is asked this way when a verb of saying or responding follows its subject ("what
did *X* say", "how did *X* react"); it is declined when the subject names someone the knowledge base
writes as a name and never reports speaking.

Someone is reported speaking when their name stands within ``SPEAKER_WINDOW`` words before a
reporting verb ("Newman said", "the L.A. Times is reporting", "Chris Newman Legal Director at the
National Day Laborer Organizing Network (NDLON) told"), or after "according to"; the headline and
byline count too: the article itself, its author and its outlet speak. Measured on the article's
thirty-six development sets and the off-topic set: 43 more near-topic and off-topic questions
declined ("what did ICE say in response to baca's decision", "what did obama himself say abt this",
"what does the TRUST act actually say"), no answerable one; a window of 6 words declined 4 answerable
questions ("what did the lawyer guy say": his title stands 8 words before "told"). SQuAD unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.retrieval.passages import HEADER_PARAGRAPH, Passage
from bot.retrieval.quote_questions import GIVING_VERBS, names_a_reason
from bot.retrieval.text import search_words

# How many words before a reporting verb may name who speaks.
SPEAKER_WINDOW = 10

# Verbs by which an article reports speech, in forms that are not also nouns ("report", "state" and
# "claim" are left out: "a Justice Strategies *report*", "the *state* of California").
_REPORTING_RE = re.compile(
    r"\b(?:said|says|told|tells|confirmed|confirms|reported|reporting|alleges|alleged|indicating|"
    r"indicated|announced|announces|stated|wrote|argued|argues|claimed|added|noted|explained|"
    r"responded|replied|commented)\b",
    re.IGNORECASE,
)
_ACCORDING_RE = re.compile(r"\baccording\s+to\b", re.IGNORECASE)

# How far around a reporting verb the speaker's words are looked for, in characters.
_REACH = 160

# "What did ICE say", "how did ICE officials respond to", "did obama or the white house say anything":
# the words between the auxiliary and the verb are who is asked about ("did Japan release a statement
# *to tell* Israelis ...": an infinitive is not the question's verb).
_ASKED_SUBJECT_RE = re.compile(
    r"\b(?:did|does|do|has|have|had|will|would|could)\s+(?P<subject>[^?!.,;:]{1,60}?)(?<!\bto)\s+"
    r"(?:say|said|says|respond|responded|react|reacted|tell|told|reply|replied)\b",
    re.IGNORECASE,
)
# "What reason did ICE give", "what explanation did the feds offer": a reason someone gave is their
# words too (``quote_questions`` routes the same questions to a quoted person's quotations).
_ASKED_REASON_RE = re.compile(
    r"\b(?:did|does|do|has|have|had|will|would|could)\s+(?P<subject>[^?!.,;:]{1,60}?)\s+"
    r"(?:" + "|".join(GIVING_VERBS.split()) + r")\b",
    re.IGNORECASE,
)

# Where the sentence naming a source after "according to" ends ("... the Transit Office. The Union
# was not asked"); not after an initial ("L.A. Times").
_SENTENCE_END_RE = re.compile(r"(?<![A-Z])[.!?]\s")

_CAPITALISED_RE = re.compile(r"\b[A-Z][\w'’.-]*")
# A capital after these (or at the start of a text) may only open a sentence or a quotation.
_OPENERS = ".!?:\"“‘('"


# A name held by more passages than this is not looked into (the question is answered as usual): it is
# read in a few milliseconds, while reading every passage of a large knowledge base took 23 s at
# 102,000 passages.
SCAN_LIMIT = 200


@dataclass(frozen=True)
class PassageSpeech:
    """The index terms one passage writes as names, and those it reports speaking."""

    names: frozenset[str]
    speaking: frozenset[str]

    @classmethod
    def of(cls, passage: Passage) -> PassageSpeech:
        """Read from the passage's text. The headline and byline speak for the whole article: every
        term of theirs speaks, and none is taken for a name (a headline capitalises every word)."""
        if passage.paragraph == HEADER_PARAGRAPH:
            return cls(frozenset(), frozenset(t for _, t in search_words(passage.search_text)))
        text = passage.text
        names: set[str] = set()
        speaking: set[str] = set()
        for match in _CAPITALISED_RE.finditer(text):
            before = match.start() - 1
            while before >= 0 and text[before].isspace():
                before -= 1  # Back over the spaces only: copying the text before each capital was quadratic.
            if before >= 0 and text[before] not in _OPENERS:
                names.update(t for _, t in search_words(match.group(0)))
        for match in _REPORTING_RE.finditer(text):
            words = search_words(text[max(0, match.start() - _REACH) : match.start()])
            speaking.update(t for _, t in words[-SPEAKER_WINDOW:])
        for match in _ACCORDING_RE.finditer(text):
            after = _SENTENCE_END_RE.split(text[match.end() : match.end() + _REACH], maxsplit=1)[0]
            speaking.update(t for _, t in search_words(after)[:SPEAKER_WINDOW])
        return cls(frozenset(names), frozenset(speaking))


def never_heard(subject_terms: Collection[str], passages: Iterable[Passage]) -> frozenset[str]:
    """The names among ``subject_terms`` (a question's subject, as index terms), when none of them is
    reported speaking in ``passages`` (those holding one of the terms: a term is a name or speaks
    only where it stands); empty otherwise. "ice or the feds" asks about ICE, and "federal" standing
    before a reporting verb ("honor federal requests ..., the L.A. Times is reporting") does not make
    anyone speak."""
    subject = frozenset(subject_terms)
    names: set[str] = set()
    speaking: set[str] = set()
    for passage in passages:
        speech = PassageSpeech.of(passage)
        names |= speech.names & subject
        speaking |= speech.speaking & subject
        if names & speaking:
            return frozenset()
    return frozenset(names)


def asked_subject(question: str) -> str | None:
    """Who ``question`` asks the words or response of ("what did *ICE* say"), as written; else None."""
    match = _ASKED_SUBJECT_RE.search(question)
    if match is None and names_a_reason(question):
        match = _ASKED_REASON_RE.search(question)
    return match.group("subject") if match else None
