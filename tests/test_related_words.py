"""Related words from WordNet: what members' other words reach, odd input, the data file and its build."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from bot.retrieval.related_words import (
    DATA_FILE,
    MAX_RELATED,
    base_forms,
    related_phrase,
    related_words,
)

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "scripts" / "build_related_words.py"
WORDNET_DIR = Path("/usr/share/wordnet")
WORDNET_COPYRIGHT = Path("/usr/share/doc/wordnet-base/copyright")


def _data() -> resources.abc.Traversable:
    return resources.files("bot").joinpath("data")


@pytest.mark.parametrize("word", ["sue", "sued", "suing", "sues"])
def test_sue_reaches_lawsuit_through_suit(word: str) -> None:
    found = related_words(word)
    assert "suit" in found
    assert "lawsuit" in found
    assert found.index("suit") < found.index("lawsuit")  # one hop before two


def test_inflected_word_gives_its_base_first() -> None:
    assert related_words("sued")[0] == "sue"
    assert related_words("arrested")[0] == "arrest"
    assert related_words("detained")[0] == "detain"


def test_suit_reaches_lawsuit_and_sue() -> None:
    assert {"lawsuit", "sue"} <= set(related_words("suit"))


def test_let_go_reaches_release_and_back() -> None:
    assert "release" in related_phrase(("let", "go"))
    assert "release" in related_phrase(("letting", "go"))
    assert "let go" in related_words("release")
    assert "let go" in related_words("released")


def test_stance_reaches_position_and_attitude() -> None:
    # WordNet: "position, stance, posture" (a rationalized mental attitude). Opposition is not a synonym.
    found = related_words("stance")
    assert {"position", "attitude"} <= set(found)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("jail", {"imprison", "incarcerate", "detain"}),
        ("jailed", {"jail", "imprison", "detain"}),
        ("newspaper", {"paper", "press"}),
        ("newspapers", {"newspaper", "paper"}),
        ("cop", {"policeman", "police officer", "arrest"}),
        ("deport", {"deportation", "expel"}),
        ("arrest", {"apprehend", "apprehension"}),
        ("release", {"free", "liberate", "relinquish"}),
        ("detain", {"detention", "detainee", "custody"}),
        ("held", {"hold"}),
    ],
)
def test_question_words_reach_the_articles_words(word: str, expected: set[str]) -> None:
    assert expected <= set(related_words(word))


def test_phrase_with_inflected_last_word() -> None:
    assert "policeman" in related_phrase(("police", "officers"))


def test_base_forms_follow_wordnet_morphy() -> None:
    assert base_forms("sued") == ("sue",)
    assert base_forms("suing") == ("sue",)
    assert base_forms("jailed") == ("jail",)
    assert base_forms("children") == ("child",)  # irregular: WordNet's exception list
    assert "good" in base_forms("better")
    assert base_forms("lawsuit") == ()


@pytest.mark.parametrize("word", ["sue", "release", "found", "better", "cop", "set"])
def test_answers_are_capped_without_repeats_or_the_word_itself(word: str) -> None:
    found = related_words(word)
    assert 0 < len(found) <= MAX_RELATED
    assert len(set(found)) == len(found)
    assert word not in found


def test_upper_case_is_folded() -> None:
    assert related_words("Sued") == related_words("sued")


@pytest.mark.parametrize(
    "word",
    [
        "",
        " ",
        "\t",
        "\n",
        "a\tb",
        "sue\n",
        "let go",
        "qzxvwk",
        "\x00",
        "🙂",
        "ünïcödé",
        "\ud800",
        "ß" * 10_000,
    ],
)
def test_odd_words_give_nothing(word: str) -> None:
    assert related_words(word) == ()


@pytest.mark.parametrize(
    "words",
    [(), ("",), ("let", ""), ("let", "\t"), ("let go", "of"), ("qzxv", "wkq"), ("🙂", "🙂")],
)
def test_odd_phrases_give_nothing(words: tuple[str, ...]) -> None:
    assert related_phrase(words) == ()


def test_single_word_phrase_is_a_word() -> None:
    assert related_phrase(("sued",)) == related_words("sued")


def test_order_is_the_same_in_every_process() -> None:
    code = "from bot.retrieval.related_words import related_words as r; print(r('release'), r('sued'))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_data_file_is_small() -> None:
    assert len(_data().joinpath(DATA_FILE).read_bytes()) <= 3 * 1024 * 1024


def test_license_notice_ships_beside_the_data() -> None:
    notice = _data().joinpath("WORDNET_LICENSE").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in notice
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert {"data/WORDNET_LICENSE", f"data/{DATA_FILE}"} <= set(package_data["bot"])


@pytest.mark.skipif(not WORDNET_DIR.is_dir(), reason="needs Debian's wordnet-base (/usr/share/wordnet)")
def test_build_is_deterministic_and_matches_the_shipped_data(tmp_path: Path) -> None:
    builds = [
        subprocess.Popen(
            [
                sys.executable,
                str(BUILD_SCRIPT),
                "--wordnet",
                str(WORDNET_DIR),
                "--license",
                str(WORDNET_COPYRIGHT),
                "--out",
                str(tmp_path / name),
            ]
        )
        for name in ("first", "second")
    ]
    assert [build.wait(timeout=300) for build in builds] == [0, 0]
    first, second = ((tmp_path / name / DATA_FILE).read_bytes() for name in ("first", "second"))
    assert first == second
    assert (tmp_path / "first" / "WORDNET_LICENSE").read_bytes() == (
        tmp_path / "second" / "WORDNET_LICENSE"
    ).read_bytes()
    # The shipped file is this build's output (compared unpacked: another zlib may pack differently).
    shipped = _data().joinpath(DATA_FILE).read_bytes()
    assert gzip.decompress(first) == gzip.decompress(shipped)
    names = [(tmp_path / name / "place_and_time_names.txt").read_bytes() for name in ("first", "second")]
    assert names[0] == names[1] == _data().joinpath("place_and_time_names.txt").read_bytes()
    nouns = [(tmp_path / name / "noun_collocations.txt.gz").read_bytes() for name in ("first", "second")]
    assert nouns[0] == nouns[1]
    assert gzip.decompress(nouns[0]) == gzip.decompress(
        _data().joinpath("noun_collocations.txt.gz").read_bytes()
    )
