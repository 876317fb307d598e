"""Under load the bot loses no question: each is answered, or refused politely as the cooldown says.

Members post a burst of questions at the real bot over the loopback fake Discord; the bursts, the
counting of verdicts and the matching of replies are those of ``benchmarks/load.py``, which prints the
figures (latency, event-loop stalls, memory). These tests check only that the counts add up, with
generous timeouts and no timing assertions.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from fake_discord import BotRunner, ErrorRecords, FakeDiscord
from samples import copy_bundled

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from load import (
    ANSWER,
    ANSWERED,
    ANSWERED_NOT_COVERED,
    NOT_COVERED_REPLY,
    NOTIFIED,
    SILENCED,
    ReloadResult,
    add_members,
    build_bot,
    copy_files,
    plan_questions,
    reload_after_adding,
    run_burst,
    still_answers,
)
from reload_stall import write_knowledge

pytestmark = pytest.mark.usefixtures("isolated_settings")

MEMBERS = 20
QUESTIONS = 200
SECONDS = 3.0
COOLDOWN_QUESTIONS = 5


async def test_every_question_of_a_burst_gets_exactly_one_answer(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path
) -> None:
    fake = fake_discord
    directory = copy_bundled(tmp_path / "knowledge")
    members = add_members(fake, MEMBERS)
    bot = await build_bot(fake, directory, cooldown_questions=QUESTIONS, cooldown_seconds=60.0)
    planned = plan_questions(fake, members, QUESTIONS, SECONDS)
    with ErrorRecords.attached() as errors:
        async with run_bot(bot):
            report = await run_burst(fake, bot, planned, settle_timeout=30)
            answers_after = await still_answers(fake)

    assert errors.records == [], errors.describe()
    assert report.lost == 0, report.counts
    assert report.counts[ANSWERED] + report.counts[ANSWERED_NOT_COVERED] == QUESTIONS
    for question in planned:
        kinds = [reply.kind for reply in report.replies[question.message_id]]
        assert kinds in ([ANSWER], [NOT_COVERED_REPLY]), (question.text, kinds)
    assert answers_after


async def test_a_rate_limited_burst_with_a_reload_midway_accounts_for_every_question(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path
) -> None:
    fake = fake_discord
    directory = copy_bundled(tmp_path / "knowledge")
    staging = tmp_path / "generated"
    staging.mkdir()
    write_knowledge(staging, passages=2000, per_document=50)
    members = add_members(fake, MEMBERS)
    bot = await build_bot(fake, directory, cooldown_questions=COOLDOWN_QUESTIONS, cooldown_seconds=60.0)
    planned = plan_questions(fake, members, QUESTIONS, SECONDS)

    async def reload_midway() -> ReloadResult:
        await asyncio.sleep(SECONDS / 2)
        return await reload_after_adding(
            fake, bot, lambda: copy_files(sorted(staging.glob("*.md")), directory), timeout=30
        )

    with ErrorRecords.attached() as errors:
        async with run_bot(bot):
            report = await run_burst(fake, bot, planned, midway=reload_midway, settle_timeout=30)
            answers_after = await still_answers(fake)

    assert errors.records == [], errors.describe()
    assert report.lost == 0, report.counts
    # Every member asks QUESTIONS / MEMBERS times within one window: the first five are answered,
    # the sixth gets the one notice of the window, the rest are refused without another.
    per_member = QUESTIONS // MEMBERS
    counts = report.counts
    assert counts[ANSWERED] + counts[ANSWERED_NOT_COVERED] == MEMBERS * COOLDOWN_QUESTIONS
    assert counts[NOTIFIED] == MEMBERS
    assert counts[SILENCED] == MEMBERS * (per_member - COOLDOWN_QUESTIONS - 1)
    assert sum(counts.values()) == QUESTIONS
    assert report.reload is not None and report.reload.title == "Reload done"
    assert report.reload.passages > 2000
    assert answers_after
