"""Web pages for the import tests: the seed article inside a realistic news page, and awkward pages.

The seed article is read from ``shared/seed-article.txt``, found like the Discord OpenAPI spec: in
the repository root or any folder above it (``../shared`` in CI). Its blocks are the title, the
summary, the byline and then the body paragraphs.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_RELATIVE_PATH = Path("shared") / "seed-article.txt"


def find_seed_article(start: Path = REPO_ROOT) -> Path | None:
    """``shared/seed-article.txt`` in ``start`` or the nearest folder above it that has one."""
    for directory in (start, *start.parents):
        candidate = directory / SEED_RELATIVE_PATH
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Article:
    """An article as its writer gave it: headline, summary, byline and body paragraphs."""

    title: str
    summary: str
    byline: str
    paragraphs: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> Article:
        blocks = [" ".join(block.split()) for block in path.read_text(encoding="utf-8").split("\n\n")]
        title, summary, byline, *paragraphs = [block for block in blocks if block]
        return cls(title, summary, byline, tuple(paragraphs))


SEED_AUTHOR = "Jorge Rivas"
SEED_SITE = "Colorlines"
SEED_DATE = "2012-12-05"

# Every piece of page furniture carries a phrase that must never reach the knowledge base.
BOILERPLATE = (
    "Accept all cookies",
    "Latest News",
    "Share on Facebook",
    "Email this story",
    "Refinance your home",
    "Advertisement",
    "Get the Colorlines newsletter",
    "never miss a story",
    "Related stories",
    "Arizona Sheriff Faces New Scrutiny",
    "Oakland Passes Its Own TRUST Act",
    "long overdue",
    "tore families apart",
    "All rights reserved",
    "Privacy policy",
)


def _p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def news_page(
    article: Article,
    canonical: str,
    author: str = SEED_AUTHOR,
    site: str = SEED_SITE,
    date: str = SEED_DATE,
) -> str:
    """``article`` as a news site serves it: menus, share bars, ads, related stories, comments.

    The metadata is in meta tags, Open Graph and JSON-LD; the furniture is the same on every page.
    """
    body = [_p(text) for text in article.paragraphs]
    # Inline furniture between paragraphs, as content management systems insert it.
    body.insert(
        3,
        '<div class="ad-slot" aria-label="Advertisement"><span>Advertisement</span>'
        "<p>Sponsored: Refinance your home today with rates as low as 2.9%.</p></div>",
    )
    body.insert(
        7,
        '<aside class="newsletter-signup"><h3>Get the Colorlines newsletter</h3>'
        "<p>Sign up for our weekly newsletter and never miss a story about race and justice.</p>"
        '<form action="/subscribe"><input type="email" name="email"><button>Subscribe</button>'
        "</form></aside>",
    )
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "author": {"@type": "Person", "name": author},
        "datePublished": f"{date}T10:21:00-05:00",
        "publisher": {"@type": "Organization", "name": site},
        "mainEntityOfPage": canonical,
    }
    title = html.escape(article.title)
    summary = html.escape(article.summary)
    share = (
        '<div class="share-bar"><a href="https://facebook.example/share">Share on Facebook</a> '
        '<a href="https://twitter.example/share">Share on Twitter</a> '
        '<a href="mailto:?subject=story">Email this story</a></div>'
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="description" content="{summary}">
<meta name="author" content="{author}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{summary}">
<meta property="og:site_name" content="{site}">
<meta property="og:type" content="article">
<meta property="og:url" content="{html.escape(canonical)}">
<meta property="article:published_time" content="{date}T10:21:00-05:00">
<link rel="canonical" href="{html.escape(canonical)}">
<script type="application/ld+json">{json.dumps(json_ld)}</script>
</head>
<body>
<div id="cookie-notice" class="cookie-banner"><p>We use cookies to improve your experience on our site.
<button>Accept all cookies</button></p></div>
<header class="site-header">
<a class="logo" href="/">{site}</a>
<nav class="main-menu"><ul>
<li><a href="/latest">Latest News</a></li><li><a href="/immigration">Immigration</a></li>
<li><a href="/justice">Criminal Justice</a></li><li><a href="/culture">Culture</a></li>
<li><a href="/donate">Donate</a></li></ul></nav>
</header>
<main>
<article class="post">
<header class="entry-header">
<h1 class="entry-title">{title}</h1>
<p class="dek">{summary}</p>
<div class="byline">By <a rel="author" href="/author/jorge-rivas">{author}</a>
<time datetime="{date}">Dec 05, 2012</time></div>
{share}
</header>
<div class="entry-content">
{chr(10).join(body)}
</div>
<footer class="entry-footer">{share}</footer>
</article>
<section class="related-stories">
<h2>Related stories</h2>
<ul>
<li><a href="/arizona-sheriff">Arizona Sheriff Faces New Scrutiny Over Jail Conditions</a></li>
<li><a href="/oakland-trust-act">Oakland Passes Its Own TRUST Act</a></li>
<li><a href="/ice-holds-explained">What Are ICE Holds, and Who Has to Honor Them?</a></li>
</ul>
</section>
<section id="comments" class="comments-area">
<h2 class="comments-title">2 comments</h2>
<ol class="comment-list">
<li class="comment"><div class="comment-author">maria_g</div><div class="comment-content">
<p>This is long overdue. The holds kept people in jail for weeks after their release dates.</p></div></li>
<li class="comment"><div class="comment-author">dtran</div><div class="comment-content">
<p>Good news, but it should never have taken a lawsuit. Those holds tore families apart in my
neighborhood.</p></div></li>
</ol>
</section>
</main>
<footer class="site-footer"><p>© 2012 {site}. All rights reserved.</p>
<p><a href="/about">About us</a> · <a href="/privacy">Privacy policy</a> ·
<a href="/terms">Terms of use</a></p>
</footer>
</body>
</html>
"""


def plain_page(title: str, paragraphs: list[str]) -> str:
    """A page with no metadata at all: a heading and paragraphs, no meta tags, no JSON-LD."""
    body = "\n".join(_p(text) for text in paragraphs)
    return f"<html><body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class NewsSite:
    """A local web server serving the pages a test writes, on one loopback address.

    Every request is recorded (path and headers), so a test can tell what the bot asked for and
    what it never reached.
    """

    host: str = "127.0.0.1"
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        """The address of ``path`` on this site."""
        return f"http://{self.host}:{self.port}{path}"

    def requested(self, path: str) -> bool:
        """True when ``path`` was asked for."""
        return any(requested == path for requested, _ in self.requests)

    def page(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html",
        charset: str | None = "utf-8",
        status: int = 200,
    ) -> str:
        """Serve ``body`` at ``path``; returns its address."""
        data = body.encode(charset or "utf-8") if isinstance(body, str) else body
        header = f"{content_type}; charset={charset}" if charset else content_type

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(body=data, status=status, headers={"Content-Type": header})

        return self.route(path, handler)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``location``; returns its address."""

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, headers={"Location": location})

        return self.route(path, handler)

    def route(self, path: str, handler: Handler) -> str:
        """Answer ``path`` with ``handler``; returns its address."""
        self.routes[path] = handler
        return self.url(path)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers)))
        handler = self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="not found")
        return await handler(request)


async def trickle(request: web.Request, body: bytes, seconds: float) -> web.StreamResponse:
    """Send ``body`` in small pieces over ``seconds``: a slow server."""
    response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
    await response.prepare(request)
    pieces = 20
    step = max(1, len(body) // pieces)
    for start in range(0, len(body), step):
        await response.write(body[start : start + step])
        await asyncio.sleep(seconds / pieces)
    await response.write_eof()
    return response
