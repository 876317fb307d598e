"""Text rules shared by passages and questions: normalising, sentence splitting and search tokens.

What matters to a reader is that the way they type a word finds the way the article prints it:
curly or straight quotes, full-width letters, capitals, possessives, compounds, numbers and accents.
"""

from __future__ import annotations

from itertools import chain

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.retrieval.text as text_module
from bot.retrieval.text import (
    CLOSED_CLASS_WORDS,
    PRONOUNS,
    STOP_WORDS,
    collapse_whitespace,
    fold_accents,
    initialisms,
    is_dictionary_word,
    normalise,
    short_only_terms,
    split_sentences,
    tokenize,
    word_lemmas,
    words,
    writes_out,
    written_short,
)


def test_curly_quotes_and_dashes_become_straight() -> None:
    assert normalise("“Baca’s” decision – final") == '"Baca\'s" decision - final'


def test_full_width_letters_are_normalised_to_ascii() -> None:
    assert normalise("ＬＡ Ｔｉｍｅｓ") == "LA Times"


def test_control_characters_become_spaces_and_invisible_characters_vanish() -> None:
    assert normalise("Sheriff\x00Baca\x07") == "Sheriff Baca "
    assert normalise("soft\u00adhy\u200bphen") == "softhyphen"


def test_case_is_kept_by_normalise_for_sentence_splitting() -> None:
    assert normalise("Sheriff Baca") == "Sheriff Baca"


def test_collapse_whitespace_joins_lines_and_runs_of_spaces() -> None:
    assert collapse_whitespace("  The mayor\nsaid\t\tthe   vote ") == "The mayor said the vote"


def test_accents_are_folded_as_people_type_them() -> None:
    assert fold_accents("Céloron naïve Ångström") == "Celoron naive Angstrom"
    assert words("Céloron") == ["celoron"]
    assert tokenize("Céloron") == tokenize("Celoron")


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        pytest.param('Baca\'s "decision"', "Baca’s “decision”", id="curly-quotes"),
        pytest.param("LA Times", "ＬＡ Ｔｉｍｅｓ", id="nfkc-full-width"),
        pytest.param("sheriff baca", "SHERIFF Baca", id="case-folding"),
        pytest.param("LA Times", "L.A. Times", id="initialism"),
        pytest.param("filed", "ﬁled", id="ligature"),
        pytest.param("deport", "deportations", id="stemming-noun"),
        pytest.param("deport", "deported", id="stemming-verb"),
        pytest.param("immigrants", "immigration", id="stemming-shared-stem"),
        pytest.param("write", "wrote", id="irregular-verb"),
        pytest.param("celoron", "Céloron", id="accents"),
        pytest.param("attorney general", "Atty. Gen.", id="news-title-abbreviation"),
        pytest.param("lieutenant governor", "Lt. Gov.", id="news-title-abbreviations"),
        pytest.param("fresno california", "Fresno, Calif.", id="news-state-abbreviation"),
    ],
)
def test_the_way_a_reader_types_a_word_finds_the_way_the_article_prints_it(typed: str, printed: str) -> None:
    assert tokenize(typed) == tokenize(printed)
    assert tokenize(typed)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        pytest.param("gen z", ["gen", "z"], id="no-period"),
        pytest.param("the sen. said", ["sen"], id="no-capital"),
        pytest.param("Miss. Smith", ["miss", "smith"], id="word-too"),
        pytest.param("General Gen.", ["general", "general"], id="end-of-text"),
    ],
)
def test_only_news_abbreviations_written_with_a_capital_and_a_period_are_written_out(
    text: str, tokens: list[str]
) -> None:
    assert tokenize(text) == tokenize(" ".join(tokens))


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("California Atty. Gen. Kamala Harris", ("Attorney", "General")),
        ("Fresno, Calif.", ("California",)),
        ("California Attorney General Kamala Harris", ()),
        ("the sen. said", ()),  # no capital
        ("Miss. Smith", ()),  # a word too, never written out
        ("gen z", ()),
    ],
)
def test_the_words_a_text_writes_short_are_found_written_out(text: str, short: tuple[str, ...]) -> None:
    assert written_short(text) == short


def test_the_terms_a_text_holds_only_written_short_are_found() -> None:
    assert short_only_terms("a directive issued by California Atty. Gen. Kamala Harris") == {
        "attorney",
        "general",
    }
    # "General" is written out too: only "attorney" comes from the abbreviation alone.
    assert short_only_terms("The Atty. Gen. spoke to the General Assembly") == {"attorney"}
    assert short_only_terms("California Attorney General Kamala Harris") == frozenset()


def test_a_text_writes_words_out_only_in_full() -> None:
    assert writes_out("California Attorney General Kamala Harris", ("Attorney", "General"))
    assert not writes_out("California Atty. Gen. Kamala Harris", ("Attorney", "General"))


@pytest.mark.parametrize("text", ["Baca’s", "Baca's", "BACA’S"])
def test_possessive_s_is_dropped(text: str) -> None:
    assert words(text) == ["baca"]
    assert tokenize(text) == ["baca"]


def test_plural_possessive_apostrophe_is_dropped() -> None:
    assert words("sheriffs’ departments") == ["sheriffs", "departments"]


@pytest.mark.parametrize("text", ["TRUSTAct", "TRUST Act", "trust act"])
def test_trust_act_gives_trust_and_act_however_it_is_written(text: str) -> None:
    assert {"trust", "act"} <= set(tokenize(text))


def test_run_together_compound_also_keeps_its_joined_form() -> None:
    assert words("TRUSTAct") == ["trust", "act", "trustact"]


def test_the_plural_of_an_acronym_is_the_acronym() -> None:
    assert words("ICEs yearly budget") == ["ice", "yearly", "budget"]
    assert words("NGOs and the CEOs") == ["ngo", "and", "the", "ceo"]
    assert words("ICE's budget") == ["ice", "budget"]


def test_hyphenated_words_give_their_parts_and_the_joined_form() -> None:
    assert words("low-level") == ["low", "level"]
    assert tokenize("low-level") == ["low", "level", "lowlevel"]
    assert set(tokenize("low level")) <= set(tokenize("low-level"))


@pytest.mark.parametrize(
    ("text", "token"),
    [("20,000 immigrants", "20000"), ("in 2012", "2012"), ("3.5 percent", "3.5"), ("20k", "20k")],
)
def test_numbers_are_kept_whole(text: str, token: str) -> None:
    assert token in tokenize(text)


@pytest.mark.parametrize(
    "text",
    ["the and of", "What did he say?", "so what's it about", "hey can someone tell me", "", "   ", "?!..."],
)
def test_questions_made_only_of_stop_words_and_punctuation_have_no_search_tokens(text: str) -> None:
    assert tokenize(text) == []


def test_stop_words_are_dropped_and_content_words_kept() -> None:
    assert tokenize("Who is the sheriff of Los Angeles?") == ["sheriff", "los", "angel"]


def test_stop_words_match_with_or_without_apostrophe() -> None:
    assert {"doesn't", "doesnt", "what's", "whats"} <= STOP_WORDS


def test_words_keeps_stop_words_and_does_not_stem() -> None:
    assert words("The deportations were Baca’s") == ["the", "deportations", "were", "baca"]


def test_sentence_splitting_keeps_newsroom_abbreviations_inside_one_sentence() -> None:
    text = (
        "A Baca spokesman said the change was prompted by California Atty. Gen. Kamala Harris on Tuesday. "
        "The L.A. Times reported it on Dec. 5 in the morning. Then it ended."
    )

    assert split_sentences(text) == [
        "A Baca spokesman said the change was prompted by California Atty. Gen. Kamala Harris on Tuesday.",
        "The L.A. Times reported it on Dec. 5 in the morning.",
        "Then it ended.",
    ]


def test_sentence_splitting_keeps_the_original_characters() -> None:
    text = "Sheriff Baca’s change “ought to come with an apology.” Colorlines.com reached out."

    sentences = split_sentences(text)

    assert sentences == [
        "Sheriff Baca’s change “ought to come with an apology.”",
        "Colorlines.com reached out.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_multi_word_names_give_the_initials_readers_ask_with() -> None:
    found = {
        letters for letters, _ in initialisms("Chris Newman of the National Day Laborer Organizing Network")
    }

    assert "ndlon" in found
    assert "cn" in found
    assert all(letters.isalpha() and letters.islower() for letters in found)


def test_single_capitalised_words_give_no_initials() -> None:
    assert initialisms("The lawsuit alleges that Baca is wrong.") == []


PLAIN_OR_NOT = [
    "The council met on Monday. It voted to close the park. Residents were angry.",
    "The L.A. Times said so on Dec. 5. Then Atty. Gen. Harris spoke.",
    "He left at 5 p.m. yesterday. Then he came back.",
    "Is it so? Yes it is! Good work. Fine",
    "Mr. Smith went to Washington. He won.",
    "The vote was close. The U.S. Army came. They went.",
    "Go to No. 5 now. Then stop.",
    "Sales rose by a. Then fell.",
    "He chose plan b. Then he left.",
    "Pick a. Or pick b.",  # a list: pysbd keeps it whole
    "It cost a. Then I left. See a. Then b.",
    "That is how it is. Nobody likes it. It came in may. Then it went.",
    "That is how it is. I know. Ask me. I'm sure.",
    "Call the dr. Smith will come. Read no. Five is fine.",
    "Prices rose sharply in spring. Officials said costs fell in autumn! Why did it happen? Nobody knows.",
]


@pytest.mark.parametrize("text", PLAIN_OR_NOT)
def test_the_quick_path_for_plain_prose_splits_as_pysbd_does(text: str) -> None:
    plain = text_module._plain_sentences(text)

    assert plain is None or plain == text_module._pysbd_sentences(text)


@pytest.mark.parametrize(
    ("text", "quick"),
    [
        ("He chose plan b. Then he left.", True),  # one lower-case letter: no initial, no list
        ("Take vitamin a. It helps.", True),
        ("Pick a. Or pick b.", False),  # two letters with periods may be a list: pysbd decides
        ("Roe v. Wade was decided. It stood.", False),  # "v." keeps its period
        ("He met J. Smith. Then he left.", False),  # a capital may be an initial
    ],
)
def test_a_sentence_ending_in_one_lower_case_letter_takes_the_quick_path_when_no_list_can_be(
    text: str, quick: bool
) -> None:
    plain = text_module._plain_sentences(text)

    assert (plain is not None) is quick
    assert plain is None or plain == text_module._pysbd_sentences(text)


# Words, abbreviations that are also words ("is", "me"), ones pysbd keeps the period of ("dr", "no"),
# and "I", after which pysbd does not end a sentence.
PROSE_WORDS = ["the", "council", "voted", "a", "no", "park", "closed", "al", "rose", "is", "me", "may", "I"]
PROSE_WORDS += ["dr", "man", "co", "ill", "etc", "pp", "gen", "mr", "fig", "I'm", "v", "p", "x", "i"]


@settings(max_examples=400, deadline=None)
@given(
    sentences=st.lists(
        st.lists(
            st.sampled_from(PROSE_WORDS),
            min_size=1,
        ),
        min_size=1,
        max_size=5,
    ),
    ends=st.lists(st.sampled_from(".!?"), min_size=5, max_size=5),
)
def test_the_quick_path_agrees_with_pysbd_on_generated_prose(
    sentences: list[list[str]], ends: list[str]
) -> None:
    text = " ".join(" ".join(words).capitalize() + end for words, end in zip(sentences, ends, strict=False))
    plain = text_module._plain_sentences(text)

    assert plain is None or plain == text_module._pysbd_sentences(text)


INDEXED_TEXTS = [
    "Sheriff Lee Baca's low-level offenders: the TRUSTAct and the TRUST Act, L.A. County's 20,000 holds.",
    "Chris Newman of the National Day Laborer Organizing Network said Céloron’s “ﬁled” suit was re-filed.",
    "",
    "the of and it",
    "Los Angeles County Sheriff Lee Baca. Atty. Gen. Kamala Harris wrote; they said, then he saw.",
    "Sheriff Baca",
]
INDEXED_WORDS = "The Sheriff Lee Baca low-level TRUSTAct L.A. said Céloron 20,000 Atty. Gen.".split()


def test_encoded_texts_are_the_search_terms_and_initialisms_of_each_text() -> None:
    encoded = text_module.encode_texts(INDEXED_TEXTS)

    plain = [text_module.search_words(text) + initialisms(text) for text in INDEXED_TEXTS]
    terms = [[word_term for _, word_term in words] for words in plain]
    assert encoded.terms() == terms
    assert list(encoded.vocabulary) == list(dict.fromkeys(chain.from_iterable(terms)))
    assert encoded.word_terms == {pair for words in plain for pair in words}
    assert encoded.written_out == (4,)  # "Atty. Gen." written out


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(
        st.lists(
            st.sampled_from(INDEXED_WORDS),
            max_size=12,
        ).map(" ".join),
        max_size=6,
    )
)
def test_encoded_texts_agree_with_the_plain_functions_on_generated_texts(texts: list[str]) -> None:
    encoded = text_module.encode_texts(texts)

    plain = [text_module.search_words(text) + initialisms(text) for text in texts]
    terms = [[word_term for _, word_term in words] for words in plain]
    assert encoded.terms() == terms
    assert list(encoded.vocabulary) == list(dict.fromkeys(chain.from_iterable(terms)))
    assert encoded.word_terms == {pair for words in plain for pair in words}
    assert encoded.written_out == tuple(
        i for i, text in enumerate(texts) if text_module.searchable(text) != fold_accents(normalise(text))
    )


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_ascii_text_is_cut_into_the_same_tokens_by_the_quick_pattern(text: str) -> None:
    assert text_module._written_tokens(text) == text_module._WORD_RE.findall(text)


@pytest.mark.parametrize("text", INDEXED_TEXTS)
def test_search_terms_are_the_distinct_terms_of_search_words(text: str) -> None:
    assert text_module.search_terms(text) == {word_term for _, word_term in text_module.search_words(text)}


def test_prepositions_and_conjunctions_lemminflect_lacks_are_dictionary_words() -> None:
    # Each is listed because lemminflect's lexicon lacks it; without the list it read as a name.
    for word in CLOSED_CLASS_WORDS:
        assert not word_lemmas(word), word
        assert is_dictionary_word(word), word
    assert not is_dictionary_word("baca") and not is_dictionary_word("sherrif")


def test_pronouns_name_no_topic() -> None:
    from bot.retrieval.question import is_topic_word

    for word in PRONOUNS:
        assert not is_topic_word(word), word
    assert is_topic_word("governor") and is_topic_word("weather")
