"""Importing an article by its web address: what is fetched, what is kept, and what is refused.

Every page comes from a local web server the test writes (never the internet). The seed article is
served inside a realistic news page; the imported paragraphs must be the article's, word for word,
and none of the page's furniture may come along.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from news_pages import (
    BOILERPLATE,
    SEED_AUTHOR,
    SEED_DATE,
    SEED_SITE,
    Article,
    NewsSite,
    find_seed_article,
    news_page,
    plain_page,
    trickle,
)
from samples import BUSES_PARAGRAPHS, BUSES_TITLE

from bot.retrieval import web_fetch
from bot.retrieval.documents import parse_document
from bot.retrieval.web_article import MIN_WORDS, ImportedArticle, import_article, published_date
from bot.retrieval.web_fetch import USER_AGENT, FetchLimits, ImportRefused, address_problem, decode_body

LOCAL = FetchLimits(max_bytes=1_000_000, allow_private=True)
CANONICAL = "https://colorlines.example/article/los-angeles-sheriff-will-no-longer-turn-over"


@pytest.fixture(scope="module")
def seed() -> Article:
    path = find_seed_article()
    if path is None:
        pytest.skip("shared/seed-article.txt not found above the repository")
    return Article.read(path)


async def test_the_seed_article_is_imported_from_a_news_page_without_its_furniture(
    news_site: NewsSite, seed: Article
) -> None:
    address = news_site.page("/2012/12/05/la-sheriff", news_page(seed, CANONICAL))

    article = await import_article(address, LOCAL)
    markdown = article.to_markdown()

    assert article.paragraphs == seed.paragraphs
    assert article.title == seed.title
    assert article.summary == seed.summary
    assert article.author == SEED_AUTHOR
    assert article.published == dt.date.fromisoformat(SEED_DATE)
    assert article.source == SEED_SITE
    assert article.url == CANONICAL
    for phrase in BOILERPLATE:
        assert phrase not in markdown, phrase
    assert article.file_name == (
        "los-angeles-sheriff-will-no-longer-turn-over-low-level-offenders-to-immigration.md"
    )
    assert article.describe() == f"{seed.title}: 10 paragraphs, {article.words:,} words"
    _, headers = news_site.requests[0]
    assert headers["User-Agent"] == USER_AGENT


def test_the_markdown_is_a_knowledge_file_the_loader_reads_back_unchanged(seed: Article) -> None:
    article = ImportedArticle(
        url=CANONICAL,
        title=seed.title,
        paragraphs=seed.paragraphs,
        author=SEED_AUTHOR,
        published=dt.date(2012, 12, 5),
        source=SEED_SITE,
        summary=seed.summary,
    )
    markdown = article.to_markdown()

    document, problems = parse_document(markdown.encode(), "imported.md")

    assert problems == []
    assert document is not None
    assert [p.text for p in document.paragraphs] == list(seed.paragraphs)
    assert (document.title, document.summary, document.author) == (seed.title, seed.summary, SEED_AUTHOR)
    assert (document.published, document.source, document.url) == (dt.date(2012, 12, 5), SEED_SITE, CANONICAL)
    assert markdown.startswith(f"---\ntitle: {seed.title}\nsummary: {seed.summary}\nauthor: {SEED_AUTHOR}\n")
    assert "\npublished: 2012-12-05\n" in markdown


def test_front_matter_is_quoted_where_yaml_needs_it() -> None:
    article = ImportedArticle(
        url="https://news.example/a?b=1#c",
        title="2012: a year: in review",
        paragraphs=("Text.",),
        source="yes",
    )
    document, problems = parse_document(article.to_markdown().encode(), "x.md")
    assert problems == []
    assert document is not None
    assert (document.title, document.source, document.url) == (
        "2012: a year: in review",
        "yes",
        "https://news.example/a?b=1#c",
    )
    assert document.summary is None
    assert document.author is None


def test_a_long_title_gives_a_file_name_cut_at_a_word() -> None:
    article = ImportedArticle(url="https://x.example/", title="word " * 40, paragraphs=("x",))
    assert article.file_name == ("word-" * 16).rstrip("-") + ".md"
    assert (
        ImportedArticle(url="https://x.example/", title="¿¡!", paragraphs=("x",)).file_name == "document.md"
    )


async def test_a_page_without_metadata_gives_its_heading_and_text_and_nothing_invented(
    news_site: NewsSite,
) -> None:
    address = news_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))

    article = await import_article(address, LOCAL)

    assert article.title == BUSES_TITLE
    assert article.paragraphs == tuple(BUSES_PARAGRAPHS)
    assert (article.author, article.published, article.summary) == (None, None, None)
    assert article.url == address
    # Without a site name in the page, the host it came from stands for it.
    assert article.source == f"127.0.0.1:{news_site.port}"
    assert "author:" not in article.to_markdown()


async def test_lists_and_quotations_are_paragraphs_and_headings_are_left_out(news_site: NewsSite) -> None:
    closing = "The board will review the rules after one year of trading and hear from stall holders. " * 4
    address = news_site.page(
        "/market",
        "<html><head><title>Rules</title></head><body><article><h1>New Rules for the Market</h1>"
        "<p>The market opens at seven<br>and closes at noon, the board said on <b>Monday</b> in a "
        '<a href="/x">statement</a> to traders.</p><h2>What changes</h2>'
        "<ul><li>Stalls must be cleared by one in the afternoon.</li>"
        "<li>Deliveries come through the north gate<ul><li>before six in the morning</li></ul></li></ul>"
        "<blockquote><p>We asked for this for years, said the fishmonger Ada Brook.</p></blockquote>"
        f"<p>{closing}</p></article></body></html>",
    )

    article = await import_article(address, LOCAL)

    assert article.title == "New Rules for the Market"
    assert article.paragraphs == (
        "The market opens at seven and closes at noon, the board said on Monday in a statement to traders.",
        "Stalls must be cleared by one in the afternoon.",
        "Deliveries come through the north gate",
        "before six in the morning",
        "We asked for this for years, said the fishmonger Ada Brook.",
        closing.strip(),
    )


@pytest.mark.parametrize(
    ("text", "day"), [("2012-12-05", dt.date(2012, 12, 5)), (None, None), ("", None), ("Dec 2012", None)]
)
def test_only_a_date_that_can_be_read_is_published(text: str | None, day: dt.date | None) -> None:
    assert published_date(text) == day


async def test_a_latin_1_page_with_its_charset_only_in_the_http_header_is_decoded_right(
    news_site: NewsSite,
) -> None:
    paragraphs = [
        p.replace("council", "conseil municipal de Montréal") + " Élodie Côté’s café stayed open."
        for p in BUSES_PARAGRAPHS
    ]
    body = plain_page("Le conseil garde les bus de nuit", paragraphs).encode("cp1252")
    address = news_site.page("/latin", body, charset="iso-8859-1")

    article = await import_article(address, LOCAL)

    assert article.paragraphs == tuple(paragraphs)


async def test_a_plain_text_page_is_read_like_a_knowledge_file(news_site: NewsSite) -> None:
    text = BUSES_TITLE + "\n\n" + "\n\n".join(BUSES_PARAGRAPHS) + "\n"
    address = news_site.page("/buses.txt", text, content_type="text/plain")

    article = await import_article(address, LOCAL)

    assert (article.title, article.paragraphs, article.source) == (BUSES_TITLE, tuple(BUSES_PARAGRAPHS), None)


async def test_redirects_are_followed_to_the_page_and_its_address_is_kept(news_site: NewsSite) -> None:
    final = news_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))
    news_site.redirect("/r3", "/buses", status=308)
    news_site.redirect("/r2", news_site.url("/r3"), status=301)
    start = news_site.redirect("/r1", "r2", status=303)

    article = await import_article(start, LOCAL)

    assert article.url == final
    assert [path for path, _ in news_site.requests] == ["/r1", "/r2", "/r3", "/buses"]


async def test_more_than_five_redirects_are_refused(news_site: NewsSite) -> None:
    for hop in range(6):
        news_site.redirect(f"/loop{hop}", f"/loop{hop + 1}")
    news_site.page("/loop6", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))

    with pytest.raises(ImportRefused, match=r"/loop0: more than 5 redirects"):
        await import_article(news_site.url("/loop0"), LOCAL)
    assert not news_site.requested("/loop6")


async def test_a_redirect_without_a_location_or_to_another_scheme_is_refused(news_site: NewsSite) -> None:
    async def nowhere(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302)

    news_site.route("/nowhere", nowhere)
    news_site.redirect("/ftp", "ftp://files.example/article.html")

    with pytest.raises(ImportRefused, match="redirect \\(302\\) without a Location"):
        await import_article(news_site.url("/nowhere"), LOCAL)
    with pytest.raises(ImportRefused, match="only http:// and https:// addresses can be imported"):
        await import_article(news_site.url("/ftp"), LOCAL)


async def test_an_error_status_is_refused_with_the_status(news_site: NewsSite) -> None:
    with pytest.raises(
        ImportRefused, match=r"^http://127\.0\.0\.1:\d+/gone: the server answered 404 Not Found$"
    ):
        await import_article(news_site.url("/gone"), LOCAL)


async def test_a_slow_server_is_given_up_on_after_the_whole_fetch_timeout(news_site: NewsSite) -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        return await trickle(request, plain_page(BUSES_TITLE, BUSES_PARAGRAPHS).encode(), seconds=5)

    address = news_site.route("/slow", slow)
    limits = FetchLimits(max_bytes=1_000_000, allow_private=True, total_timeout=0.5)

    started = asyncio.get_running_loop().time()
    with pytest.raises(ImportRefused, match=r"/slow: no complete answer within 0\.5 s"):
        await import_article(address, limits)
    assert asyncio.get_running_loop().time() - started < 2


async def test_an_endless_body_is_cut_off_at_the_size_limit(news_site: NewsSite) -> None:
    sent = 0

    async def endless(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"more words " * 1000 + b"</p>"
        while True:
            await response.write(chunk)
            sent += len(chunk)

    address = news_site.route("/endless", endless)
    limits = FetchLimits(max_bytes=200_000, allow_private=True)

    with pytest.raises(ImportRefused, match="/endless: the page is larger than the limit of 200,000 bytes"):
        await import_article(address, limits)
    assert sent < 10_000_000


async def test_a_declared_size_over_the_limit_is_refused_before_reading(news_site: NewsSite) -> None:
    address = news_site.page("/big", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS * 50))
    limits = FetchLimits(max_bytes=5_000, allow_private=True)

    with pytest.raises(ImportRefused, match=r"/big: the page is [\d,]+ bytes; the limit is 5,000"):
        await import_article(address, limits)


async def test_a_pdf_is_refused(news_site: NewsSite) -> None:
    address = news_site.page("/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf", charset=None)

    with pytest.raises(ImportRefused, match=r"/report\.pdf: not a web page \(application/pdf\)"):
        await import_article(address, LOCAL)


async def test_a_page_without_article_text_is_not_saved(news_site: NewsSite) -> None:
    menu = (
        "<html><head><title>Home</title></head><body><nav><a href='/a'>News</a> <a href='/b'>Sport</a></nav>"
    )
    short = plain_page("Short note", ["Only " + "a few words here. " * 4])
    empty = news_site.page("/menu", menu + "</body></html>")
    brief = news_site.page("/short", short)

    with pytest.raises(ImportRefused, match=rf"^no article text found at {empty}$"):
        await import_article(empty, LOCAL)
    with pytest.raises(ImportRefused, match=rf"^no article text found at {brief}$"):
        await import_article(brief, LOCAL)
    text = news_site.page("/short.txt", "Short\n\nA few words.", content_type="text/plain")
    with pytest.raises(ImportRefused, match="no article text found"):
        await import_article(text, LOCAL)
    assert MIN_WORDS == 80


@pytest.mark.parametrize(
    "address",
    ["ftp://news.example/a", "file:///etc/passwd", "javascript:alert(1)", "news.example/article", "http://"],
)
async def test_only_http_and_https_addresses_are_fetched(address: str) -> None:
    with pytest.raises(ImportRefused, match=r"only http:// and https://|no host name|not a web address"):
        await import_article(address, LOCAL)


async def test_a_server_that_does_not_answer_is_reported(news_site: NewsSite) -> None:
    await news_site.stop()
    with pytest.raises(ImportRefused, match=r"/gone: could not fetch the page \(Cannot connect to host"):
        await import_article(news_site.url("/gone"), LOCAL)


async def test_an_empty_page_or_answer_is_not_an_article(
    news_site: NewsSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = news_site.page("/empty", "<html></html>")
    blank = news_site.page("/blank.txt", "", content_type="text/plain")

    for address in (empty, blank):
        with pytest.raises(ImportRefused, match=f"^no article text found at {address}$"):
            await import_article(address, LOCAL)

    async def no_answer(host: str, port: int) -> list[tuple[int, str]]:
        return []

    monkeypatch.setattr(web_fetch, "_getaddrinfo", no_answer)
    with pytest.raises(ImportRefused, match=r"^quiet\.example: host name not found$"):
        await import_article("https://quiet.example/a", FetchLimits(max_bytes=1000))
    with pytest.raises(ImportRefused, match="is not a web address"):
        await import_article("http://[::1", LOCAL)


async def test_an_address_too_long_is_refused() -> None:
    with pytest.raises(ImportRefused, match="longer than 2048 characters"):
        await import_article("https://news.example/" + "a" * 2100, LOCAL)


async def test_an_unknown_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    async def not_found(host: str, port: int) -> list[tuple[int, str]]:
        raise web_fetch.socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(web_fetch, "_getaddrinfo", not_found)
    with pytest.raises(ImportRefused, match=r"^nowhere\.example: host name not found"):
        await import_article("https://nowhere.example/a", FetchLimits(max_bytes=1000))


# ----------------------------------------------------------------------------- addresses that are not public


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.5.6.7", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2002:7f00:1::", "loopback"),
        ("100.64.0.1", "non-public"),
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
        ("::ffff:93.184.215.14", None),
    ],
)
def test_address_classes(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "a loopback address"),
        ("http://[::ffff:a9fe:a9fe]/", "a link-local address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://10.0.0.8/", "a private address"),
        ("http://localhost/", "localhost is at 127.0.0.1, a loopback address"),
    ],
)
async def test_addresses_that_are_not_public_are_refused_before_connecting(address: str, shown: str) -> None:
    with pytest.raises(ImportRefused, match="the bot only fetches public web pages") as refused:
        await import_article(address, FetchLimits(max_bytes=1000))
    assert shown in str(refused.value)


async def test_a_host_name_is_refused_if_any_of_its_addresses_is_not_public(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def two_answers(host: str, port: int) -> list[tuple[int, str]]:
        return [(web_fetch.socket.AF_INET, "93.184.215.14"), (web_fetch.socket.AF_INET, "10.0.0.5")]

    monkeypatch.setattr(web_fetch, "_getaddrinfo", two_answers)
    with pytest.raises(ImportRefused, match=r"news\.example is at 10\.0\.0\.5, a private address"):
        await import_article("https://news.example/a", FetchLimits(max_bytes=1000))


@pytest.fixture
async def public_site(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[NewsSite]:
    """A site on 127.0.0.2 that the address check takes for a public one (only that address)."""
    site = NewsSite(host="127.0.0.2")
    await site.start()
    real = web_fetch.address_problem

    def pretend_public(address: web_fetch.IPAddress) -> str | None:
        return None if address == ipaddress.ip_address("127.0.0.2") else real(address)

    monkeypatch.setattr(web_fetch, "address_problem", pretend_public)
    try:
        yield site
    finally:
        await site.stop()


@pytest.mark.parametrize("target", ["127.0.0.1", "169.254.169.254"])
async def test_a_redirect_to_an_address_that_is_not_public_is_refused_before_it_is_followed(
    public_site: NewsSite, news_site: NewsSite, target: str
) -> None:
    secret = news_site.page("/secret", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))
    location = secret if target == "127.0.0.1" else "http://169.254.169.254/latest/meta-data/"
    start = public_site.redirect("/story", location)

    with pytest.raises(ImportRefused, match=f"{target} is a (loopback|link-local) address"):
        await import_article(start, FetchLimits(max_bytes=1_000_000))

    assert public_site.requested("/story")
    assert news_site.requests == []


async def test_the_setting_lets_a_redirect_reach_an_intranet_address(
    public_site: NewsSite, news_site: NewsSite
) -> None:
    secret = news_site.page("/intranet", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))
    start = public_site.redirect("/story", secret)

    article = await import_article(start, FetchLimits(max_bytes=1_000_000, allow_private=True))

    assert article.url == secret


async def test_the_connection_goes_to_the_address_that_was_checked(
    public_site: NewsSite, news_site: NewsSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name's next answer is a loopback address; it is never asked."""
    news_site.page("/buses", plain_page("Rebound", BUSES_PARAGRAPHS))
    public_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))
    answers = iter(["127.0.0.2", "127.0.0.1"])
    asked: list[str] = []

    async def rebinding(host: str, port: int) -> list[tuple[int, str]]:
        asked.append(host)
        return [(web_fetch.socket.AF_INET, next(answers))]

    monkeypatch.setattr(web_fetch, "_getaddrinfo", rebinding)

    article = await import_article(
        f"http://rebind.example:{public_site.port}/buses", FetchLimits(max_bytes=1_000_000)
    )

    assert article.title == BUSES_TITLE
    assert asked == ["rebind.example"]
    assert public_site.requested("/buses")
    assert news_site.requests == []


async def test_the_resolver_answers_nothing_it_did_not_check() -> None:
    resolver = web_fetch._CheckedResolver()
    with pytest.raises(OSError, match="was not checked"):
        await resolver.resolve("unchecked.example", 80)
    await resolver.close()


# ----------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("body", "header", "text", "codec"),
    [
        ("café".encode("cp1252"), "ISO-8859-1", "café", "cp1252"),
        ("caf\u00e9 \u2019".encode("cp1252"), "latin1", "café ’", "cp1252"),
        (b'<meta charset="windows-1252"><p>caf\xe9', None, '<meta charset="windows-1252"><p>café', "cp1252"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>\xd3',
            None,
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>с',
            "koi8-r",
        ),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "iso-8859-1", "café", "utf-8-sig"),
        (b"caf\xe9 ok", None, "caf\ufffd ok", "utf-8"),
        (b"caf\xe9 ok", "no-such-charset", "caf\ufffd ok", "utf-8"),
        (b"caf\xc3\xa9", "utf-8", "café", "utf-8"),
    ],
)
def test_the_declared_charset_is_honoured_and_bad_bytes_replaced(
    body: bytes, header: str | None, text: str, codec: str
) -> None:
    assert decode_body(body, header) == (text, codec)
