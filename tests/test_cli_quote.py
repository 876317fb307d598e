"""``python -m bot quote``: what a user sees in the terminal, and the JSON contract."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest

from bot.cli import main

ARTICLE = Path(__file__).resolve().parents[1] / "knowledge" / "la-sheriff-immigration-holds.md"
TITLE = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"
NEWMAN = "Chris Newman, Legal Director at the National Day Laborer Organizing Network"
CONTRACT = {"speaker", "role", "text", "citation", "document", "paragraph"}


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A knowledge directory holding the seed article only."""
    directory = tmp_path / "knowledge"
    directory.mkdir()
    shutil.copy(ARTICLE, directory / ARTICLE.name)
    return directory


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_quotes_by_speaker(knowledge: Path) -> None:
    code, output = run("quote", "--speaker", "newman", "--knowledge", str(knowledge))
    assert code == 0
    blocks = output.rstrip("\n").split("\n\n")
    assert len(blocks) == 3
    assert blocks[0] == (
        "\u201cSheriff Baca\u2019s change of policy ought to come with an apology letter\u201d "
        f"\u2014 {NEWMAN}\n"
        f"    {TITLE}, paragraph 6 (Colorlines)"
    )
    assert all(f"\u2014 {NEWMAN}\n" in block for block in blocks)
    assert blocks[2].endswith(f"    {TITLE}, paragraph 7 (Colorlines)")


def test_quotes_by_words_best_first(knowledge: Path) -> None:
    code, output = run("quote", "apology", "letter", "--knowledge", str(knowledge))
    assert code == 0
    first_lines = [block.split("\n")[0] for block in output.rstrip("\n").split("\n\n")]
    assert first_lines[0].startswith("\u201cSheriff Baca\u2019s change of policy")
    assert first_lines[1].startswith("\u201cFirst and foremost")
    assert len(first_lines) == 2


def test_every_quote_without_arguments(knowledge: Path) -> None:
    code, output = run("quote", "--knowledge", str(knowledge))
    assert code == 0
    assert output.count("\u2014 Chris Newman") == 3
    assert output.count("\u2014 Kamala Harris, California Attorney General\n") == 1
    assert output.index("Kamala Harris") < output.index("Chris Newman")


def test_json_contract(knowledge: Path) -> None:
    code, output = run("quote", "--speaker", "Harris said", "--json", "--knowledge", str(knowledge))
    assert code == 0
    quotes = json.loads(output)
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.keys() >= CONTRACT
    assert quote["speaker"] == "Kamala Harris"
    assert quote["role"] == "California Attorney General"
    assert quote["text"].startswith("In the interest of public safety")
    assert quote["text"].endswith("based on their priorities")
    assert quote["citation"] == f"{TITLE}, paragraph 4 (Colorlines)"
    assert quote["document"] == TITLE
    assert quote["paragraph"] == 4


def test_json_unknown_speaker_is_an_empty_list(knowledge: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run("quote", "--speaker", "Lee Baca", "--json", "--knowledge", str(knowledge))
    assert code == 0
    assert json.loads(output) == []
    assert "Chris Newman (3), Kamala Harris (1)" in capsys.readouterr().err


def test_unknown_speaker_lists_who_is_quoted(knowledge: Path) -> None:
    code, output = run("quote", "--speaker", "Lee Baca", "--knowledge", str(knowledge))
    assert code == 0
    assert output == (
        'Nobody called "Lee Baca" is quoted. Quoted speakers: Chris Newman (3), Kamala Harris (1).\n'
    )


def test_no_quote_matches(knowledge: Path) -> None:
    assert run("quote", "basketball", "--knowledge", str(knowledge)) == (0, 'No quotes match "basketball".\n')
    assert run("quote", "--speaker", "harris", "apology", "--knowledge", str(knowledge)) == (
        0,
        'No quotes by Kamala Harris match "apology".\n',
    )


def test_speakers(knowledge: Path) -> None:
    code, output = run("quote", "--speakers", "--knowledge", str(knowledge))
    assert code == 0
    assert output == (
        "Chris Newman (3 quotes): Legal Director at the National Day Laborer Organizing Network\n"
        "Kamala Harris (1 quote): California Attorney General\n"
    )


def test_speakers_json(knowledge: Path) -> None:
    code, output = run("quote", "--speakers", "--json", "--knowledge", str(knowledge))
    assert code == 0
    assert json.loads(output) == [
        {
            "name": "Chris Newman",
            "role": "Legal Director at the National Day Laborer Organizing Network",
            "count": 3,
        },
        {"name": "Kamala Harris", "role": "California Attorney General", "count": 1},
    ]


def test_speakers_filtered_by_words(knowledge: Path) -> None:
    assert run("quote", "--speakers", "kam", "--knowledge", str(knowledge)) == (
        0,
        "Kamala Harris (1 quote): California Attorney General\n",
    )
    assert run("quote", "--speakers", "zz", "--knowledge", str(knowledge)) == (
        0,
        'No quoted speaker matches "zz".\n',
    )


def test_limit(knowledge: Path) -> None:
    code, output = run("quote", "--limit", "1", "--json", "--knowledge", str(knowledge))
    assert code == 0
    assert [q["speaker"] for q in json.loads(output)] == ["Kamala Harris"]


def test_knowledge_option_reads_another_directory(tmp_path: Path) -> None:
    (tmp_path / "council.md").write_text(
        "---\ntitle: Council votes\nsource: Springfield Gazette\nurl: https://example.com/council\n---\n\n"
        '"We will appeal the ruling," Mayor Jane Doe said. "There is nothing to appeal," replied '
        "Councilman John Roe.\n",
        encoding="utf-8",
    )
    code, output = run("quote", "--json", "--knowledge", str(tmp_path))
    assert code == 0
    assert [(q["speaker"], q["role"], q["text"], q["paragraph"]) for q in json.loads(output)] == [
        ("Jane Doe", "Mayor", "We will appeal the ruling", 1),
        ("John Roe", "Councilman", "There is nothing to appeal", 1),
    ]
    code, output = run("quote", "--speaker", "roe", "--knowledge", str(tmp_path))
    assert output == (
        "\u201cThere is nothing to appeal\u201d \u2014 John Roe, Councilman\n"
        "    Council votes, paragraph 1 (Springfield Gazette) https://example.com/council\n"
    )


def test_unknown_speaker_in_a_knowledge_base_without_quotes(tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text(
        "---\ntitle: Plain\n---\n\nNothing is quoted here.\n", encoding="utf-8"
    )
    assert run("quote", "--speaker", "anyone", "--knowledge", str(tmp_path)) == (0, "Nobody is quoted.\n")
    assert run("quote", "--knowledge", str(tmp_path)) == (0, "No quotations found.\n")
    assert run("quote", "--speakers", "--knowledge", str(tmp_path)) == (0, "Nobody is quoted.\n")


def test_unusable_knowledge_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("quote", "--knowledge", str(tmp_path / "missing"))[0] == 1
    assert "not usable" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [("quote", "--limit", "0"), ("quote", "--speakers", "--speaker", "newman")],
)
def test_usage_errors(knowledge: Path, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(*argv, "--knowledge", str(knowledge))[0] == 2
    assert capsys.readouterr().err


@pytest.mark.parametrize("words", ["🤔", "the", "???"])
def test_words_with_no_searchable_token_are_a_miss_like_any_other(knowledge: Path, words: str) -> None:
    code, out = run("quote", "--knowledge", str(knowledge), words)

    assert code == 0
    assert out == f'No quotes match "{words}".\n'


def test_speakers_json_with_no_match_says_so_on_standard_error(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run("quote", "--knowledge", str(knowledge), "--speakers", "zzz", "--json")

    assert (code, out) == (0, "[]\n")
    assert capsys.readouterr().err == 'No quoted speaker matches "zzz".\n'
