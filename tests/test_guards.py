"""Who may do what and how often: questions, mentions, moderators, cooldowns (no network)."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import MagicMock

import discord
import pytest

from bot.discord_app.client import cooldown_message
from bot.discord_app.guards import (
    QuestionLimiter,
    QuestionOnCooldown,
    is_moderator,
    looks_like_question,
    strip_mentions,
)
from bot.settings import Settings

BOT_ID = 123456789012345678
MODERATOR_ROLE = 222222222222222222


@pytest.fixture(autouse=True)
def no_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.chdir(tmp_path)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "text",
    [
        "Who sued Sheriff Baca?",
        "who sued sheriff baca",
        "How many immigrants are held",
        "What's the TRUST Act",
        "Did Harris say that?!",
        "the lawsuit was filed when?",
        "  Why, exactly, did he change his mind  ",
        "Does the article mention ICE?.",
        "sooo the lawsuit was filed when?? 😂😂",
        "baca did this bc of the AG? <:pepe_think:812345678901234567>",
        "the AG memo said what? https://oag.ca.gov/news",
    ],
)
def test_questions_are_recognised(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Thanks, that helped.",
        "good morning everyone",
        "whoever wrote this is great",
        "I wonder.",
        "great article 😂 <:pepe:812345678901234567>",
        "it was fine, see https://example.com/faq?x=1",
    ],
)
def test_other_messages_are_not_questions(text: str) -> None:
    assert not looks_like_question(text)


def test_mentions_of_the_bot_are_removed_from_the_question() -> None:
    assert strip_mentions(f"<@{BOT_ID}> who sued Baca?", BOT_ID) == "who sued Baca?"
    assert strip_mentions(f"<@!{BOT_ID}>, who sued Baca?", BOT_ID) == "who sued Baca?"
    assert strip_mentions(f"<@{BOT_ID}>: <@{BOT_ID}> who\nsued Baca?", BOT_ID) == "who sued Baca?"
    assert strip_mentions(f"Hey <@{BOT_ID}> who sued Baca?", BOT_ID) == "Hey who sued Baca?"
    assert strip_mentions(f"<@{BOT_ID}>", BOT_ID) == ""
    # Other people mentioned in the middle of a question stay (and never ping: see the e2e tests).
    assert "<@42424242424242424>" in strip_mentions(f"<@{BOT_ID}> did <@42424242424242424> sue?", BOT_ID)


def member(manage_guild: bool = False, role_ids: tuple[int, ...] = ()) -> MagicMock:
    mock = MagicMock(spec=discord.Member)
    mock.guild_permissions = discord.Permissions(manage_guild=manage_guild)
    mock.roles = [MagicMock(spec=discord.Role, id=role_id) for role_id in role_ids]
    return mock


def test_moderators_have_manage_server_or_a_moderator_role() -> None:
    assert is_moderator(member(manage_guild=True), [])
    assert is_moderator(member(role_ids=(1, MODERATOR_ROLE)), [MODERATOR_ROLE])
    assert not is_moderator(member(role_ids=(1,)), [MODERATOR_ROLE])
    assert not is_moderator(member(), [])


def test_nobody_is_a_moderator_in_direct_messages() -> None:
    user = MagicMock(spec=discord.User)
    assert not is_moderator(user, [MODERATOR_ROLE])


def test_the_cooldown_counts_questions_per_member() -> None:
    limiter = QuestionLimiter(settings(cooldown_questions=2, cooldown_seconds=60))
    limiter.hit(1)
    limiter.hit(1)
    limiter.hit(2)  # someone else has their own allowance
    with pytest.raises(QuestionOnCooldown) as raised:
        limiter.hit(1)
    assert 0 < raised.value.retry_after <= 60


def test_a_member_on_cooldown_is_told_once_per_window() -> None:
    limiter = QuestionLimiter(settings(cooldown_questions=1, cooldown_seconds=60))
    assert limiter.should_notify(1)
    assert not limiter.should_notify(1)
    assert not limiter.should_notify(1)
    assert limiter.should_notify(2)


def test_the_cooldown_message_is_polite_and_rounds_up_to_a_second() -> None:
    assert cooldown_message(0.2) == "You're asking quickly! Please wait 1 s before your next question."
    assert cooldown_message(41.6) == "You're asking quickly! Please wait 42 s before your next question."
