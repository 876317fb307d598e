"""Forgiving matching of misspelt question words against the knowledge base's own vocabulary.

Discord questions come with typos ("sherrif", "deportaions"). A word that is not in the index is
compared with the index's words after doubled letters are collapsed ("sherrif" and "sheriff" are both
"sherif"), allowing one edit (insertion, deletion, substitution or swap of neighbours) after the first
letter, which typists rarely get wrong: "paris" is not a typo of "harris". Candidates are
found with a deletion index (the SymSpell idea), so a lookup costs a few dictionary probes whatever
the size of the vocabulary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

MIN_LENGTH = 5

_DOUBLES_RE = re.compile(r"(.)\1+")


def collapse_doubles(word: str) -> str:
    """``word`` with every run of a repeated letter reduced to one letter."""
    return _DOUBLES_RE.sub(r"\1", word)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


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

    def __init__(self, word_stems: Iterable[tuple[str, str]]) -> None:
        occurrences = Counter(word_stems)
        frequency: Counter[str] = Counter()
        stems: dict[str, str] = {}
        for (word, word_stem), count in occurrences.most_common():
            if len(word) >= MIN_LENGTH and word.isalpha():
                key = collapse_doubles(word)
                frequency[key] += count
                stems.setdefault(key, word_stem)
        self._frequency = frequency
        self._stems = stems
        self._by_deletion: dict[str, list[str]] = {}
        for key in stems:
            for variant in _deletions(key) | {key}:
                self._by_deletion.setdefault(variant, []).append(key)

    def correct(self, word: str) -> str | None:
        """The stem of the known word ``word`` was probably meant to be, or None."""
        if len(word) < MIN_LENGTH or not word.isalpha():
            return None
        key = collapse_doubles(word)
        if key in self._stems:
            return self._stems[key]
        candidates: set[str] = set()
        for variant in _deletions(key) | {key}:
            candidates.update(self._by_deletion.get(variant, ()))
        matches = [c for c in candidates if c[0] == key[0] and within_one_edit(key, c)]
        if not matches:
            return None
        best = max(matches, key=lambda c: (self._frequency[c], c))
        return self._stems[best]
