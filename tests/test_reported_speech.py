"""Questions asking what someone said, when the article reports nothing they said."""

from __future__ import annotations

import json

import pytest

from bot.replies.embeds import NOT_COVERED, answer_embed
from bot.replies.plain import format_result
from bot.retrieval.documents import Document, Paragraph
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.passages import build_passages
from bot.retrieval.reported_speech import SCAN_LIMIT, PassageSpeech, asked_subject, never_heard
from tests.samples import REPO_ROOT


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(REPO_ROOT / "knowledge")


@pytest.mark.parametrize(
    "question",
    [
        "what did ICE say in response to baca's decision",
        "How did Immigration and Customs Enforcement respond to the sheriff's announcement?",
        "did ice or the feds say anything back abt baca's decision",  # "federal" is no name
        "what did obama say about harris's directive",  # Harris is quoted, but Obama is asked about
        "did arpaio respond to being compared to baca lol",
        "what reason did ICE give for the holds",  # a reason given is words too
        "what explanation did the obama administration offer",
    ],
)
def test_asking_what_someone_the_article_never_reports_speaking_said_is_declined(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert not result.answered
    assert result.hits == () and result.quotes == ()


def test_the_member_is_told_why_and_the_json_names_who(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("what did ICE say about baca's decision?")

    why = "The article mentions *ICE*, but doesn't report any statement or response from *ICE*."
    assert format_result(result) == why
    assert answer_embed(result).description == why
    payload = json.loads(json.dumps(result.to_json()))
    assert payload["answered"] is False and payload["unheard"] == ["ice"]
    assert "unheard" not in knowledge_base.search("what did newman say").to_json()
    assert answer_embed(knowledge_base.search("what is the capital of france")).description == NOT_COVERED


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("what did baca say he would stop doing", 1),  # "Sheriff Lee Baca said Wednesday"
        ("what did the spokesman say was behind the change", 3),  # "A Baca spokesman said"
        ("what did the lawyer guy say abt the damage", 6),  # his title, eight words before "told"
        ("did the AG say anything", 4),
        ("what did the la times say", 1),  # "the L.A. Times is reporting"
    ],
)
def test_asking_what_someone_the_article_reports_said_is_answered(
    knowledge_base: KnowledgeBase, question: str, paragraph: int
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert paragraph in [hit.passage.paragraph for hit in result.hits]


def test_speakers_are_names_before_a_reporting_verb_or_after_according_to() -> None:
    document = Document(
        "city",
        "city.md",
        "Council keeps the buses",
        (
            Paragraph(
                1,
                "The Mayor of Riverside, Ana Ruiz, said the plan works. Critics at Harbor Hall disagree.",
                3,
            ),
            Paragraph(2, "Costs fell, according to the Transit Office. The Union was not asked.", 5),
        ),
        author="Sam Lee",
    )
    passages = build_passages([document])
    speaking = set().union(*(PassageSpeech.of(p).speaking for p in passages))
    names = set().union(*(PassageSpeech.of(p).names for p in passages))

    for speaker in ("ruiz", "riversid", "transit", "sam"):  # "Sam Lee" wrote it: the byline speaks
        assert speaker in speaking
    assert {"harbor", "union"} <= names
    assert not {"harbor", "union"} & speaking
    assert never_heard(["union"], passages) and not never_heard(["ruiz", "union"], passages)
    assert not never_heard(["plan"], passages)  # not a name: the article may tell what a plan says


@pytest.mark.parametrize(("count", "declined"), [(3, True), (SCAN_LIMIT + 50, False)])
def test_a_name_in_more_passages_than_are_read_is_answered_as_usual(count: int, declined: bool) -> None:
    # Only the passages holding the name are read, SCAN_LIMIT at most: on a large knowledge base a
    # name that common is answered as any question, rather than every passage being read.
    paragraphs = tuple(
        Paragraph(n, f"Item {n} was on the agenda of Mayor Ruiz today.", n) for n in range(1, count + 1)
    )
    knowledge_base = KnowledgeBase([Document("city", "city.md", "Council agenda", paragraphs)])

    result = knowledge_base.search("what did mayor ruiz say about item 3")

    assert result.answered is not declined


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("what did ICE say about it", "ICE"),
        ("how did the obama admin react??", "the obama admin"),
        ("did obama or the white house say anything", "obama or the white house"),
        ("When did Japan release a statement to tell Israelis to leave?", None),  # "to tell": no subject
        ("who is chris newman", None),
        ("what reason did the feds give", "the feds"),
        ("did ICE give the county money", None),  # giving, but no reason asked for
        ("", None),
    ],
)
def test_the_subject_asked_about_is_the_words_between_the_auxiliary_and_the_verb(
    question: str, subject: str | None
) -> None:
    assert asked_subject(question) == subject


def test_a_subject_is_at_most_a_few_words_however_long_the_question() -> None:
    subject = asked_subject("did " * 1500 + "say")

    assert subject is not None and len(subject) <= 60
