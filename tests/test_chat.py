"""Chat English: what members type ("wat kinda offenders r we talking abt") read as standard English.

The rewrite must never damage an ordinary sentence, so most of these tests are about what stays.
"""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.retrieval.chat import (
    CHAT_FILLER,
    LEXICON,
    REWRITE_SECTIONS,
    SECTIONS,
    WORD_SECTIONS,
    LexiconError,
    load_lexicon,
    parse_lexicon,
    rewrite,
    standard_words,
)
from bot.retrieval.text import words


@pytest.mark.parametrize(
    ("chat", "standard"),
    [
        ("gonna", "going to"),
        ("wanna", "want to"),
        ("gotta", "got to"),
        ("wont", "will not"),
        ("won't", "will not"),
        ("cant", "cannot"),
        ("can't", "cannot"),
        ("im", "i am"),
        ("whats", "what is"),
        ("what's", "what is"),
        ("theyre", "they are"),
        ("didnt", "did not"),
        ("y'all", "you all"),
        ("yall", "you all"),
        ("shouldve", "should have"),
        ("'cause", "because"),
        ("w/", "with"),
        ("w/o", "without"),
        ("w/out", "without"),
        ("b/c", "because"),
        ("&", "and"),
        ("20k", "20,000"),
        ("$5m", "$5,000,000"),
        ("1.5k", "1,500"),
        ("$2bn", "$2,000,000,000"),
        ("3.25M", "3.25M"),
        ("£1.2345k", "£1,234.5"),
        ("20,000k", "20,000,000"),
        ("po po", "police"),
        ("who does baca owe acc to newman", "who does baca owe according to newman"),
        ("??!!", "?"),
        ("!!!", "!"),
        ("......", "..."),
    ],
)
def test_chat_spellings_are_written_out(chat: str, standard: str) -> None:
    assert rewrite(chat) == standard


def test_a_chat_question_reads_as_standard_english() -> None:
    assert rewrite("wait so is baca gonna stop holding ALL undocumented ppl or just some??") == (
        "wait so is baca going to stop holding ALL undocumented ppl or just some?"
    )
    assert rewrite("are CA cops required to honor ICE holds w/o a warrant b/c the AG said so") == (
        "are CA cops required to honor ICE holds without a warrant because the AG said so"
    )
    assert rewrite("where does the 20k per year number come from") == (
        "where does the 20,000 per year number come from"
    )


def test_at_the_time_is_read_as_then() -> None:
    assert rewrite("what office did harris hold at the time") == "what office did harris hold then"
    assert rewrite("who was the AG back then") == "who was the AG then"


def test_words_about_the_question_itself_are_read_as_nothing() -> None:
    assert rewrite("quick q whats the sheriffs name") == "what is the sheriffs name"
    assert rewrite("ok dumb question but who is newman") == "ok but who is newman"
    assert rewrite("i have a question about the article") == "i have a question about the article"


def test_words_about_the_form_of_the_answer_are_read_as_nothing() -> None:
    assert rewrite("eli5 what did harris say") == "what did harris say"
    assert rewrite("in a nutshell what is the trust act") == "what is the trust act"
    assert rewrite("what did the lawsuit claim in a few words") == "what did the lawsuit claim"
    assert rewrite("explain like im 5 what the lawsuit is about") == "what the lawsuit is about"
    # Only the request's own words go: what is to be explained stays.
    assert rewrite("explain quantum physics like im 5") == "explain quantum physics"
    assert rewrite("i like simple words") == "i like simple words"


def test_wed_sat_and_sun_are_weekdays_only_after_on_by_last_this_or_next() -> None:
    assert rewrite("what did baca say on wed") == "what did baca say on wednesday"
    assert rewrite("did he announce it last sat") == "did he announce it last saturday"
    assert rewrite("wed like to know more") == "wed like to know more"  # "we'd", as typed
    assert rewrite("the sun is out") == "the sun is out"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("whyyy did baca change his policy", "why did baca change his policy"),
        ("sooo who sued bacaaaa", "so who sued baca"),  # "baca": English knows neither spelling
        ("thats sooooo coool", "that is so cool"),  # one letter or two, whichever English uses most
        ("who sued baca lmaooo", "who sued baca lmao"),
        ("wuuut", "wut"),  # then read as the chat spelling it is
    ],
)
def test_a_letter_typed_over_and_over_is_read_once_or_twice(typed: str, read: str) -> None:
    assert rewrite(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "whats the sheriffs name again lol i keep forgetting",
            "what is the sheriffs name again lol i forgetting",
        ),
        ("whos the sheriff ppl keep talking abt", "who is the sheriff ppl talking abt"),
        ("will baca keep holding ppl", "will baca holding ppl"),
        ("will baca keep the holds", "will baca keep the holds"),  # not before an -ing word
        ("they kept things simple", "they kept things simple"),
        ("keep keep going", "going"),
        ("keep keeping", "keeping"),
    ],
)
def test_keep_before_an_ing_word_is_read_as_nothing(typed: str, read: str) -> None:
    assert rewrite(typed) == read


@pytest.mark.parametrize(
    "kept", ["Who did King Charles III swear fealty to?", "What is PPP?", "AAA clubs", "Whyyy"]
)
def test_letters_repeated_in_a_word_with_capitals_are_left(kept: str) -> None:
    # Roman numerals, acronyms and names are written with capitals.
    assert rewrite(kept) == kept


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("who sued baca <:pepe_cry:812345678901234567>", "who sued baca"),
        ("did <@!42424242424242424> say <#333333333333333333> was for this", "did say was for this"),
        ("is <a:dance:812345678901234567> this from <t:1354665600:R>", "is this from"),
        ("who sued baca?? https://example.com/story?id=3 thx", "who sued baca? thx"),
        ("www.latimes.com said what", "said what"),
        ("is x < 5 and y > 10000000", "is x < 5 and y > 10000000"),  # no markup: a comparison
        ("baca <3", "baca <3"),
    ],
)
def test_mentions_custom_emoji_and_web_addresses_are_no_words(typed: str, read: str) -> None:
    assert rewrite(typed) == read


def test_curly_apostrophes_are_read_like_straight_ones() -> None:
    assert rewrite("they’re sayin it won’t") == "they are sayin it will not"


def test_case_follows_what_was_typed() -> None:
    assert rewrite("I'm sure") == "I am sure"
    assert rewrite("GONNA happen") == "GOING TO happen"
    assert rewrite("Dont ask") == "Do not ask"
    assert rewrite("W/ the Sheriff") == "With the Sheriff"


@pytest.mark.parametrize(
    "ordinary",
    [
        "well, were the sheriffs ill or was its shed wed to the id?",
        "She said hell no and the shell lets the US and IT teams in.",
        "Tell us about the cause; the bout ended.",
        "AT&T and Q&A, R&D stay joined.",
        "a 5m wall, 2b or not 2b, a 5km run and 10kg of flour",
        "Route 66, the 405, 1,500 people and $20,000 in 2012.",
        "Los Angeles County Sheriff Lee Baca said Wednesday he will no longer honor federal requests.",
        "Dr. Smith's 3.5-hour talk at 9:30 a.m. (see p. 12) - read it.",
        "rock'n'roll O'Neill d'Artagnan",
        "The whore of Babylon; who'd've thought.",
    ],
)
def test_ordinary_english_is_untouched(ordinary: str) -> None:
    assert rewrite(ordinary) == ordinary


def test_only_whitespace_runs_and_the_ends_change_in_untouched_text() -> None:
    assert rewrite("  Baca\n\tand   NDLON ") == "Baca and NDLON"


def test_a_bare_symbol_is_replaced_only_between_spaces_or_at_an_end() -> None:
    assert rewrite("cops&ice") == "cops&ice"
    assert rewrite("cops &ice") == "cops and ice"
    assert rewrite("w/obama") == "with obama"
    assert rewrite("saw/heard") == "saw/heard"


def test_a_quoted_chat_word_is_rewritten_inside_its_quotation_marks() -> None:
    assert rewrite("he said 'gonna' twice") == "he said 'going to' twice"


@pytest.mark.parametrize(
    ("chat", "standard"),
    [
        ("ppl", ("people",)),
        ("cops", ("police",)),
        ("cop", ("police",)),
        ("popo", ("police",)),
        ("feds", ("federal",)),
        ("cali", ("california",)),
        ("dept", ("department",)),
        ("govt", ("government",)),
        ("admin", ("administration",)),
        ("prez", ("president",)),
        ("potus", ("president",)),
        ("wut", ("what",)),
        ("wat", ("what",)),
        ("bc", ("because",)),
        ("cuz", ("because",)),
        ("coz", ("because",)),
        ("tho", ("though",)),
        ("thru", ("through",)),
        ("prolly", ("probably",)),
        ("rly", ("really",)),
        ("abt", ("about",)),
        ("b4", ("before",)),
        ("2day", ("today",)),
        ("yday", ("yesterday",)),
        ("any1", ("anyone",)),
        ("srsly", ("seriously",)),
        ("ur", ("your",)),
        ("da", ("district", "attorney")),
        ("ag", ("attorney", "general")),
        ("DA", ("district", "attorney")),
        ("tues", ("tuesday",)),
        ("oct", ("october",)),
        ("dec", ("december",)),
        ("shld", ("should",)),
        ("wen", ("when",)),
        ("whomst", ("who",)),
    ],
)
def test_standard_words_of_chat_words(chat: str, standard: tuple[str, ...]) -> None:
    assert standard_words(chat) == standard


@pytest.mark.parametrize(
    "word",
    ["ice", "lapd", "immigrants", "police", "sheriff", "la", "gov", "well", "its", "the", "wed", "may", ""],
)
def test_standard_and_ambiguous_words_have_no_standard_words(word: str) -> None:
    assert standard_words(word) == ()


def test_chat_filler() -> None:
    expected = "tbh imo imho ngl lol lmao fr rn idk btw smh omg pls plz thx ty yo bruh fam ok okay yeah"
    assert set(expected.split()) | {"yea", "nah", "u", "r", "n", "w", "ya"} <= CHAT_FILLER
    assert {"anyway", "anyways", "lowkey", "wdym", "ikr"} <= CHAT_FILLER  # discourse markers
    assert {"af", "istg", "lmk"} <= CHAT_FILLER  # intensifiers and sign-offs
    assert "vs" in CHAT_FILLER
    assert not CHAT_FILLER & {"ice", "police", "well", "us", "it"}


# The shipped lexicon.


def test_every_group_of_the_lexicon_is_present_and_says_where_it_came_from() -> None:
    assert load_lexicon() == LEXICON
    text = _lexicon_text()
    for section in SECTIONS:
        after = text.split(f"\n[{section}]\n", 1)[1]
        assert after.startswith("# Source: "), section
        assert any(entry.section == section for entry in LEXICON.entries), section


def test_no_spelling_maps_to_itself_or_is_listed_twice_and_targets_are_plain_words() -> None:
    spellings = [s for entry in LEXICON.entries for s in entry.spellings]
    assert len(spellings) == len(set(spellings))
    for entry in LEXICON.entries:
        assert entry.standard not in entry.spellings
        if entry.section != "filler":
            assert re.fullmatch(r"[a-z]+( [a-z]+)*", entry.standard), entry


def test_a_standard_word_spelling_is_one_search_word_as_the_tokeniser_reads_it() -> None:
    # standard_words is asked about words the tokeniser produced: a spelling it never produces is dead.
    for spelling in LEXICON.table(WORD_SECTIONS):
        assert words(spelling) == [spelling]


def test_what_rewrite_writes_is_never_rewritten_again() -> None:
    table = LEXICON.table(REWRITE_SECTIONS)
    for standard in set(table.values()):
        assert rewrite(standard) == standard


def test_the_apostrophe_free_spellings_are_not_ordinary_words() -> None:
    table = LEXICON.table(REWRITE_SECTIONS)
    for word in "well were its ill shed wed id hell shell lets hed whore cause em til bout".split():
        assert word not in table


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ppl => people", "2: entry before any [section]"),
        ("[weird]", "2: unknown section [weird]"),
        ("[slang]\ncops => police => law", "3: expected 'spelling, spelling => standard words'"),
        ("[slang]\ncops police", "3: expected"),
        ("[slang]\ncops =>", "3: standard words '' are not plain"),
        ("[slang]\n => police", "3: spelling '' is not a lower-case"),
        ("[slang]\nCops => police", "3: spelling 'Cops' is not a lower-case"),
        ("[slang]\npo po => police", "3: spelling 'po po' is not a lower-case single word"),
        ("[slang]\ncops => Police", "3: standard words 'Police' are not plain"),
        ("[slang]\ncops => police-men", "3: standard words 'police-men' are not plain"),
        ("[slang]\npolice => police", "3: 'police' maps to itself"),
        (
            "[slang]\ncops => police\n\n[abbreviations]\ncops => constables",
            "6: 'cops' is already listed on line 3",
        ),
        ("[filler]\nlol lmao", "3: spelling 'lol lmao' is not"),
    ],
)
def test_a_malformed_lexicon_line_is_reported_with_its_file_and_line(text: str, reason: str) -> None:
    with pytest.raises(LexiconError) as raised:
        parse_lexicon("# a comment\n" + text, "lexicon.txt")
    assert str(raised.value).startswith("lexicon.txt:" + reason)


def test_a_well_formed_lexicon() -> None:
    lexicon = parse_lexicon("[contractions]\n# why\ncan't, cant => cannot\n\n[filler]\nlol\n")
    assert lexicon.table(["contractions"]) == {"can't": "cannot", "cant": "cannot"}
    assert lexicon.filler() == frozenset({"lol"})


# Any input.

_CHAT_ALPHABET = st.sampled_from(
    [
        *"abcdegikmnostuwy' /&$£.,!?-0123456789KMBW\u0301\u031b’é\t\n",
        "gonna",
        "im",
        "w/",
        "w/o",
        "b/c",
        "20k",
        "$5m",
        "po po",
        "'cause",
        "can't",
        "Y'ALL",
        "k",
        "bn",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHAT_ALPHABET, max_size=40).map("".join))
@example("gonna\u031b")
@example("w/w/x")
@example("x&w/y")
@example("&w/")
@example("0k.0k")
def test_rewriting_twice_is_rewriting_once(text: str) -> None:
    once = rewrite(text)
    assert rewrite(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_rewrite_never_raises_and_is_deterministic(text: str) -> None:
    once = rewrite(text)
    assert isinstance(once, str)
    assert rewrite(text) == once
    assert rewrite(once) == once


def test_a_long_message_is_rewritten_whole() -> None:
    text = ("im gonna ask w/ 20k ppl?? 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e\ud7ff\U0010ffff " * 100)[:4000]
    rewritten = rewrite(text)
    assert rewritten.startswith("i am going to ask with 20,000 ppl? Unicode")
    assert rewrite(rewritten) == rewritten


def test_the_lexicon_is_shipped_as_package_data() -> None:
    # An installed (not editable) package has only the files pyproject declares.
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["bot"]
    assert any(fnmatch("data/chat_lexicon.txt", glob) for glob in globs)


def _lexicon_text() -> str:
    return (resources.files("bot") / "data" / "chat_lexicon.txt").read_text(encoding="utf-8")
