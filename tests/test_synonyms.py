"""The moderators' synonyms file: Solr-format rules, their problems by line, and how questions match them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.retrieval.synonyms import (
    MAX_ENTRY_WORDS,
    MAX_LINE_CHARS,
    MAX_OBJECT_WORDS,
    MAX_RULES,
    Expansion,
    SynonymRule,
    Synonyms,
    parse_synonyms,
)
from bot.retrieval.text import words


def parsed(text: str, source: str) -> tuple[Synonyms, list[str]]:
    """``parse_synonyms`` with its problems as the lines a moderator reads."""
    synonyms, problems = parse_synonyms(text, source)
    return synonyms, [str(problem) for problem in problems]


SOURCE = "knowledge/synonyms.txt"

EXAMPLE = """\
# Moderators' synonyms.

sue, sued, suing => lawsuit
cops, police, law enforcement
L.A., Los Angeles
"""


def _parsed(text: str) -> Synonyms:
    synonyms, errors = parsed(text, SOURCE)
    assert errors == []
    return synonyms


def test_rules_are_read_with_their_lines() -> None:
    synonyms = _parsed(EXAMPLE)
    assert len(synonyms) == 3
    assert synonyms.rules == (
        SynonymRule(3, (("sue",), ("sued",), ("suing",)), (("lawsuit",),)),
        SynonymRule(4, (("cops",), ("police",), ("law", "enforcement"))),
        SynonymRule(5, (("l.a.",), ("los", "angeles"))),
    )
    assert synonyms.rules[0].explicit
    assert not synonyms.rules[1].explicit


def test_the_rules_are_listed_in_the_files_format() -> None:
    synonyms = _parsed(EXAMPLE)
    assert synonyms.to_text() == (
        "sue, sued, suing => lawsuit\ncops, police, law enforcement\nl.a., los angeles\n"
    )
    assert _parsed(synonyms.to_text()).to_text() == synonyms.to_text()


def test_spaces_and_case_in_a_rule_do_not_matter() -> None:
    assert _parsed("  Sue ,SUED=>   Lawsuit  ") == _parsed("sue, sued => lawsuit")


def test_an_empty_file_has_no_rules() -> None:
    synonyms = _parsed("# nothing yet\n\n   \n")
    assert len(synonyms) == 0
    assert synonyms == Synonyms.empty()
    assert synonyms.expand(["cops"]) == []
    assert synonyms.to_text() == ""


def test_an_explicit_rule_reads_the_left_words_as_the_right_words_only() -> None:
    synonyms = _parsed(EXAMPLE)
    assert synonyms.expand("has anyone sued baca".split()) == [Expansion(2, 3, (("lawsuit",),))]
    assert synonyms.expand(["lawsuit"]) == []


def test_an_equivalence_reads_any_entry_as_all_of_them() -> None:
    synonyms = _parsed(EXAMPLE)
    everything = (("cops",), ("police",), ("law", "enforcement"))
    assert synonyms.expand("can california cops ignore ice".split()) == [Expansion(2, 3, everything)]
    assert synonyms.expand("did law enforcement comply".split()) == [Expansion(1, 3, everything)]
    assert synonyms.expand(["police"]) == [Expansion(0, 1, everything)]


def test_a_multiword_entry_matches_only_as_a_whole() -> None:
    synonyms = _parsed(EXAMPLE)
    assert synonyms.expand("the law says".split()) == []
    assert synonyms.expand("enforcement of the law".split()) == []


def test_an_entry_of_several_words_matches_its_other_forms() -> None:
    synonyms = _parsed("took to court, keep in jail => lawsuit")

    assert synonyms.expand("they take him to court".split())[0].reading == (("lawsuit",),)
    assert synonyms.expand("did they take to court".split()) == [Expansion(2, 5, (("lawsuit",),))]
    assert synonyms.expand("people kept in jail".split()) == [Expansion(1, 4, (("lawsuit",),))]


def test_determiners_stand_for_one_another_in_an_entry_of_several_words() -> None:
    synonyms = _parsed("broke the story => reporting")

    assert synonyms.expand("which paper broke this story".split()) == [Expansion(2, 5, (("reporting",),))]
    assert synonyms.expand("which paper broke a story".split()) == [Expansion(2, 5, (("reporting",),))]
    assert synonyms.expand("which paper broke story".split()) == []


def test_one_word_matches_as_written_not_by_its_stem() -> None:
    # A stem would read "booked" as the noun "book", "legislation" as "legislator".
    synonyms = _parsed("booked, legislation => arrest")

    assert synonyms.expand(["booked"]) == [Expansion(0, 1, (("arrest",),))]
    assert synonyms.expand("write a book".split()) == []
    assert synonyms.expand(["legislator"]) == []


def test_one_word_matches_the_forms_of_its_verb_but_not_a_plural_noun() -> None:
    synonyms = _parsed("fix => repair\nbill => trust act")

    for form in ("fixed", "fixing"):
        assert synonyms.expand(["can", "it", "be", form]) == [Expansion(3, 4, (("repair",),))]
    assert synonyms.expand(["bill"]) == [Expansion(0, 1, (("trust", "act"),))]
    assert synonyms.expand(["these", "bills"]) == []  # a plural noun: the moderator's "bill" is one


def test_a_verb_s_object_may_stand_inside_its_entry() -> None:
    synonyms = _parsed("took to court => lawsuit\nlet go => release\nlegal action => lawsuit")

    assert synonyms.expand("did anyone take the sheriff to court".split()) == [
        Expansion(2, 7, (("lawsuit",),), 3, 5)
    ]
    assert synonyms.expand("will they let them go".split()) == [Expansion(2, 5, (("release",),), 3, 4)]
    # At most three words of object, and only after a verb.
    assert synonyms.expand("take the old county sheriff to court".split()) == []
    assert synonyms.expand("legal steps and action".split()) == []


def test_case_of_the_question_does_not_matter() -> None:
    synonyms = _parsed(EXAMPLE)
    assert synonyms.expand(["Los", "ANGELES", "Cops"]) == [
        Expansion(0, 2, (("la",), ("los", "angeles"))),  # read as questions are: "l.a." is "la"
        Expansion(2, 3, (("cops",), ("police",), ("law", "enforcement"))),
    ]


def test_the_longest_entry_starting_at_a_word_wins_and_matching_goes_on_after_it() -> None:
    synonyms = _parsed(
        "sheriff => lee baca\nsheriff department, sheriff's department => lasd\ndepartment => agency\n"
    )
    assert synonyms.expand("the sheriff department said".split()) == [Expansion(1, 3, (("lasd",),))]
    assert synonyms.expand("the sheriff said".split()) == [Expansion(1, 2, (("lee", "baca"),))]
    assert synonyms.expand("department sheriff".split()) == [
        Expansion(0, 1, (("agency",),)),
        Expansion(1, 2, (("lee", "baca"),)),
    ]


def test_overlapping_rules_are_matched_left_to_right() -> None:
    synonyms = _parsed("law enforcement => police\nenforcement officer => deputy\n")
    assert synonyms.expand("law enforcement officer".split()) == [Expansion(0, 2, (("police",),))]
    assert synonyms.expand("an enforcement officer".split()) == [Expansion(1, 3, (("deputy",),))]


def test_an_entry_in_several_rules_is_read_as_all_they_say() -> None:
    synonyms = _parsed("feds => federal\nfeds, ice\n")
    assert synonyms.expand(["feds"]) == [Expansion(0, 1, (("federal",), ("feds",), ("ice",)))]
    assert synonyms.expand(["ice"]) == [Expansion(0, 1, (("feds",), ("ice",)))]


def test_a_repeated_entry_is_kept_once() -> None:
    synonyms = _parsed("cops, police, cops\n")
    assert synonyms.rules == (SynonymRule(1, (("cops",), ("police",))),)


def test_curly_apostrophes_are_straightened() -> None:
    synonyms = _parsed("sheriff’s department => lasd\n")
    assert synonyms.expand(words("the Sheriff's department")) == [Expansion(1, 3, (("lasd",),))]


def test_entries_are_split_into_words_as_questions_are_stop_words_included() -> None:
    synonyms = _parsed("took to court => lawsuit\ntwenty thousand => 20000\n")

    # The small word "to" is part of the entry; the verb's object may stand after the verb.
    assert synonyms.expand(words("NDLON took to court")) == [Expansion(1, 4, (("lawsuit",),))]
    assert synonyms.expand(words("they took it to court")) == [Expansion(1, 5, (("lawsuit",),), 2, 3)]
    assert synonyms.expand(words("who took Baca's office to court")) == [
        Expansion(1, 6, (("lawsuit",),), 2, 4)
    ]
    assert synonyms.expand(words("they took baca into court")) == []
    assert synonyms.expand(words("about twenty thousand")) == [Expansion(1, 3, (("20000",),))]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("=> lawsuit", "nothing before '=>'"),
        ("sue, sued =>", "nothing after '=>'"),
        ("  =>  ", "nothing before '=>'"),
        ("sue => sued => lawsuit", "more than one '=>'"),
        ("sue,, sued => lawsuit", "entry 2 has no words (two commas in a row, or one at an end)"),
        ("sue, sued, => lawsuit", "entry 3 has no words"),
        (",", "entry 1 has no words"),
        ("sue => lawsuit,", "entry 2 has no words"),
        ("cops", "'cops' is only read as itself: a rule needs two different entries"),
        ("cops => cops", "'cops' is only read as itself"),
        ("cops, COPS", "'cops' is only read as itself"),
        ("law enforcement => Law  Enforcement", "'law enforcement' is only read as itself"),
        ("announced, stated => said", "'said' is only stop words, which questions are searched without"),
        ("him, them", "'him, them' is only stop words"),
        ("talking to => told, to the", "'told, to the' is only stop words"),
        ("sue -> lawsuit", "'->' is not a word (entries are separated by ',' and sides by '=>')"),
        ("cops, police # the usual", "'#' is not a word"),
        ("a b c d e f g => h", f"entry 'a b c d e f g' has 7 words; at most {MAX_ENTRY_WORDS}"),
        ("cops, " + "x" * MAX_LINE_CHARS, f"line is {MAX_LINE_CHARS + 6} characters long; at most"),
    ],
)
def test_each_problem_is_reported_at_its_line_and_the_line_left_out(line: str, reason: str) -> None:
    text = "# comment\n\nsue => lawsuit\n" + line + "\nfeds => federal\n"
    synonyms, errors = parsed(text, SOURCE)
    assert len(errors) == 1
    assert errors[0].startswith(f"{SOURCE}:4: {reason}")
    assert [rule.line for rule in synonyms.rules] == [3, 5]


def test_a_rule_read_as_stop_words_and_words_is_kept() -> None:
    synonyms, errors = parsed("announced => said, no longer\nsaid no => ignore\n", SOURCE)
    assert errors == []
    assert len(synonyms) == 2


def test_every_problem_of_a_file_is_reported() -> None:
    text = "=> a\nb =>\nc\nd => e\n"
    synonyms, errors = parsed(text, "s.txt")
    assert errors == [
        "s.txt:1: nothing before '=>'",
        "s.txt:2: nothing after '=>'",
        "s.txt:3: 'c' is only read as itself: a rule needs two different entries",
    ]
    assert len(synonyms) == 1


def test_rules_past_the_cap_are_left_out_with_one_problem() -> None:
    text = "".join(f"w{i} => x{i}\n" for i in range(MAX_RULES + 10))
    synonyms, errors = parsed(text, SOURCE)
    assert len(synonyms) == MAX_RULES
    assert errors == [
        f"{SOURCE}:{MAX_RULES + 1}: more than {MAX_RULES} rules; this one and the rest are left out"
    ]


def test_windows_line_endings_keep_the_line_numbers() -> None:
    synonyms, errors = parsed("sue => lawsuit\r\n\r\ncops\r\n", SOURCE)
    assert len(synonyms) == 1
    assert errors == [f"{SOURCE}:3: 'cops' is only read as itself: a rule needs two different entries"]


def test_expanding_a_long_question_is_linear() -> None:
    synonyms = _parsed("a b c d e f => g\n")
    question = ["a", "b", "c", "d", "e", "x"] * 200
    assert synonyms.expand(question) == []


_RULE_TEXT = st.lists(
    st.sampled_from(["cops", "Police", "law enforcement", ",", "=>", " ", "\n", "#", "\r", "’s", "é", "-"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), _RULE_TEXT))
def test_parsing_any_text_never_raises(text: str) -> None:
    synonyms, errors = parsed(text, SOURCE)
    assert all(error.startswith(f"{SOURCE}:") for error in errors)
    for rule in synonyms.rules:
        assert rule.entries
        assert len({*rule.entries, *(rule.targets or ())}) > 1
    listed, listed_errors = parsed(synonyms.to_text(), SOURCE)
    assert listed_errors == []
    assert [str(rule) for rule in listed.rules] == [str(rule) for rule in synonyms.rules]


@settings(max_examples=200, deadline=None)
@given(_RULE_TEXT, st.lists(st.sampled_from(["cops", "police", "law", "enforcement", "x", "POLICE"])))
def test_expansions_are_in_order_and_do_not_overlap(text: str, question: list[str]) -> None:
    synonyms, _ = parse_synonyms(text, SOURCE)
    end = 0
    for expansion in synonyms.expand(question):
        assert end <= expansion.start < expansion.end <= len(question)
        assert expansion.reading
        end = expansion.end


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["take", "took", "them", "the", "sheriff", "to", "court", "let", "go", "lock", "up", "x"]
        ),
        max_size=30,
    )
)
def test_a_verb_s_object_lies_inside_its_expansion(question: list[str]) -> None:
    synonyms = _parsed("took to court => lawsuit\nlet go, lock up => release\nsheriff => baca\n")
    end = 0
    for expansion in synonyms.expand(question):
        assert end <= expansion.start < expansion.end <= len(question)
        if expansion.object_end > expansion.object_start:
            assert expansion.start < expansion.object_start < expansion.object_end < expansion.end
            assert expansion.object_end - expansion.object_start <= MAX_OBJECT_WORDS
        end = expansion.end
