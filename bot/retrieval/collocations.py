"""Two-word nouns English uses as one thing, from WordNet: "press release", "leap year", "public library".

A question word that is one half of such a noun means what the noun does, not what the word means
alone: "is the *press* release for the new pixel out yet" is not about a press office, nor "whats ur
*new* years resolution" about a new version of a bill. ``decisions`` counts such a word as a link to
the knowledge base only where the knowledge base writes the two words side by side itself ("release
date", "law enforcement"; see ``KnowledgeBase._held_by_each``).

The data, ``bot/data/noun_collocations.txt.gz`` (32,474 nouns, 156 kB), is derived from WordNet 3.0
(license in ``bot/data/WORDNET_LICENSE``) by ``python scripts/build_related_words.py``, whose
docstring says which nouns it keeps. It is read once, on first use (only questions with words the
knowledge base lacks need it).
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import cache
from importlib import resources

from bot.retrieval.text import word_lemmas

DATA_FILE = "noun_collocations.txt.gz"


@cache
def _collocations() -> frozenset[str]:
    packed = resources.files("bot").joinpath("data", DATA_FILE).read_bytes()
    return frozenset(gzip.decompress(packed).decode("utf-8").split("\n")) - {""}


def is_collocation(first: str, second: str) -> bool:
    """True when ``first second`` (lower case) is a two-word noun, its second word in any number:
    "press release", "leap years", "public libraries"."""
    known = _collocations()
    return f"{first} {second}" in known or any(
        f"{first} {noun}" in known for noun in word_lemmas(second).get("NOUN", ())
    )


def collocated(words: Sequence[str]) -> list[tuple[int, int]]:
    """The positions of the neighbouring ``words`` (a question's, lower case, in order) that make a
    two-word noun: ``[(0, 1)]`` for ``["press", "release", "pixel"]``."""
    return [
        (i, i + 1)
        for i in range(len(words) - 1)
        if " " not in words[i] + words[i + 1] and words[i] != words[i + 1]
        if is_collocation(words[i], words[i + 1])
    ]
