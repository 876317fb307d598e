"""Asking what the article is about, naming nothing in it: answered with the headline and summary."""

from __future__ import annotations

import pytest

from bot.retrieval.documents import Document, Paragraph
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.overview import asks_for_overview
from tests.samples import REPO_ROOT

SUMMARY = "Los Angeles County Sheriff Lee Baca said Wednesday he will no longer honor federal requests"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(REPO_ROOT / "knowledge")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what is this article about", True),
        ("whats this about?", True),
        ("yo whats this article even about", True),
        ("what's the story here", True),
        ("what happened", True),
        ("whats going on here", True),
        ("wat is this", True),
        ("explain this pls", True),
        ("What’s it all about?", True),
        ("who sued baca", False),
        ("when did this happen", False),
        ("what did newman say", False),
    ],
)
def test_questions_that_ask_what_the_article_is_about(question: str, asks: bool) -> None:
    assert asks_for_overview(question) is asks


@pytest.mark.parametrize(
    "question", ["what is this article about", "whats this about", "what's the story here", "what happened"]
)
def test_asking_what_it_is_about_shows_the_headline_and_summary(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert [hit.passage.passage_id for hit in result.hits] == ["la-sheriff-immigration-holds:headline"]
    assert SUMMARY in result.hits[0].passage.text
    assert result.unmatched == ()


@pytest.mark.parametrize(
    "question",
    [
        "tl;dr of this article?? too lazy to read the whole thing lol",
        "recap?",
        "can someone sum it up for me lol",
    ],
)
def test_asking_for_a_summary_in_so_many_words_shows_the_headline_and_summary(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # Whatever else it says ("too lazy to read"), it names nothing the article has but the summary.
    result = knowledge_base.search(question)

    assert result.answered
    assert result.hits[0].passage.passage_id == "la-sheriff-immigration-holds:headline"


def test_a_summary_of_something_named_is_searched_as_usual(knowledge_base: KnowledgeBase) -> None:
    assert knowledge_base.search("summary of the lawsuit").hits[0].passage.paragraph == 8


def test_a_question_that_names_something_is_searched_as_usual(knowledge_base: KnowledgeBase) -> None:
    declined = knowledge_base.search("what is this about pizza")
    lawsuit = knowledge_base.search("what happened to the lawsuit")

    assert not declined.answered and declined.unmatched == ("pizza",)
    assert lawsuit.hits[0].passage.paragraph == 8  # "In October, NDLON ... filed a lawsuit"


def test_with_several_articles_each_headline_is_shown_in_order() -> None:
    documents = [
        Document(name, f"{name}.md", f"{name.title()} headline", (Paragraph(1, f"The {name} story.", 2),))
        for name in ("first", "second", "third", "fourth")
    ]
    knowledge_base = KnowledgeBase(documents)

    result = knowledge_base.search("what's this about?", k=3)

    assert [hit.passage.passage_id for hit in result.hits] == [
        "first:headline",
        "second:headline",
        "third:headline",
    ]
    assert knowledge_base.search("what is this about?", k=0).hits == ()
