"""What an answer says before its passages: whose words, and what the article does not mention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.replies.embeds import DESCRIPTION_LIMIT, answer_embed, escape
from bot.replies.notes import answer_notes, as_phrases, as_written
from bot.replies.plain import format_result
from bot.retrieval.knowledge_base import KnowledgeBase
from tests.samples import REPO_ROOT, copy_bundled

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


@pytest.fixture(scope="module")
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KNOWLEDGE_DIR)


def test_a_word_the_article_never_mentions_is_named_with_what_it_does_say(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("does the governor of California agree with Baca?")

    assert result.answered
    assert result.unmatched == ("governor",)
    assert answer_notes(result) == [
        "The article doesn't mention *governor*; here is what it says about *California* and *Baca*."
    ]
    assert format_result(result).startswith("The article doesn't mention *governor*")
    assert answer_embed(result).description.startswith("The article doesn't mention *governor*")


def test_a_question_sharing_only_a_place_with_the_article_is_declined_naming_what_it_lacks(
    knowledge_base: KnowledgeBase,
) -> None:
    # "California" says where the question is set; "governor" is what it asks about.
    result = knowledge_base.search("who is the governor of California?")

    assert not result.answered
    assert result.unmatched == ("governor",)


def test_a_question_every_word_of_which_matches_has_no_note(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("when was the lawsuit filed")

    assert result.unmatched == ()
    assert answer_notes(result) == []
    assert result.to_json()["unmatched"] == []


@pytest.mark.parametrize(
    "question",
    [
        "ok so basically im confused, r cops allowed to ignore ice holds now??",
        "wait so newman thinks baca owes ppl an apology? huh",  # discourse markers, not topics
        "honestly was baca literally against the trust act",
        "fwiw how many immigrants does LA send to ice each year",  # an aside
        "ugh so who sued baca, ndlon etc?",
        "is baca gonna stop turnin over everybody or just some ppl",  # a pronoun names no thing
        "is the policy for everyone in jail or only some",
    ],
)
def test_chatty_words_are_not_reported_as_missing(knowledge_base: KnowledgeBase, question: str) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert result.unmatched == ()


def test_asking_for_someones_words_answers_with_their_quotations(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("any quotes from harris?")

    assert [q.speaker for q in result.quotes] == ["Kamala Harris"]
    assert result.hits[0].passage.paragraph == result.quotes[0].paragraph == 4
    assert result.hits[0].best_sentence.startswith('"In the interest of public safety')
    assert answer_notes(result) == ["Here is what *Kamala Harris* said in the article."]
    payload = json.loads(json.dumps(result.to_json()))
    (quote,) = payload["quotes"]
    assert set(quote) == {"speaker", "text", "citation", "paragraph"}
    assert quote["speaker"] == "Kamala Harris" and quote["paragraph"] == 4
    assert payload["passages"][0]["paragraph"] == 4


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("what did newman say", "Chris Newman"),
        ("did the AG say anything", "Kamala Harris"),
        ("wat did the attorney general say abt this", "Kamala Harris"),
        ("what did Chris Newman tell colorlines", "Chris Newman"),
        ("what did kamala say", "Kamala Harris"),  # a first name no other quoted person has
        ("any quotes from chris?", "Chris Newman"),
        ("what did newman actually say abt baca", "Chris Newman"),  # an adverb, not a noun of his
        ("what did the day laborer guy say", "Chris Newman"),  # a noun for the person himself
    ],
)
def test_a_quoted_person_is_found_by_name_or_role(
    knowledge_base: KnowledgeBase, question: str, speaker: str
) -> None:
    result = knowledge_base.search(question)

    assert result.quotes and {q.speaker for q in result.quotes} == {speaker}
    assert result.hits[0].passage.paragraph == result.quotes[0].paragraph
    assert {q.paragraph for q in result.quotes} <= {h.passage.paragraph for h in result.hits}


def test_after_a_quotation_come_the_passages_that_report_what_was_asked(
    knowledge_base: KnowledgeBase,
) -> None:
    # Harris's one quotation (paragraph 4) does not say "police departments"; the paragraph reporting
    # her directive does: "at the discretion of sheriffs' and police departments".
    result = knowledge_base.search("did the AG say police depts too or just sheriffs")

    assert [q.speaker for q in result.quotes] == ["Kamala Harris"]
    assert [h.passage.paragraph for h in result.hits] == [4, 3]
    assert answer_notes(result)[0] == "Here is what *Kamala Harris* said in the article."


def test_a_question_only_asking_for_someones_words_is_answered_by_their_quotations_alone(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("what did kamala harris say")

    assert [h.passage.paragraph for h in result.hits] == [4]


@pytest.mark.parametrize(
    "question",
    [
        "what reason did the AG give for letting each sheriff decide",
        "what justification did kamala harris offer",
        "whats harris’s reasoning on the holds",
    ],
)
def test_a_reason_a_quoted_person_gave_is_answered_with_their_words(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # Her reason is in her quotation ("In the interest of public safety"), paragraph 4; paragraph 3
    # says what prompted Baca's change.
    result = knowledge_base.search(question)

    assert [q.speaker for q in result.quotes] == ["Kamala Harris"]
    assert result.hits[0].passage.paragraph == 4
    assert result.hits[0].best_sentence.startswith('"In the interest of public safety')


def test_the_speakers_words_rank_their_quotations(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("what did newman say about the trust act")

    assert result.quotes[0].text.startswith("His belligerent")
    assert result.hits[0].passage.paragraph == 7


@pytest.mark.parametrize(
    "question",
    [
        "Which piece of legislation did Newman say Baca opposed?",  # "opposition to the TRUSTAct"
        "what does newman say baca's opposition messed up",  # "undermined what was otherwise"
        "newman says baca messed up some statewide agreement?",  # "a statewide consensus"
        # Weighed over the whole article, "baca" (in most paragraphs) counts less than "opposition".
        "newman called bacas opposition what exactly, like what words",
        "how did newman describe baca's pushback, what words did he use",
    ],
)
def test_quotations_are_ranked_by_other_words_for_the_questions_words(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    # The question's words as the reader finds them (moderators' synonyms, WordNet) rank Newman's
    # quotations, not only the words as written: his first quotation also names Baca.
    result = knowledge_base.search(question)

    assert result.quotes[0].text.startswith("His belligerent")
    assert result.hits[0].passage.paragraph == 7


@pytest.mark.parametrize(
    "question",
    [
        "what did baca say",
        "who told the LA times",
        "what did the spokesman say",
        "who is chris newman",
        "what did kamala lopez say",  # another person of that first name
        "who said the change came from the ag's directive",  # asks who spoke
        "Who actually said the switch was because of Harris?",
        "what did the ag directive actually say",  # the directive speaks, reported in other words
        "does harris's memo say cops have to comply",
        "what did the AG's legal directive say abt whose call it is",
        "what reason did the spokesman give for the change",  # reported, not quoted
        "give me one reason baca changed his mind",  # nobody quoted is named
    ],
)
def test_questions_about_people_not_quoted_or_not_asking_for_words_are_searched_as_usual(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.quotes == ()
    assert "quotes" not in result.to_json()


def test_a_question_about_the_directive_gets_the_paragraph_that_reports_it(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("what did the ag directive actually say")

    assert result.hits[0].passage.paragraph == 3  # "A Baca spokesman said ... a legal directive"


def test_a_question_about_who_spoke_shows_the_paragraph_that_reports_it(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("who said the change came from the harris thing")

    # Newman's "Sheriff Baca's change of policy ought to come with an apology letter" stands first
    # ("change" and "come" side by side) since paragraph 3's "Atty. Gen." is searched as "Attorney
    # General"; the spokesman's paragraph is shown with it.
    assert 3 in [hit.passage.paragraph for hit in result.hits]


def test_notes_keep_the_embed_within_discords_limits(knowledge_base: KnowledgeBase) -> None:
    question = "what about " + " ".join(f"zorblax{i} governor{i}" for i in range(300)) + " baca lawsuit"
    result = knowledge_base.search(question)

    embed = answer_embed(result)

    assert len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed) <= 6000


def test_words_are_named_as_the_member_wrote_them_and_escaped() -> None:
    assert as_written("california", "who runs California?") == "California"
    assert as_written("x", "nothing here") == "x"
    assert escape("*a*") == "\\*a\\*"


@pytest.mark.parametrize(
    ("words", "question", "phrases"),
    [
        (
            ["california", "trust", "act"],
            "what does California think of the TRUST  Act?",
            ["California", "TRUST Act"],
        ),
        (["lee", "baca", "county"], "is Lee Baca the county's man", ["Lee Baca", "county"]),
        (["act", "trust"], "the TRUST Act", ["Act", "TRUST"]),  # side by side, but not in this order
        (["farmers", "market"], "farmers at the market", ["farmers", "market"]),
        ([], "anything", []),
    ],
)
def test_words_the_question_writes_side_by_side_are_named_as_one(
    words: list[str], question: str, phrases: list[str]
) -> None:
    assert as_phrases(words, question) == phrases


def test_a_name_of_several_words_is_named_whole_in_a_note(knowledge_base: KnowledgeBase) -> None:
    result = knowledge_base.search("what does the governor of California think of the TRUST Act?")

    assert answer_notes(result) == [
        "The article doesn't mention *governor*; here is what it says about *California* and *TRUST Act*."
    ]


def test_a_phrasal_verb_is_read_through_wordnet(tmp_path: Path) -> None:
    # The bundled synonyms say "let go => release" themselves; without them WordNet does.
    knowledge_base = KnowledgeBase.from_directory(copy_bundled(tmp_path / "knowledge"))
    terms = knowledge_base.analyse("were ppl let go after their release date")

    assert [(t.word, t.term, t.guessed) for t in terms if t.word == "let go"] == [("let go", "releas", True)]
    assert "let" not in [t.word for t in terms]


def test_a_declined_question_reports_every_word_the_knowledge_base_lacks(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("Who won the 2012 World Series?")

    assert not result.answered
    assert result.unmatched == ("won", "world", "series")
    assert answer_notes(result) == []  # the reply is the plain "not covered"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("when was ndlon founded", "founded"),  # a verb, found only through a WordNet guess
        ("did the ndlon lawsuit win in court", "win"),  # a verb and noun the article never uses
        ("how much did baca's jail budget grow", "budget"),
        ("when did the policy take effect", "effect"),  # no WordNet guess for a word this common
    ],
)
def test_a_near_topic_question_is_told_which_word_the_article_lacks(
    knowledge_base: KnowledgeBase, question: str, missing: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert missing in result.unmatched
    assert answer_notes(result)[0].startswith(f"The article doesn't mention *{missing}*")


@pytest.mark.parametrize(
    "question",
    [
        "what does harris think chiefs should base their decision on",  # "think": too common to name
        "ngl im confused, is complying with ICE holds voluntary",  # "confused": an adjective as well
        "what did the sheriff decide",  # "decide" is read as "decision", a form of the same word
        "what does NDLON stand for",  # asks what a name is: "stand for" is how it asks
        "how many ppl were held past their release date",  # "past" can be an adverb
        # Prepositions and conjunctions lemminflect lacks join the question's parts; they name nothing.
        "although baca changed his mind, does he still hold people for serious crimes",
        "did harris say sheriffs must comply, despite ice asking",
        "is baca moving towards the trust act",
        "upon release, how many people were held too long",
    ],
)
def test_words_that_phrase_the_question_are_not_reported_as_missing(
    knowledge_base: KnowledgeBase, question: str
) -> None:
    result = knowledge_base.search(question)

    assert result.answered
    assert result.unmatched == ()


def test_a_note_names_what_is_missing_with_or_and_what_is_there_with_and(
    knowledge_base: KnowledgeBase,
) -> None:
    result = knowledge_base.search("did the lawsuit by ndlon win in court")

    assert answer_notes(result) == [
        "The article doesn't mention *win* or *court*; here is what it says about *lawsuit* and *ndlon*."
    ]
