"""WordNet's two-word nouns, read from the data shipped with the package."""

from __future__ import annotations

import pytest

from bot.retrieval.collocations import collocated, is_collocation
from bot.retrieval.decisions import names_something_particular


@pytest.mark.parametrize(
    ("first", "second", "noun"),
    [
        ("press", "release", True),
        ("leap", "years", True),  # the second word in any number
        ("public", "libraries", True),
        ("federal", "requests", False),
        ("release", "press", False),  # in that order only
    ],
)
def test_two_words_english_uses_as_one_noun_are_known(first: str, second: str, noun: bool) -> None:
    assert is_collocation(first, second) is noun


def test_the_neighbouring_words_of_a_question_that_make_a_noun_are_found() -> None:
    assert collocated(["press", "release", "new", "pixel"]) == [(0, 1)]
    assert collocated(["baca", "ice", "holds"]) == []
    assert collocated([]) == []


@pytest.mark.parametrize(
    ("phrase", "particular"), [("keep in", False), ("let go", False), ("san diego", True), ("new york", True)]
)
def test_a_phrase_of_common_words_names_nothing_particular(phrase: str, particular: bool) -> None:
    # "Keep in" is a guess from WordNet, not the name of what the question is about.
    assert names_something_particular(phrase) is particular
