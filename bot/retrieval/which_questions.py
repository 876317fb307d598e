"""Questions asking which of a kind of thing did something: "Which newspaper first reported it?".

The moderators' synonyms may read the kind as the things the article names: "newspaper" as "L.A.
Times" and "Colorlines". Every paragraph naming one of them then matches the kind alike, and BM25
prefers the shortest: "A spokesman for the Sheriff confirmed Baca's *decision* to the LA Times" over
"..., the L.A. Times is reporting" for "which newspaper first reported the sheriff's decision". The
question asks which of them *did* what it says, so a passage where one of them stands next to the
question's verb ("the L.A. Times is *reporting*") is moved up (``SLOT_WEIGHT``).

Only a kind read as other words counts: a kind the article itself names ("which *sheriff* ...",
SQuAD's "which *newspaper* ...") is matched as any other word. Measured on the article's forty-four
development sets (2,618 answerable questions): 19 more right passages first, none fewer, nothing else
changed (18 of them "which newspaper first reported / is reporting / broke the news of the decision",
one "which admins requests r cops allowed to ignore": "Obama administration requests"). At once the
verb's weight: 1 more; at three times it, as at twice. SQuAD has no synonyms file: unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.retrieval.question import QueryTerm
from bot.retrieval.text import term

# What a passage where the kind stands next to the verb earns, in units of what the verb's own match
# earns in a passage of average length.
SLOT_WEIGHT = 2.0

# "Next to": at most this many index terms apart (stop words are not counted), either side.
NEXT_TO = 2

# "which newspaper first reported", "what outlet was reporting", "wat paper originally broke": the
# kind, then (after auxiliaries and adverbs of time) the verb. Read on the question as typed, chat
# spellings of "which" and "what" included: rewriting it again would cost every search.
_WHICH_DID_RE = re.compile(
    r"^\W*(?:which|wich|whch|what|wat|wut|wht)\s+([^\W\d_]+)\s+"
    r"(?:(?:is|was|were|are|r|has|had|have|did|does|do|first|originally|initially|actually|really|the|to)\s+)*"
    r"([^\W\d_]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WhichDid:
    """The index terms the kind asked about is read as, and those of the verb, with its weight."""

    kind: frozenset[str]
    verb: frozenset[str]
    weight: float


def which_did(question: str, terms: Sequence[QueryTerm]) -> WhichDid | None:
    """What "Which newspaper first reported the decision?" asks about, read through ``terms`` (the
    question's terms); None for other questions and when the kind is a word the article has."""
    found = _WHICH_DID_RE.search(question)
    if found is None:
        return None
    kind_word, verb_word = found.group(1).lower(), found.group(2).lower()
    kind = [t for t in terms if t.word == kind_word and t.term is not None and not t.guessed]
    if not kind or any(t.term == term(kind_word) for t in kind):
        return None  # Not read as other words: the kind itself is in the article.
    verb = [t for t in terms if t.term is not None and verb_word in t.word.split() and t.word != kind_word]
    if not verb:
        return None
    return WhichDid(
        frozenset(str(t.term) for t in kind),
        frozenset(str(t.term) for t in verb),
        max(t.weight for t in verb),
    )


def stand_together(sequence: npt.NDArray[np.int32], first: Sequence[int], second: Sequence[int]) -> bool:
    """True when a term of ``first`` stands within ``NEXT_TO`` terms of one of ``second`` in
    ``sequence`` (a passage's terms in order, as vocabulary ids)."""
    at = np.flatnonzero(np.isin(sequence, first))
    near = np.flatnonzero(np.isin(sequence, second))
    if at.size == 0 or near.size == 0:
        return False
    return bool((np.abs(at[:, None] - near[None, :]) <= NEXT_TO).any())


def slot_ids(slot: WhichDid, vocabulary: Mapping[str, int]) -> tuple[list[int], list[int]]:
    """The vocabulary ids of the kind's and the verb's terms."""
    return [vocabulary[t] for t in slot.kind], [vocabulary[t] for t in slot.verb]
