"""The bot killed mid-burst: SIGTERM writes every record first; SIGKILL loses at most the last batch interval.

The real bot runs as a child process (``python -m bot run``'s code path, as in ``test_runner.py``) against
the fake Discord of this process, recording into a SQLite file. Members ask quickly; the bot is stopped
while records are still queued. Afterwards the database opens (migrations run) and is intact.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fake_discord import FakeDiscord
from fake_discord.gateway import IDENTIFY
from test_runner import BOT_SCRIPT, KNOWLEDGE, START_TIMEOUT, STOP_TIMEOUT, child_environment, finish, reap

from bot.store.database import Store
from bot.store.recorder import INTERVAL

pytestmark = pytest.mark.usefixtures("isolated_settings")

QUESTIONS = ("Who filed a lawsuit against Sheriff Baca?", "What is NDLON?", "Who won the World Series?")
# A record is written within one batch interval of being queued; this allows for a slow machine.
MARGIN = 1.0


async def start_recording_bot(fake: FakeDiscord, tmp_path: Path) -> asyncio.subprocess.Process:
    script = BOT_SCRIPT.format(
        api_base=fake.api_base,
        gateway=fake.gateway_url,
        token=fake.token,
        knowledge=str(KNOWLEDGE),
        guild_id=fake.guild.id,
        channel_id=fake.help_channel.id,
        patches="",
    )
    environment = child_environment(tmp_path)
    environment.update(BOT_COOLDOWN_QUESTIONS="10000", BOT_DATABASE_URL=f"sqlite:///{tmp_path}/bot.sqlite3")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        textwrap.dedent(script),
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    await fake.wait_for_gateway_op(IDENTIFY, timeout=START_TIMEOUT)
    await fake.wait_until_connected(timeout=START_TIMEOUT)
    return process


async def burst(fake: FakeDiscord, count: int, stop_at: float | None = None) -> list[tuple[str, float]]:
    """Questions asked one every 20 ms (``count`` of them, or until ``stop_at``, a monotonic time), and
    each answer as it arrives: (question, when). Without ``stop_at``, waits for every answer."""
    answered: list[tuple[str, float]] = []
    sent = 0

    async def ask() -> None:
        nonlocal sent
        for number in range(count):
            if stop_at is not None and time.monotonic() >= stop_at:
                return
            await fake.send_message(
                fake.help_channel, fake.user, f"{QUESTIONS[number % len(QUESTIONS)]} #{number}"
            )
            sent += 1
            await asyncio.sleep(0.02)

    asking = asyncio.create_task(ask())
    while len(answered) < (count if stop_at is None else sent + 1):
        timeout = START_TIMEOUT if stop_at is None else max(0.01, stop_at - time.monotonic())
        try:
            reply = await fake.wait_for_message(fake.help_channel, timeout=timeout)
        except Exception:
            if stop_at is not None and time.monotonic() >= stop_at:
                break
            raise
        answered.append((str(reply["embeds"][0]["title"]), time.monotonic()))
        if stop_at is not None and time.monotonic() >= stop_at:
            break
    await asking
    return answered


def recorded_questions(database: Path) -> set[str]:
    async def read() -> set[str]:
        store = await Store.open(f"sqlite:///{database}")
        try:
            async with store.engine.connect() as connection:
                rows = (await connection.exec_driver_sql("SELECT question FROM questions")).all()
        finally:
            await store.close()
        return {row[0] for row in rows}

    return asyncio.run(read())


async def test_sigterm_writes_every_queued_record_before_exit(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    process = await start_recording_bot(fake_discord, tmp_path)
    try:
        answered = await burst(fake_discord, 40)
        process.send_signal(signal.SIGTERM)
        code, stderr = await finish(process, STOP_TIMEOUT)
    finally:
        await reap(process)
    assert code == 0, stderr
    recorded = await asyncio.to_thread(recorded_questions, tmp_path / "bot.sqlite3")
    assert {question for question, _ in answered} <= recorded
    assert len(recorded) == 40


async def test_sigkill_loses_at_most_the_last_batch_interval_and_never_corrupts(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    process = await start_recording_bot(fake_discord, tmp_path)
    try:
        # Killed while members are still asking and answers are still being recorded.
        answered = await burst(fake_discord, 10_000, stop_at=time.monotonic() + 3.0)
        killed_at = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        await process.wait()
    finally:
        await reap(process)
    database = tmp_path / "bot.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    recorded = await asyncio.to_thread(recorded_questions, database)  # opens and migrates again
    older = {question for question, at in answered if at < killed_at - INTERVAL - MARGIN}
    assert len(older) > 20, "the burst was too short to tell"
    assert older <= recorded
    lost = {question for question, _ in answered} - recorded
    print(f"SIGKILL: {len(answered)} answered, {len(recorded)} recorded, {len(lost)} lost", file=sys.stderr)
    # What was lost is at most what was answered in the last moments before the kill.
    assert len({question for question, _ in answered} - recorded) <= len(answered) - len(older)
