"""Fetching a web page that a member typed the address of, safely.

The bot fetches what a moderator pasted, from the machine it runs on, which may see an intranet or a
cloud metadata service. So, unless ``allow_private`` is set (intranet sites, tests):

- only ``http`` and ``https``; every address the host name resolves to must be public (no loopback,
  private, link-local such as the metadata address 169.254.169.254, multicast, reserved or
  unspecified address, IPv4 or IPv6, IPv4-mapped IPv6 included);
- the name is resolved here, checked, and the connection goes to the checked addresses only (a
  resolver that answers from what was checked), so a second DNS answer cannot swap them;
- redirects are followed by hand, at most ``max_redirects``, each target checked before it is asked.

Limits: connect timeout, a timeout for the whole fetch, a body size cap (reading stops past it), and
only HTML or plain text. The body is decoded with the charset the server or the page declares
(undecodable bytes become U+FFFD), not left to a guess.
"""

from __future__ import annotations

import asyncio
import codecs
import ipaddress
import re
import socket
from dataclasses import dataclass
from importlib import metadata

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
ALLOWED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_URL_LENGTH = 2048
_CHUNK = 64 * 1024
# NAT64 (RFC 6052) reaches the IPv4 address in the last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Where a page may declare its charset: <meta charset=...> or <meta http-equiv content="...; charset=...">.
_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 1024
# The WHATWG Encoding Standard reads these labels as windows-1252, as browsers do: pages labelled
# Latin-1 routinely hold its curly quotes (0x92), which Python's latin-1 would turn into controls.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"})


def _version() -> str:
    try:
        return metadata.version("article-qa-bot")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "0"


USER_AGENT = (
    f"article-qa-bot/{_version()} (a Discord bot importing a news article a moderator linked; "
    "one request per import)"
)


class ImportRefused(Exception):
    """A page that cannot be imported; the message says why in one line."""


@dataclass(frozen=True)
class FetchLimits:
    """How far a fetch may go."""

    max_bytes: int
    allow_private: bool = False
    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchedPage:
    """A page as fetched: its final address (after redirects), content type and decoded text."""

    url: str
    content_type: str
    text: str
    charset: str


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address ("loopback", "private", ...), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_problem(embedded)
    for name, flagged in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if flagged:
            return name
    return None if address.is_global else "non-public"


def parse_address(address: str) -> URL:
    """``address`` as an absolute http(s) URL, else ``ImportRefused`` saying what is wrong with it."""
    try:
        return check_url(URL(address.strip()))
    except (ValueError, TypeError):
        raise ImportRefused(f"{address!r} is not a web address") from None


def check_url(url: URL) -> URL:
    """``url`` if it is an absolute http(s) address, else ``ImportRefused``."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise ImportRefused(f"{url}: only http:// and https:// addresses can be imported")
    if not url.host:
        raise ImportRefused(f"{url}: not a web address (no host name)")
    if len(str(url)) > MAX_URL_LENGTH:
        raise ImportRefused(f"the address is longer than {MAX_URL_LENGTH} characters")
    return url


class _CheckedResolver(AbstractResolver):
    """Answers aiohttp's look-ups from the addresses already resolved and checked, and nothing else."""

    def __init__(self) -> None:
        self.checked: dict[str, list[ResolveResult]] = {}

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = self.checked.get(host)
        if not results:
            raise OSError(f"{host} was not checked before connecting")
        return [
            {**result, "port": port} for result in results if family in (socket.AF_UNSPEC, result["family"])
        ]

    async def close(self) -> None:
        self.checked.clear()


async def _getaddrinfo(host: str, port: int) -> list[tuple[int, str]]:
    """(family, address) of every answer the system's resolver gives for ``host``."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(family, str(sockaddr[0])) for family, _, _, _, sockaddr in infos]


async def _resolve_checked(url: URL, allow_private: bool) -> list[ResolveResult]:
    """Every address ``url``'s host resolves to, each checked; ``ImportRefused`` if one is not public."""
    host = url.raw_host or ""
    port = url.port or 0
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found: list[tuple[int, str]] = [
            (socket.AF_INET6 if literal.version == 6 else socket.AF_INET, str(literal))
        ]
    else:
        try:
            found = await _getaddrinfo(host, port)
        except socket.gaierror as error:
            raise ImportRefused(f"{host}: host name not found ({error.strerror})") from None
    results: list[ResolveResult] = []
    for family, text in dict.fromkeys(found):
        address = ipaddress.ip_address(text.split("%", 1)[0])
        problem = address_problem(address)
        if problem is not None and not allow_private:
            kind = f"{'an' if problem[0] in 'aeiou' else 'a'} {problem} address"
            where = f"{host} is {kind}" if literal is not None else f"{host} is at {address}, {kind}"
            raise ImportRefused(f"{where}: the bot only fetches public web pages")
        results.append(
            {"hostname": host, "host": text, "port": port, "family": family, "proto": 0, "flags": 0}
        )
    if not results:
        raise ImportRefused(f"{host}: host name not found")
    return results


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when there is none or it is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_body(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """The text of ``body`` and the codec used.

    The codec is, first found: a UTF-8 byte order mark, the HTTP header's charset, the page's own
    ``<meta charset>``, else UTF-8. Bytes the codec cannot read become U+FFFD.
    """
    bom = "utf-8-sig" if body.startswith(codecs.BOM_UTF8) else None
    meta = _META_CHARSET_RE.search(body[:_SNIFF_BYTES])
    codec = bom or _codec(header_charset) or _codec(meta.group(1).decode("ascii") if meta else None)
    codec = codec or "utf-8"
    return body.decode(codec, errors="replace"), codec


async def _read_limited(response: aiohttp.ClientResponse, url: URL, limit: int) -> bytes:
    declared = response.content_length
    if declared is not None and declared > limit:
        raise ImportRefused(f"{url}: the page is {declared:,} bytes; the limit is {limit:,}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise ImportRefused(f"{url}: the page is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch_page(address: str, limits: FetchLimits) -> FetchedPage:
    """Fetch ``address`` within ``limits``; ``ImportRefused`` with one clear line when it cannot."""
    start = parse_address(address)
    resolver = _CheckedResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None, connect=limits.connect_timeout)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
    }
    try:
        async with (
            asyncio.timeout(limits.total_timeout),
            aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers) as session,
        ):
            return await _follow(session, resolver, start, limits)
    except TimeoutError:
        raise ImportRefused(
            f"{start}: no complete answer within {limits.total_timeout:g} s (connecting may take "
            f"at most {limits.connect_timeout:g} s)"
        ) from None
    except aiohttp.ClientError as error:
        raise ImportRefused(f"{start}: could not fetch the page ({error or type(error).__name__})") from None


async def _follow(
    session: aiohttp.ClientSession, resolver: _CheckedResolver, url: URL, limits: FetchLimits
) -> FetchedPage:
    start = url
    for _ in range(limits.max_redirects + 1):
        # Checked before the request; the resolver connects to nothing else.
        resolver.checked[url.raw_host or ""] = await _resolve_checked(url, limits.allow_private)
        async with session.get(url, allow_redirects=False) as response:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise ImportRefused(f"{url}: redirect ({response.status}) without a Location")
                url = check_url(url.join(URL(location)))
                continue
            if not 200 <= response.status < 300:
                reason = f" {response.reason}" if response.reason else ""
                raise ImportRefused(f"{url}: the server answered {response.status}{reason}")
            content_type = response.content_type
            if content_type not in ALLOWED_CONTENT_TYPES:
                raise ImportRefused(f"{url}: not a web page ({content_type}); only HTML or plain text")
            body = await _read_limited(response, url, limits.max_bytes)
            text, codec = decode_body(body, response.charset)
            return FetchedPage(str(url), content_type, text, codec)
    raise ImportRefused(f"{start}: more than {limits.max_redirects} redirects")
