"""Measuring the retriever: question files, SQuAD data, and a regression floor on the article's dev set."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.retrieval.documents import load_directory
from bot.retrieval.evaluation import (
    QuestionCase,
    evaluate,
    evidence_problems,
    load_cases,
    squad_cases,
    squad_knowledge,
)
from bot.retrieval.knowledge_base import KnowledgeBase

REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
DEV_SET = REPO_ROOT / "tests" / "data" / "article_dev.jsonl"
HELD_OUT_SET = REPO_ROOT / "tests" / "data" / "article_holdout.jsonl"
SECOND_HELD_OUT_SET = REPO_ROOT / "tests" / "data" / "article_holdout2.jsonl"
CHAT_HELD_OUT_SET = REPO_ROOT / "tests" / "data" / "article_holdout3.jsonl"
BLIND_CHAT_SET = REPO_ROOT / "tests" / "data" / "article_holdout4.jsonl"
BLIND_PLAIN_SET = REPO_ROOT / "tests" / "data" / "article_holdout5.jsonl"
LATER_BLIND_SETS = [REPO_ROOT / "tests" / "data" / f"article_holdout{n}.jsonl" for n in range(6, 74)]
# The eighth round's second chat set, written with more talk around its questions, has 4 answerable
# questions refused on this version (5 at the start of that round, 3 at its end): its floor sits a
# little above. The ninth round's first chat set refuses 3 (5 at the start of that round).
CHAT_REFUSED_FLOORS = {58: 5, 62: 5}
CHAT_DEV_SETS = [
    REPO_ROOT / "tests" / "data" / f"article_chat_dev{n}.jsonl" for n in ("", "2", "3", "4", "5", "6")
]

SQUAD: dict[str, Any] = {
    "version": "v2.0",
    "data": [
        {
            "title": "Oxygen",
            "paragraphs": [
                {
                    "context": "Oxygen is a chemical element with symbol O and atomic number 8.",
                    "qas": [
                        {
                            "question": "What is the atomic number of the element?",
                            "answers": [{"text": "8", "answer_start": 62}],
                        },
                    ],
                },
                {
                    "context": "Combustion needs fuel, heat and an oxidiser such as the air around us.",
                    "qas": [
                        {
                            "question": "What does combustion need?",
                            "answers": [{"text": "fuel, heat and an oxidiser", "answer_start": 17}],
                        },
                        {"question": "Who discovered fire?", "answers": [], "is_impossible": True},
                    ],
                },
            ],
        },
        {
            "title": "Harbour_Festival",
            "paragraphs": [
                {
                    "context": "The harbour festival ends with fireworks over the marina at nine.",
                    "qas": [{"question": "When do the fireworks start?", "answers": [{"text": "at nine"}]}],
                },
            ],
        },
    ],
}


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KNOWLEDGE_DIR)


@pytest.fixture
def squad_knowledge_base(tmp_path: Path) -> KnowledgeBase:
    for name, text in squad_knowledge(SQUAD):
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = load_directory(tmp_path)
    assert report.ok, report.problems
    return KnowledgeBase(report.documents)


def test_dev_set_figures_stay_above_their_floors(knowledge_base: KnowledgeBase) -> None:
    # Measured when written: hit@1 0.754, hit@3 0.934, MRR 0.845, answered 1.0, abstained 0.531.
    # The floors sit well below so that a real regression fails and a small tuning change does not.
    report = evaluate(knowledge_base, load_cases(DEV_SET))

    assert (report.answerable, report.unanswerable) == (61, 32)
    assert report.hit_at_1 >= 0.65
    assert report.hit_at_3 >= 0.85
    assert report.mrr >= 0.75
    assert report.answered_rate >= 0.85
    assert report.abstention_rate >= 0.45


def test_held_out_set_figures_stay_above_their_floors(knowledge_base: KnowledgeBase) -> None:
    # Written by a helper that saw neither the code nor the dev set. Measured when added: hit@1 0.818,
    # hit@3 0.927, MRR 0.861, 1 of 55 answerable refused, 23/23 off-topic and 0/12 near-topic refused.
    report = evaluate(knowledge_base, load_cases(HELD_OUT_SET))

    assert (report.answerable, report.unanswerable) == (55, 35)
    assert report.hit_at_1 >= 0.65
    assert report.hit_at_3 >= 0.85
    assert report.answered_rate >= 0.9
    assert {kind: refused for kind, refused, _ in report.refused_by_kind}["off-topic"] >= 20


def test_second_held_out_set_figures_stay_above_their_floors(knowledge_base: KnowledgeBase) -> None:
    # Written by a helper that read only the article. Measured before any change it could prompt:
    # hit@1 0.800, hit@3 0.920, MRR 0.861, 2 of 50 answerable refused, 18/20 off-topic and 0/15
    # near-topic refused.
    report = evaluate(knowledge_base, load_cases(SECOND_HELD_OUT_SET))

    assert (report.answerable, report.unanswerable) == (50, 35)
    assert report.hit_at_1 >= 0.65
    assert report.hit_at_3 >= 0.85
    assert report.answered_rate >= 0.9
    assert {kind: refused for kind, refused, _ in report.refused_by_kind}["off-topic"] >= 16


def test_chat_register_held_out_set_figures_stay_above_their_floors(knowledge_base: KnowledgeBase) -> None:
    # Written in heavy chat register by a helper that read only the article, and measured before the
    # changes for chat language: hit@1 0.671, hit@3 0.714, 13 of 70 answerable refused, 15/15
    # off-topic and 2/20 near-topic refused. The floors sit below what it measures now.
    report = evaluate(knowledge_base, load_cases(CHAT_HELD_OUT_SET))

    assert (report.answerable, report.unanswerable) == (70, 35)
    assert report.hit_at_1 >= 0.6
    assert report.hit_at_3 >= 0.75
    assert report.wrongly_refused <= 8
    assert {kind: refused for kind, refused, _ in report.refused_by_kind}["off-topic"] >= 14


def test_blind_sets_of_the_second_chat_round_stay_above_their_floors(knowledge_base: KnowledgeBase) -> None:
    # Written from the article alone and measured on e8b27f7 before any change: chat register hit@1
    # 0.700, hit@3 0.871, 2 of 70 refused, 14/15 off-topic refused, 7/20 near-topic refused or noted;
    # plain English hit@1 0.854, hit@3 0.938, 1 of 48 refused, 11/11 off-topic refused.
    chat = evaluate(knowledge_base, load_cases(BLIND_CHAT_SET))
    plain = evaluate(knowledge_base, load_cases(BLIND_PLAIN_SET))

    assert (chat.answerable, chat.unanswerable, plain.answerable, plain.unanswerable) == (70, 35, 48, 17)
    assert chat.hit_at_1 >= 0.65 and plain.hit_at_1 >= 0.75
    assert chat.hit_at_3 >= 0.85 and plain.hit_at_3 >= 0.9
    assert chat.wrongly_refused <= 4 and plain.wrongly_refused <= 2
    assert {kind: refused for kind, refused, _ in chat.refused_by_kind}["off-topic"] >= 13
    near_refused = {kind: refused for kind, refused, _ in chat.refused_by_kind}["near-topic"]
    assert near_refused + dict(chat.flagged_by_kind)["near-topic"] >= 8


def test_the_last_blind_pair_stays_above_its_floors(knowledge_base: KnowledgeBase) -> None:
    # Written from the article alone after the first two parts of the chat-language round; measured
    # on e8b27f7: chat hit@1 0.629, hit@3 0.771, 9 of 70 refused; plain 0.833, 0.875, 1 of 48.
    chat = evaluate(knowledge_base, load_cases(LATER_BLIND_SETS[2]))
    plain = evaluate(knowledge_base, load_cases(LATER_BLIND_SETS[3]))

    assert (chat.answerable, chat.unanswerable, plain.answerable, plain.unanswerable) == (70, 35, 48, 17)
    assert chat.hit_at_1 >= 0.65 and plain.hit_at_1 >= 0.8
    assert chat.hit_at_3 >= 0.82 and plain.hit_at_3 >= 0.88
    assert chat.wrongly_refused <= 4 and plain.wrongly_refused <= 2
    assert {kind: refused for kind, refused, _ in chat.refused_by_kind}["off-topic"] >= 13


@pytest.mark.parametrize(
    ("chat_set", "plain_set"),
    [
        (12, 13),
        (14, 15),
        (16, 17),
        (18, 19),
        (20, 21),
        (22, 23),
        (24, 25),
        (26, 27),
        (28, 29),
        (30, 31),
        (32, 33),
        (34, 35),
        (36, 37),
        (38, 39),
        (40, 41),
        (42, 43),
        (44, 45),
        (46, 47),
        (48, 49),
        (50, 51),
        (52, 53),
        (54, 55),
        (56, 57),
        (58, 59),
        (60, 61),
        (62, 63),
        (64, 65),
        (66, 67),
        (68, 69),
        (70, 71),
        (72, 73),
    ],
    ids=[
        "phase-1",
        "phase-2",
        "after-phase-2",
        "phase-3",
        "phase-4",
        "after-the-round",
        "next-round-phase-1",
        "next-round-phase-2",
        "next-round-phase-3",
        "next-round-after-phase-3",
        "next-round-phase-4",
        "third-round-phase-1",
        "third-round-phase-2",
        "third-round-after-phase-1",
        "third-round-last-pair",
        "fourth-round-phase-1",
        "fifth-round-phase-1",
        "fifth-round-second-pair",
        "sixth-round-phase-1",
        "sixth-round-second-pair",
        "seventh-round-phase-1",
        "seventh-round-second-pair",
        "eighth-round-phase-1",
        "eighth-round-second-pair",
        "eighth-round-last-pair",
        "ninth-round-phase-1",
        "ninth-round-second-pair",
        "ninth-round-last-pair",
        "tenth-round-phase-1",
        "tenth-round-second-pair",
        "tenth-round-last-pair",
    ],
)
def test_the_newest_blind_pairs_stay_above_their_floors(
    knowledge_base: KnowledgeBase, chat_set: int, plain_set: int
) -> None:
    # Written from the article alone before each phase of ten rounds (and pairs after some phases). Measured
    # on this version: chat hit@1 0.943, 0.929, 0.900, 0.857, 0.886, 0.957, 0.929, 0.843, 0.943, 0.886, 0.900,
    # 0.900, 0.871, 0.871, 0.900, 0.971, 0.900, 0.886, 0.900, 0.871, 0.914, 0.886, 0.900, 0.871, 0.929, 0.829,
    # 0.900, 0.857, 0.886, 0.857, 0.857; hit@3 0.986, 1.000, 1.000, 0.943, 0.986, 0.986, 0.986, 0.971, 0.986,
    # 0.957, 0.986, 1.000, 0.943, 0.957, 0.971, 1.000, 0.971, 0.929, 0.986, 0.957, 0.986, 0.971, 0.971, 0.943,
    # 0.971, 0.943, 0.971, 0.957, 0.986, 0.943, 0.957; plain hit@1 0.979, 0.938, 0.958, 0.958, 0.917, 0.979,
    # 0.938, 0.938, 0.917, 0.958, 0.958, 0.979, 0.979, 0.938, 0.958, 1.000, 0.979, 1.000, 0.958, 0.979, 0.979,
    # 0.979, 0.958, 1.000, 0.896, 0.958, 0.958, 0.958, 0.938, 0.979, 0.979; hit@3 1.000, 1.000, 0.958, 0.958,
    # 1.000, 1.000, 0.979, 0.958, 0.979, 0.979, 0.979, 0.979, 1.000, 0.979, 1.000, 1.000, 1.000, 1.000, 1.000,
    # 1.000, 1.000, 1.000, 1.000, 1.000, 1.000, 1.000, 1.000, 0.979, 0.979, 1.000, 0.979.
    # The floors sit a few questions below, so that a change that costs them is seen, not so that
    # noise fails.
    chat = evaluate(
        knowledge_base, load_cases(REPO_ROOT / "tests" / "data" / f"article_holdout{chat_set}.jsonl")
    )
    plain = evaluate(
        knowledge_base, load_cases(REPO_ROOT / "tests" / "data" / f"article_holdout{plain_set}.jsonl")
    )

    assert (chat.answerable, chat.unanswerable, plain.answerable, plain.unanswerable) == (70, 35, 48, 17)
    assert chat.hit_at_1 >= 0.77 and plain.hit_at_1 >= 0.85
    assert chat.hit_at_3 >= 0.88 and plain.hit_at_3 >= 0.92
    assert chat.wrongly_refused <= CHAT_REFUSED_FLOORS.get(chat_set, 3) and plain.wrongly_refused <= 2
    assert {kind: refused for kind, refused, _ in chat.refused_by_kind}["off-topic"] >= 12


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("article_offtopic1", 56),
        ("article_offtopic2", 52),
        ("article_offtopic3", 72),
        ("article_offtopic4", 84),
        ("article_offtopic5", 90),
    ],
)
def test_the_off_topic_sets_stay_above_their_floors(
    knowledge_base: KnowledgeBase, name: str, floor: int
) -> None:
    # Off-topic questions written to share words with the article by chance ("which county in Texas
    # has the most people"). Measured on this version: 60 of 60, 56 of 60, 77 of 80, 95 of 100 and
    # (in the chat register) 98 of 100 refused.
    report = evaluate(knowledge_base, load_cases(REPO_ROOT / "tests" / "data" / f"{name}.jsonl"))

    assert report.answerable == 0
    assert {kind: refused for kind, refused, _ in report.refused_by_kind}["off-topic"] >= floor


@pytest.mark.parametrize("path", CHAT_DEV_SETS, ids=lambda p: p.stem)
def test_chat_register_development_sets_stay_above_their_floors(
    knowledge_base: KnowledgeBase, path: Path
) -> None:
    report = evaluate(knowledge_base, load_cases(path))

    assert report.hit_at_1 >= 0.55
    assert report.hit_at_3 >= 0.65
    assert report.answered_rate >= 0.85


@pytest.mark.parametrize(
    "path",
    [
        DEV_SET,
        HELD_OUT_SET,
        SECOND_HELD_OUT_SET,
        CHAT_HELD_OUT_SET,
        *CHAT_DEV_SETS,
        BLIND_CHAT_SET,
        BLIND_PLAIN_SET,
        *LATER_BLIND_SETS,
    ],
    ids=lambda p: p.stem,
)
def test_every_answerable_question_of_the_article_sets_has_a_right_passage(
    knowledge_base: KnowledgeBase, path: Path
) -> None:
    # Evidence that matches no passage would count as a miss whatever the ranking.
    cases = [case for case in load_cases(path) if case.answerable]

    assert [c.question for c in cases if not any(c.is_right(p) for p in knowledge_base.passages)] == []


def test_refusals_are_counted_by_kind_when_the_questions_name_one(knowledge_base: KnowledgeBase) -> None:
    cases = [
        QuestionCase("how do I bake sourdough", False, kind="off-topic"),
        QuestionCase("what's the capital of australia", False, kind="off-topic"),
        QuestionCase("sheriff baca's favourite food", False, kind="near-topic"),
        QuestionCase("who is the sheriff", False),
    ]

    report = evaluate(knowledge_base, cases)

    assert report.refused_by_kind[1] == ("off-topic", 2, 2)
    assert report.refused_by_kind[0][0] == "near-topic"
    assert "off-topic:" in "\n".join(report.lines())


def test_report_lines_show_hit_at_1_hit_at_3_mrr_and_abstention(knowledge_base: KnowledgeBase) -> None:
    cases = [
        QuestionCase("when was the lawsuit filed", True, evidence=("In October, NDLON",)),
        QuestionCase("how do I bake sourdough", False),
    ]

    report = evaluate(knowledge_base, cases)

    assert (report.hit_at_1, report.hit_at_3, report.mrr, report.abstention_rate) == (1.0, 1.0, 1.0, 1.0)
    text = "\n".join(report.lines())
    for label in ("hit@1:", "hit@3:", "MRR@10:", "answered:", "abstained:", "ranking only"):
        assert label in text


def test_a_question_answered_only_by_the_second_passage_counts_for_hit_at_3_not_hit_at_1(
    knowledge_base: KnowledgeBase,
) -> None:
    shown = knowledge_base.search("when was this published?").hits
    assert len(shown) >= 2
    case = QuestionCase("when was this published?", True, evidence=(shown[1].passage.text,))

    report = evaluate(knowledge_base, [case])

    assert (report.hit_at_1, report.hit_at_3, report.mrr) == (0.0, 1.0, 0.5)
    assert report.misses == ("when was this published?",)


def test_a_refused_answerable_question_is_a_miss_at_every_k_though_its_ranking_is_right(
    knowledge_base: KnowledgeBase,
) -> None:
    question = "what is the recipe for sourdough bread and the sheriff"
    assert not knowledge_base.search(question).answered
    first = knowledge_base.rank(question, 1)[0].text
    case = QuestionCase(question, True, evidence=(first,))

    report = evaluate(knowledge_base, [case])

    assert (report.hit_at_1, report.hit_at_3, report.answered_rate, report.wrongly_refused) == (
        0.0,
        0.0,
        0.0,
        1,
    )
    assert (report.ranking_hit_at_1, report.ranking_hit_at_3) == (1.0, 1.0)
    assert report.misses == report.refused == (question,)


def test_hit_at_3_counts_only_the_passages_the_bot_would_show(knowledge_base: KnowledgeBase) -> None:
    # The lawsuit's paragraph answers alone: passages ranked after it are less than half as
    # relevant, so a member never sees them and they cannot make a hit.
    question = "who filed the suit against the sheriff?"
    shown = knowledge_base.search(question).hits
    ranked = knowledge_base.rank(question, 3)
    assert len(shown) == 1 and len(ranked) == 3
    case = QuestionCase(question, True, evidence=(ranked[2].text,))

    report = evaluate(knowledge_base, [case])

    assert (report.hit_at_3, report.ranking_hit_at_3) == (0.0, 1.0)


def test_evidence_that_occurs_in_no_passage_is_reported_with_its_line(
    knowledge_base: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(
        '{"question": "who wrote this?", "evidence": ["Jorge Rivas"]}\n'
        '{"question": "x", "answerable": false}\n'
        '{"question": "who wrote it?", "evidence": ["Jorge Rivs"]}\n',
        encoding="utf-8",
    )

    problems = evidence_problems(knowledge_base, load_cases(path))

    assert problems == [f"{path}:3: evidence 'Jorge Rivs' occurs in no passage"]


def test_load_cases_reads_answerable_and_unanswerable_lines(tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    lines = [
        {"question": "who wrote this?", "evidence": ["Jorge Rivas"]},
        {"question": "when was it published", "evidence": "Dec 05, 2012"},
        {"question": "what's the weather in paris?", "answerable": False, "kind": "off-topic"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines[:2]) + "\n\n" + json.dumps(lines[2]) + "\n")

    cases = load_cases(path)

    assert cases == [
        QuestionCase("who wrote this?", True, evidence=("Jorge Rivas",)),
        QuestionCase("when was it published", True, evidence=("Dec 05, 2012",)),
        QuestionCase("what's the weather in paris?", False, kind="off-topic"),
    ]


def test_dev_set_loads_with_both_kinds_of_question() -> None:
    cases = load_cases(DEV_SET)

    assert len(cases) == 93
    assert sum(case.answerable for case in cases) == 61
    assert all(case.evidence for case in cases if case.answerable)


@pytest.mark.parametrize(
    "bad_line",
    [
        pytest.param("{not json", id="not-json"),
        pytest.param('{"evidence": ["x"]}', id="no-question"),
        pytest.param('{"question": "who?"}', id="answerable-without-evidence"),
        pytest.param('{"question": "who?", "evidence": []}', id="empty-evidence"),
    ],
)
def test_bad_question_line_raises_value_error_naming_file_and_line(tmp_path: Path, bad_line: str) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text('{"question": "who wrote this?", "evidence": ["Jorge Rivas"]}\n\n' + bad_line + "\n")

    with pytest.raises(ValueError, match=f"^{re.escape(str(path))}:3: "):
        load_cases(path)


def test_evidence_matches_whatever_the_quote_style(knowledge_base: KnowledgeBase) -> None:
    case = QuestionCase("who confirmed it", True, evidence=("confirmed Baca's decision",))

    passage = next(p for p in knowledge_base.passages if p.passage_id.endswith(":p2"))

    assert "Baca’s" in passage.text
    assert case.is_right(passage)


def test_squad_cases_turn_answers_into_contexts_and_impossible_questions_into_unanswerable() -> None:
    cases = squad_cases(SQUAD)

    assert [(c.question, c.answerable) for c in cases] == [
        ("What is the atomic number of the element?", True),
        ("What does combustion need?", True),
        ("Who discovered fire?", False),
        ("When do the fireworks start?", True),
    ]
    assert cases[1].contexts == (SQUAD["data"][0]["paragraphs"][1]["context"],)


def test_squad_knowledge_writes_one_markdown_file_per_article() -> None:
    files = dict(squad_knowledge(SQUAD))

    assert sorted(files) == ["001.md", "002.md"]
    assert files["002.md"].startswith('---\ntitle: "Harbour Festival"\n---\n')
    assert "The harbour festival ends with fireworks" in files["002.md"]


def test_load_cases_recognises_a_squad_file(tmp_path: Path) -> None:
    path = tmp_path / "dev-v2.0.json"
    path.write_text(json.dumps(SQUAD, indent=2))

    assert load_cases(path) == squad_cases(SQUAD)


def test_tiny_squad_set_is_ranked_and_abstained_on(squad_knowledge_base: KnowledgeBase) -> None:
    report = evaluate(squad_knowledge_base, squad_cases(SQUAD))

    assert (report.answerable, report.unanswerable) == (3, 1)
    assert report.hit_at_1 == 1.0
    assert report.abstention_rate == 1.0


def test_headline_passage_is_not_counted_as_the_answer_to_a_squad_question(
    squad_knowledge_base: KnowledgeBase,
) -> None:
    headline = next(p for p in squad_knowledge_base.passages if p.passage_id == "001:headline")
    case = squad_cases(SQUAD)[0]

    assert "Oxygen" in case.contexts[0]
    assert not case.is_right(headline)


def test_an_unanswerable_question_answered_with_a_word_named_as_missing_is_counted_as_flagged(
    knowledge_base: KnowledgeBase,
) -> None:
    cases = [
        QuestionCase("does the governor of california agree with baca", False, kind="near-topic"),
        QuestionCase("who filed the lawsuit against baca", False, kind="near-topic"),
    ]

    report = evaluate(knowledge_base, cases)

    assert report.refused_by_kind == (("near-topic", 0, 2),)
    assert report.flagged_by_kind == (("near-topic", 1),)
    assert "near-topic:         0/2 refused, 1 more flagged (unmatched)" in report.lines()[-1]
