"""Formatting for Discord, without a network: what the embeds say and that they fit Discord's limits."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.replies.embeds import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    NOT_COVERED,
    TITLE_LIMIT,
    answer_embed,
    citation_line,
    clip,
    documents_embed,
    escape,
    no_answer_embed,
    page_count,
    plain_message,
    quotes_embed,
    refresh_embed,
    status_embed,
)
from bot.retrieval.documents import Document, Paragraph
from bot.retrieval.knowledge_base import Hit, SearchResult
from bot.retrieval.live import RefreshOutcome, build_snapshot
from bot.retrieval.passages import Citation, Passage
from bot.retrieval.problems import Problem
from bot.retrieval.quotes import Quote, QuoteIndex, QuoteLookup, Speaker

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
ARTICLE_TITLE = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"
URL = "https://example.org/story"
NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


def citation(
    title: str = "The Story", paragraph: int = 3, url: str | None = URL, source: str | None = "Gazette"
):
    return Citation(document=title, paragraph=paragraph, url=url, source=source, published="May 1, 2024")


def hit(
    text: str,
    best: str,
    *,
    paragraph: int = 3,
    title: str = "The Story",
    url: str | None = URL,
    source: str | None = "Gazette",
) -> Hit:
    passage = Passage(
        passage_id=f"story:{paragraph}",
        doc_id="story",
        paragraph=paragraph,
        text=text,
        citation=citation(title, paragraph, url, source),
        search_text=text,
    )
    return Hit(passage=passage, score=1.0, relevance=1.0, best_sentence=best)


def result(question: str, *hits: Hit) -> SearchResult:
    return SearchResult(question=question, answered=bool(hits), hits=hits, elapsed_ms=1.0)


def document(**fields: object) -> Document:
    defaults: dict[str, object] = {
        "doc_id": "story",
        "path": "story.md",
        "title": "The Story",
        "paragraphs": (Paragraph(number=1, text="Body.", line=1),),
        "source": "Gazette",
        "published": dt.date(2024, 5, 1),
        "url": URL,
    }
    defaults.update(fields)
    return Document(**defaults)  # type: ignore[arg-type]


def assert_within_limits(embed: discord.Embed) -> None:
    """Discord's embed limits, each and in total."""
    data = embed.to_dict()
    assert len(data.get("title", "")) <= TITLE_LIMIT
    assert len(data.get("description", "")) <= DESCRIPTION_LIMIT
    assert len(data.get("fields", [])) <= FIELD_COUNT_LIMIT
    for field in data.get("fields", []):
        assert 0 < len(field["name"]) <= FIELD_NAME_LIMIT
        assert 0 < len(field["value"]) <= FIELD_VALUE_LIMIT
    assert len(data.get("footer", {}).get("text", "")) <= FOOTER_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT


def unescaped(text: str, char: str) -> list[int]:
    """Positions of ``char`` not preceded by an escaping backslash."""
    positions = []
    for match in re.finditer(re.escape(char), text):
        backslashes = len(text[: match.start()]) - len(text[: match.start()].rstrip("\\"))
        if backslashes % 2 == 0:
            positions.append(match.start())
    return positions


# ----------------------------------------------------------------- answers


def test_the_answer_bolds_the_best_sentence_and_cites_its_source() -> None:
    best = hit("It rained on Monday. The dam broke on Tuesday. Repairs began.", "The dam broke on Tuesday.")
    embed = answer_embed(result("When did the dam break?", best), document())

    assert embed.title == "When did the dam break?"
    assert embed.description == (
        "It rained on Monday. **The dam broke on Tuesday.** Repairs began.\n\n"
        f"— *The Story*, paragraph 3 · Gazette · [source](<{URL}>)"
    )
    assert embed.url == URL
    assert embed.footer.text == "Gazette · May 1, 2024"
    assert embed.fields == []


def test_up_to_two_more_passages_follow_as_fields_and_the_rest_on_later_pages() -> None:
    hits = [
        hit(f"Passage {n} text. Sentence {n} answers.", f"Sentence {n} answers.", paragraph=n)
        for n in range(1, 8)
    ]
    answer = result("Which sentence answers?", *hits)
    assert page_count(answer) == 3

    first = answer_embed(answer, document())
    assert [f.name for f in first.fields] == ["Also relevant: paragraph 2", "Also relevant: paragraph 3"]
    assert "**Sentence 2 answers.**" in (first.fields[0].value or "")
    assert "— *The Story*, paragraph 2" in (first.fields[0].value or "")
    assert first.footer.text == "Gazette · May 1, 2024 · page 1 of 3"

    last = answer_embed(answer, document(), page=2)
    assert "**Sentence 7 answers.**" in (last.description or "")
    assert last.fields == []
    assert last.footer.text == "Gazette · May 1, 2024 · page 3 of 3"
    assert answer_embed(answer, document(), page=99).footer.text == last.footer.text


def test_a_citation_without_url_or_source() -> None:
    plain = hit("Only text.", "Only text.", url=None, source=None)
    assert citation_line(plain) == "— *The Story*, paragraph 3"
    embed = answer_embed(result("q?", plain))
    assert embed.url is None
    assert embed.footer.text == "From the knowledge base"


def test_headline_passages_are_cited_as_headline() -> None:
    headline = hit("The Story\nA summary.", "The Story", paragraph=0)
    assert citation_line(headline).startswith("— *The Story*, headline and byline")


def test_no_answer_is_friendly_and_shows_no_passage() -> None:
    embed = answer_embed(result("What is the capital of France?"))
    assert embed.description == NOT_COVERED
    assert "rephras" in NOT_COVERED and "/quote" in NOT_COVERED
    assert embed.fields == []
    assert embed.title == "What is the capital of France?"


def test_markdown_and_mentions_in_passages_are_shown_literally() -> None:
    text = (
        "Use *stars*, _underscores_, `code`, ~~strike~~ and ||spoilers||. "
        "@everyone <@123456789012345678> look."
    )
    embed = answer_embed(result("Which markdown?", hit(text, text)))
    description = embed.description or ""
    shown = description.split("\n\n")[0]
    assert shown.startswith("**") and shown.endswith("**")
    inner = shown[2:-2]
    for char in "*_`~|":
        assert unescaped(inner, char) == [], char
    assert "@everyone" not in description and "@\u200beveryone" in description
    assert "<@123456789012345678>" not in description


def test_the_question_in_the_title_is_escaped_and_cut() -> None:
    question = "Did @everyone see **this**? " + "why " * 200
    embed = answer_embed(result(question, hit("A. B.", "A.")))
    assert embed.title is not None and len(embed.title) <= TITLE_LIMIT
    assert embed.title.endswith(ELLIPSIS)
    assert "@everyone" not in embed.title and unescaped(embed.title, "*") == []
    assert len(no_answer_embed("x" * 5000).title or "") <= TITLE_LIMIT
    assert no_answer_embed("   ").title == "Your question"


def test_a_huge_passage_keeps_its_best_sentence_whole_with_context() -> None:
    before = " ".join(f"Before{n}." for n in range(1500))
    after = " ".join(f"After{n}." for n in range(1500))
    best = "The answer is forty-two."
    embed = answer_embed(result("What is the answer?", hit(f"{before} {best} {after}", best)))
    assert_within_limits(embed)
    shown = (embed.description or "").split("\n\n")[0]
    assert f"**{best}**" in shown
    assert shown.startswith(ELLIPSIS) and shown.endswith(ELLIPSIS)
    assert "Before1499." in shown and "After0." in shown


def test_a_huge_best_sentence_is_cut_but_stays_bold() -> None:
    best = "word " * 3000 + "end."
    embed = answer_embed(result("q?", hit(best, best)))
    assert_within_limits(embed)
    shown = (embed.description or "").split("\n\n")[0]
    assert shown.startswith("**") and shown.endswith(f"{ELLIPSIS}**")


def test_cutting_escaped_context_never_unescapes_markdown() -> None:
    # Escaping doubles every "*"; a cut between a backslash and its "*" would turn the rest into markdown.
    for width in range(1, 8):
        before = ("a" * width + "*") * 900
        best = "Answer here."
        embed = answer_embed(result("q?", hit(f"{before} {best} {before}", best)))
        assert_within_limits(embed)
        shown = (embed.description or "").split("\n\n")[0]
        head, bold, tail = shown.partition(f"**{best}**")
        assert bold, shown[:200]
        assert unescaped(head, "*") == [], (width, head[:40])
        assert unescaped(tail, "*") == [], (width, tail[-40:])


def test_long_titles_sources_and_urls_stay_within_field_limits() -> None:
    long_url = "https://example.org/" + "x" * 2000
    hits = [
        hit("Text one. More.", "Text one.", title="T" * 5000, source="S" * 3000, url=long_url, paragraph=n)
        for n in range(1, 4)
    ]
    embed = answer_embed(result("q" * 5000, *hits), document(title="T" * 5000, source="S" * 3000))
    assert_within_limits(embed)
    assert len(embed.fields) == 2
    assert long_url not in (embed.description or "")  # left out rather than cut into a broken link


MARKDOWN_TOKENS = [
    "*",
    "**",
    "_",
    "__",
    "`",
    "```",
    "~~",
    "||",
    "> ",
    ">>> ",
    "# ",
    "- ",
    "\\",
    "\n",
    " ",
    ".",
    "?",
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "[link](https://example.org/a_b)",
    "https://example.org/x_y*z",
    "word",
    "Sentence.",
    "é",
    "🙂",
]
texts = st.lists(st.sampled_from(MARKDOWN_TOKENS) | st.text(max_size=30), max_size=1200).map("".join)


@st.composite
def hits_with_sentences(draw: st.DrawFn) -> Hit:
    text = draw(texts)
    if text and draw(st.booleans()):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        best = text[start:end]
    else:
        best = draw(texts)
    return hit(
        text,
        best,
        paragraph=draw(st.integers(0, 500)),
        title=draw(st.text(min_size=1, max_size=600)),
        url=draw(st.none() | st.just(URL) | st.text(max_size=1500).map(lambda s: URL + "/" + s)),
        source=draw(st.none() | st.text(max_size=400)),
    )


@settings(max_examples=150, deadline=None)
@given(
    question=texts,
    hits=st.lists(hits_with_sentences(), min_size=1, max_size=9),
    page=st.integers(0, 4),
    title=st.text(min_size=1, max_size=3000),
    source=st.none() | st.text(max_size=3000),
)
def test_answers_fit_discords_limits(
    question: str, hits: list[Hit], page: int, title: str, source: str | None
) -> None:
    embed = answer_embed(result(question, *hits), document(title=title, source=source), page)
    assert_within_limits(embed)
    assert "@everyone" not in embed_text(embed) and "@here" not in embed_text(embed)


def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


# ----------------------------------------------------------------- quotes


def test_quotes_show_the_words_the_speaker_and_the_citation() -> None:
    index = QuoteIndex(build_snapshot(KNOWLEDGE, "test").documents)
    embed = quotes_embed(index.find(speaker="newman", words="apology"), "newman", "apology")
    assert embed.title == 'Quotes by Chris Newman matching "apology"'
    first = (embed.description or "").split("\n\n")[0]
    assert first.startswith("> “Sheriff Baca’s change of policy ought to come with an apology letter”")
    assert "— **Chris Newman, Legal Director at the National Day Laborer Organizing Network**" in first
    assert f"(*{ARTICLE_TITLE}*, paragraph 6 · Colorlines)" in first
    assert embed.footer.text == "2 quotation(s)"
    assert_within_limits(embed)


def quote(n: int, text: str, speaker: str | None = "Ann Lee", role: str | None = "mayor") -> Quote:
    return Quote(speaker, role, text, "story", n, citation(paragraph=n), f"story:q{n}")


def test_quotes_that_do_not_fit_are_counted() -> None:
    quotes = tuple(quote(n, "*Long* words @everyone " * 60) for n in range(1, 40))
    embed = quotes_embed(QuoteLookup(quotes, speaker=Speaker("Ann Lee", "mayor", 39)), "ann", None)
    assert_within_limits(embed)
    description = embed.description or ""
    shown = description.count("> “")
    assert 1 <= shown < 39
    assert description.endswith(f"…and {39 - shown} more: narrow the search.")
    assert "@everyone" not in description


def test_unknown_and_ambiguous_speakers_are_explained() -> None:
    people = (Speaker("Ann Lee", "mayor", 3), Speaker("Ann Ray", None, 1))
    unknown = quotes_embed(QuoteLookup((), unknown_speaker="Bob", speakers=people), "Bob", None)
    assert unknown.description == "Nobody called Bob is quoted. People quoted: Ann Lee (3), Ann Ray (1)."
    ambiguous = quotes_embed(
        QuoteLookup((), unknown_speaker="Ann", speakers=people, ambiguous=True), "Ann", None
    )
    assert (
        ambiguous.description == "Ann could be several people: Ann Lee (3), Ann Ray (1). Give the full name."
    )
    nothing = quotes_embed(QuoteLookup(()), None, "zebra")
    assert nothing.title == 'Quotes matching "zebra"'
    assert (nothing.description or "").startswith("No quotation matched.")


@settings(max_examples=60, deadline=None)
@given(
    texts_=st.lists(texts, min_size=1, max_size=30),
    speaker=st.none() | st.text(max_size=500),
    role=st.none() | st.text(max_size=500),
    words=st.none() | st.text(max_size=4000),
)
def test_quotes_fit_discords_limits(
    texts_: list[str], speaker: str | None, role: str | None, words: str | None
) -> None:
    quotes = tuple(quote(n, text, speaker, role) for n, text in enumerate(texts_, start=1))
    embed = quotes_embed(QuoteLookup(quotes), speaker, words)
    assert_within_limits(embed)


# ----------------------------------------------------------------- moderators' embeds


def outcome(**fields: object) -> RefreshOutcome:
    defaults: dict[str, object] = {
        "action": "reload",
        "requested_by": "morgan (1)",
        "at": NOW,
        "accepted": True,
    }
    defaults.update(fields)
    return RefreshOutcome(**defaults)  # type: ignore[arg-type]


def test_status_names_counts_and_the_last_refresh() -> None:
    snapshot = build_snapshot(KNOWLEDGE, "start-up")
    last = outcome(documents=1, passages=12, quotes=4, seconds=0.5)
    embed = status_embed(snapshot, last)
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Knowledge base"
    assert fields["Documents"] == "1"
    assert fields["Passages"] == str(len(snapshot.knowledge_base.passages))
    assert fields["Quotes"] == str(len(snapshot.quotes.quotes))
    assert "by start-up in" in (fields["Index built"] or "")
    assert "reload by morgan (1)" in (fields["Last refresh"] or "")
    assert_within_limits(embed)
    assert "Last refresh" not in {f.name for f in status_embed(snapshot, None).fields}


def test_refresh_outcomes() -> None:
    done = refresh_embed(
        outcome(added=("New story",), changed=("Old story",), documents=2, passages=30, quotes=5)
    )
    assert done.title == "Reload done"
    fields = {f.name: f.value for f in done.fields}
    assert fields["Added"] == "New story" and fields["Changed"] == "Old story"
    assert (fields["Documents"], fields["Passages"], fields["Quotes"]) == ("2", "30", "5")
    assert done.footer.text == "Indexed in 0.00 s"

    unchanged = refresh_embed(outcome(waited=True, waited_seconds=2.0))
    assert unchanged.description == "No document changed."
    assert unchanged.footer.text == "Indexed in 0.00 s after waiting 2.0 s for another refresh"

    problems = tuple(Problem(f"bad{n}.md", n, "x" * 500) for n in range(40))
    refused = refresh_embed(
        outcome(accepted=False, problems=problems, detail="the knowledge base would have invalid files")
    )
    assert refused.title == "Reload refused: the old knowledge base is still answering"
    assert refused.description == "the knowledge base would have invalid files"
    assert_within_limits(refused)
    assert [f.name for f in refused.fields] == ["Problems"]

    many = refresh_embed(outcome(added=tuple("*Title* " * 50 + str(n) for n in range(100))))
    assert_within_limits(many)


def test_documents_list() -> None:
    snapshot = build_snapshot(KNOWLEDGE, "test")
    embed = documents_embed(snapshot)
    assert embed.title == "1 document(s)"
    assert embed.description == (
        f"**{ARTICLE_TITLE}** · Colorlines · 2012-12-05 · {len(snapshot.knowledge_base.passages)} passages "
        "(`la-sheriff-immigration-holds.md`)"
    )


# ----------------------------------------------------------------- plain text


@pytest.mark.parametrize("limit", [1, 2, 5, 40, 2000])
def test_clip_respects_the_limit(limit: int) -> None:
    text = "alpha beta gamma " * 300
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    assert clipped.endswith(ELLIPSIS)
    assert clip("short", limit if limit >= 5 else 5) == "short"


def test_clip_cuts_on_a_word_boundary() -> None:
    assert clip("alpha beta gamma", 13) == "alpha beta…"


def test_plain_messages_fit_in_a_message() -> None:
    assert len(plain_message("x" * 5000)) == CONTENT_LIMIT
    assert plain_message("hello") == "hello"


def test_escape_shows_markdown_and_mentions_literally() -> None:
    assert escape("*a* @everyone") == "\\*a\\* @\u200beveryone"
