"""Names of places and times from WordNet: which words of a question they mark, and the data file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from bot.retrieval.place_names import DATA_FILE, place_and_time_names

ROOT = Path(__file__).resolve().parent.parent


def place_and_time_words(words: list[str]) -> set[str]:
    """The words of ``words`` that name a place or a time, alone or with the words beside them."""
    return {word for name in place_and_time_names(words) for word in name}


@pytest.mark.parametrize(
    ("words", "found"),
    [
        (["capital", "arizona"], {"arizona"}),
        (["best", "taco", "spot", "los", "angeles"], {"los", "angeles"}),
        (["farmers", "market", "open", "wednesday"], {"wednesday"}),
        (["camping", "october", "cold"], {"october"}),
        (["tallest", "mountain", "california"], {"california"}),
        (["flights", "salt", "lake", "city"], {"salt", "lake", "city"}),
    ],
)
def test_names_of_places_and_times_are_found_alone_and_with_the_words_beside_them(
    words: list[str], found: set[str]
) -> None:
    assert place_and_time_words(words) == found


def test_each_name_is_given_with_its_words() -> None:
    assert place_and_time_names(["tickets", "los", "angeles", "october"]) == [
        ("los", "angeles"),
        ("october",),
    ]


@pytest.mark.parametrize(
    "words",
    [
        ["sheriff", "baca", "lawsuit"],  # the article's people and things
        ["angeles"],  # part of a name, alone
        ["city", "lake"],  # the words of "salt lake city", not side by side
        ["china", "march", "reading", "mobile"],  # names that are also words in lower case
        ["washington", "harris"],  # names of people (Washington is a state and a president)
        [],
    ],
)
def test_other_words_are_not_names_of_places_or_times(words: list[str]) -> None:
    assert place_and_time_words(words) == set()


def test_the_names_ship_with_the_package_beside_wordnets_license() -> None:
    data = resources.files("bot").joinpath("data")
    names = data.joinpath(DATA_FILE).read_text(encoding="utf-8").splitlines()
    assert names == sorted(set(names)) and all(name == name.lower() and name.strip() for name in names)
    assert len(data.joinpath(DATA_FILE).read_bytes()) <= 100 * 1024
    assert DATA_FILE in data.joinpath("WORDNET_LICENSE").read_text(encoding="utf-8")
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "data/*.txt" in package_data["bot"]
