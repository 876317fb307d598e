"""Searching the bundled article: the right paragraph first, honest abstention, and no crash on any input."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.retrieval import proximity
from bot.retrieval.decisions import SUPPORT_RATIO
from bot.retrieval.documents import Document, Paragraph
from bot.retrieval.evaluation import load_cases
from bot.retrieval.knowledge_base import (
    KnowledgeBase,
    SearchResult,
    asks_what_a_name_is,
    bm25_factors,
)
from bot.retrieval.question import _pointed_at, background_share
from bot.retrieval.spelling import Speller, within_one_edit
from bot.retrieval.text import initialisms, search_words, tokenize

REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
DEV_SET = REPO_ROOT / "tests" / "data" / "article_dev.jsonl"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KNOWLEDGE_DIR)


def shares_a_word(knowledge_base: KnowledgeBase, question: str, result: SearchResult) -> bool:
    """True when every passage of ``result`` contains one of the question's words (as the index reads it)."""
    terms = {t.term for t in knowledge_base.analyse(question) if t.term is not None}
    return all(terms & indexed_terms(hit.passage.search_text) for hit in result.hits)


def indexed_terms(text: str) -> set[str]:
    """The terms the index holds for a passage: its tokens and the initials of its names."""
    return set(tokenize(text)) | {letters for letters, _ in initialisms(text)}


@pytest.mark.parametrize(
    ("question", "paragraph", "key_words"),
    [
        ("when was the lawsuit filed", 8, "filed a lawsuit against Sheriff Baca"),
        ("who filed the lawsuit against Sheriff Baca", 8, "NDLON and other organizations"),
        ("what does the lawsuit allege", 8, "voluntary ICE holds is unlawful"),
        ("what did Kamala Harris say about public safety", 4, "In the interest of public safety"),
        ("how many immigrants does LA county send to ICE each year", 5, "20,000 immigrants over to ICE"),
        ("which state has the most secure communities deportaions", 5, "Secure Communities deportations"),
        ("when was the new TRUST Act introduced", 10, "introduced on Monday"),
        ("sherrif baca apology letter", 6, "apology letter"),
        ("what prompted the change?", 3, "prompted by a legal directive"),
        ("did colorlines reach baca’s press office", 9, "press office"),
        ("did baca have to comply with the federal requests", 3, "compliance with the federal requests"),
        ("who is the sheriff in the story", 1, "Sheriff Lee Baca"),
        ("r the holds voluntary", 8, "voluntary ICE holds"),
    ],
)
def test_question_finds_the_paragraph_that_answers_it_first(
    knowledge_base: KnowledgeBase, question: str, paragraph: int, key_words: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    top = result.hits[0]
    assert top.passage.paragraph == paragraph
    assert top.best_sentence in top.passage.sentences
    assert key_words in top.best_sentence


def test_who_wrote_this_is_answered_by_the_byline(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("who wrote this?")

    assert result.answered
    top = result.hits[0]
    assert top.passage.paragraph == 0
    assert "Jorge Rivas" in top.passage.text
    assert str(top.passage.citation).endswith("headline and byline (Colorlines)")


@pytest.mark.parametrize(
    "question",
    [
        "when was this published?",
        "what day was this posted",
        "when did they post it",
        "when did this come out",
        "what month did this drop",
    ],
)
def test_when_the_article_came_out_is_answered_by_the_byline(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    top = knowledge_base.search(question).hits[0]

    assert top.passage.passage_id.endswith(":byline")
    assert "Dec 05, 2012" in top.best_sentence


@pytest.mark.parametrize(
    "question", ["when did the new iphone come out", "what month did the new zelda come out"]
)
def test_when_something_else_came_out_is_not_answered_by_the_byline(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert not knowledge_base.search(question).answered


def test_the_headline_answers_a_question_about_the_headline(knowledge_base: KnowledgeBase) -> None:
    top = knowledge_base.search("what is the headline").hits[0]

    assert top.passage.passage_id.endswith(":headline")
    assert top.best_sentence == knowledge_base.documents[0].title


@pytest.mark.parametrize("question", ["tldr?", "what's the tl;dr"])
def test_asking_for_the_tldr_gets_the_summary(knowledge_base: KnowledgeBase, question: str) -> None:
    top = knowledge_base.search(question).hits[0]

    assert top.passage.passage_id.endswith(":headline")
    assert top.best_sentence == knowledge_base.documents[0].summary


@pytest.mark.parametrize(
    ("question", "introduction"),
    [
        ("who is chris newman", "Chris Newman Legal Director at the National Day Laborer"),
        ("Who's Newman?", "Chris Newman Legal Director at the National Day Laborer"),
        ("what does ndlon stand for?", "National Day Laborer Organizing Network (NDLON)"),
        ("who is kamala harris", "California Attorney General Kamala Harris"),  # not "Atty. Gen."
        ("whos newman", "Chris Newman Legal Director at the National Day Laborer"),
        ("whats ndlon", "National Day Laborer Organizing Network (NDLON)"),
        ("what is newman's job", "Chris Newman Legal Director at the National Day Laborer"),
        ("whats chris newman's title", "Chris Newman Legal Director at the National Day Laborer"),
        ("which sheriff is the story about?", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("which sheriff r we talkin about", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("whos the sheriff theyre talkin abt", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("what is the name of the sheriff", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("whats the sheriffs name again", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("who even is the sheriff in this lol", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("whats bacas last name", "Los Angeles County Sheriff Lee Baca said Wednesday"),  # not "First and"
        ("whats harris's first name", "California Attorney General Kamala Harris"),
        ("whats harris's job title", "California Attorney General Kamala Harris"),
        ("whats the sheriffs actual name", "Los Angeles County Sheriff Lee Baca said Wednesday"),
        ("whats newmans real name", "Chris Newman Legal Director at the National Day Laborer"),
    ],
)
def test_asking_who_someone_is_shows_where_the_article_introduces_them(
    knowledge_base: KnowledgeBase, question: str, introduction: str
) -> None:
    top = knowledge_base.search(question).hits[0]

    assert introduction in top.passage.text


def test_of_two_paragraphs_naming_a_title_the_one_that_writes_it_out_comes_first() -> None:
    knowledge_base = _council(
        "Lt. Gov. Ana Ruiz said the council may decide.",
        "The council may decide, Lieutenant Governor Ana Ruiz said on Monday at the hall.",
    )

    # The first is shorter and would come first; the member typed the title as the second writes it.
    assert knowledge_base.search("what did the lieutenant governor say").hits[0].passage.paragraph == 2


def test_who_the_attorney_general_is_finds_where_the_article_writes_attorney_general(
    knowledge_base: KnowledgeBase,
) -> None:
    top = knowledge_base.search("who was the california attorney general in this").hits[0]

    assert "California Attorney General Kamala Harris" in top.passage.text


def test_the_introduction_shown_writes_the_title_out_when_a_paragraph_does() -> None:
    knowledge_base = _council(
        "The vote followed advice from Lt. Gov. Ana Ruiz on Monday.",
        "Lieutenant Governor Ana Ruiz said the council may decide for itself.",
    )

    assert knowledge_base.search("whats ana ruiz's job title").hits[0].passage.paragraph == 2
    # With no paragraph writing it out, the first naming her is the introduction still.
    alone = _council("Lt. Gov. Ana Ruiz spoke.", "Later, Ana Ruiz left.")
    assert alone.search("who is ana ruiz").hits[0].passage.paragraph == 1


def _council(first: str, second: str) -> KnowledgeBase:
    """A knowledge base of one article about a council, of two paragraphs."""
    return KnowledgeBase([_document("council", [first, second])])


def _document(doc_id: str, paragraphs: list[str]) -> Document:
    return Document(
        doc_id,
        f"{doc_id}.md",
        doc_id.title(),
        tuple(Paragraph(i, text, i * 2) for i, text in enumerate(paragraphs, start=1)),
    )


def test_the_introduction_comes_from_the_document_that_matches_best() -> None:
    knowledge_base = KnowledgeBase(
        [
            _document("film", ["Paul Newman starred in many films.", "Reviews of the year."]),
            _document(
                "holds",
                [
                    "Chris Newman, legal director of NDLON, spoke to reporters about Newman v. Baca.",
                    "Newman said the policy failed. Newman said it again.",
                ],
            ),
        ]
    )

    ranked = knowledge_base.rank("who is newman", 3)

    assert ranked[0].citation.document == "Holds"
    assert ranked[0].paragraph == 1


@pytest.mark.parametrize("question", ["what did the attorney general decide", "what did the AG decide"])
def test_a_title_news_writing_abbreviates_is_found_by_the_words_a_member_types(question: str) -> None:
    knowledge_base = KnowledgeBase(
        [
            _document(
                "water",
                [
                    "The general store opened its doors to the state's farmers on Friday.",
                    "Nevada Atty. Gen. Ruth Ortiz decided that farmers may draw water from the river.",
                ],
            )
        ]
    )

    result = knowledge_base.search(question)

    assert result.hits[0].passage.paragraph == 2
    assert result.unmatched == ()


def test_a_run_together_word_is_split_only_into_words_written_side_by_side() -> None:
    document = Document(
        "notes",
        "notes.md",
        "Notes",
        (
            Paragraph(1, "The TRUST Act was introduced on Monday.", 2),
            Paragraph(2, "It was a hot day. The test went well.", 4),
        ),
    )
    knowledge_base = KnowledgeBase([document])

    hottest = [t.term for t in knowledge_base.analyse("hottest")]

    assert [t.term for t in knowledge_base.analyse("trustact")] == ["trust", "act"]
    assert "test" not in hottest  # "hot" and "test" are known, but never written together


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("who is newman?", True),
        ("What's NDLON", True),
        ("what are secure communities", True),
        ("what does NDLON stand for", True),
        ("what does 'detainer' mean?", True),
        ("whos newman", True),
        ("whats ndlon", True),
        ("who even is newman", True),
        ("what exactly is secure communities", True),
        ("which sheriff is it about", True),
        ("yo whos the sheriff this is about", True),  # a chat opener
        ("ok so what is ndlon", True),
        ("quick q whats the sheriffs name", True),  # words about the question itself
        ("eli5 who is newman", True),  # words about the form of the answer
        ("so who filed the lawsuit", False),
        ("which day did he say it", False),  # a date question
        ("whatsoever happened", False),
        ("witch hunt", False),
        ("who filed the lawsuit", False),
        ("when was it published", False),
        ("who was the sheriff then", False),
        ("what did newman say", False),
    ],
)
def test_which_questions_ask_what_a_name_is(question: str, asks: bool) -> None:
    assert asks_what_a_name_is(question) is asks


def test_who_is_doing_something_is_not_answered_by_an_introduction(knowledge_base: KnowledgeBase) -> None:
    # Every word must name something: "suing" is not in the article, so relevance alone decides.
    question = "who is suing baca"

    assert knowledge_base.rank(question, 3) == [
        knowledge_base.passages[i] for i, _ in knowledge_base._candidates(knowledge_base.analyse(question), 3)
    ]


def test_who_sued_sheriff_baca_finds_the_lawsuit(
    knowledge_base: KnowledgeBase,
) -> None:
    assert knowledge_base.search("Who sued Sheriff Baca?").hits[0].passage.paragraph == 8


@pytest.mark.parametrize(
    "question",
    ["What's the weather in Paris?", "how do I bake sourdough", "", "   ", "???", "the and of", "\x00\x07"],
)
def test_questions_the_article_does_not_cover_are_declined_without_passages(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered is False
    assert result.hits == ()
    assert result.to_json()["passages"] == []


@pytest.mark.parametrize(
    "question",
    [
        "did the LA lakers win last night",
        "who won the nba finals in 2012",
        "who won the grammy for best album in 2012",
        "is it gonna rain in LA this weekend",
        "whats the recipe for chicken tikka masala",
        "is the sheriff in the new batman movie a villain or a hero",  # two words by chance
        "what year did the berlin wall come down",  # "come" frames the question, "year" is a link
        "should i water my plants every day or every few days",  # "day" and "days" are one link
        # Two words the article has, but no paragraph has both: "Monday" and "federal"; "California"
        # and "October".
        "is monday a federal holiday this week",
        "what's the weather usually like in northern california in october",
        # One word the article has, against a name English seldom uses: a film, a park, a town.
        "whats the most famous line in the godfather",
        "is disneyland open on monday",
        "who was the sheriff in tombstone",
        # A name English knows that its dictionary does not list: a language, a state.
        "how do you say monday in french",
        "how many counties does texas have",
        # A phrase of the article's is one link, not two: its "release date", its "new version".
        "when is the release date of the next zelda game",
        "is the new version of minecraft out yet",
        # Two words finding the same term are one link: "write an apology" and "letter".
        "how do i write an apology letter to my gf lol",
        # A place or a time says where or when a question is set, not what it is about.
        "what is the capital of arizona",
        "whats the weather gonna be like monday",
        "yo whats the best taco spot in los angeles rn",
        # A place of several words is one place: "Los Angeles" links once.
        "what are the best hiking trails in los angeles county for beginners",
        "whats the best time of year to buy airline tickets to los angeles",
        # Places and times are not counted towards the most links a chance question may have.
        "what time does the los angeles lakers game start on wednesday",
    ],
)
def test_off_topic_questions_sharing_a_word_by_chance_are_declined(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert not result.answered
    assert result.hits == ()


def test_the_united_states_is_not_read_as_a_consensus(knowledge_base: KnowledgeBase) -> None:
    # The bundled synonyms file reads "unified", "on the same page" as the article's "consensus".
    terms = [t.term for t in knowledge_base.analyse("did this happen all over the united states")]

    assert "consensus" not in terms
    assert "consensus" in [t.term for t in knowledge_base.analyse("was cali unified on this before baca")]


def test_refusing_the_holds_is_bacas_no_longer_honoring_them(knowledge_base: KnowledgeBase) -> None:
    # Harris's paragraph says police "can ignore" the requests; Baca's, that he will "no longer honor"
    # them. The bundled synonyms file reads "refusing" as both.
    result = knowledge_base.search("so is he refusing ALL the fed hold requests or just for certain ppl")

    assert 1 in [hit.passage.paragraph for hit in result.hits]


@pytest.mark.parametrize(
    "question",
    ["what day of the week did baca make his announcement", "so what did baca announce"],
)
def test_the_announcement_is_the_lead(knowledge_base: KnowledgeBase, question: str) -> None:
    # The bundled synonyms file reads "announce" as what Baca announced, that he will "no longer"
    # honor the holds; it used to read it as "said", a stop word, which found nothing.
    result = knowledge_base.search(question)

    assert result.hits[0].passage.paragraph == 1
    assert "announcement" not in result.unmatched and "announce" not in result.unmatched


@pytest.mark.parametrize(
    "question",
    [
        "whoooo sueddd bacaaaa",
        "wen was the lawsuit",
        "who sued baca <:pepe:812345678901234567> <@42424242424242424>",
        "who sued baca?? https://www.latimes.com/local/la-me-baca-20121205",
    ],
)
def test_drawn_out_words_chat_markup_and_links_do_not_get_in_the_way(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.hits[0].passage.paragraph == 8  # "NDLON and other organizations filed a lawsuit"
    assert result.unmatched == ()


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        # A place or a time links the question weakly, but these ask about the article's.
        ("which jail in arizona", 6),  # "Sheriff Arpaio's jail in Arizona"
        ("whats the deal with arizona", 6),
        ("what happened in october", 8),  # "In October, NDLON and other organizations filed a lawsuit"
        ("what did harris say on tuesday about ice holds", 4),
        # Unlike a common phrase ("release date"), a name and a phrase with a name in it count word
        # by word.
        ("is the trust act brand new or like a redo", 10),  # "A new version of the TRUST Act"
        ("which program is that deportation stat abt", 5),  # "Secure Communities deportations"
    ],
)
def test_questions_sharing_a_place_a_time_or_a_name_with_the_article_are_answered(
    knowledge_base: KnowledgeBase, question: str, paragraph: int
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert result.hits[0].passage.paragraph == paragraph


@pytest.mark.parametrize(
    ("question", "passage_id"),
    [
        ("whats the sheriffs name again i forgot", "la-sheriff-immigration-holds:p1"),
        ("who wrote this, i cant find the name of the author", "la-sheriff-immigration-holds:byline"),
        (
            "what word does newman use for bacas opposition to the trust act",
            "la-sheriff-immigration-holds:p7",
        ),
        ("i cant remember, what did they call the holds in the lawsuit", "la-sheriff-immigration-holds:p8"),
        ("what type of offenders is this about", "la-sheriff-immigration-holds:headline"),
        ("how did newman characterize bacas opposition to the trust act", "la-sheriff-immigration-holds:p7"),
        ("how does newman compare baca to arpaio", "la-sheriff-immigration-holds:p6"),
        ("in newmans view what can undo the damage", "la-sheriff-immigration-holds:p7"),
        ("does the lawsuit describe the holds as voluntary", "la-sheriff-immigration-holds:p8"),
    ],
)
def test_words_that_only_phrase_a_question_neither_decline_it_nor_are_reported_missing(
    knowledge_base: KnowledgeBase, question: str, passage_id: str
) -> None:
    # "name", "word", "call", "forgot", "find" and "cannot" are not in the article; they ask for a
    # name or a wording, or say how the member came to ask.
    result = knowledge_base.search(question)

    assert result.answered
    assert result.hits[0].passage.passage_id == passage_id
    assert result.unmatched == ()


def test_a_word_asking_for_a_role_does_not_count_against_the_question(knowledge_base: KnowledgeBase) -> None:
    # "job" asks what Harris does; "governor" is what the article does not say she is.
    result = knowledge_base.search("is harris the governor or whats her actual job")

    assert result.hits[0].passage.paragraph == 4  # "California Attorney General Kamala Harris"
    assert result.unmatched == ("governor",)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("whats a good name for my dog", ("good", "dog")),
        ("i forgot my password how do i reset it", ("password", "reset")),
        ("cant find my keys anywhere lol", ("keys", "anywhere")),
    ],
)
def test_questions_about_something_else_phrased_the_same_way_are_still_declined(
    knowledge_base: KnowledgeBase, question: str, missing: tuple[str, ...]
) -> None:
    result = knowledge_base.search(question)

    assert not result.answered
    assert result.unmatched == missing


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("waht did the sherif decide", "what did the sherif decide"),
        ("hwo many ppl does la send to ice", "how many ppl does la send to ice"),
        ("whta is ndlon", "what is ndlon"),  # asks what a name is: the introduction
        ("who sued baca becuase of the holds", "who sued baca because of the holds"),
        ("Whcih paper reported it", "which paper reported it"),
        ("how mnay immigrants get sent to ice evry year", "how many immigrants get sent to ice every year"),
    ],
)
def test_a_question_with_a_function_word_typed_wrong_is_answered_as_if_typed_right(
    knowledge_base: KnowledgeBase, typed: str, meant: str
) -> None:
    result = knowledge_base.search(typed)
    expected = knowledge_base.search(meant)

    assert result.answered
    assert [h.passage.passage_id for h in result.hits] == [h.passage.passage_id for h in expected.hits]
    assert result.unmatched == expected.unmatched == ()
    assert result.question == typed  # the member's words, as asked


def test_a_name_one_letter_from_a_function_word_is_left_as_written(knowledge_base: KnowledgeBase) -> None:
    assert knowledge_base.reader.respelled("hwo sued baca") == "how sued baca"
    assert knowledge_base.reader.respelled("did Hwo sue baca") == "did Hwo sue baca"  # capitalised: a name
    assert knowledge_base.reader.respelled("is the THSI report out") == "is the THSI report out"


@pytest.mark.parametrize(
    ("question", "passage_id"),
    [
        ("was the lawsuit filed in oct", "la-sheriff-immigration-holds:p8"),  # "In October"
        ("what day was this posted, dec 5?", "la-sheriff-immigration-holds:byline"),
        # "at the time" is "then": its "time" does not find "by the time this story was published"
        ("what office did harris hold at the time", "la-sheriff-immigration-holds:p4"),
        # The bundled synonyms file reads "publication" as the outlets the article names; the
        # byline's label "publication" no longer wins a question about whom Newman spoke to.
        ("which publication did newman speak to", "la-sheriff-immigration-holds:p6"),
        # and "claim" and "argument" as the lawsuit's "alleges"
        ("whats the main argument of the suit", "la-sheriff-immigration-holds:p8"),
    ],
)
def test_short_forms_and_other_words_find_what_they_name(
    knowledge_base: KnowledgeBase, question: str, passage_id: str
) -> None:
    result = knowledge_base.search(question)

    assert result.hits[0].passage.passage_id == passage_id
    assert result.unmatched == ()


def test_an_off_topic_question_linked_by_a_common_word_is_declined_naming_what_the_article_lacks(
    knowledge_base: KnowledgeBase,
) -> None:
    # "time" is in the article ("by the time this story was published"), but it is among the
    # commonest English words: it does not link the question to the article against "tokyo".
    result = knowledge_base.search("what time is it in tokyo rn")

    assert not result.answered
    assert result.unmatched == ("tokyo",)


@pytest.mark.parametrize(
    "question",
    [
        "has anyone sued baca",
        "what's newman's job",
        "whos suing the sheriff",
        "did any groups take legal action against the sheriff",
        "who did newman give his comments to",
        "what kind of offenders are we talking about",
        "did the sheriff say sorry to the families of the deported",
        "whose call is it whether local cops go along w ice holds",  # "call" and "local" are not in it
        # "first" links it to paragraph 6 by chance ("First and foremost"), "paper" to the paragraphs
        # naming the L.A. Times: one passage that links it is enough.
        "which paper broke it first, where is this news from",
    ],
)
def test_words_the_article_lacks_do_not_make_a_linked_question_off_topic(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "anyone know a good pizza place near the county jail lol",
        "how do you make a press release for a band",
        # Instructions: declined for any word the article lacks, however many words it shares.
        "How do I write a strong cover letter for a legal director position?",
        "how do i write a cover letter for a sheriff job",
        "whats the best way to ask the county for a copy of my jail record",
    ],
)
def test_a_member_asking_for_advice_is_not_answered_from_the_article(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # "county jail", "press release": two words of the article each, but the member wants advice the
    # article cannot give, and the channel's other members can.
    assert not knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "what county is my cousin in",
        "my brother got a letter from the county, what do i do",
        "r u going to the state fair",
        "how many emails a day r u sending",
        "whats a good public library near me",
        "my dad says the weather will be bad on monday, is he right",
    ],
)
def test_a_member_talking_about_their_own_life_is_not_answered_from_the_article(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # "county", "letter", "state", "day": words of the article, but the member talks to the others.
    result = knowledge_base.search(question)
    assert not result.answered
    assert result.hits == ()


@pytest.mark.parametrize(
    "question", ["which county in florida has the most people", "who was the youngest sheriff in history"]
)
def test_a_question_asking_for_a_record_of_the_world_is_not_answered_from_the_article(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # "county", "people", "sheriff": words of the article, but the record asked for is not in it.
    assert not knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "Who was the first president of the United States?",
        "whats the difference between a state park and a national park",
    ],
)
def test_words_a_passage_holds_only_in_sentences_far_apart_do_not_link_a_question_to_it(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # Paragraph 6 has "First and foremost" and, three sentences on, "the state of California".
    assert not knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "How many counties are there in the state of Texas?",
        "whats a county fair even like never been lol",
        # "State" links as little as "Arizona" does: it says where the question is set.
        "what is the state flower of arizona",
        "what is the state bird of california",
    ],
)
def test_a_question_linked_to_the_article_only_by_places_is_about_those_places(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert not knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "is this the same in other states",
        "does the state of california agree",
        "which county is this about lol",
        "is arizona doing the same thing",
        "how many people does the county hand over to ice",
        "which city is baca sheriff of",
    ],
)
def test_a_question_about_the_articles_places_is_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "is the public library open on monday or nah",
        "When is Election Day held in the United States?",
        "is the press release for the new pixel out yet",
        "whats ur new years resolution for next year",
    ],
)
def test_a_word_that_is_half_of_another_noun_does_not_link_a_question_to_the_article(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # "Public library", "election day", "press release", "new year": two-word nouns of English the
    # article never writes; its "public safety", "National Day", "press office" and "new version" are
    # other things.
    assert not knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "what did the press office say",
        "were ppl held past their release date",
        "did law enforcement agree with harris",
        "Which people will the sheriff's department no longer keep in custody when federal officials ask?",
    ],
)
def test_the_articles_own_two_word_nouns_still_link_a_question_to_it(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "whats a good strategy for a job interview",
        "what's the difference between a state fair and a county fair",
        "is it legal to turn right on red in most states",
    ],
)
def test_questions_about_the_world_in_everyday_forms_are_not_answered_from_the_article(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert not knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "whats the difference between what harris said and what baca did",
        "is it legal for the sheriff to ignore ice holds",
    ],
)
def test_questions_about_the_article_in_those_forms_are_still_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


def test_a_question_about_how_things_usually_are_is_not_answered_from_the_article(
    knowledge_base: KnowledgeBase,
) -> None:
    # "county", "office": words of the article, which reports what happened, not what is usual.
    assert not knowledge_base.search("what does a county clerk office typically do").answered


@pytest.mark.parametrize(
    "question",
    [
        "did baca usually honor the holds before this",
        "how many immigrants does la county send to ice on average",
    ],
)
def test_asking_the_article_how_things_usually_were_is_still_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


def test_a_question_asking_for_a_judgment_of_the_article_is_not_taken_for_a_record(
    knowledge_base: KnowledgeBase,
) -> None:
    # "the most controversial": an adjective after "most" asks for a judgment, not a record.
    result = knowledge_base.search("what is the most controversial part of the policy")

    assert result.answered
    assert result.hits[0].passage.paragraph == 7  # Newman's "belligerent ... opposition"


@pytest.mark.parametrize(
    "question",
    ["which state has the most deportations", "who has the highest deportation numbers, baca or arpaio"],
)
def test_a_question_asking_for_the_articles_own_record_is_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert result.hits[0].passage.paragraph in (5, 6)  # "the largest number of ... deportations"


@pytest.mark.parametrize(
    "question",
    [
        "r u sure ndlon sued him",
        "is it ok to ignore ice holds now",
        "my bad, who is newman again",
        "do you think baca made the right call",
    ],
)
def test_asking_about_the_article_in_the_words_of_a_chat_is_still_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


@pytest.mark.parametrize(
    "question",
    [
        "anyone know who sued baca?",
        "anyone know what the AG said about ice holds",
        "how do we know the 20k number is right",
        "how do u know the la times reported it first",
        "anyone know when harris put out her memo",
        "should i believe the justice strategies numbers",
    ],
)
def test_asking_about_the_article_in_the_words_of_advice_is_still_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered


def test_answered_results_only_contain_passages_sharing_a_word_with_the_question(
    knowledge_base: KnowledgeBase,
) -> None:
    questions = [case.question for case in load_cases(DEV_SET)]
    questions += ["Who sued Sheriff Baca?", "baca", "what about ICE", "TRUSTAct", "low-level offenders"]

    answered = 0
    for question in questions:
        result = knowledge_base.search(question)
        answered += result.answered
        assert shares_a_word(knowledge_base, question, result), question
    assert answered > len(questions) / 2


def test_supporting_passages_are_at_least_a_share_as_relevant_as_the_best(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("when was this published?", k=5)

    assert len(result.hits) >= 2
    best = max(hit.relevance for hit in result.hits)
    assert all(hit.relevance >= SUPPORT_RATIO * best for hit in result.hits)


def test_k_limits_the_number_of_passages(knowledge_base: KnowledgeBase) -> None:
    assert len(knowledge_base.search("sheriff baca", k=3).hits) <= 3
    assert len(knowledge_base.search("sheriff baca", k=1).hits) == 1
    assert knowledge_base.search("sheriff baca", k=0).hits == ()


def test_search_result_serialises_to_the_ask_json_contract(knowledge_base: KnowledgeBase) -> None:
    payload = json.loads(json.dumps(knowledge_base.search("when was the lawsuit filed").to_json()))

    assert set(payload) == {"question", "answered", "passages", "unmatched", "elapsed_ms"}
    assert payload["question"] == "when was the lawsuit filed"
    assert payload["answered"] is True
    assert isinstance(payload["elapsed_ms"], float)
    first = payload["passages"][0]
    assert first["paragraph"] == 8
    assert first["document"] == knowledge_base.documents[0].title
    assert first["citation"].startswith(f"{first['document']}, paragraph 8")
    assert isinstance(first["score"], float)
    assert first["best_sentence"] in first["text"]


def test_rank_orders_passages_without_abstaining(knowledge_base: KnowledgeBase) -> None:
    ranked = knowledge_base.rank("when was the lawsuit filed", 3)

    assert ranked[0].paragraph == 8
    assert knowledge_base.rank("tikka masala with naan", 3) == []


ODD_INPUTS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"])),
    st.text(alphabet=st.characters(categories=["Po", "Ps", "Pe", "Pd", "Sm", "So"])),
    st.text(alphabet=st.sampled_from("aAbBsS'’.,-İıßǅﬁ0123 \u0301ＡＢ😀")),
)


@settings(max_examples=150, deadline=None)
@given(question=ODD_INPUTS)
@example(question="")
@example(question="x" * 10_000)
@example(question="sheriff baca " * 800)
@example(question="😀🔥👮‍♂️🇺🇸" * 100)
@example(question="\x00\x01\x1b[31m\x7f\u200b\ufeff")
@example(question="?!.,;:—…“”‘’()[]{}")
@example(question="Baca’s ＴＲＵＳＴAct 20,000 Céloron low-level")
def test_no_question_crashes_search(knowledge_base: KnowledgeBase, question: str) -> None:
    result = knowledge_base.search(question)

    assert result.question == question
    assert result.answered == bool(result.hits)
    assert len(result.hits) <= 3
    for hit in result.hits:
        assert hit.best_sentence in hit.passage.sentences
    assert shares_a_word(knowledge_base, question, result)
    json.dumps(result.to_json())


ARTICLE_WORDS = sorted(
    set(search_words(KNOWLEDGE_DIR.joinpath("la-sheriff-immigration-holds.md").read_text()))
)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from([w for w, _ in ARTICLE_WORDS]), min_size=1, max_size=8))
def test_the_best_sentence_is_the_first_that_holds_most_of_the_question(
    knowledge_base: KnowledgeBase, words: list[str]
) -> None:
    # Reading stops at the first sentence holding all its passage holds of the question: the sentence
    # chosen is the one a reading of every sentence would choose.
    terms = knowledge_base.analyse(" ".join(words))
    weights = {t.term: t.weight for t in terms if t.term is not None}
    for i, passage in enumerate(knowledge_base.passages):
        passage.__dict__.pop("sentence_terms", None)  # read the sentences as a first search does
        chosen = knowledge_base.best_sentence(i, terms)

        scores = [
            sum(w for term, w in weights.items() if term in found) for _, found in passage.sentence_terms
        ]
        assert chosen == (
            passage.sentences[scores.index(max(scores))] if max(scores) > 0 else passage.sentences[0]
        )


@pytest.fixture(scope="module")
def speller(knowledge_base: KnowledgeBase) -> Speller:
    return knowledge_base.reader.speller


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("sherrif", "sheriff"),
        ("deportaions", "deportations"),
        ("lawsiut", "lawsuit"),
        ("immigrnts", "immigrants"),
    ],
)
def test_speller_maps_a_typo_to_the_stem_of_the_article_word(speller: Speller, typo: str, meant: str) -> None:
    assert speller.correct(typo) == tokenize(meant)[0]


def test_speller_never_changes_the_first_letter(speller: Speller) -> None:
    assert speller.correct("harris") is not None
    assert speller.correct("paris") is None


@pytest.mark.parametrize("word", ["baka", "ice", "la", "sue"])
def test_speller_leaves_short_words_alone(speller: Speller, word: str) -> None:
    assert speller.correct(word) is None


@pytest.mark.parametrize(("word", "known"), [("powder", "power"), ("later", "letter"), ("trait", "train")])
def test_speller_takes_an_english_word_as_meant_not_as_a_typo(word: str, known: str) -> None:
    words = search_words(f"the {known} of it")
    speller = Speller(words, lambda term: 1.0)

    assert speller.correct(word) is None
    assert speller.correct(known + "z") == tokenize(known)[0]  # A real typo is still corrected.


def test_speller_prefers_the_more_frequent_word_when_two_are_one_edit_away() -> None:
    words = search_words("sheriffs sheriffs sheriffs shelters")
    counts = Counter(term for _, term in words)
    speller = Speller(words, lambda term: counts[term])

    assert speller.correct("shelriffs") == tokenize("sheriffs")[0]
    assert speller.correct("shelterz") == tokenize("shelters")[0]
    assert speller.correct("zzzzzz") is None


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("sherif", "sherif", True),
        ("sherif", "sherifs", True),
        ("sherif", "sherf", True),
        ("sherif", "shreif", True),
        ("sherif", "sheraf", True),
        ("sherif", "shriff", False),
        ("sherif", "sherifss", False),
    ],
)
def test_within_one_edit(a: str, b: str, close: bool) -> None:
    assert within_one_edit(a, b) is close
    assert within_one_edit(b, a) is close


def test_initials_find_the_name_written_in_full(knowledge_base: KnowledgeBase) -> None:
    # Paragraph 4 writes "Attorney General Kamala Harris", paragraph 3 "Atty. Gen. Kamala Harris".
    shown = [hit.passage.paragraph for hit in knowledge_base.search("who's the AG?").hits]
    assert shown[0] in (3, 4)
    assert {3, 4} <= set(shown)


def brute_force_rank(knowledge_base: KnowledgeBase, question: str, k: int) -> list[int]:
    """The two-stage order computed the slow way: every candidate's window read, no shortcuts."""
    terms = [t for t in knowledge_base.analyse(question) if t.term is not None]
    index = knowledge_base.index
    if not terms:
        return []
    matched = index.matched_scores([t.term for t in terms if t.term is not None], bm25_factors(terms))
    touched = np.flatnonzero(matched)
    first = index.top(matched[touched], max(k, proximity.CANDIDATES))
    weights = {index.vocabulary[t.term]: t.weight for t in terms if t.term is not None}
    scored = [
        (
            int(touched[j]),
            score + proximity.WEIGHT * proximity.window_score(index.sequence(int(touched[j])), weights),
        )
        for j, score in zip(first.indices, first.scores, strict=True)
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return [i for i, _ in scored[:k]]


def relevance_order(knowledge_base: KnowledgeBase, question: str, k: int) -> list[int]:
    """The passages BM25 and proximity put first (before "who is" questions move an introduction up)."""
    return [i for i, _ in knowledge_base._candidates(knowledge_base.analyse(question), k)]


def test_the_shortcuts_in_proximity_ordering_change_no_ranking(knowledge_base: KnowledgeBase) -> None:
    questions = [case.question for case in load_cases(DEV_SET)]

    for k in (1, 3, 5):
        for question in questions:
            assert relevance_order(knowledge_base, question, k) == brute_force_rank(
                knowledge_base, question, k
            )


def test_the_shortcuts_change_no_ranking_on_a_larger_random_corpus() -> None:
    rng = random.Random(4)
    words = [f"{a}{b}{c}" for a in "bdgkmpst" for b in "aeiou" for c in "lnrx"]
    paragraphs = tuple(
        Paragraph(
            n,
            " ".join(rng.choice(words[: rng.randint(20, len(words))]) for _ in range(rng.randint(5, 60))),
            n,
        )
        for n in range(1, 301)
    )
    knowledge_base = KnowledgeBase([Document("random", "random.md", "Random", paragraphs)])

    for _ in range(150):
        question = " ".join(rng.sample(words, rng.randint(1, 6)))
        for k in (1, 3, 5):
            assert relevance_order(knowledge_base, question, k) == brute_force_rank(
                knowledge_base, question, k
            )


@pytest.mark.parametrize(
    ("word", "counts_in_full"),
    [("governor", True), ("tokyo", True), ("inception", True), ("basically", False), ("think", False)],
)
def test_unknown_words_count_by_how_much_they_say_about_a_topic(word: str, counts_in_full: bool) -> None:
    # "think" is a noun too, but among the commonest English words: it phrases a question.
    assert (background_share(word) == 1.0) is counts_in_full
    assert 0.1 - 1e-9 <= background_share(word) <= 1.0


def test_a_chatty_question_using_common_words_is_not_refused(knowledge_base: KnowledgeBase) -> None:
    # "think" weighs little against the question: it was counted as a noun naming the topic.
    result = knowledge_base.search("does newman think baca deserves praise for flipping")

    assert result.answered
    assert result.hits[0].passage.paragraph == 6


@pytest.mark.parametrize(
    "question",
    [
        "what did baca decide exactly, in plain english pls",
        "in a nutshell what is the trust act",
        "eli5 what did harris say",
    ],
)
def test_asking_for_a_simple_answer_is_answered_naming_nothing_as_missing(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert result.unmatched == ()


@pytest.mark.parametrize(
    "question",
    [
        "in simple terms what is photosynthesis",
        "eli5 how do vaccines work",
        "explain quantum physics like im 5",
    ],
)
def test_asking_for_a_simple_answer_about_something_else_is_declined(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert not knowledge_base.search(question).answered


def test_of_two_passages_that_match_alike_the_one_in_the_article_about_the_question_comes_first() -> None:
    same = "The new policy starts in January."
    knowledge_base = KnowledgeBase(
        [
            _document("bakery", [same, "The bakery on Main Street will sell sourdough bread and cakes."]),
            _document("holds", [same, "The sheriff will stop honoring ICE holds for immigrants in jail."]),
        ]
    )

    result = knowledge_base.search("when does the sheriff's new policy start?")

    assert result.hits[0].passage.doc_id == "holds"
    assert result.hits[0].passage.text == same


def test_one_document_is_ranked_without_a_document_index(knowledge_base: KnowledgeBase) -> None:
    assert knowledge_base.document_index is None


@pytest.mark.parametrize(
    "question",
    [
        "What does the acronym NDLON stand for?",
        "what are the initials NDLON short for",
        "whats ndlons full name",
        "what is the full name of the organization abbreviated NDLON",
        "anyone know what ndlon stands for",  # WordNet's guess for "stands" ("base") asks too
    ],
)
def test_asking_what_an_acronym_stands_for_is_answered_by_its_introduction(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert "National Day Laborer Organizing Network (NDLON)" in result.hits[0].passage.text
    assert result.unmatched == ()


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("is this for all undocumented ppl or just some of them", 0),  # "hold some undocumented immigrants"
        ("what does newman say is the only fix", 7),  # "only a bright line statewide policy"
    ],
)
def test_words_of_scope_are_searched(knowledge_base: KnowledgeBase, question: str, paragraph: int) -> None:
    assert knowledge_base.search(question).hits[0].passage.paragraph == paragraph


@pytest.mark.parametrize(
    "question", ["who wrote this piece?", "Who wrote this article?", "who wrote the story"]
)
def test_words_for_the_document_itself_point_at_the_byline(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert result.hits[0].passage.passage_id.endswith(":byline")


def test_a_word_the_question_points_at_refers_to_what_members_discuss(knowledge_base: KnowledgeBase) -> None:
    # "That group" is the article's NDLON: "group", a word it lacks, is no new topic.
    result = knowledge_base.search("what kind of policy does that group think is needed going forward")

    assert result.answered
    assert result.hits[0].passage.paragraph == 7


@pytest.mark.parametrize(
    "question", ["is that restaurant still open", "what is that song called", "is this game worth buying"]
)
def test_pointing_at_a_thing_the_article_lacks_does_not_make_it_the_articles(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert not knowledge_base.search(question).answered


def test_this_and_that_point_at_things_but_not_at_times() -> None:
    assert _pointed_at("what does that group think".split()) == {"group"}
    assert _pointed_at("is monday a holiday this week".split()) == frozenset()
    assert _pointed_at("did they say that the sheriff".split()) == frozenset()  # "the": a stop word


def test_what_someone_told_a_member_is_checked_against_the_article(knowledge_base: KnowledgeBase) -> None:
    # "My friend says ..." reports a claim to check, not the asker's own life.
    result = knowledge_base.search("my friend says the lawsuit got filed in like summer, is that right?")

    assert result.answered
    assert result.hits[0].passage.paragraph == 8


@pytest.mark.parametrize(
    "question", ["how can i find the lawsuit ndlon filed", "how do we know the 20k number is right"]
)
def test_asking_how_to_find_or_how_we_know_a_fact_of_the_article_is_answered(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    assert knowledge_base.search(question).answered
