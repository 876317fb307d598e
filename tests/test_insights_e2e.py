"""/kb gaps, /kb stats, /kb history and /kb status end to end, over the loopback fake Discord.

Members ask and vote; moderators read the gaps (with gaps.csv), the figures (with the chart), and the
audit log, also after a restart, from the same SQLite database. Every body is checked against
Discord's OpenAPI description by the fake.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fake_discord import BotRunner, CommandNotAvailable, FakeDiscord
from samples import PARK, copy_bundled
from test_bot_e2e import LAWSUIT_QUESTION
from test_feedback_e2e import OFF_TOPIC, make_bot, press

from bot.discord_app.client import NOT_MODERATOR

EPHEMERAL = 1 << 6

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/db/bot.sqlite3"


async def kb(fake: FakeDiscord, command: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A moderator runs /kb <command>; the (private) reply."""
    handle = await fake.invoke_command(f"kb {command}", options or {}, user=fake.moderator)
    deferred = (await handle.wait_callback())["type"] == 5
    reply = dict(await handle.wait_followup(timeout=20) if deferred else await handle.wait_original())
    assert reply["flags"] & EPHEMERAL
    return reply


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


async def ask_in_channel(fake: FakeDiscord, question: str) -> dict[str, Any]:
    await fake.send_message(fake.help_channel, fake.user, question)
    return dict(await fake.wait_for_message(fake.help_channel))


async def test_gaps_lists_declined_and_unhelpful_questions_with_a_csv(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database)):
        reply = await kb(fake, "gaps")
        (empty,) = reply["embeds"]
        assert "Nothing was declined" in empty["description"] and not reply["attachments"]

        await ask_in_channel(fake, OFF_TOPIC)
        await ask_in_channel(fake, "who won the 2012 world series")
        answer = await ask_in_channel(fake, LAWSUIT_QUESTION)
        assert (await press(fake, answer, "Not helpful", fake.user))["type"] == 9

        reply = await kb(fake, "gaps", {"days": 7})

    (embed,) = reply["embeds"]
    assert embed["title"] == "Gaps: the last 7 days"
    found = fields(embed)
    assert list(found) == ["1. Declined ×2", "2. Voted unhelpful ×1"]
    assert found["1. Declined ×2"].splitlines()[1:] == ["2 wordings", "Missing: won, world, series"]
    assert "Shown: `la-sheriff-immigration-holds:p8`" in found["2. Voted unhelpful ×1"]
    (attachment,) = reply["attachments"]
    assert attachment["filename"] == "gaps.csv"
    rows = list(csv.DictReader(io.StringIO(fake.attachment_data(attachment).decode())))
    assert [(r["kind"], r["question"]) for r in rows] == [
        ("declined", "who won the 2012 world series"),
        ("declined", OFF_TOPIC),
        ("unhelpful", LAWSUIT_QUESTION),
    ]


async def test_stats_shows_the_figures_and_attaches_a_chart(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database)):
        answer = await ask_in_channel(fake, LAWSUIT_QUESTION)
        await ask_in_channel(fake, OFF_TOPIC)
        await press(fake, answer, "Helpful", fake.user)
        await press(fake, answer, "Helpful", fake.moderator)
        reply = await kb(fake, "stats")

    (embed,) = reply["embeds"]
    assert embed["title"] == "Questions: the last 30 days"
    found = fields(embed)
    assert (found["Questions"], found["Answered"], found["Declined"]) == ("2", "1", "1")
    assert (found["👍 Helpful"], found["👎 Not helpful"], found["Members asking"]) == ("2", "0", "1")
    assert "`la-sheriff-immigration-holds:p8`: 1 answer" in found["Most cited passages"]
    assert embed["image"]["url"] == "attachment://stats.png"
    (chart,) = reply["attachments"]
    assert chart["filename"] == "stats.png"
    assert fake.attachment_data(chart).startswith(b"\x89PNG")


async def test_history_survives_a_restart_and_status_shows_the_last_changes(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str, tmp_path: Path
) -> None:
    fake = fake_discord
    knowledge = copy_bundled(tmp_path / "knowledge")
    async with run_bot(await make_bot(fake, database, knowledge)):
        (knowledge / "park.md").write_text(PARK, encoding="utf-8")
        await kb(fake, "reload")
        (knowledge / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
        await kb(fake, "reload")
    (knowledge / "broken.md").unlink()
    async with run_bot(await make_bot(fake, database, knowledge)):
        reply = await kb(fake, "history", {"limit": 5})
        status = await kb(fake, "status")

    (embed,) = reply["embeds"]
    lines = embed["description"].splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("⛔ reload by ") and "refused" in lines[0]
    assert lines[1].startswith("✅ reload by ") and "added" in lines[1]
    assert str(fake.moderator.id) in lines[0]
    found = fields(status["embeds"][0])
    assert found["Recent changes"].splitlines() == lines
    assert found["Records"].startswith("sqlite: ")


async def test_members_cannot_read_the_reports(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database)):
        with pytest.raises(CommandNotAvailable):
            await fake.invoke_command("kb gaps", {}, user=fake.user)
        handle = await fake.invoke_command("kb stats", {}, user=fake.user, enforce_default_permissions=False)
        refusal = await handle.wait_callback()
    assert refusal["data"]["content"] == NOT_MODERATOR


async def test_reports_say_when_the_database_is_unavailable(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path
) -> None:
    fake = fake_discord
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    async with run_bot(await make_bot(fake, f"sqlite+aiosqlite:///{blocked}/bot.sqlite3")) as bot:
        bot.question_log.close_timeout = 0.1
        for command in ("gaps", "stats", "history"):
            reply = await kb(fake, command)
            assert reply["content"].startswith("The database is unavailable right now")
        status = await kb(fake, "status")
    found = fields(status["embeds"][0])
    assert found["Recent changes"] == "The database is unavailable right now."
