"""Feedback end to end: the real bot over the loopback fake Discord, with a real SQLite database.

Members press Helpful / Not helpful on answers in channels, DMs, /ask and the pages of "More passages";
the asker and other members vote, change and withdraw; Not helpful offers a form whose text is stored;
buttons keep working after a restart; what was recorded is read back from the database.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fake_discord import BotRunner, FakeDiscord, FakeUser, InteractionHandle
from fake_discord.models import JSON
from sqlalchemy import select
from test_bot_e2e import LAWSUIT_QUESTION, WEBHOOK_MESSAGE, lighthouse_knowledge

from bot.discord_app.client import ArticleBot
from bot.discord_app.feedback import MODAL_TITLE, NOT_RECORDING, THANKS, TOO_OLD, UNAVAILABLE, WITHDRAWN
from bot.discord_app.recording import QuestionLog
from bot.retrieval.live import LiveKnowledge
from bot.settings import Settings
from bot.store import reports
from bot.store.database import Store
from bot.store.schema import questions, votes

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
EPHEMERAL = 1 << 6
MODAL = 9
OFF_TOPIC = "Who won the 2012 World Series?"

pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/db/bot.sqlite3"


async def make_bot(
    fake: FakeDiscord, database: str, knowledge: Path = KNOWLEDGE, **overrides: Any
) -> ArticleBot:
    options: dict[str, Any] = {
        "knowledge_dir": knowledge,
        "ask_channel_ids": [fake.help_channel.id],
        "guild_ids": [fake.guild.id],
        "cooldown_questions": 50,
        "database_url": database,
        **overrides,
    }
    settings = Settings(_env_file=None, **options)  # type: ignore[call-arg]
    return ArticleBot(settings, knowledge=await LiveKnowledge.open(knowledge), guild_ready_timeout=0.1)


def feedback_ids(message: JSON) -> dict[str, str]:
    """Label -> custom id of the feedback buttons on ``message``."""
    found = {}
    for row in message.get("components") or []:
        for component in row.get("components") or []:
            if str(component.get("custom_id", "")).startswith("feedback:"):
                found[component["label"]] = component["custom_id"]
    return found


async def press(fake: FakeDiscord, message: JSON, label: str, user: FakeUser) -> JSON:
    """``user`` presses a feedback button; the bot's callback."""
    handle = await fake.click_button(message, feedback_ids(message)[label], user=user)
    return await handle.wait_callback()


async def press_handle(fake: FakeDiscord, message: JSON, label: str, user: FakeUser) -> InteractionHandle:
    handle = await fake.click_button(message, feedback_ids(message)[label], user=user)
    await handle.wait_callback()
    return handle


def private_text(callback: JSON) -> str:
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL, callback
    return str(callback["data"]["content"])


async def recorded(database: str) -> tuple[list[Any], list[Any]]:
    store = await Store.open(database)
    try:
        async with store.engine.connect() as connection:
            rows = list((await connection.execute(select(questions).order_by(questions.c.asked_at))).all())
            vote_rows = list((await connection.execute(select(votes))).all())
    finally:
        await store.close()
    return rows, vote_rows


async def test_members_vote_change_withdraw_and_comment_on_a_channel_answer(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    other = fake.add_user("other-member")
    async with run_bot(await make_bot(fake, database)):
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)
        assert list(feedback_ids(answer)) == ["Helpful", "Not helpful"]

        assert private_text(await press(fake, answer, "Helpful", fake.user)) == THANKS
        form = await press_handle(fake, answer, "Not helpful", other)
        assert form.callback is not None and form.callback["type"] == MODAL
        assert form.callback["data"]["title"] == MODAL_TITLE
        (text_input,) = [
            c
            for row in form.callback["data"]["components"]
            for c in ([row["component"]] if "component" in row else row["components"])
        ]
        submitted = await fake.submit_modal(
            form, {text_input["custom_id"]: "  the date the lawsuit was filed "}
        )
        assert private_text(await submitted.wait_callback()) == THANKS

        # The asker changes their mind, then withdraws; a third member votes Not helpful, skips the form.
        assert private_text(await press(fake, answer, "Helpful", fake.user)) == WITHDRAWN
        skipped = await press(fake, answer, "Not helpful", fake.moderator)
        assert skipped["type"] == MODAL
        assert private_text(await press(fake, answer, "Not helpful", fake.moderator)) == WITHDRAWN
        assert private_text(await press(fake, answer, "Helpful", fake.moderator)) == THANKS

    rows, vote_rows = await recorded(database)
    (row,) = rows
    assert row.question == LAWSUIT_QUESTION and row.answered and row.source == "channel"
    assert row.guild_id == fake.guild.id and row.channel_id == fake.help_channel.id
    assert json.loads(row.passage_ids)[0].endswith(":p8")
    assert str(fake.user.id) not in row.asker
    assert sorted((v.helpful, v.comment) for v in vote_rows) == [
        (False, "the date the lawsuit was filed"),
        (True, None),
    ]


async def test_an_unhelpful_answer_and_a_declined_question_become_gaps(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database)):
        await fake.send_message(fake.help_channel, fake.user, OFF_TOPIC)
        declined = await fake.wait_for_message(fake.help_channel)
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)
        assert (await press(fake, answer, "Not helpful", fake.user))["type"] == MODAL
        assert list(feedback_ids(declined)) == ["Helpful", "Not helpful"]

    store = await Store.open(database)
    try:
        gaps = await reports.gaps(store, 7)
    finally:
        await store.close()
    # One question each: the most recent first.
    assert [(g.kind, g.example) for g in gaps.groups] == [
        ("unhelpful", LAWSUIT_QUESTION),
        ("declined", OFF_TOPIC),
    ]
    declined_group = next(g for g in gaps.groups if g.kind == "declined")
    assert "series" in declined_group.unmatched


async def test_buttons_keep_working_after_a_restart_and_stop_once_the_answer_is_purged(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database)):
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)
    async with run_bot(await make_bot(fake, database)):
        assert private_text(await press(fake, answer, "Helpful", fake.moderator)) == THANKS
    store = await Store.open(database)
    async with store.engine.begin() as connection:
        await connection.execute(questions.delete())
    await store.close()
    async with run_bot(await make_bot(fake, database)):
        assert private_text(await press(fake, answer, "Helpful", fake.user)) == TOO_OLD


async def test_ask_private_dm_and_more_passages_pages_carry_the_buttons(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str, tmp_path: Path
) -> None:
    fake = fake_discord
    knowledge = lighthouse_knowledge(tmp_path / "knowledge")
    async with run_bot(await make_bot(fake, database, knowledge)):
        interaction = await fake.invoke_command(
            "ask", {"question": "What did the lighthouse keeper log?", "private": True}
        )
        answer = await interaction.wait_followup()
        assert answer["flags"] & EPHEMERAL
        more = await fake.click_button(answer, next(
            c["custom_id"] for row in answer["components"] for c in row["components"]
            if c.get("label") == "More passages"
        ))  # fmt: skip
        assert (await more.wait_callback())["type"] == 7
        second_page = fake.messages[int(answer["id"])]
        assert feedback_ids(second_page) == feedback_ids(answer)
        assert private_text(await press(fake, second_page, "Helpful", fake.moderator)) == THANKS

        dm = fake.dm_channel(fake.user)
        await fake.send_message(dm, fake.user, "What did the lighthouse keeper log?")
        dm_answer = await fake.wait_for_message(dm)
        assert private_text(await press(fake, dm_answer, "Helpful", fake.user)) == THANKS

    rows, vote_rows = await recorded(database)
    assert [(r.source, r.guild_id, r.channel_id) for r in rows] == [
        ("slash", fake.guild.id, fake.general.id),
        ("dm", None, None),
    ]
    assert len(vote_rows) == 2


async def test_with_recording_off_there_are_no_buttons_and_no_questions(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database, record_questions=False)) as bot:
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)
        assert feedback_ids(answer) == {}
        assert bot.question_log.health().written == 0
    rows, _ = await recorded(database)
    assert rows == []


async def test_answers_go_on_while_the_database_is_unavailable(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    async with run_bot(await make_bot(fake, f"sqlite+aiosqlite:///{blocked}/bot.sqlite3")) as bot:
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)
        assert private_text(await press(fake, answer, "Helpful", fake.user)) == UNAVAILABLE
        await asyncio.sleep(0.5)
        health = bot.question_log.health()
        assert health.failing and health.pending == 1 and health.written == 0
        bot.question_log.close_timeout = 0.3
    assert bot.question_log.health().dropped == 1  # given up at shutdown, counted and logged
    assert "the database is unavailable" in caplog.text
    assert "1 record(s) could not be written" in caplog.text


async def test_a_vote_without_a_question_log_says_votes_are_not_recorded(
    fake_discord: FakeDiscord, run_bot: BotRunner, database: str
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, database)) as bot:
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)
        log = bot.question_log
        bot.question_log = None  # type: ignore[assignment]
        try:
            assert private_text(await press(fake, answer, "Helpful", fake.user)) == NOT_RECORDING
        finally:
            bot.question_log = log
    assert isinstance(log, QuestionLog)


async def test_feedback_buttons_stay_when_more_passages_expires(
    fake_discord: FakeDiscord,
    run_bot: BotRunner,
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = fake_discord
    monkeypatch.setattr("bot.discord_app.views.PAGER_TIMEOUT", 0.2)
    knowledge = lighthouse_knowledge(tmp_path / "knowledge")
    async with run_bot(await make_bot(fake, database, knowledge)):
        interaction = await fake.invoke_command("ask", {"question": "What did the lighthouse keeper log?"})
        answer = await interaction.wait_original()
        await fake.wait_for_request(method="PATCH", route=WEBHOOK_MESSAGE, timeout=3)
        expired = fake.messages[int(answer["id"])]
        disabled = {
            c["label"]: bool(c.get("disabled")) for row in expired["components"] for c in row["components"]
        }
        assert disabled["More passages"] and not disabled["Helpful"] and not disabled["Not helpful"]
        assert private_text(await press(fake, expired, "Helpful", fake.user)) == THANKS
