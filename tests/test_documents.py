"""Loading the knowledge directory: good files load, each bad file is reported as ``file:line: what``.

A bad file never takes the good ones down: ``load_directory`` returns the documents that loaded
together with every problem, and the caller decides whether to refuse the set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from samples import forbid_listing

from bot.retrieval.documents import KnowledgeError, LoadReport, load_directory, parse_document
from bot.retrieval.knowledge_base import KnowledgeBase

REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"

GOOD = """---
title: City Council Passes Budget
author: Ana Reporter
published: 2020-03-04
source: Example News
url: https://example.com/budget
summary: The council passed the budget.
---

The city council passed the budget on Tuesday.

The mayor said the vote
was close.
"""


def write(directory: Path, name: str, content: str | bytes) -> Path:
    """Write one knowledge file (creating folders) and return its path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def titles(report: LoadReport) -> list[str]:
    return [document.title for document in report.documents]


def test_bundled_article_loads_with_its_metadata_and_ten_paragraphs() -> None:
    report = load_directory(KNOWLEDGE_DIR)

    assert report.ok
    assert report.problems == ()
    (article,) = report.documents
    assert article.doc_id == "la-sheriff-immigration-holds"
    assert article.title == "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"
    assert article.author == "Jorge Rivas"
    assert article.published == dt.date(2012, 12, 5)
    assert article.source == "Colorlines"
    assert article.byline == "By Jorge Rivas Dec 05, 2012 · Colorlines"
    assert [p.number for p in article.paragraphs] == list(range(1, 11))
    assert article.paragraphs[0].text.startswith("Los Angeles County Sheriff Lee Baca said Wednesday")
    assert article.paragraphs[0].line == 9
    assert article.paragraphs[-1].text == "A new version of the TRUST Act was introduced on Monday."


def test_front_matter_fields_are_read_and_paragraph_lines_are_joined(tmp_path: Path) -> None:
    path = write(tmp_path, "budget.md", GOOD)

    report = load_directory(tmp_path)

    assert report.ok
    (document,) = report.documents
    assert document.doc_id == "budget"
    assert document.path == str(path)
    assert document.title == "City Council Passes Budget"
    assert document.author == "Ana Reporter"
    assert document.published == dt.date(2020, 3, 4)
    assert document.source == "Example News"
    assert document.url == "https://example.com/budget"
    assert document.summary == "The council passed the budget."
    assert [(p.number, p.text, p.line) for p in document.paragraphs] == [
        (1, "The city council passed the budget on Tuesday.", 10),
        (2, "The mayor said the vote was close.", 12),
    ]


def test_file_without_front_matter_takes_its_title_from_the_first_heading(tmp_path: Path) -> None:
    write(tmp_path, "notes.md", "# Harbour Festival Returns\n\nFireworks start at nine.\n\nEntry is free.\n")

    (document,) = load_directory(tmp_path).documents

    assert document.title == "Harbour Festival Returns"
    assert [p.text for p in document.paragraphs] == ["Fireworks start at nine.", "Entry is free."]


def test_plain_text_file_takes_its_title_from_the_first_line(tmp_path: Path) -> None:
    write(tmp_path, "festival.txt", "Harbour Festival Returns\n\nFireworks start at nine.\n")

    report = load_directory(tmp_path)

    assert report.ok
    (document,) = report.documents
    assert document.title == "Harbour Festival Returns"
    assert [p.text for p in document.paragraphs] == ["Fireworks start at nine."]


def test_title_is_only_the_first_line_when_the_body_follows_without_a_blank_line(tmp_path: Path) -> None:
    write(tmp_path, "festival.txt", "Harbour Festival Returns\nFireworks start at nine.\n\nEntry is free.\n")

    (document,) = load_directory(tmp_path).documents

    assert document.title == "Harbour Festival Returns"


def test_markdown_and_text_files_load_side_by_side(tmp_path: Path) -> None:
    write(tmp_path, "budget.md", GOOD)
    write(tmp_path, "festival.txt", "Harbour Festival Returns\n\nFireworks start at nine.\n")
    write(tmp_path, "shouting.MD", "---\ntitle: Upper Case Suffix\n---\n\nStill a knowledge file.\n")

    report = load_directory(tmp_path)

    assert report.ok
    assert sorted(titles(report)) == [
        "City Council Passes Budget",
        "Harbour Festival Returns",
        "Upper Case Suffix",
    ]


def test_hidden_files_the_trash_folder_and_other_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "budget.md", GOOD)
    write(tmp_path, ".draft.md", "---\ntitle: Hidden Draft\n---\n\nNot ready.\n")
    write(tmp_path, ".trash/old.md", "---\ntitle: Deleted Story\n---\n\nRemoved by a moderator.\n")
    write(tmp_path, ".trash/broken.md", b"\xff\xfe not even text")
    write(tmp_path, "notes.pdf", b"%PDF-1.4 binary")

    report = load_directory(tmp_path)

    assert report.problems == ()
    assert titles(report) == ["City Council Passes Budget"]


def test_articles_in_subfolders_are_read_with_their_path_in_the_folder(tmp_path: Path) -> None:
    write(tmp_path, "budget.md", GOOD)
    write(tmp_path, "2012/dec/story.md", "# December Story\n\nIn December.\n")
    write(tmp_path, "2013/story.md", "# Another Story\n\nIn 2013.\n")
    write(tmp_path, "2012/.drafts/draft.md", "# Draft\n\nNot ready.\n")
    write(tmp_path, ".trash/2012/old.md", "# Old\n\nRemoved.\n")

    report = load_directory(tmp_path)

    assert report.problems == ()
    by_name = {document.name: document for document in report.documents}
    assert sorted(by_name) == ["2012/dec/story.md", "2013/story.md", "budget.md"]
    assert [by_name[n].doc_id for n in sorted(by_name)] == ["2012-dec-story", "2013-story", "budget"]
    assert set(report.fingerprints) == set(by_name)
    assert by_name["2012/dec/story.md"].path == str(tmp_path / "2012" / "dec" / "story.md")


def test_a_bad_file_in_a_subfolder_is_reported_with_its_path(tmp_path: Path) -> None:
    write(tmp_path, "budget.md", GOOD)
    bad = write(tmp_path, "2012/bad.md", b"caf\xe9\n")

    report = load_directory(tmp_path)

    assert [str(p) for p in report.problems] == [f"{bad}:1: not UTF-8 (byte 0xe9)"]
    assert titles(report) == ["City Council Passes Budget"]


def test_a_folder_that_cannot_be_listed_is_a_problem_not_an_exception(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "budget.md", GOOD)
    locked = tmp_path / "private"
    write(tmp_path, "private/secret.md", GOOD.replace("Budget", "Secret"))
    forbid_listing(monkeypatch, locked)

    report = load_directory(tmp_path)

    assert [str(p) for p in report.problems] == [f"{locked}:0: could not read the folder: Permission denied"]
    assert titles(report) == ["City Council Passes Budget"]


BAD_FILES = [
    pytest.param("---\ntitle: [unclosed\n---\n\nBody.\n", 2, "bad front matter", id="yaml-syntax"),
    pytest.param("---\ntitle: Fine\nauthor: x: y\n---\n\nBody.\n", 3, "bad front matter", id="yaml-line-3"),
    pytest.param("---\n- a\n- b\n---\n\nBody.\n", 2, "expected 'key: value' lines", id="yaml-list"),
    pytest.param("---\ntitle: Never Closed\n\nBody.\n", 1, "never closed", id="unclosed-front-matter"),
    pytest.param(b"First line\nSecond line\ncaf\xe9\n", 3, "not UTF-8 (byte 0xe9)", id="latin-1"),
    pytest.param("---\ntitle: Nothing Here\n---\n\n\n", 4, "empty body", id="empty-body"),
    pytest.param("", 1, "empty body", id="empty-file"),
    pytest.param(
        "---\ntitle: X\npublished: yesterday\n---\n\nB.\n", 3, "published must be a date", id="date"
    ),
    pytest.param("---\ntitle: X\nurl: ftp://x\n---\n\nB.\n", 3, "url must start with http", id="url"),
    pytest.param('---\ntitle: ""\n---\n\nBody.\n', 2, "title is empty", id="empty-title"),
    pytest.param("---\ntitle:\n---\n\nBody.\n", 2, "title is empty", id="title-left-empty"),
    pytest.param(
        "---\nauthor: A\ntitle:   \n---\n\nFirst.\n\nSecond.\n", 3, "title is empty", id="title-blank"
    ),
    pytest.param("---\ntitle: [a, b]\n---\n\nBody.\n", 2, "title must be text", id="list-title"),
    pytest.param(
        "---\ntitle: " + "word " * 100 + "\n---\n\nBody.\n", 2, "title is too long (499 characters", id="long"
    ),
    pytest.param("word " * 1_000_001, 0, "file is too large (5,000,005 bytes; at most 5,000,000)", id="huge"),
    pytest.param("\n" + "word " * 100 + "\n\nBody.\n", 2, "title is too long", id="long-first-line"),
    pytest.param(
        "---\ntitle: X\nsummary: " + "s" * 2001 + "\n---\n\nB.\n", 3, "summary is too long", id="summary"
    ),
]


@pytest.mark.parametrize(("content", "line", "message"), BAD_FILES)
def test_bad_file_is_reported_as_file_line_and_good_files_still_load(
    tmp_path: Path, content: str | bytes, line: int, message: str
) -> None:
    bad = write(tmp_path, "bad.md", content)
    write(tmp_path, "budget.md", GOOD)

    report = load_directory(tmp_path)

    assert not report.ok
    assert titles(report) == ["City Council Passes Budget"]
    (problem,) = report.errors
    assert str(problem).startswith(f"{bad}:{line}: ")
    assert message in str(problem)


def test_every_bad_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    first = write(tmp_path, "a.md", "---\ntitle: [unclosed\n---\n\nBody.\n")
    second = write(tmp_path, "b.md", b"caf\xe9\n")
    write(tmp_path, "c.md", GOOD)

    report = load_directory(tmp_path)

    assert sorted(p.path for p in report.errors) == [str(first), str(second)]
    assert titles(report) == ["City Council Passes Budget"]


def test_duplicate_titles_are_reported_whatever_their_case(tmp_path: Path) -> None:
    first = write(tmp_path, "a.md", "---\ntitle: Budget Vote\n---\n\nOne.\n")
    second = write(tmp_path, "b.md", "---\ntitle: BUDGET VOTE\n---\n\nTwo.\n")

    report = load_directory(tmp_path)

    assert not report.ok
    (problem,) = report.errors
    assert str(problem).startswith(f"{second}:1: duplicate title")
    assert str(first) in problem.message


def test_unknown_front_matter_key_is_a_warning_that_does_not_stop_loading(tmp_path: Path) -> None:
    path = write(tmp_path, "budget.md", "---\ntitle: Budget\ncolour: red\n---\n\nBody.\n")

    report = load_directory(tmp_path)

    assert report.ok
    assert titles(report) == ["Budget"]
    (warning,) = report.warnings
    assert str(warning).startswith(f"{path}:3: warning: unknown front matter key 'colour'")


def test_missing_directory_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    report = load_directory(tmp_path / "nowhere")

    assert not report.ok
    assert [p.message for p in report.problems] == ["knowledge directory not found"]


def test_directory_without_knowledge_files_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "readme.rst", "Not a knowledge file.\n")

    report = load_directory(tmp_path)

    assert not report.ok
    assert "no .md or .txt files" in str(report.problems[0])


def test_windows_line_endings_and_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    text = "\ufeff---\r\ntitle: Windows File\r\n---\r\n\r\nFirst line\r\nsame paragraph.\r\n\r\nSecond.\r\n"
    write(tmp_path, "windows.md", text.encode("utf-8"))

    report = load_directory(tmp_path)

    assert report.ok
    (document,) = report.documents
    assert document.title == "Windows File"
    assert [p.text for p in document.paragraphs] == ["First line same paragraph.", "Second."]


def test_section_headings_in_the_body_are_not_counted_as_paragraphs(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: Sections\n---\n\n# Part one\n\nAlpha.\n\n## Part two\n\nBravo.\n")

    (document,) = load_directory(tmp_path).documents

    assert [(p.number, p.text) for p in document.paragraphs] == [(1, "Alpha."), (2, "Bravo.")]


def test_document_id_is_a_slug_of_the_file_name(tmp_path: Path) -> None:
    write(tmp_path, "My Story (Final) 2012.md", "---\ntitle: A Story\n---\n\nBody.\n")

    (document,) = load_directory(tmp_path).documents

    assert document.doc_id == "my-story-final-2012"


def test_parse_document_returns_no_document_and_the_problem_for_bad_bytes() -> None:
    document, problems = parse_document(b"ok\n\xff\n", "upload.md")

    assert document is None
    assert [str(p) for p in problems] == ["upload.md:2: not UTF-8 (byte 0xff)"]


def test_knowledge_base_refuses_a_broken_directory_listing_every_error(tmp_path: Path) -> None:
    write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "bad.md", "---\ntitle: [unclosed\n---\n\nBody.\n")

    with pytest.raises(KnowledgeError) as raised:
        KnowledgeBase.from_directory(tmp_path)

    assert str(raised.value).startswith(f"{bad}:2: bad front matter")
    assert [p.path for p in raised.value.problems] == [str(bad)]


def test_impossible_date_is_reported_and_does_not_take_good_files_down(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.md", "---\ntitle: Bad Date\npublished: 2012-13-45\n---\n\nBody.\n")
    write(tmp_path, "budget.md", GOOD)

    report = load_directory(tmp_path)

    assert titles(report) == ["City Council Passes Budget"]
    assert [p.path for p in report.errors] == [str(bad)]


def test_files_differing_only_in_suffix_get_distinct_ids_or_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "story.md", "---\ntitle: First Story\n---\n\nAlpha bravo.\n")
    write(tmp_path, "story.txt", "---\ntitle: Second Story\n---\n\nCharlie delta.\n")

    report = load_directory(tmp_path)

    ids = [document.doc_id for document in report.documents]
    assert len(set(ids)) == len(ids) or report.errors
