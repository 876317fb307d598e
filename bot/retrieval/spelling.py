"""Forgiving matching of misspelt question words against the knowledge base's own vocabulary.

Discord questions come with typos ("sherrif", "deportaions"). A word that is not in the index is
compared with the index's words after doubled letters are collapsed ("sherrif" and "sheriff" are both
"sherif"), allowing one edit (insertion, deletion, substitution or swap of neighbours) after the first
letter, which typists rarely get wrong: "paris" is not a typo of "harris". A word of the English
lexicon is taken as meant, not as a typo: "gun powder" is not "gun power", nor "later" "letter" (on
SQuAD such corrections were wrong far more often than right, and some of the right ones, like
"civilly" for "civil", are found as word families instead). The candidates are the few
hundred strings one edit away from the typo, each looked up in a dictionary, so a correction costs
the same whatever the size of the vocabulary and building costs one pass over it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.retrieval.text import is_dictionary_word

MIN_LENGTH = 5

_DOUBLES_RE = re.compile(r"(.)\1+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def collapse_doubles(word: str) -> str:
    """``word`` with every run of a repeated letter reduced to one letter."""
    return _DOUBLES_RE.sub(r"\1", word)


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs if len(diffs) == 2 else (0, 0)
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


class Speller:
    """Maps an unknown word to the stem of the most frequent known word within one edit."""

    def __init__(self, word_terms: Iterable[tuple[str, str]], weight: Callable[[str], float]) -> None:
        """Index the known ``(word, term)`` pairs; ``weight(term)`` ranks candidates (e.g. frequency)."""
        frequency: dict[str, float] = {}
        stems: dict[str, str] = {}
        unique: set[tuple[str, str]] = set()
        for pair in word_terms:  # A Python loop, not set(...): the event loop's thread gets turns.
            unique.add(pair)
        for word, word_term in unique:
            if len(word) >= MIN_LENGTH and word.isalpha():
                key = collapse_doubles(word)
                score = weight(word_term)
                best = frequency.get(key, -1.0)
                # Ties go to the smaller term, whatever order the set gives the pairs in (it changes
                # with hash randomisation): the same question is corrected the same in every process.
                if score > best or (score == best and word_term < stems[key]):
                    frequency[key] = score
                    stems[key] = word_term
        self._frequency = frequency
        self._stems = stems

    def correct(self, word: str) -> str | None:
        """The term of the known word ``word`` was probably meant to be, or None."""
        if len(word) < MIN_LENGTH or not word.isalpha():
            return None
        key = collapse_doubles(word)
        if key in self._stems:
            return self._stems[key]
        if is_dictionary_word(word):
            return None
        matches = [c for c in _one_edit(key) if c in self._stems]
        if not matches:
            return None
        best = max(matches, key=lambda c: (self._frequency[c], c))
        return self._stems[best]


class FunctionWords:
    """The function word a typo was meant to be: "waht" -> "what", "hwo" -> "how", "whcih" -> "which".

    Each function word is filed under itself and under every string one deletion from it (keeping
    the first letter); a typo is looked up by itself and its own deletions, and what is found is kept
    when it is within one edit of the typo (a shared deletion can be two edits apart). Of several
    (``"hwo"``: "how" and "who"), the one ``rank`` puts highest is taken, then the first in
    alphabetical order: the same typo reads the same in every process.
    """

    def __init__(self, words: Iterable[str], rank: Callable[[str], float]) -> None:
        filed: dict[str, list[str]] = {}
        for word in sorted(set(words)):
            for key in {word, *_deletions(word)}:
                filed.setdefault(key, []).append(word)
        self._filed = filed
        self._rank = rank

    def meant(self, typo: str) -> str | None:
        """The function word ``typo`` is one edit from (the first letter kept), or None."""
        found = {
            word
            for key in {typo, *_deletions(typo)}
            for word in self._filed.get(key, ())
            if word != typo and word[0] == typo[0] and within_one_edit(word, typo)
        }
        return min(found, key=lambda word: (-self._rank(word), word)) if found else None


def _deletions(word: str) -> set[str]:
    """``word`` less one of its letters after the first."""
    return {word[:i] + word[i + 1 :] for i in range(1, len(word))}


def _one_edit(word: str) -> set[str]:
    """Every string one edit from ``word`` that keeps its first letter (Norvig's candidate set)."""
    head, tail = word[0], word[1:]
    splits = [(tail[:i], tail[i:]) for i in range(len(tail) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return {head + rest for rest in (*deletes, *swaps, *replaces, *inserts)}
