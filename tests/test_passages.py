"""Cutting documents into cited passages: one per paragraph, plus the headline and the byline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.documents import Document, load_directory, parse_document
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.passages import MAX_PASSAGE_WORDS, Passage, build_passages, document_passages
from bot.retrieval.text import tokenize

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTICLE_PATH = REPO_ROOT / "knowledge" / "la-sheriff-immigration-holds.md"
ARTICLE_ID = "la-sheriff-immigration-holds"
ARTICLE_TITLE = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"


def parse(text: str, name: str = "council.md") -> Document:
    document, problems = parse_document(text.encode("utf-8"), name)
    assert document is not None, problems
    return document


def long_paragraph(sentences: int, words_each: int = 30) -> str:
    """A paragraph of numbered sentences, each ``words_each`` words long and easy to tell apart."""
    return " ".join(
        f"Speaker {number} told the council " + " ".join(["budget"] * (words_each - 6)) + f" item{number}."
        for number in range(1, sentences + 1)
    )


@pytest.fixture(scope="module")
def article() -> Document:
    (document,) = load_directory(ARTICLE_PATH.parent).documents
    return document


@pytest.fixture(scope="module")
def passages(article: Document) -> list[Passage]:
    return document_passages(article)


def by_id(passages: list[Passage], passage_id: str) -> Passage:
    return next(p for p in passages if p.passage_id == passage_id)


def test_article_gives_headline_byline_then_one_passage_per_paragraph(passages: list[Passage]) -> None:
    assert [p.passage_id for p in passages] == [
        f"{ARTICLE_ID}:headline",
        f"{ARTICLE_ID}:byline",
        *(f"{ARTICLE_ID}:p{n}" for n in range(1, 11)),
    ]
    assert [p.paragraph for p in passages] == [0, 0, *range(1, 11)]


def test_passage_ids_are_stable_between_builds(article: Document) -> None:
    first = [p.passage_id for p in build_passages([article])]
    second = [p.passage_id for p in build_passages([article])]

    assert first == second


def test_paragraph_passages_are_word_for_word_the_article(article: Document, passages: list[Passage]) -> None:
    raw = ARTICLE_PATH.read_text(encoding="utf-8")
    body = [p for p in passages if p.paragraph > 0]

    assert [p.text for p in body] == [paragraph.text for paragraph in article.paragraphs]
    for passage in body:
        assert passage.text in raw
        assert passage.search_text == passage.text


def test_paragraph_four_is_the_harris_quote(passages: list[Passage]) -> None:
    passage = by_id(passages, f"{ARTICLE_ID}:p4")

    assert passage.text.startswith("California Attorney General Kamala Harris said Tuesday")
    assert len(passage.sentences) == 2
    assert passage.sentences[1].startswith('"In the interest of public safety')


def test_headline_passage_shows_title_and_summary(article: Document, passages: list[Passage]) -> None:
    headline = by_id(passages, f"{ARTICLE_ID}:headline")

    assert headline.paragraph == 0
    assert headline.text == f"{ARTICLE_TITLE}\n{article.summary}"
    assert headline.sentences == (ARTICLE_TITLE, article.summary)


def test_byline_passage_shows_the_byline_as_printed_and_indexes_its_fields(passages: list[Passage]) -> None:
    byline = by_id(passages, f"{ARTICLE_ID}:byline")

    assert byline.paragraph == 0
    assert byline.text == "By Jorge Rivas Dec 05, 2012 · Colorlines"
    for label in ("Author", "written by Jorge Rivas", "Published", "December 5, 2012", "Colorlines"):
        assert label in byline.search_text


def test_document_without_metadata_has_a_headline_but_no_byline() -> None:
    document = parse("---\ntitle: Plain Story\n---\n\nOnly a paragraph.\n")

    passages = document_passages(document)

    assert [p.passage_id for p in passages] == ["council:headline", "council:p1"]
    assert passages[0].text == "Plain Story"


def test_citation_names_the_document_title_paragraph_and_source(passages: list[Passage]) -> None:
    citation = by_id(passages, f"{ARTICLE_ID}:p4").citation

    assert str(citation) == f"{ARTICLE_TITLE}, paragraph 4 (Colorlines)"
    assert citation.document == ARTICLE_TITLE
    assert citation.paragraph == 4
    assert citation.published == "December 5, 2012"


def test_header_passages_are_cited_as_headline_and_byline(passages: list[Passage]) -> None:
    for passage in passages[:2]:
        assert str(passage.citation) == f"{ARTICLE_TITLE}, headline and byline (Colorlines)"


def test_citation_ends_with_the_url_when_the_document_has_one() -> None:
    document = parse("---\ntitle: Budget\nurl: https://example.com/budget\n---\n\nThe vote was close.\n")

    (citation,) = {p.citation for p in document_passages(document) if p.paragraph == 1}

    assert str(citation) == "Budget, paragraph 1 https://example.com/budget"


def test_long_paragraph_is_split_on_sentence_boundaries_citing_the_same_paragraph() -> None:
    paragraph = long_paragraph(sentences=12)
    assert len(paragraph.split()) > MAX_PASSAGE_WORDS
    document = parse(f"---\ntitle: Council Minutes\n---\n\n{paragraph}\n\nA short closing paragraph.\n")

    body = [p for p in document_passages(document) if p.paragraph > 0]
    parts = [p for p in body if p.paragraph == 1]

    assert len(parts) >= 2
    assert [p.passage_id for p in parts] == [f"council:p1.{n}" for n in range(1, len(parts) + 1)]
    assert " ".join(p.text for p in parts) == paragraph
    for part in parts:
        assert part.text.startswith("Speaker ")
        assert part.text.endswith(".")
        assert len(part.text.split()) <= MAX_PASSAGE_WORDS
        assert str(part.citation) == "Council Minutes, paragraph 1"
    assert body[-1].passage_id == "council:p2"


def test_paragraph_at_the_word_limit_stays_whole() -> None:
    paragraph = long_paragraph(sentences=MAX_PASSAGE_WORDS // 30)
    assert len(paragraph.split()) == MAX_PASSAGE_WORDS
    document = parse(f"---\ntitle: Council Minutes\n---\n\n{paragraph}\n")

    body = [p for p in document_passages(document) if p.paragraph > 0]

    assert [p.passage_id for p in body] == ["council:p1"]
    assert body[0].text == paragraph


def test_one_endless_sentence_is_cut_between_words_into_bounded_passages() -> None:
    paragraph = "The council " + " ".join(["argued"] * (MAX_PASSAGE_WORDS + 50)) + "."
    document = parse(f"---\ntitle: Council Minutes\n---\n\n{paragraph}\n")

    body = [p for p in document_passages(document) if p.paragraph > 0]

    assert len(body) == 2
    assert " ".join(p.text for p in body) == paragraph
    assert all(len(p.text.split()) <= MAX_PASSAGE_WORDS for p in body)
    assert {str(p.citation) for p in body} == {"Council Minutes, paragraph 1"}


def test_a_megabyte_paragraph_without_punctuation_becomes_many_short_passages() -> None:
    paragraph = "sheriff lawsuit " * 60_000
    document = parse(f"---\ntitle: Repeated\n---\n\n{paragraph}\n")

    body = [p for p in document_passages(document) if p.paragraph > 0]

    assert len(body) > 300
    assert max(len(p.text.split()) for p in body) <= 2 * MAX_PASSAGE_WORDS
    assert " ".join(p.text for p in body) == paragraph.strip()


def test_long_paragraph_of_real_sentences_is_cut_on_sentence_ends_across_split_blocks() -> None:
    sentence = "The council argued about the budget for the new library branch downtown again."
    paragraph = " ".join([sentence] * 2_000)  # about 160,000 characters: several split blocks
    document = parse(f"---\ntitle: Minutes\n---\n\n{paragraph}\n")

    body = [p for p in document_passages(document) if p.paragraph > 0]

    assert all(p.text.startswith("The council") and p.text.endswith("again.") for p in body)
    assert max(len(p.text.split()) for p in body) <= MAX_PASSAGE_WORDS
    assert " ".join(p.text for p in body) == paragraph


def test_smaller_word_limit_cuts_into_more_parts_that_keep_every_sentence() -> None:
    paragraph = long_paragraph(sentences=6, words_each=10)
    document = parse(f"---\ntitle: Council Minutes\n---\n\n{paragraph}\n")

    parts = [p for p in document_passages(document, max_words=20) if p.paragraph == 1]

    assert len(parts) == 3
    assert [s for p in parts for s in p.sentences] == [f"{s}." for s in paragraph[:-1].split(". ")]


def test_a_word_only_in_the_second_part_of_a_long_paragraph_finds_that_part() -> None:
    document = parse(f"---\ntitle: Council Minutes\n---\n\n{long_paragraph(sentences=12)}\n")
    knowledge_base = KnowledgeBase([document])

    result = knowledge_base.search("what about item12", k=1)

    (hit,) = result.hits
    assert hit.passage.passage_id.startswith("council:p1.")
    assert hit.passage.passage_id != "council:p1.1"
    assert hit.passage.paragraph == 1
    assert hit.best_sentence.endswith("item12.")


def test_sentence_terms_pair_each_shown_sentence_with_the_terms_of_its_indexed_text(
    passages: list[Passage],
) -> None:
    for passage in passages:
        assert passage.sentence_terms == tuple(
            (shown, frozenset(tokenize(indexed))) for shown, indexed in passage.searchable_sentences
        )
