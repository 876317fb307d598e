"""/kb add url: end to end: the real bot over the loopback fake Discord, pages from a local web server.

A moderator pastes a link; the article is fetched, added with the same checks as an upload, and the
next question is answered from it with a citation that links the page. Members cannot make the bot
fetch anything, and questions keep being answered while a slow page downloads.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from aiohttp import web
from fake_discord import BotRunner, FakeDiscord
from news_pages import Article, NewsSite, find_seed_article, news_page, plain_page, trickle
from samples import BUSES_PARAGRAPHS, BUSES_QUESTION, BUSES_TITLE, SHERIFF, SHERIFF_QUESTION, copy_bundled
from test_kb_e2e import EPHEMERAL, answered_from, ask, field, kb, make_bot

from bot.discord_app.client import NOT_MODERATOR
from bot.discord_app.cogs.knowledge import ADD_ONE_THING

BUSES_URL = "https://riverside-gazette.example/2024/05/02/night-buses"
BUSES_ARTICLE = Article(
    BUSES_TITLE,
    "The council reversed a plan to cut the night buses this winter.",
    "By Ona Petrov",
    tuple(BUSES_PARAGRAPHS),
)
BUSES_FILE = "council-votes-to-keep-the-night-buses-running.md"
REFUSED = "Add refused: the old knowledge base is still answering"

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path / "knowledge")


def buses_page(site: NewsSite) -> str:
    page = news_page(
        BUSES_ARTICLE, BUSES_URL, author="Ona Petrov", site="Riverside Gazette", date="2024-05-02"
    )
    return site.page("/night-buses", page)


async def test_a_moderator_adds_an_article_by_its_address_and_answers_cite_the_page(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    audit = fake_discord.add_text_channel("audit")
    address = buses_page(news_site)
    bot = await make_bot(fake_discord, knowledge_dir, audit_channel_id=audit.id, import_allow_private=True)
    async with run_bot(bot):
        assert answered_from(await ask(fake_discord, BUSES_QUESTION)) is None

        reply = await kb(fake_discord, "add", {"url": address})
        answer = await ask(fake_discord, BUSES_QUESTION)
        posted = await fake_discord.wait_for_message(audit)

    assert reply["flags"] & EPHEMERAL
    (embed,) = reply["embeds"]
    assert embed["title"] == "Add done"
    assert embed["url"] == BUSES_URL
    assert embed["description"] == f"From [the page](<{BUSES_URL}>)"
    assert field(embed, "Added") == BUSES_TITLE
    assert field(embed, "Source") == "Riverside Gazette"
    assert field(embed, "Published") == "May 2, 2024"
    assert field(embed, "Paragraphs") == f"3 ({sum(len(p.split()) for p in BUSES_PARAGRAPHS)} words)"
    assert [f["name"] for f in embed["fields"]][:4] == ["Added", "Source", "Published", "Paragraphs"]
    assert field(embed, "Documents") == "2"

    description = answer["description"]
    assert f"— *{BUSES_TITLE}*, paragraph 3 · Riverside Gazette · [source](<{BUSES_URL}>)" in description
    assert "four hundred thousand dollars a winter" in description
    assert posted["content"].startswith(f"📚 add by {fake_discord.moderator.username} ")
    assert f"added {BUSES_TITLE}" in posted["content"]
    assert (knowledge_dir / BUSES_FILE).read_text(encoding="utf-8").startswith(f"---\ntitle: {BUSES_TITLE}\n")


async def test_the_seed_page_is_refused_as_a_second_copy_unless_replace_is_given(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    seed = find_seed_article()
    if seed is None:
        pytest.skip("shared/seed-article.txt not found above the repository")
    canonical = "https://colorlines.example/article/la-sheriff"
    address = news_site.page("/la-sheriff", news_page(Article.read(seed), canonical))
    bot = await make_bot(fake_discord, knowledge_dir, import_allow_private=True)
    async with run_bot(bot):
        refused = (await kb(fake_discord, "add", {"url": address}))["embeds"][0]
        replaced = (await kb(fake_discord, "add", {"url": address, "replace": True}))["embeds"][0]
        answer = await ask(fake_discord, SHERIFF_QUESTION)

    assert refused["title"] == REFUSED
    assert "already holds" in refused["description"]
    assert "use replace:true" in refused["description"]
    assert replaced["title"] == "Add done"
    assert field(replaced, "Added") == SHERIFF
    assert field(replaced, "Removed") == SHERIFF
    assert field(replaced, "Paragraphs").startswith("10 (")
    assert f"[source](<{canonical}>)" in answer["description"]


async def test_a_page_that_cannot_be_imported_is_refused_audited_and_nothing_changes(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    audit = fake_discord.add_text_channel("audit")
    news_site.page("/menu", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    bot = await make_bot(fake_discord, knowledge_dir, audit_channel_id=audit.id, import_allow_private=True)
    before = bot.knowledge.current
    files = sorted(p.name for p in knowledge_dir.iterdir())
    async with run_bot(bot):
        missing = (await kb(fake_discord, "add", {"url": news_site.url("/gone")}))["embeds"][0]
        empty = (await kb(fake_discord, "add", {"url": news_site.url("/menu")}))["embeds"][0]
        posted = await fake_discord.wait_for_message(audit)

    assert missing["title"] == REFUSED
    assert missing["description"] == f"{news_site.url('/gone')}: the server answered 404 Not Found"
    assert empty["title"] == REFUSED
    assert empty["description"] == f"no article text found at {news_site.url('/menu')}"
    assert posted["content"].startswith(f"📚 add by {fake_discord.moderator.username} ")
    assert posted["content"].endswith(f"refused: {news_site.url('/gone')}: the server answered 404 Not Found")
    assert bot.knowledge.current is before
    assert sorted(p.name for p in knowledge_dir.iterdir()) == files


async def test_without_the_setting_the_bot_fetches_no_local_address(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    address = buses_page(news_site)
    bot = await make_bot(fake_discord, knowledge_dir)
    async with run_bot(bot):
        refused = (await kb(fake_discord, "add", {"url": address}))["embeds"][0]
        metadata = (await kb(fake_discord, "add", {"url": "http://169.254.169.254/latest/meta-data/"}))[
            "embeds"
        ][0]

    assert refused["title"] == REFUSED
    assert refused["description"] == (
        "127.0.0.1 is a loopback address: the bot only fetches public web pages"
    )
    assert metadata["description"] == (
        "169.254.169.254 is a link-local address: the bot only fetches public web pages"
    )
    assert news_site.requests == []


async def test_a_member_cannot_make_the_bot_fetch_a_page(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    address = buses_page(news_site)
    bot = await make_bot(fake_discord, knowledge_dir, import_allow_private=True)
    async with run_bot(bot):
        handle = await fake_discord.invoke_command(
            "kb add", {"url": address}, user=fake_discord.user, enforce_default_permissions=False
        )
        refusal = await handle.wait_callback()
        await asyncio.sleep(0.1)

    assert refusal["data"]["content"] == NOT_MODERATOR
    assert news_site.requests == []
    assert bot.knowledge.last_refresh is None


async def test_add_takes_a_file_or_a_url(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    address = buses_page(news_site)
    bot = await make_bot(fake_discord, knowledge_dir, import_allow_private=True)
    async with run_bot(bot):
        neither = await kb(fake_discord, "add")
        both = await kb(
            fake_discord,
            "add",
            {"url": address, "file": fake_discord.add_attachment("x.md", b"---\ntitle: X\n---\n\nText.\n")},
        )

    assert neither["content"] == both["content"] == ADD_ONE_THING
    assert neither["flags"] & EPHEMERAL
    assert news_site.requests == []


async def test_questions_are_answered_while_a_slow_page_downloads(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, news_site: NewsSite
) -> None:
    body = plain_page(BUSES_TITLE, BUSES_PARAGRAPHS).encode()

    async def slow(request: web.Request) -> web.StreamResponse:
        return await trickle(request, body, seconds=3)

    address = news_site.route("/slow", slow)
    bot = await make_bot(fake_discord, knowledge_dir, import_allow_private=True)
    async with run_bot(bot):
        adding = await fake_discord.invoke_command("kb add", {"url": address}, user=fake_discord.moderator)
        assert (await adding.wait_callback())["type"] == 5  # deferred: the page is downloading
        during = []
        for _ in range(3):
            started = time.perf_counter()
            embed = await ask(fake_discord, SHERIFF_QUESTION, timeout=5)
            during.append((answered_from(embed), time.perf_counter() - started, bool(adding.followups)))
        done = (await adding.wait_followup(timeout=20))["embeds"][0]

    for document, seconds, finished in during:
        assert document == SHERIFF
        assert seconds < 1.0
        assert not finished
    assert done["title"] == "Add done"
    assert field(done, "Added") == BUSES_TITLE
