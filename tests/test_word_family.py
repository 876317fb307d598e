"""Word families: a question word the article never uses finds a known word of the same family."""

from __future__ import annotations

import pytest

from bot.retrieval import word_family
from bot.retrieval.word_family import WordFamilies

TERMS = ["complianc", "administr", "weak", "decis", "lawsuit", "sue", "satur", "saturday", "undo"]


def families(frequency: dict[str, float] | None = None) -> WordFamilies:
    counts = frequency or {}
    return WordFamilies(TERMS, lambda term: counts.get(term, 1.0))


@pytest.mark.parametrize(
    ("stem", "known"),
    [
        ("compli", "complianc"),  # "comply": the known term begins with the question's stem
        ("admin", "administr"),
        ("weakest", None),  # "weak" is too short to be matched by its beginning
        ("saturn", "satur"),  # the known term begins the question's stem
    ],
)
def test_an_unknown_stem_finds_the_known_term_of_its_family(stem: str, known: str | None) -> None:
    assert families().related(stem) == known


@pytest.mark.parametrize("stem", ["su", "sued", "decid", "lawsuits1", "zebra", ""])
def test_stems_that_share_too_little_find_nothing(stem: str) -> None:
    # "decid" and "decis" differ in a letter; "sue" is too short to compare by its beginning.
    assert families().related(stem) is None


def test_the_closest_in_length_wins_then_the_more_frequent() -> None:
    closest = WordFamilies(["report", "reporters"], lambda term: 1.0)
    assert closest.related("reporte") == "report"  # one letter short, against two letters more

    frequent = WordFamilies(["abcdex", "abcdey"], {"abcdex": 1.0, "abcdey": 5.0}.__getitem__)
    assert frequent.related("abcde") == "abcdey"


def test_terms_are_sorted_across_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_family, "SORT_SLICE", 2)
    known = WordFamilies(["zzzzzz", "compliance", "aaaaaa", "complianc"], lambda term: 1.0)

    assert known.related("compli") == "complianc"
