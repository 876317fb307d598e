"""The storage settings: defaults, and a bad value named clearly."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

pytestmark = pytest.mark.usefixtures("isolated_settings")


def test_defaults_record_into_a_sqlite_file_for_90_days() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/bot.sqlite3"
    assert settings.record_questions is True
    assert settings.keep_questions_days == 90


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql+asyncpg://bot@db/bot")
    monkeypatch.setenv("BOT_RECORD_QUESTIONS", "false")
    monkeypatch.setenv("BOT_KEEP_QUESTIONS_DAYS", "30")
    settings = load_settings()
    assert (settings.database_url, settings.record_questions, settings.keep_questions_days) == (
        "postgresql+asyncpg://bot@db/bot",
        False,
        30,
    )


def test_keeping_questions_for_no_day_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_KEEP_QUESTIONS_DAYS", "0")
    with pytest.raises(SettingsError, match="BOT_KEEP_QUESTIONS_DAYS"):
        load_settings()
