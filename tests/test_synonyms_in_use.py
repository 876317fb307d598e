"""The moderators' synonyms file at work: read with the knowledge folder, applied to questions,
checked like the articles, and reloaded with them all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import SHERIFF, copy_bundled

from bot import cli
from bot.retrieval.documents import SYNONYMS_FILE, load_directory
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.live import LiveKnowledge

# "pigs" is in no dictionary sense the police, and WordNet does not say so: only a moderator can.
QUESTION = "did the pigs stop handing ppl over"
RULES = "# Words our members use\npigs, piggies => sheriff, police\n\nleo, law enforcement\n"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path / "knowledge")


def test_the_synonyms_file_is_not_read_as_an_article(knowledge_dir: Path) -> None:
    (knowledge_dir / SYNONYMS_FILE).write_text(RULES, encoding="utf-8")

    report = load_directory(knowledge_dir)

    assert report.ok
    assert [d.title for d in report.documents] == [SHERIFF]
    assert len(report.synonyms) == 2
    assert SYNONYMS_FILE in report.fingerprints


def test_a_moderators_synonym_is_read_as_the_words_it_names(knowledge_dir: Path) -> None:
    before = KnowledgeBase.from_directory(knowledge_dir)
    (knowledge_dir / SYNONYMS_FILE).write_text(RULES, encoding="utf-8")

    after = KnowledgeBase.from_directory(knowledge_dir)

    assert "pigs" in before.search(QUESTION).unmatched
    terms = {t.term for t in after.analyse(QUESTION) if t.word in ("sheriff", "police", "pigs")}
    assert "sheriff" in terms
    result = after.search(QUESTION)
    assert result.answered and "pigs" not in result.unmatched


def test_a_verb_s_object_inside_a_rule_is_still_read(knowledge_dir: Path) -> None:
    (knowledge_dir / SYNONYMS_FILE).write_text("took to court => lawsuit\n", encoding="utf-8")
    knowledge_base = KnowledgeBase.from_directory(knowledge_dir)

    terms = {t.word: t.term for t in knowledge_base.analyse("did anyone take the sheriff to court")}

    assert terms == {"take court": "lawsuit", "sheriff": "sheriff"}
    assert (
        "In October, NDLON"
        in knowledge_base.search("did anyone take the sheriff to court").hits[0].passage.text
    )


def test_a_moderators_rule_comes_before_wordnet_s_guess(knowledge_dir: Path) -> None:
    question = "how many people were let go"
    guessed = KnowledgeBase.from_directory(knowledge_dir).analyse(question)
    (knowledge_dir / SYNONYMS_FILE).write_text("let go => release\n", encoding="utf-8")
    ruled = KnowledgeBase.from_directory(knowledge_dir).analyse(question)

    assert [(t.term, t.guessed) for t in guessed if t.word == "let go"] == [("releas", True)]
    assert [(t.word, t.term, t.guessed) for t in ruled if t.word.startswith("let")] == [
        ("let", "releas", False)
    ]


def test_a_moderators_rule_of_more_words_than_the_verb_and_its_particle_comes_first(
    knowledge_dir: Path,
) -> None:
    # WordNet reads "kept in" as "detain"; the rule spans "kept in jail" and is read instead.
    question = "how many people got kept in jail too long"
    guessed = KnowledgeBase.from_directory(knowledge_dir).analyse(question)
    (knowledge_dir / SYNONYMS_FILE).write_text("kept in jail => held beyond\n", encoding="utf-8")
    ruled = KnowledgeBase.from_directory(knowledge_dir).analyse(question)

    assert ("kept in", True) in [(t.word, t.guessed) for t in guessed]
    assert {(t.word, t.term, t.guessed) for t in ruled if t.word.startswith("kept")} == {
        ("kept jail", "hold", False),  # "held": the index term of "hold"
        ("kept jail", "beyond", False),
    }


def test_check_counts_the_synonym_rules(knowledge_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (knowledge_dir / SYNONYMS_FILE).write_text(RULES, encoding="utf-8")

    code = cli.main(["check", "--knowledge", str(knowledge_dir)])

    assert code == cli.EXIT_OK
    assert capsys.readouterr().out.endswith(", 2 synonym rules, 0 errors, 0 warnings\n")


def test_check_reports_each_bad_synonym_line_as_file_line_reason(
    knowledge_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (knowledge_dir / SYNONYMS_FILE).write_text("cops, police\nsue => \na => b => c\n", encoding="utf-8")

    code = cli.main(["check", "--knowledge", str(knowledge_dir)])

    out = capsys.readouterr().out
    assert code == cli.EXIT_INVALID_KNOWLEDGE
    assert f"{knowledge_dir / SYNONYMS_FILE}:2: " in out
    assert f"{knowledge_dir / SYNONYMS_FILE}:3: " in out


def test_a_synonyms_file_that_is_not_utf8_is_reported_not_raised(knowledge_dir: Path) -> None:
    (knowledge_dir / SYNONYMS_FILE).write_bytes(b"cops, police\ncaf\xe9, coffee\n")

    report = load_directory(knowledge_dir)

    assert [str(p) for p in report.errors] == [f"{knowledge_dir / SYNONYMS_FILE}:2: not UTF-8 (byte 0xe9)"]


async def test_reload_applies_new_synonyms_and_refuses_a_broken_file_whole(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    (knowledge_dir / SYNONYMS_FILE).write_text(RULES, encoding="utf-8")

    accepted = await knowledge.reload("mod")

    assert accepted.accepted
    assert "pigs" not in knowledge.current.knowledge_base.search(QUESTION).unmatched
    working = knowledge.current
    (knowledge_dir / SYNONYMS_FILE).write_text(RULES + "oops =>\n", encoding="utf-8")

    refused = await knowledge.reload("mod")

    assert not refused.accepted
    assert [p.line for p in refused.problems] == [5]
    assert knowledge.current is working  # the working synonyms keep answering


async def test_kb_add_of_a_synonyms_file_checks_it_as_synonyms(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    bad = await knowledge.add(SYNONYMS_FILE, b"=> police\n", "mod")
    good = await knowledge.add(SYNONYMS_FILE, RULES.encode(), "mod")

    assert not bad.accepted and f"{SYNONYMS_FILE}:1: " in (bad.detail or "")
    assert good.accepted
    assert len(knowledge.current.knowledge_base.synonyms) == 2


def test_a_word_read_as_a_name_of_several_words_counts_as_one_word(knowledge_dir: Path) -> None:
    # "outlet" is read as "L.A. Times" or "Colorlines". Counted in full, "la" and "times" made the
    # press office's paragraph ("by the *time* this story was published") outrank Newman's, the one
    # that says which outlet he talked to.
    (knowledge_dir / SYNONYMS_FILE).write_text("outlet => la times, colorlines\n", encoding="utf-8")
    knowledge_base = KnowledgeBase.from_directory(knowledge_dir)

    portions = {t.term: t.portion for t in knowledge_base.analyse("which outlet did newman talk to")}
    first = knowledge_base.search("which outlet did newman talk to").hits[0]

    assert "told Colorlines.com" in first.passage.text
    assert portions["la"] == portions["time"] == 0.5
    assert portions["colorlin"] == 1.0
