"""Questions that ask for someone's words: "what did Newman say", "any quotes from harris".

Such a question is answered best by the person's own quotations, which the quote index already finds
with who said them, rather than by the passages that share most of its words (which may quote
someone else). A question takes this route when it asks for words (a verb of saying or thinking,
"quote", "in his words") and names exactly one person the knowledge base quotes, by name or by role
("the AG", "the attorney general"). Its other words, as the question reader found them in the knowledge
base (with their other forms, moderators' synonyms and WordNet's guesses: "what legislation did
Newman say Baca *opposed*" finds his "opposition to the TRUSTAct"), rank that person's quotations;
when none of them matches, all of the person's quotations are given in reading order.

Two kinds of question name a quoted person and a verb of saying without asking for their words: "who
said the change came from the AG's directive" asks who spoke, and "what did the AG *directive* say"
asks what a thing of theirs says, which the article reports in other words. Measured on the article's
thirty-six development sets: 12 more right passages first, none lost; SQuAD unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.retrieval.question import QueryTerm
from bot.retrieval.quotes import Quote, QuoteIndex, Speaker
from bot.retrieval.text import STOP_WORDS, word_lemmas
from bot.retrieval.text import words as word_forms

# Words that ask for what someone said: "did Newman say anything", "any quotes from the AG", "what
# was his exact quote", "what did harris tell chiefs". Verbs of opinion ("what did Thoreau claim",
# "what does Gasquet think") are left out: measured on SQuAD, such questions are answered as often by
# a passage that reports the opinion as by the person's quotation (6 of 7 routed there were worse).
_ASKS_FOR_WORDS_RE = re.compile(
    r"\b(?:say|says|said|saying|tell|tells|told|telling|comment|comments|commented|"
    r"quote|quotes|quoted|quotation|quotations|words|statement|statements)\b",
    re.IGNORECASE,
)

# A reason a person gave is in their words: "what reason did Harris give for her recommendation",
# "what justification did the AG offer", "whats harris's reasoning" ask for the quotation that gives
# it ("In the interest of public safety, ..."), not for the paragraph that says what prompted
# something else. Measured on the article's forty-two development sets (2,500 answerable questions):
# 12 more right passages first, none lost; SQuAD unchanged (25 of its questions name a reason; no
# quoted speaker is named in those asked this way). A question naming nobody quoted is searched as
# any other ("what reason did the spokesman give").
REASON_NOUNS = "reason reasons reasoning justification justifications explanation explanations rationale"
GIVING_VERBS = "give gives gave given giving offer offers offered cite cites cited provide provides provided"
_REASON_RE = re.compile(r"\b(?:" + "|".join(REASON_NOUNS.split()) + r")\b", re.IGNORECASE)
_GIVING_RE = re.compile(r"\b(?:" + "|".join(GIVING_VERBS.split()) + r")\b", re.IGNORECASE)
_THEIR_REASON_RE = re.compile(
    r"(?:['\u2019]s|\bher|\bhis|\btheir)\s+(?:\w+\s+)?(?:" + "|".join(REASON_NOUNS.split()) + r")\b",
    re.IGNORECASE,
)

# Words of a question that ask rather than name: left out when the rest ranks the quotations.
ASKING_WORDS = frozenset(
    f"""
    say says said saying tell tells told telling think thinks thought claim claims claimed argue argues
    argued describe describes described call calls called comment comments commented mention mentions
    mentioned recommend recommends recommended write writes wrote quote quotes quoted quotation
    quotations words statement statements exact exactly anything something real really
    {REASON_NOUNS} {GIVING_VERBS}
    """.split()
)

# Verbs of saying whose subject a question may name: "who *said* ...", "harris's directive *says* ...".
_SAYING_VERBS = frozenset("say says said saying tell tells told telling".split())

# "Who said the change came from the AG's directive" asks who spoke, not for the AG's words: "who"
# (and at most one adverb: "who actually said") is the subject of the verb of saying.
_WHO_SAID_RE = re.compile(
    r"\bwho(?:\s+[a-z]+ly|\s+even|\s+first)?\s+(?:say|says|said|told|tells)\b", re.IGNORECASE
)

# How many words may stand between a person's name and the verb of saying whose subject they are
# part of: "the AG's legal directive says", "harris directive basically says".
_SUBJECT_WORDS = 3

# Nouns that name the person rather than a thing of theirs: "what did the day laborer *guy* say".
_PERSON_NOUNS = frozenset(
    "guy guys dude man woman lady person fellow lawyer attorney director head boss chief leader".split()
)

# Words after which a first name stands alone ("what did kamala *say*"): no surname follows.
_NOT_NAMES = STOP_WORDS | ASKING_WORDS

# Name parts this short ("de", "al") are not taken for a name on their own.
MIN_NAME_PART = 3


@dataclass(frozen=True)
class QuoteQuestion:
    """A question asking for one quoted person's words: who, and the words that name them."""

    speaker: Speaker
    names: frozenset[str]  # the speaker's name and role words ("newman", "ag"): not the topic


def role_names(role: str) -> set[str]:
    """The words a member may use for a role: its words and its initials ("attorney general": "ag")."""
    forms = [w for w in word_forms(role) if w not in STOP_WORDS]
    names = set(forms)
    for start in range(len(forms)):
        for end in range(start + 2, min(len(forms), start + 4) + 1):
            names.add("".join(w[0] for w in forms[start:end]))
    return names


def asks_for_words(question: str) -> bool:
    """True when ``question`` asks for what someone said (a verb of saying, "quote", "words"), or for
    the reason they gave ("what reason did Harris give", "whats harris's reasoning")."""
    if _ASKS_FOR_WORDS_RE.search(question) is not None or _THEIR_REASON_RE.search(question) is not None:
        return True
    return names_a_reason(question) and _GIVING_RE.search(question) is not None


def names_a_reason(question: str) -> bool:
    """True when ``question`` has a word for a reason ("reason", "justification", "explanation")."""
    return _REASON_RE.search(question) is not None


def asked_speaker(question: str, quotes: QuoteIndex) -> QuoteQuestion | None:
    """The quoted person ``question`` asks the words of, when it asks for words and names one."""
    if not asks_for_words(question) or _WHO_SAID_RE.search(question):
        return None
    every = word_forms(question)
    written = [w for w in every if w not in STOP_WORDS]
    present = set(written)
    # A first name stands alone when what follows it is no other name ("what did kamala say").
    alone = {w for w, after in zip(every, [*every[1:], ""], strict=True) if after in _NOT_NAMES or not after}
    named: list[Speaker] = []
    speakers = quotes.speakers()
    parts_of = {s.name: [w for w in word_forms(s.name) if len(w) >= MIN_NAME_PART] for s in speakers}
    first_names = Counter(parts[0] for parts in parts_of.values() if len(parts) > 1)
    for speaker in speakers:
        # The surname, or the whole name: "Joseph Haas" is not "Joseph Stiglitz". A first name alone
        # ("what did kamala say") when no other quoted person has it. Measured: 1 more right passage
        # first on the article's development sets, SQuAD unchanged.
        parts = parts_of[speaker.name]
        first = parts[0] if len(parts) > 1 and first_names[parts[0]] == 1 else None
        if parts and (parts[-1] in present or set(parts) <= present or first in alone):
            named.append(speaker)
    if not named:
        # Nobody by name: by role ("did the AG say anything"), where the role's own words are asked.
        named = [s for s in quotes.speakers() if s.role and _names_role(present, role_names(s.role), s.role)]
    if len(named) != 1:
        return None
    speaker = named[0]
    own = set(word_forms(speaker.name)) | (role_names(speaker.role) if speaker.role else set())
    if _only_names_a_thing_of(every, own):
        return None
    return QuoteQuestion(speaker, frozenset(own))


def _only_names_a_thing_of(every: Sequence[str], own: set[str]) -> bool:
    """True when each mention of the speaker (words of ``own`` in ``every``) only qualifies a noun that
    says something: "what did the AG *directive* say", "does harris's *memo* say", "what did the AG's
    legal *directive* say". The directive is what is asked about, and the article reports it in other
    words than the speaker's quotations."""
    ends = [i for i, w in enumerate(every) if w in own and (i + 1 == len(every) or every[i + 1] not in own)]
    return bool(ends) and all(_qualifies_a_noun(every[i + 1 : i + 2 + _SUBJECT_WORDS]) for i in ends)


def _qualifies_a_noun(following: Sequence[str]) -> bool:
    """True when ``following`` (the words after a name) reaches a verb of saying through a noun."""
    for position, word in enumerate(following):
        if word in _SAYING_VERBS:
            return False  # Reached before any noun: the name itself is the subject.
        lemmas = word_lemmas(word)
        if word not in STOP_WORDS and word not in ASKING_WORDS and "NOUN" in lemmas and "ADV" not in lemmas:
            return word not in _PERSON_NOUNS and any(w in _SAYING_VERBS for w in following[position + 1 :])
    return False


def _names_role(present: set[str], names: set[str], role: str) -> bool:
    """True when the question's words name the role: its initials, or two of its words."""
    initials = {n for n in names if n not in word_forms(role)}
    return bool(present & initials) or len(present & (names - initials)) >= 2


def topic_terms(asked: QuoteQuestion, terms: Sequence[QueryTerm]) -> list[QueryTerm]:
    """The question's ``terms`` that neither ask for words nor name the speaker: what it is about."""
    return [
        t
        for t in terms
        if t.term is not None and not any(w in asked.names or w in ASKING_WORDS for w in t.word.split())
    ]


def speaker_quotes(
    asked: QuoteQuestion, quotes: QuoteIndex, limit: int, terms: Sequence[QueryTerm] = ()
) -> tuple[Quote, ...]:
    """The speaker's quotations ranked by the question's other ``terms`` (those that neither ask nor
    name the speaker); all of them, in reading order, when no quotation matches those terms.
    Measured on the article's twenty-four development sets against ranking by the question's words as
    written: 11 more right passages first, 5 more among those shown, none lost; SQuAD unchanged."""
    topic = [t.term for t in topic_terms(asked, terms) if t.term is not None]
    if topic:
        ranked = quotes.find(speaker=asked.speaker.name, terms=topic, limit=limit).quotes
        if ranked:
            return ranked
    return quotes.find(speaker=asked.speaker.name, limit=limit).quotes
