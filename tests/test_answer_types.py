"""Questions asking for a number are answered only by passages that hold one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval import answer_types
from bot.retrieval.answer_types import asked_date_kind, asks_for_quantity, asks_why, holds_answer
from bot.retrieval.documents import Document, Paragraph
from bot.retrieval.knowledge_base import KnowledgeBase

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KNOWLEDGE_DIR)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("how many immigrants does LA send to ICE", True),
        ("How old is Lee Baca?", True),
        ("what percentage of deportations come from california", True),
        ("how much does a deportation cost taxpayers", True),
        ("how much of it has been left undeveloped", False),
        ("how did newman react", False),
        ("when was the lawsuit filed", False),
        ("who sued baca", False),
        ("did anyone sue him, given how many ppl were affected", False),  # leans on an amount
        ("given how many were held, how long were they held", True),
        ("", False),
    ],
)
def test_which_questions_ask_for_a_quantity(question: str, asks: bool) -> None:
    assert asks_for_quantity(question) is asks


@pytest.mark.parametrize(
    "text",
    ["an estimated 20,000 immigrants", "three organizations", "Twelve deputies", "up 5%", "half of them"],
)
def test_a_number_in_digits_or_words_holds_a_quantity(text: str) -> None:
    assert holds_answer("how many are there", [text])


def test_a_passage_without_a_number_does_not_answer_how_many() -> None:
    assert not holds_answer("how many deputies are there", ["The sheriff said Wednesday he will stop."])


def test_named_days_answer_how_many_days() -> None:
    texts = ["A directive issued on Tuesday.", "The act was introduced on Monday."]

    assert holds_answer("how many days before the directive was the act introduced", texts)
    assert not holds_answer("how many deputies were there", texts)


def test_a_count_of_years_needs_a_number_not_the_word_year() -> None:
    question = "how many years has he been sheriff"

    assert not holds_answer(question, ["He said Wednesday he will stop.", "A report earlier this year."])
    assert holds_answer(question, ["He has been sheriff for 14 years."])


def test_other_questions_need_no_number() -> None:
    assert holds_answer("who filed the lawsuit", ["NDLON filed a lawsuit."])
    assert holds_answer("who filed the lawsuit", [])


@pytest.mark.parametrize(
    "question",
    [
        "how old is lee baca?",
        "how many deputies work for the los angeles county sheriff's department?",
        # Its paragraph holds "20,000", but in a sentence about people held too long, not Arpaio's jail.
        "how many ppl did arpaio's jail deport exactly",
        "How many immigrants have been deported through Sheriff Arpaio's jail in Arizona?",
    ],
)
def test_near_topic_questions_asking_for_a_number_the_article_lacks_are_declined(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert not result.answered
    assert result.hits == ()


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("how many immigrants does LA county send to ICE each year", 5),
        ("how many people were held beyond their release date", 6),
        ("how many days before harris's directive was the new trust act introduced?", 10),
        ("how many ppl were held past their release date acording to newman", 6),
    ],
)
def test_questions_asking_for_a_number_the_article_has_are_answered(
    knowledge_base: KnowledgeBase, question: str, paragraph: int
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert paragraph in [hit.passage.paragraph for hit in result.hits]


@pytest.mark.parametrize(
    ("question", "wants_date"),
    [
        ("what day did baca announce this", True),
        ("which month was the lawsuit filed", True),
        ("wat year is this from", True),
        ("what yr did this happen", True),
        ("what day of the week was it", True),
        ("when did baca announce this", False),  # SQuAD's "when" is as often "in the Pliocene"
        ("why did baca change his mind", False),
        ("who sued baca", False),
    ],
)
def test_questions_asking_for_a_day_month_or_year_want_a_date(question: str, wants_date: bool) -> None:
    pattern = answer_types.wanted_pattern(question)

    assert (pattern is not None) is wants_date
    if pattern is not None:
        assert pattern.search("In October, NDLON filed")
        assert pattern.search("said Wednesday")
        assert pattern.search("back in 2012")
        assert not pattern.search("a spokesman for the sheriff")


def test_a_date_question_puts_a_passage_that_holds_a_date_first() -> None:
    knowledge_base = KnowledgeBase.from_directory(KNOWLEDGE_DIR)

    result = knowledge_base.search("which month did ndlon and the other groups file their lawsuit")

    assert result.hits[0].passage.text.startswith("In October")


def test_a_length_is_a_number_or_a_span_named_in_words() -> None:
    question = "how long has he been sheriff"

    assert asks_for_quantity(question)
    assert not holds_answer(question, ["He said Wednesday he will stop."])
    assert holds_answer(question, ["He has been sheriff for decades."])
    assert holds_answer(question, ["He was first elected in 1998."])


def test_a_near_topic_question_asking_how_long_is_declined(knowledge_base: KnowledgeBase) -> None:
    assert not knowledge_base.search("how long has Baca been in office?").answered


def test_a_length_needs_a_number_that_measures_it() -> None:
    question = "how long was lee baca sheriff for"

    assert not holds_answer(
        question, ["L.A. County sends an estimated 20,000 immigrants over to ICE each year."]
    )
    assert holds_answer(question, ["He served as sheriff for 15 years."])
    assert holds_answer(question, ["He led the department for two decades, from 1998 to 2014."])
    assert holds_answer(question, ["People were held beyond their release date, 20,000 of them."])


def test_a_number_counting_something_else_does_not_say_how_long(knowledge_base: KnowledgeBase) -> None:
    # The article counts the immigrants sent to ICE each year; it never says how long Baca served.
    assert not knowledge_base.search("how long was lee baca sheriff for in total").answered
    # "Held beyond their release date" says how long, in words.
    answer = knowledge_base.search("how long did those ppl get held, like past their release or what")

    assert answer.answered
    assert "beyond their release date" in answer.hits[0].passage.text


@pytest.mark.parametrize(
    "question",
    [
        "what day of the week did baca announce this",
        "which day of the week did the LA sheriff announce it",
        "what day did the sheriff say he would stop",
        "On which day of the week did the sheriff make his announcement?",  # "make" is a frame verb
    ],
)
def test_a_date_question_finds_the_date_next_to_what_it_names(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # "day" matches the byline's "publication day" and "National Day Laborer"; the answer is the
    # "Wednesday" that stands by "Baca said".
    first = knowledge_base.search(question).hits[0]

    assert "Baca said Wednesday" in first.passage.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("On which day of the week did the mayor speak?", "weekday"),
        ("what weekday was the vote", "weekday"),
        ("which month was the lawsuit filed", "month"),
        ("wat year is this from", "year"),
        ("what day did harris put out her guidance", "day"),
        ("what date was it published", "date"),
    ],
)
def test_a_date_question_names_the_kind_of_date_it_wants(question: str, kind: str) -> None:
    assert asked_date_kind(question) == kind


def test_a_weekday_question_is_answered_by_a_weekday_not_by_more_of_its_words() -> None:
    # The second paragraph names more of the question ("council", "change", "policy") but no weekday,
    # the first names the council and the day it voted; the third holds only a year.
    paragraphs = [
        "The city council voted Thursday to end the parking program downtown.",
        "The council's change of policy on parking drew complaints from downtown shop owners.",
        "Parking fees were first introduced downtown in 1998.",
    ]
    document = Document(
        "council", "council.md", "Council", tuple(Paragraph(i, t, i * 2) for i, t in enumerate(paragraphs, 1))
    )
    knowledge_base = KnowledgeBase([document])

    for question in (
        "On which day of the week did the council announce its change in parking policy?",
        "which day of the week did the council announce the change of parking policy",
    ):
        assert knowledge_base.search(question).hits[0].passage.paragraph == 1


@pytest.mark.parametrize(
    "question", ["what yr is this article from lol", "what month n year is this from", "what year is it from"]
)
def test_a_question_asking_only_for_a_date_is_answered_by_the_byline(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # Nothing but the date is asked: "earlier this year" (paragraph 5) has the word, the byline the date.
    result = knowledge_base.search(question)

    assert result.hits[0].passage.passage_id.endswith(":byline")
    assert result.unmatched == ()  # "month" is what is asked for, not a topic the article lacks


def test_a_date_word_the_article_lacks_does_not_count_against_the_answer(
    knowledge_base: KnowledgeBase,
) -> None:
    # "month" is not in the article; the byline answers with "Dec 05, 2012".
    result = knowledge_base.search("what month was this written in")

    assert result.answered
    assert result.hits[0].passage.passage_id.endswith(":byline")


@pytest.mark.parametrize(
    ("term", "is_date"),
    [
        ("wednesday", True),
        ("octob", True),
        ("2012", True),
        ("1500", True),
        ("2099", True),
        ("1499", False),
        ("2100", False),
        ("may", False),
        ("day", False),
        ("20000", False),
    ],
)
def test_index_terms_that_are_dates(term: str, is_date: bool) -> None:
    assert (term in answer_types.date_terms()) is is_date


@pytest.mark.parametrize(
    ("question", "letters"),
    [
        ("what does ICE stand for", "ice"),
        ("wut does ICE actually stand for", "ice"),
        ("ndlon stands for what lol", "ndlon"),
        ("what does the acronym NDLON stand for?", "ndlon"),
        ("what is AG short for", "ag"),
        ("what does it stand for", None),
        ("who filed the lawsuit", None),
    ],
)
def test_a_question_asking_what_letters_stand_for_names_them(question: str, letters: str | None) -> None:
    assert answer_types.asked_initialism(question) == letters


@pytest.mark.parametrize(
    ("letters", "text", "spelled"),
    [
        ("ndlon", "Chris Newman of the National Day Laborer Organizing Network (NDLON) said", True),
        ("ice", "Immigration and Customs Enforcement agents", True),
        ("fota", "Since 1963, the Festival of the Arts (FOTA) takes over campus", True),
        ("qed", "led to quantum electrodynamics (or QED), which describes", True),
        ("ag", "California Attorney General Kamala Harris said", True),
        ("ice", "L.A. County sends an estimated 20,000 immigrants over to ICE each year", False),
    ],
)
def test_letters_are_spelled_out_by_a_name_with_those_initials(
    letters: str, text: str, spelled: bool
) -> None:
    assert answer_types.spells_out(letters, text) is spelled


def test_letters_the_article_never_spells_out_are_not_explained_by_a_paragraph_that_repeats_them(
    knowledge_base: KnowledgeBase,
) -> None:
    # The article writes "ICE" but never "Immigration and Customs Enforcement".
    assert not knowledge_base.search("wait what does ICE even stand for").answered
    # It does write out NDLON, and the paragraph that does is the answer.
    answer = knowledge_base.search("what does ndlon stand for lol")
    assert "National Day Laborer Organizing Network (NDLON)" in answer.hits[0].passage.text
    # "Newman" is no abbreviation: what he stands for is asked as any other question.
    assert knowledge_base.search("what does newman stand for").answered


def test_letters_spelled_out_in_another_article_are_answered_there() -> None:
    paragraphs = [
        "Immigration and Customs Enforcement (ICE) asked the county to hold 300 people last year.",
        "The sheriff said ICE requests would be reviewed case by case.",
    ]
    document = Document(
        "ice", "ice.md", "Holds", tuple(Paragraph(i, t, i * 2) for i, t in enumerate(paragraphs, 1))
    )
    answer = KnowledgeBase([document]).search("what does ICE stand for")

    assert answer.answered
    assert answer.hits[0].passage.paragraph == 1


def test_how_long_after_one_day_another_came_is_answered_by_the_days_named(
    knowledge_base: KnowledgeBase,
) -> None:
    # Harris spoke on Tuesday, Baca on Wednesday: the article gives the days, not a length.
    question = "how long after the AG directive did baca announce, like tues then wed?"

    assert holds_answer(question, ["Harris issued the directive on Tuesday."])
    assert knowledge_base.search(question).answered


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("why did baca change his policy", True),
        ("how come baca changed his mind", True),
        ("baca holds why", True),
        ("who sued baca", False),
        ("what happened to the whyte case", False),
    ],
)
def test_which_questions_ask_for_a_reason(question: str, asks: bool) -> None:
    assert asks_why(question) is asks


@pytest.mark.parametrize(
    "question", ["why did baca change his policy", "how come baca changed his mind", "baca holds why"]
)
def test_a_question_asking_why_finds_the_paragraph_that_gives_the_reason(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # Paragraph 6 says "Sheriff Baca's change of policy"; paragraph 3 says what prompted the change.
    result = knowledge_base.search(question)

    assert result.hits[0].passage.paragraph == 3
    assert result.unmatched == ()  # the reason it asks for is no word it names


def test_asking_why_about_something_else_is_still_declined(knowledge_base: KnowledgeBase) -> None:
    assert not knowledge_base.search("why is the sky blue").answered
