"""``python -m bot import URL`` as a user sees it: the file written, its summary line, exit codes.

Pages come from the local test web server; the command runs in a worker thread because it starts
its own event loop, as it does from a terminal.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from news_pages import SEED_AUTHOR, Article, NewsSite, find_seed_article, news_page, plain_page
from samples import BUSES_PARAGRAPHS, BUSES_TITLE, PARK, SHERIFF, SHERIFF_FILE, copy_bundled

from bot import cli
from bot.retrieval.documents import load_directory

CANONICAL = "https://colorlines.example/2012/12/05/la-sheriff"
SEED_FILE = "los-angeles-sheriff-will-no-longer-turn-over-low-level-offenders-to-immigration.md"

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def allow_local(isolated_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server is on 127.0.0.1: the setting made for intranet sites lets the bot reach it."""
    monkeypatch.setenv("BOT_IMPORT_ALLOW_PRIVATE", "true")


@pytest.fixture
def seed_page(news_site: NewsSite) -> str:
    path = find_seed_article()
    if path is None:
        pytest.skip("shared/seed-article.txt not found above the repository")
    return news_site.page("/la-sheriff", news_page(Article.read(path), CANONICAL))


@pytest.fixture
def park_only(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "park.md").write_text(PARK, encoding="utf-8")
    return directory


async def run(*argv: str) -> tuple[int, str]:
    """The command, run as from a terminal (its own event loop, in a worker thread)."""
    out = io.StringIO()
    code = await asyncio.to_thread(cli.main, list(argv), out)
    return code, out.getvalue()


@pytest.mark.usefixtures("allow_local")
async def test_import_writes_the_article_and_the_next_question_is_answered_from_it_with_its_link(
    seed_page: str, park_only: Path
) -> None:
    code, out = await run("import", seed_page, "--knowledge", str(park_only))

    assert code == 0
    path = park_only / SEED_FILE
    wrote, summary = out.splitlines()
    assert wrote == f"wrote {path}"
    assert summary.startswith(f"{SHERIFF}: 10 paragraphs, ")
    assert summary.endswith(" words")
    report = load_directory(park_only)
    assert report.ok
    document = next(d for d in report.documents if d.title == SHERIFF)
    assert (document.author, document.url, str(document.published)) == (SEED_AUTHOR, CANONICAL, "2012-12-05")

    code, out = await run("ask", "--json", "--knowledge", str(park_only), "Who filed a lawsuit against Baca?")
    best = json.loads(out)["passages"][0]
    assert best["document"] == SHERIFF
    assert best["url"] == CANONICAL
    assert "filed a lawsuit" in best["text"]


@pytest.mark.usefixtures("allow_local")
async def test_dry_run_prints_the_markdown_and_writes_nothing(seed_page: str, park_only: Path) -> None:
    code, out = await run("import", seed_page, "--dry-run", "--knowledge", str(park_only))

    assert code == 0
    assert out.startswith(f"---\ntitle: {SHERIFF}\n")
    assert f"\nurl: {CANONICAL}\n---\n\n" in out
    assert sorted(p.name for p in park_only.iterdir()) == ["park.md"]


@pytest.mark.usefixtures("allow_local")
async def test_a_title_already_in_the_knowledge_base_is_replaced_only_when_asked(
    seed_page: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = copy_bundled(tmp_path / "knowledge")

    code, out = await run("import", seed_page, "--knowledge", str(directory))
    refused = capsys.readouterr().err
    code_replaced, _ = await run("import", seed_page, "--knowledge", str(directory), "--replace")

    assert (code, out) == (1, "")
    assert refused == (
        f"import refused: {SHERIFF_FILE} already holds '{SHERIFF}'; use replace:true to replace it "
        "(the old one goes to the trash)\n"
    )
    assert code_replaced == 0
    assert sorted(p.name for p in directory.glob("*.md")) == [SEED_FILE]
    (trashed,) = (directory / ".trash").iterdir()
    assert trashed.name.endswith(f"--{SHERIFF_FILE}")


@pytest.mark.usefixtures("allow_local")
async def test_name_chooses_the_file_and_a_name_with_folders_is_a_usage_error(
    news_site: NewsSite, park_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = news_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))

    code, out = await run("import", address, "--name", "night-buses", "--knowledge", str(park_only))
    bad, _ = await run("import", address, "--name", "../x.md", "--knowledge", str(park_only))

    assert code == 0
    assert out.splitlines()[0] == f"wrote {park_only / 'night-buses.md'}"
    assert bad == 2
    assert "--name '../x.md': give a plain .md or .txt file name" in capsys.readouterr().err


@pytest.mark.usefixtures("allow_local")
async def test_a_new_knowledge_folder_is_created_with_the_article(
    news_site: NewsSite, tmp_path: Path
) -> None:
    address = news_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))
    directory = tmp_path / "new" / "knowledge"

    code, _ = await run("import", address, "--knowledge", str(directory))

    assert code == 0
    report = load_directory(directory)
    assert [d.title for d in report.documents] == [BUSES_TITLE]
    assert [p.text for p in report.documents[0].paragraphs] == BUSES_PARAGRAPHS


@pytest.mark.usefixtures("allow_local")
async def test_a_knowledge_folder_with_no_valid_file_is_refused(
    news_site: NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = news_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "broken.md").write_text("---\ntitle: [never closed\n---\n\nText.\n", encoding="utf-8")

    code, _ = await run("import", address, "--knowledge", str(directory))

    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("import refused: the knowledge folder has no valid document\n")
    assert "broken.md:2: bad front matter" in err
    assert sorted(p.name for p in directory.iterdir()) == ["broken.md"]


@pytest.mark.usefixtures("allow_local")
async def test_a_failed_fetch_exits_1_with_one_line(
    news_site: NewsSite, park_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = await run("import", news_site.url("/missing"), "--knowledge", str(park_only))

    assert (code, out) == (1, "")
    assert capsys.readouterr().err == (
        f"import refused: {news_site.url('/missing')}: the server answered 404 Not Found\n"
    )
    assert sorted(p.name for p in park_only.iterdir()) == ["park.md"]


async def test_without_the_setting_a_local_address_is_refused(
    news_site: NewsSite, park_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = news_site.page("/buses", plain_page(BUSES_TITLE, BUSES_PARAGRAPHS))

    code, _ = await run("import", address, "--knowledge", str(park_only))

    assert code == 1
    err = capsys.readouterr().err
    assert err == "import refused: 127.0.0.1 is a loopback address: the bot only fetches public web pages\n"
    assert news_site.requests == []


def test_import_without_an_address_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["import"])
    assert exited.value.code == 2
    assert "url" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("ftp://news.example/a", "ftp://news.example/a: only http:// and https:// addresses can be imported"),
        ("news.example/a", "news.example/a: only http:// and https:// addresses can be imported"),
        ("http://[::1", "'http://[::1' is not a web address"),
    ],
)
def test_an_address_that_is_not_a_web_address_is_a_usage_error(
    address: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", address]) == 2
    assert capsys.readouterr().err == message + "\n"
