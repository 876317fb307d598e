"""Shared fixtures: a loopback fake Discord and a runner that drives a real discord.py bot against it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
import pytest_asyncio
from fake_discord import BotRunner, FakeDiscord, patched_discord
from fake_discord import run_bot as run_bot_against
from news_pages import NewsSite

ClientT = TypeVar("ClientT", bound=discord.Client)


@pytest.fixture
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No BOT_* variable, token, .env or config/bot.toml of the developer's machine reaches a test.

    Modules that read settings use it with ``pytestmark = pytest.mark.usefixtures("isolated_settings")``.
    """
    for name in list(os.environ):
        if name.startswith("BOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    # The working directory is empty: no .env and no config/bot.toml.
    monkeypatch.chdir(tmp_path)


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py pointed at it (restored afterwards).

    At teardown the test fails if any request body the bot sent broke Discord's OpenAPI
    schema or message limits (validation is skipped when the spec file is absent).
    """
    fake = FakeDiscord()
    await fake.start()
    try:
        with patched_discord(fake):
            yield fake
    finally:
        await fake.stop()
    fake.assert_spec_valid()


@pytest.fixture
def run_bot(fake_discord: FakeDiscord) -> BotRunner:
    """`async with run_bot(bot) as bot:` runs `bot.start()` against the fake until the block ends.

    Waits until ready; on exit closes the bot and fails if start() raised or discord.py logged
    an error (pass fail_on_logged_errors=False for tests that provoke errors on purpose).
    """

    def runner(client: ClientT, /, **options: Any) -> AbstractAsyncContextManager[ClientT]:
        return run_bot_against(client, fake_discord, **options)

    return runner


@pytest_asyncio.fixture
async def news_site() -> AsyncIterator[NewsSite]:
    """A local web server on 127.0.0.1 serving the pages a test writes (the import tests' internet)."""
    site = NewsSite()
    await site.start()
    try:
        yield site
    finally:
        await site.stop()
