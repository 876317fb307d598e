"""Function words typed wrong are read as the words meant; words that are words are left alone."""

from __future__ import annotations

import pytest

from bot.retrieval.question import function_word_typo
from bot.retrieval.spelling import FunctionWords


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("waht", "what"),  # two letters swapped
        ("whcih", "which"),
        ("becuase", "because"),
        ("thta", "that"),
        ("mnay", "many"),
        ("evry", "every"),  # one dropped
        ("whhen", "when"),  # one doubled
        ("tehre", "there"),
    ],
)
def test_a_function_word_typed_wrong_is_read_as_the_one_meant(typo: str, meant: str) -> None:
    assert function_word_typo(typo) == meant


@pytest.mark.parametrize(
    "word",
    [
        "hat",  # a word of the dictionary, one edit from "that"
        "ali",  # a name English uses often
        "wut",  # a chat spelling the chat lexicon reads
        "what",  # the function word itself
        "xwhat",  # the first letter is never the slip
        "wh",  # too short to tell
        "whaaat",  # two edits away
        "baca",
    ],
)
def test_words_english_knows_or_too_far_from_a_function_word_are_left(word: str) -> None:
    assert function_word_typo(word) is None


def test_of_two_function_words_one_edit_away_the_commoner_is_taken_the_same_way_every_time() -> None:
    ranks = {"how": 2.0, "who": 1.0, "hot": 2.0, "hos": 2.0}
    words = FunctionWords(["who", "how", "hos", "hot"], ranks.__getitem__)

    assert words.meant("hwo") == "how"  # commoner than "who"
    assert words.meant("hox") == "hos"  # "hos" and "hot" tie: alphabetical order decides
    assert FunctionWords(reversed(["who", "how", "hos", "hot"]), ranks.__getitem__).meant("hox") == "hos"
    assert words.meant("hwoo") is None
