"""Questions asking which of a kind did something: what they ask about, and the passage they get."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.question import QueryTerm
from bot.retrieval.which_questions import stand_together, which_did

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KNOWLEDGE_DIR)


@pytest.mark.parametrize(
    "question",
    [
        "Which newspaper first reported the sheriff's decision?",
        "Which newspaper is reporting Baca's decision?",
        "What newspaper originally broke the news of the sheriff's decision?",
        "which paper was reporting it first",
        "which paper broke this first",  # "broke this": the bundled synonyms file reads it as reporting
    ],
)
def test_the_paper_that_reports_is_the_one_standing_next_to_reporting(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # Paragraph 2 also names the paper ("confirmed Baca's decision to the LA Times"), and is shorter.
    result = knowledge_base.search(question)

    assert result.hits[0].passage.paragraph == 1  # "..., the L.A. Times is reporting."


def test_a_kind_read_as_the_articles_names_with_the_verb_after_it(knowledge_base: KnowledgeBase) -> None:
    question = "Which newspaper first reported the sheriff's decision?"
    asked = which_did(question, knowledge_base.analyse(question))

    assert asked is not None
    assert asked.kind == {"la", "time"}  # "newspaper" => "la times" (knowledge/synonyms.txt)
    assert asked.verb == {"report"}


@pytest.mark.parametrize(
    "question",
    [
        "which sheriff stopped honoring the holds",  # the article's own word: matched as any other
        "what is the TRUST Act",  # no kind
        "which newspaper",  # no verb
        "who reported the decision",  # not "which"
        "which zorblax reported it",  # a kind nothing reads
    ],
)
def test_other_questions_ask_about_no_kind(knowledge_base: KnowledgeBase, question: str) -> None:
    assert which_did(question, knowledge_base.analyse(question)) is None


def test_a_kind_found_only_through_wordnet_is_not_taken() -> None:
    terms = [
        QueryTerm("outlet", "times", 1.0, guessed=True),
        QueryTerm("reported", "report", 1.5),
    ]
    assert which_did("which outlet reported it", terms) is None


@pytest.mark.parametrize(
    ("sequence", "together"),
    [
        ([1, 2, 9, 9, 9], True),
        ([2, 9, 1], True),  # either side
        ([1, 9, 9, 2], False),  # three apart
        ([1, 1, 1], False),
        ([], False),
    ],
)
def test_terms_stand_together_within_two(sequence: list[int], together: bool) -> None:
    assert stand_together(np.asarray(sequence, dtype=np.int32), [1], [2]) is together
