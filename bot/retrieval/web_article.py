"""A web page turned into a knowledge file: the article's text and metadata, and nothing else.

The article is found by trafilatura (main text, title, author, date and site name from the page's
markup, Open Graph and JSON-LD), which leaves out navigation, share buttons, related-story lists,
newsletter boxes and cookie notices; reader comments and tables are left out too. Its paragraphs are
kept in order and word for word, one knowledge paragraph each; headings are not passages. A page
with too little article text is refused rather than saved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from bot.retrieval.documents import parse_document, slugify
from bot.retrieval.text import collapse_whitespace
from bot.retrieval.web_fetch import FetchedPage, FetchLimits, ImportRefused, fetch_page

if TYPE_CHECKING:
    from lxml.etree import _Element

MIN_WORDS = 80
MAX_SLUG = 80
# trafilatura's output elements: a block's text belongs to it alone, not to the block around it.
_BLOCKS = frozenset({"p", "item", "quote", "code", "list", "head", "table", "row", "cell"})
_PARAGRAPHS = ("p", "item", "quote", "code")
_URL_RE = re.compile(r"https?://\S+$")


@dataclass(frozen=True)
class ImportedArticle:
    """An article taken from a web page, ready to be written as a knowledge file."""

    url: str
    title: str
    paragraphs: tuple[str, ...]
    author: str | None = None
    published: dt.date | None = None
    source: str | None = None
    summary: str | None = None

    @property
    def words(self) -> int:
        """Words in the article's paragraphs."""
        return sum(len(paragraph.split()) for paragraph in self.paragraphs)

    @property
    def file_name(self) -> str:
        """``<slug of the title>.md``, the slug cut at a hyphen to at most ``MAX_SLUG`` characters."""
        slug = slugify(self.title)
        if len(slug) > MAX_SLUG:
            slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0].strip("-") or slug[:MAX_SLUG]
        return f"{slug}.md"

    def describe(self) -> str:
        """One line: title, paragraphs, words."""
        count = len(self.paragraphs)
        return f"{self.title}: {count} paragraph{'s' if count != 1 else ''}, {self.words:,} words"

    def to_markdown(self) -> str:
        """The knowledge file: front matter (what is known, never invented) and one paragraph each."""
        meta: dict[str, object] = {"title": self.title}
        for key, value in (
            ("summary", self.summary),
            ("author", self.author),
            ("published", self.published),
            ("source", self.source),
            ("url", self.url),
        ):
            if value:
                meta[key] = value
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1 << 16)
        return f"---\n{front}---\n\n" + "\n\n".join(self.paragraphs) + "\n"


def _own_text(element: _Element) -> str:
    """The text of ``element`` without the blocks nested in it (they are paragraphs of their own)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in _BLOCKS or child.tag == "lb":
            parts.append(" ")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return collapse_whitespace("".join(parts))


def _paragraphs(body: _Element) -> Iterator[str]:
    for element in body.iter(*_PARAGRAPHS):
        text = _own_text(element)
        if text:
            yield text


def _same(a: str, b: str | None) -> bool:
    return b is not None and collapse_whitespace(a).casefold() == collapse_whitespace(b).casefold()


def _article_paragraphs(body: _Element, title: str, summary: str | None) -> tuple[str, ...]:
    paragraphs = list(_paragraphs(body))
    # The headline and the standfirst repeated above the text are front matter, not paragraphs.
    while paragraphs and (_same(paragraphs[0], title) or _same(paragraphs[0], summary)):
        paragraphs.pop(0)
    return tuple(paragraphs)


def published_date(text: str | None) -> dt.date | None:
    """The date trafilatura found (``YYYY-MM-DD``), or None when there is none it could read."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _plain_text_article(page: FetchedPage) -> ImportedArticle:
    """A text/plain page, read as a knowledge file without front matter is: the first line is the title."""
    document, _ = parse_document(page.text.encode("utf-8"), page.url)
    if document is None:
        raise ImportRefused(f"no article text found at {page.url}")
    return ImportedArticle(
        url=page.url, title=document.title, paragraphs=tuple(p.text for p in document.paragraphs)
    )


def _html_article(page: FetchedPage) -> ImportedArticle:
    import trafilatura

    today = dt.datetime.now(dt.UTC).date().isoformat()
    extracted = trafilatura.bare_extraction(
        page.text,
        url=page.url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=True,
        # Only a date the page states in its markup or address, not one found in its prose.
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": today},
    )
    if extracted is None or isinstance(extracted, dict) or extracted.body is None:
        raise ImportRefused(f"no article text found at {page.url}")
    title = collapse_whitespace(extracted.title or "") or page.url
    summary = collapse_whitespace(extracted.description or "") or None
    canonical = extracted.url if extracted.url and _URL_RE.match(extracted.url) else page.url
    return ImportedArticle(
        url=canonical,
        title=title,
        paragraphs=_article_paragraphs(extracted.body, title, summary),
        author=collapse_whitespace(extracted.author or "") or None,
        published=published_date(extracted.date),
        source=collapse_whitespace(extracted.sitename or "") or None,
        summary=summary,
    )


def extract_article(page: FetchedPage) -> ImportedArticle:
    """The article in ``page`` (blocking: run it in a thread); ``ImportRefused`` when there is none."""
    article = _plain_text_article(page) if page.content_type == "text/plain" else _html_article(page)
    if article.words < MIN_WORDS:
        raise ImportRefused(f"no article text found at {page.url}")
    return article


async def import_article(address: str, limits: FetchLimits) -> ImportedArticle:
    """Fetch ``address`` and extract its article; the extraction runs in a worker thread."""
    page = await fetch_page(address, limits)
    return await asyncio.to_thread(extract_article, page)
