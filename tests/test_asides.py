"""Talk around a question: what a member says about themselves is not what they ask."""

from __future__ import annotations

import pytest

from bot.retrieval.asides import about_the_asker, clauses
from bot.retrieval.knowledge_base import KnowledgeBase
from tests.samples import REPO_ROOT

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KNOWLEDGE_DIR)


def test_a_question_is_split_at_punctuation_and_at_words_that_start_a_remark() -> None:
    assert clauses("when was this published, feels kinda old tbh") == [
        "when was this published",
        "feels kinda old tbh",
    ]
    assert clauses("ok dumb question but who is chris newman??") == [
        "ok dumb question",
        "who is chris newman",
    ]
    assert clauses("who sued baca? i thought nobody did lol") == ["who sued baca", "i thought nobody did lol"]
    assert clauses("does la send 20,000 ppl to ice a year") == ["does la send 20,000 ppl to ice a year"]


def test_emoji_and_line_breaks_end_a_clause_as_punctuation_does() -> None:
    assert clauses("when was this posted 😭 feels old") == ["when was this posted", "feels old"]
    assert clauses("who sued baca 🤦\u200d♂\ufe0f im lost") == ["who sued baca", "im lost"]
    assert clauses("who sued baca\nim lost lol") == ["who sued baca", "im lost lol"]


@pytest.mark.parametrize(
    ("clause", "asker"),
    [
        ("im guessing december", True),
        ("my cousin says he holds everyone", True),
        ("i'm pretty sure its a workers group", True),
        ("feels kinda old tbh", True),  # how the matter strikes the asker
        ("sounds familiar", True),
        ("ok dumb question", True),  # the question itself
        ("quick q", True),
        ("what does ndlon stand for", False),
        ("is it true", False),
        ("baca feels the pressure", False),
        ("what does the question in the lawsuit ask", False),
    ],
)
def test_a_clause_talking_of_the_asker_or_of_the_question_is_talk(clause: str, asker: bool) -> None:
    assert about_the_asker(clause) is asker


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("what does ndlon stand for, i keep reading it like some tech company lol", 6),
        ("my group chat is split on this, did baca change his policy or not", 6),
        ("which sheriff in arizona is it, im assuming the famous one but i dont wanna look dumb", 7),
        ("when was this written, feels kinda old ngl", 0),
        ("quick q, who is the lawyer quoted in this", 6),
        ("when was this posted 😭 feels old", 0),  # an emoji where the comma would go
        ("did baca change his policy 🤔 my group chat is split", 6),
    ],
)
def test_talk_about_the_asker_does_not_count_against_a_question(
    knowledge_base: KnowledgeBase, question: str, paragraph: int
) -> None:
    # Before, "tech", "company", "group chat", "split", "old", "quick" counted as what the question was
    # about, and all but the third were declined as off topic.
    result = knowledge_base.search(question)

    assert result.answered
    assert result.hits[0].passage.paragraph == paragraph
    assert result.unmatched == ()


def test_talk_about_the_asker_is_not_named_as_missing(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("who sued baca? i honestly thought nobody did")

    assert result.answered
    assert result.unmatched == ()


@pytest.mark.parametrize(
    "question",
    [
        "my dog keeps barking at night, how do i get him to stop",  # the rest asks for advice
        "i think my phone got hacked, how do i secure it",
        "i need to renew my passport, which office do i go to",  # about the asker's own errand
        "my landlord is holding my deposit, can he do that",
        "i lost my wallet at the mall, where is the lost and found",
        "feels weird asking but whats a good apology letter for a friend",  # asks for advice
        "i think my phone got hacked 😭 how do i secure it",
    ],
)
def test_questions_about_the_askers_own_life_are_still_declined(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert not knowledge_base.search(question).answered


def test_a_declined_question_still_reports_the_words_of_its_talk(knowledge_base: KnowledgeBase) -> None:
    # What a moderator could add: the words the member wrote, their talk included.
    result = knowledge_base.search("i lost my wallet at the mall, where is the lost and found")

    assert not result.answered
    assert {"wallet", "mall"} <= set(result.unmatched)
