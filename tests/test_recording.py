"""QuestionLog without Discord: the daily purge, and a database that cannot be opened."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.discord_app.recording import QuestionLog
from bot.store.database import Store, StoreUnavailable
from bot.store.records import QuestionRecord


async def test_the_daily_purge_deletes_questions_past_the_retention(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    store = await Store.open(url)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    await store.write([QuestionRecord("q1", old, None, None, 1, "dm", "old", False, "old", (), ())])
    await store.close()
    log = QuestionLog(url, keep_days=30)
    purging = asyncio.create_task(log.purge_daily(every=3600, first=0))
    for _ in range(100):
        await asyncio.sleep(0.02)
        if not await (await log.store()).has_question("q1"):
            break
    purging.cancel()
    await asyncio.gather(purging, return_exceptions=True)
    assert not await (await log.store()).has_question("q1")
    await log.close()


async def test_an_unusable_database_is_reported_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    log = QuestionLog(f"sqlite+aiosqlite:///{blocked}/bot.sqlite3")
    log.close_timeout = 0.1
    with pytest.raises(StoreUnavailable):
        await log.store()
    await log.purge()
    assert "could not purge old questions" in caplog.text
    await log.start(wait=1.0)
    assert "the database is unavailable" in caplog.text
    await log.close()
