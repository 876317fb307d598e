"""/kb gaps, /kb stats, /kb history and the store part of /kb status: what the records tell moderators.

The knowledge cog's commands call these; each reads the store, formats with ``bot.replies``, and
answers privately. Records still queued are written first (briefly), so what was just asked counts.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord

from bot.discord_app.recording import QuestionLog
from bot.replies.embeds import plain_message
from bot.replies.report_embeds import (
    CHART_FILE,
    GAPS_FILE,
    STATUS_HISTORY,
    add_store_status,
    gaps_embed,
    history_embed,
    stats_embed,
)
from bot.replies.reports import gaps_csv, stats_chart_png
from bot.store import reports
from bot.store.database import Store, StoreUnavailable
from bot.store.reports import AuditEntry

log = logging.getLogger(__name__)
T = TypeVar("T")

FLUSH_SECONDS = 2.0
# /kb status answers at once (within Discord's three seconds): the audit log gets this long.
STATUS_SECONDS = 1.0
UNAVAILABLE = "The database is unavailable right now, so there is no report. Answers are not affected."


async def _report(
    question_log: QuestionLog,
    interaction: discord.Interaction,
    query: Callable[[Store], Awaitable[T]],
) -> T | None:
    """Defer the reply and run ``query`` on the store, once the queued records are written; None,
    with the member told the database is unavailable, when it is."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        await question_log.recorder.flush(FLUSH_SECONDS)
        return await query(await question_log.store())
    except StoreUnavailable:
        await interaction.followup.send(plain_message(UNAVAILABLE), ephemeral=True)
        return None


async def send_gaps(question_log: QuestionLog, interaction: discord.Interaction, days: int) -> None:
    """Answer /kb gaps: the embed, and every question in ``gaps.csv``."""
    gaps = await _report(question_log, interaction, lambda store: reports.gaps(store, days))
    if gaps is None:
        return
    files = [discord.File(io.BytesIO(gaps_csv(gaps).encode()), filename=GAPS_FILE)] if gaps.groups else []
    await interaction.followup.send(embed=gaps_embed(gaps), files=files, ephemeral=True)


async def send_stats(question_log: QuestionLog, interaction: discord.Interaction, days: int) -> None:
    """Answer /kb stats: the figures, and the chart as a PNG (drawn off the event loop)."""
    stats = await _report(question_log, interaction, lambda store: reports.stats(store, days))
    if stats is None:
        return
    chart = await asyncio.to_thread(stats_chart_png, stats)
    chart_file = discord.File(io.BytesIO(chart), filename=CHART_FILE)
    await interaction.followup.send(embed=stats_embed(stats), file=chart_file, ephemeral=True)


async def send_history(question_log: QuestionLog, interaction: discord.Interaction, limit: int) -> None:
    """Answer /kb history: the audit log, newest first."""
    entries = await _report(question_log, interaction, lambda store: reports.history(store, limit))
    if entries is None:
        return
    await interaction.followup.send(embed=history_embed(entries), ephemeral=True)


async def with_store_status(question_log: QuestionLog, embed: discord.Embed) -> discord.Embed:
    """/kb status's embed with the last audit entries and the store's health."""
    entries: list[AuditEntry] | None
    try:
        async with asyncio.timeout(STATUS_SECONDS):
            entries = await reports.history(await question_log.store(), STATUS_HISTORY)
    except (StoreUnavailable, TimeoutError):
        entries = None
    return add_store_status(embed, question_log.health(), entries)
