"""Names of places and of times, from WordNet: "Arizona", "Los Angeles", "Wednesday", "October".

A question that shares only such a name with an article ("what is the capital of *Arizona*", "what
time does the farmers market open on *Wednesday*") shares where or when it is set, not what it is
about (``decisions.PLACE_OR_TIME_LINK``).

The data, ``bot/data/place_and_time_names.txt`` (3,940 names, 48 kB), is derived from WordNet 3.0
(license in ``bot/data/WORDNET_LICENSE``) by ``python scripts/build_related_words.py``, whose
docstring says which names it keeps. It is read once, on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

DATA_FILE = "place_and_time_names.txt"

# Longest name looked for, in words ("salt lake city").
MAX_NAME_WORDS = 3


@cache
def _names() -> frozenset[str]:
    text = resources.files("bot").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return frozenset(text.split("\n")) - {""}


def place_and_time_names(words: Sequence[str]) -> list[tuple[str, ...]]:
    """The names of places and times among ``words`` (a question's, lower case, in order), each as
    its words: ("arizona",), ("wednesday",), ("los", "angeles")."""
    names = _names()
    return [
        tuple(words[start:end])
        for start in range(len(words))
        for end in range(start + 1, min(len(words), start + MAX_NAME_WORDS) + 1)
        if " ".join(words[start:end]) in names
    ]
