"""The quote index: quotations found in the seed article and in small made-up documents."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.retrieval.documents import Document, load_directory, parse_document
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.passages import citation_for
from bot.retrieval.quotes import Quote, QuoteIndex, Speaker, document_quotes, quote_problems
from bot.retrieval.text import tokenize

ARTICLE = Path(__file__).resolve().parents[1] / "knowledge" / "la-sheriff-immigration-holds.md"
TITLE = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"

HARRIS = "Kamala Harris"
HARRIS_ROLE = "California Attorney General"
NEWMAN = "Chris Newman"
NEWMAN_ROLE = "Legal Director at the National Day Laborer Organizing Network"

# (speaker, role, paragraph, text), in document order. A comma that only leads into the attribution
# ('...priorities," Harris said') is not part of the quotation.
EXPECTED = [
    (
        HARRIS,
        HARRIS_ROLE,
        4,
        "In the interest of public safety, it is our recommendation that those chiefs and sheriffs make a "
        "decision about whether or not they will detain an illegal immigrant based on their priorities",
    ),
    (NEWMAN, NEWMAN_ROLE, 6, "Sheriff Baca\u2019s change of policy ought to come with an apology letter"),
    (
        NEWMAN,
        NEWMAN_ROLE,
        6,
        "First and foremost, there\u2019s no way to repair the damage for the approximately 20,000 people "
        "who were held beyond their release date. More immigrants have been deported through his jail than "
        "through Sheriff Arpaio\u2019s jail in Arizona. And he owes an apology to the state of California.",
    ),
    (
        NEWMAN,
        NEWMAN_ROLE,
        7,
        "His belligerent and clearly misguided opposition to the TRUSTAct undermined what was otherwise a "
        "statewide consensus. At this point, only a bright line statewide policy can undo the damage he has "
        "caused",
    ),
]


def make_document(body: str, title: str = "Made up") -> Document:
    """A document from a body of paragraphs separated by blank lines."""
    document, problems = parse_document(f"---\ntitle: {title}\n---\n\n{body}\n".encode(), "made-up.md")
    assert document is not None, problems
    return document


def quotes_of(body: str) -> list[tuple[str | None, str | None, int, str]]:
    return [(q.speaker, q.role, q.paragraph, q.text) for q in document_quotes(make_document(body))]


@pytest.fixture(scope="module")
def article() -> Document:
    document, problems = parse_document(ARTICLE.read_bytes(), str(ARTICLE), doc_id="article")
    assert document is not None, problems
    return document


@pytest.fixture(scope="module")
def index(article: Document) -> QuoteIndex:
    return QuoteIndex([article])


# The seed article


def test_article_quotes_exactly(index: QuoteIndex) -> None:
    assert [(q.speaker, q.role, q.paragraph, q.text) for q in index.quotes] == EXPECTED


def test_newman_three_times_harris_once(index: QuoteIndex) -> None:
    assert index.speakers() == [Speaker(NEWMAN, NEWMAN_ROLE, 3), Speaker(HARRIS, HARRIS_ROLE, 1)]


def test_paraphrase_is_not_a_quotation(index: QuoteIndex) -> None:
    # "A Baca spokesman said the change was prompted by ..." has no quotation marks.
    assert all("prompted" not in q.text for q in index.quotes)
    assert {q.paragraph for q in index.quotes} == {4, 6, 7}


def test_quotes_cite_like_passages(index: QuoteIndex, article: Document) -> None:
    for quote in index.quotes:
        assert quote.citation == citation_for(article, quote.paragraph)
        assert str(quote.citation) == f"{TITLE}, paragraph {quote.paragraph} (Colorlines)"
    assert [q.quote_id for q in index.quotes] == ["article:q1", "article:q2", "article:q3", "article:q4"]


def test_to_json_contract(index: QuoteIndex) -> None:
    first = index.quotes[0].to_json()
    assert {k: first[k] for k in ("speaker", "role", "text", "citation", "document", "paragraph")} == {
        "speaker": HARRIS,
        "role": HARRIS_ROLE,
        "text": EXPECTED[0][3],
        "citation": f"{TITLE}, paragraph 4 (Colorlines)",
        "document": TITLE,
        "paragraph": 4,
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("newman", NEWMAN),
        ("Chris Newman", NEWMAN),
        ("NEWMAN", NEWMAN),
        ("Newman's", NEWMAN),
        ("chris", NEWMAN),
        ("newmann", NEWMAN),
        ("harris", HARRIS),
        ("Kamala Harris", HARRIS),
        ("Harris said", HARRIS),
        ("what did harris say?", HARRIS),
        ("kam", HARRIS),
        ("the attorney general", HARRIS),
        ("Baca", None),
        ("smith", None),
        ("", None),
    ],
)
def test_match_speaker_forgives_how_names_are_typed(
    index: QuoteIndex, typed: str, expected: str | None
) -> None:
    assert index.match_speaker(typed) == expected


def test_find_by_speaker_in_document_order(index: QuoteIndex) -> None:
    lookup = index.find(speaker="newman")
    assert lookup.speaker == Speaker(NEWMAN, NEWMAN_ROLE, 3)
    assert lookup.unknown_speaker is None
    assert [q.text for q in lookup.quotes] == [e[3] for e in EXPECTED[1:]]
    assert [q.text for q in index.find(speaker="Harris said").quotes] == [EXPECTED[0][3]]


def test_unknown_speaker_gets_the_known_speakers(index: QuoteIndex) -> None:
    lookup = index.find(speaker="Lee Baca")
    assert lookup.quotes == ()
    assert lookup.unknown_speaker == "Lee Baca"
    assert not lookup.ambiguous
    assert [s.name for s in lookup.speakers] == [NEWMAN, HARRIS]


def test_word_search_is_ranked_by_bm25(index: QuoteIndex) -> None:
    apology = index.find(words="apology letter").quotes
    # Both words in the first; only "apology" in the second.
    assert [q.text for q in apology] == [EXPECTED[1][3], EXPECTED[2][3]]
    assert [q.text for q in index.find(words="bright line").quotes] == [EXPECTED[3][3]]
    assert [q.text for q in index.find(words="public safety").quotes] == [EXPECTED[0][3]]
    assert index.find(words="basketball").quotes == ()


def test_speaker_and_words_together(index: QuoteIndex) -> None:
    assert [q.paragraph for q in index.find(speaker="Chris Newman", words="apology").quotes] == [6, 6]
    harris = index.find(speaker="harris", words="apology")
    assert harris.quotes == ()
    assert harris.speaker is not None and harris.speaker.name == HARRIS


def test_terms_a_question_was_read_as_rank_like_words(index: QuoteIndex) -> None:
    # "opposed" read as the article's "opposition" (a moderator's synonym) finds that quotation.
    assert [q.paragraph for q in index.find(speaker="newman", terms=["opposit"]).quotes] == [7]
    assert index.find(speaker="newman", terms=["basketbal"]).quotes == ()
    assert index.find(speaker="newman", terms=[]).quotes == ()


def test_neither_gives_every_quote_in_document_order(index: QuoteIndex) -> None:
    assert index.find().quotes == index.quotes
    assert [q.text for q in index.find(limit=2).quotes] == [EXPECTED[0][3], EXPECTED[1][3]]


@pytest.mark.parametrize("words", ["the", "???", "🤔", "of the and"])
def test_words_that_leave_no_searchable_token_match_nothing(index: QuoteIndex, words: str) -> None:
    assert index.find(words=words).quotes == ()
    assert index.find(speaker="newman", words=words).quotes == ()


def test_suggest_speakers_for_autocomplete(index: QuoteIndex) -> None:
    assert [s.name for s in index.suggest_speakers("")] == [NEWMAN, HARRIS]
    assert [s.name for s in index.suggest_speakers("new")] == [NEWMAN]
    assert [s.name for s in index.suggest_speakers("KAM")] == [HARRIS]
    assert [s.name for s in index.suggest_speakers("arri")] == [HARRIS]
    assert [s.name for s in index.suggest_speakers("chris n")] == [NEWMAN]
    assert index.suggest_speakers("zz") == []
    assert len(index.suggest_speakers("", limit=1)) == 1


def test_article_has_no_quote_problems(article: Document) -> None:
    assert quote_problems([article]) == []


def test_one_load_two_indexes(tmp_path: Path) -> None:
    shutil.copy(ARTICLE, tmp_path / ARTICLE.name)
    knowledge_base = KnowledgeBase(load_directory(tmp_path).documents)
    index = QuoteIndex(knowledge_base.documents)
    assert [q.text for q in index.quotes] == [e[3] for e in EXPECTED]


# Made-up documents


def test_nested_single_quotes_stay_in_the_text() -> None:
    body = "\"He told me 'never again' and walked out,\" said Jane Doe, the mayor of Springfield."
    assert quotes_of(body) == [
        ("Jane Doe", "mayor of Springfield", 1, "He told me 'never again' and walked out")
    ]


def test_curly_quotes_with_apostrophes_and_nested_quotes() -> None:
    body = (
        "\u201cIt\u2019s a \u2018disaster\u2019 for us,\u201d according to Jane Doe, a lawyer for the family."
    )
    assert quotes_of(body) == [
        ("Jane Doe", "lawyer for the family", 1, "It\u2019s a \u2018disaster\u2019 for us")
    ]


def test_quotation_spanning_two_paragraphs() -> None:
    body = (
        "Jane Doe, the mayor of Springfield, said the plan was ready. "
        '"We have worked on this for two years.\n\n'
        '"Now it is time to build," she said.\n\n'
        "The council meets on Monday."
    )
    assert quotes_of(body) == [
        (
            "Jane Doe",
            "mayor of Springfield",
            1,
            "We have worked on this for two years. Now it is time to build",
        )
    ]
    assert quote_problems([make_document(body)]) == []


def test_two_speakers_in_one_paragraph() -> None:
    body = (
        '"We will appeal the ruling," Mayor Jane Doe said. "There is nothing to appeal," replied '
        "Councilman John Roe, who chairs the committee."
    )
    assert quotes_of(body) == [
        ("Jane Doe", "Mayor", 1, "We will appeal the ruling"),
        ("John Roe", "Councilman", 1, "There is nothing to appeal"),
    ]


@pytest.mark.parametrize(
    ("body", "speaker", "role"),
    [
        (
            '"We will sue," Maria Lopez Policy Director at the Immigrant Rights Coalition told reporters.',
            "Maria Lopez",
            "Policy Director at the Immigrant Rights Coalition",
        ),
        (
            '"No comment," Jane Doe Communications Director at City Hall said.',
            "Jane Doe",
            "Communications Director at City Hall",
        ),
        (
            '"We are ahead," said Tom Reed Campaign Manager for Smith for Senate.',
            "Tom Reed",
            "Campaign Manager for Smith for Senate",
        ),
        (
            '"The grant is renewed," John Q. Public Program Officer at the Ford Foundation wrote.',
            "John Q. Public",
            "Program Officer at the Ford Foundation",
        ),
        (
            '"Talks resume Monday," Ana de la Cruz Senior Field Organizer for the Teachers Union said.',
            "Ana de la Cruz",
            "Senior Field Organizer for the Teachers Union",
        ),
        (
            '"It is done," Lopez Policy Director at the Coalition said.',
            "Lopez",
            "Policy Director at the Coalition",
        ),
        (
            '"It is done," Maria Lopez, Policy Director at the Coalition, said.',
            "Maria Lopez",
            "Policy Director at the Coalition",
        ),
        (
            '"Next year," Public Relations Manager Sam Park said.',
            "Sam Park",
            "Public Relations Manager",
        ),
    ],
)
def test_a_role_after_a_name_is_split_off_whatever_its_words(body: str, speaker: str, role: str) -> None:
    assert [(q[0], q[1]) for q in quotes_of(body)] == [(speaker, role)]


def test_quotation_split_by_an_attribution_has_one_speaker() -> None:
    body = '"We lost," Jane Doe told reporters. "We will be back next year."'
    assert [q[0] for q in quotes_of(body)] == ["Jane Doe", "Jane Doe"]


def test_bare_surname_becomes_the_full_name_given_earlier() -> None:
    body = 'Springfield Mayor Jane Doe spoke on Monday.\n\n"We are ready," Doe said.'
    assert quotes_of(body) == [("Jane Doe", "Springfield Mayor", 2, "We are ready")]


def test_no_speaker_is_guessed() -> None:
    body = (
        '"We won," he said.\n\n'
        'A spokesman said the result was "final."\n\n'
        'Jane Doe met John Doe. "Maybe," Doe said.\n\n'
        'The report called the decision "a mistake."'
    )
    assert quotes_of(body) == [
        (None, None, 1, "We won"),
        (None, None, 2, "final."),
        ("Doe", None, 3, "Maybe"),
        (None, None, 4, "a mistake."),
    ]


def test_unclosed_quotation_is_a_warning_not_a_quote() -> None:
    document = make_document('"This never closes, Jane Doe said.\n\nThe next paragraph.')
    assert document_quotes(document) == []
    problems = quote_problems([document])
    assert [(p.path, p.line, p.severity) for p in problems] == [("made-up.md", 5, "warning")]
    assert "never closed" in problems[0].message


def test_stray_closing_mark_is_a_warning() -> None:
    problems = quote_problems([make_document("It was over\u201d, she said.")])
    assert [p.severity for p in problems] == ["warning"]
    assert "no opening" in problems[0].message


def test_check_reports_unclosed_quotation_as_a_warning(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(
        '---\ntitle: "Unclosed"\n---\n\nA first paragraph.\n\n"This never closes, Jane Doe said.\n',
        encoding="utf-8",
    )
    out = StringIO()
    assert main(["check", "--knowledge", str(tmp_path)], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{tmp_path / 'bad.md'}:7: warning: quotation mark opened in paragraph 2")
    assert lines[-1].endswith(", 0 errors, 1 warning")


def test_index_without_quotations() -> None:
    index = QuoteIndex([make_document("Nothing is quoted here.")])
    assert index.quotes == ()
    assert index.speakers() == []
    assert index.find(words="anything").quotes == ()
    lookup = index.find(speaker="anyone")
    assert lookup.unknown_speaker == "anyone" and lookup.speakers == ()


def test_ambiguous_speaker_lists_the_candidates() -> None:
    body = '"Yes," said Jane Doe.\n\n"No," said John Doe.'
    index = QuoteIndex([make_document(body)])
    lookup = index.find(speaker="doe")
    assert lookup.ambiguous and lookup.quotes == ()
    assert sorted(s.name for s in lookup.speakers) == ["Jane Doe", "John Doe"]
    assert index.match_speaker("doe") is None
    assert index.match_speaker("john") == "John Doe"


def test_a_listed_name_always_finds_its_speaker() -> None:
    # "Will" is a stop word; the autocomplete offers the name as listed, which must still work.
    index = QuoteIndex([make_document('"Yes," said Will.\n\n"No," said Jane Doe.')])
    assert [(s.name, s.count) for s in index.speakers()] == [("Jane Doe", 1), ("Will", 1)]
    assert [q.text for q in index.find(speaker="Will").quotes] == ["Yes"]
    assert index.match_speaker("WILL") == "Will"


def test_speakers_across_documents(article: Document) -> None:
    other = make_document('"The ruling stands," Judge Ann Lee said.', title="Another story")
    index = QuoteIndex([article, other])
    assert [(s.name, s.count) for s in index.speakers()] == [(NEWMAN, 3), ("Ann Lee", 1), (HARRIS, 1)]
    quote = index.find(speaker="ann lee").quotes[0]
    assert (quote.role, quote.citation.document, quote.quote_id) == ("Judge", "Another story", "made-up:q1")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="ab C.,;'\"\u201c\u201d\u2018\u2019 \n", max_size=60), min_size=1, max_size=4)
)
def test_any_text_is_read_without_crashing(paragraphs: list[str]) -> None:
    body = "\n\n".join(p.replace("\n", " ").strip() or "x" for p in paragraphs)
    document = make_document(body)
    quotes: list[Quote] = document_quotes(document)
    numbers = {p.number for p in document.paragraphs}
    assert all(q.text and q.paragraph in numbers for q in quotes)
    assert all(p.severity == "warning" for p in quote_problems([document]))
    index = QuoteIndex([document])
    # Found quotations share a search token with the words ("a.b" is the initialism "ab").
    assert all("ab" in tokenize(q.text) for q in index.find(words="ab").quotes)
