"""Moderators' reports as Discord embeds (/kb gaps, /kb stats, /kb history, the store in /kb status).

Pure functions of what ``bot.store.reports`` returns, within Discord's limits by construction: at most
ten gap groups of at most ``GROUP_LIMIT`` characters each, clipped lists, and ``fit`` as a safety net.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.replies.embeds import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    NO_ANSWER_COLOUR,
    OK_COLOUR,
    clip,
    escape,
    fit,
)
from bot.replies.reports import plural
from bot.store.recorder import RecorderHealth
from bot.store.reports import AuditEntry, GapGroup, Gaps, Stats

GROUP_LIMIT = 480
GAPS_FILE = "gaps.csv"
CHART_FILE = "stats.png"
STATUS_HISTORY = 3
KIND_TITLES = {"declined": "Declined", "unhelpful": "Voted unhelpful"}


def _group_value(group: GapGroup) -> str:
    lines = [f"“{clip(escape(group.example), 200)}”"]
    if group.count > 1 and len(group.texts) > 1:
        lines.append(f"{plural(len(group.texts), 'wording')}")
    if group.unmatched:
        lines.append("Missing: " + clip(escape(", ".join(group.unmatched)), 120))
    if group.passage_id is not None:
        lines.append(f"Shown: `{clip(group.passage_id, 100)}`")
    if group.comments:
        said = "; ".join(f"“{clip(escape(c), 100)}”" for c in group.comments[:3])
        lines.append("Comments: " + said)
    return clip("\n".join(lines), GROUP_LIMIT)


def gaps_embed(gaps: Gaps) -> discord.Embed:
    """The most frequent gaps: count, one example, missing words, the passage shown, comments."""
    period = f"the last {plural(gaps.days, 'day')}"
    if not gaps.groups:
        return discord.Embed(
            title=f"Gaps: {period}",
            description=f"Nothing was declined and no answer was voted unhelpful in {period}.",
            colour=OK_COLOUR,
        )
    asked = sum(group.count for group in gaps.groups)
    shown = len(gaps.top)
    description = (
        f"{plural(asked, 'question')} the knowledge base declined or answered badly, in "
        f"{plural(len(gaps.groups), 'group')} (questions with the same words). "
        f"{'The ' + str(shown) + ' most frequent' if shown < len(gaps.groups) else 'Most frequent first'}; "
        f"every question is in `{GAPS_FILE}`."
    )
    embed = discord.Embed(title=f"Gaps: {period}", description=description, colour=NO_ANSWER_COLOUR)
    for number, group in enumerate(gaps.top, 1):
        embed.add_field(
            name=f"{number}. {KIND_TITLES[group.kind]} ×{group.count}",
            value=_group_value(group),
            inline=False,
        )
    return fit(embed)


def stats_embed(stats: Stats) -> discord.Embed:
    """Questions, answers, votes and the most cited passages; the chart is the attached ``CHART_FILE``."""
    embed = discord.Embed(title=f"Questions: the last {plural(stats.days, 'day')}", colour=OK_COLOUR)
    for name, value in (
        ("Questions", stats.questions),
        ("Answered", stats.answered),
        ("Declined", stats.declined),
        ("👍 Helpful", stats.helpful),
        ("👎 Not helpful", stats.unhelpful),
        ("Members asking", stats.askers),
    ):
        embed.add_field(name=name, value=str(value))
    if stats.top_passages:
        cited = "\n".join(f"`{clip(p, 100)}`: {plural(n, 'answer')}" for p, n in stats.top_passages)
        embed.add_field(name="Most cited passages", value=clip(cited, FIELD_VALUE_LIMIT), inline=False)
    embed.set_image(url=f"attachment://{CHART_FILE}")
    embed.set_footer(text="Questions per day (UTC): answered and declined, stacked")
    return fit(embed)


def history_line(entry: AuditEntry) -> str:
    """One audit entry: accepted or refused, then what, who, when and the outcome."""
    return f"{'✅' if entry.accepted else '⛔'} {escape(entry.summary)}"


def history_embed(entries: Sequence[AuditEntry]) -> discord.Embed:
    """The audit log, newest first."""
    if not entries:
        text = "No knowledge base changes recorded yet."
    else:
        lines: list[str] = []
        for entry in entries:
            line = clip(history_line(entry), 400)
            if sum(len(x) + 1 for x in lines) + len(line) > DESCRIPTION_LIMIT:
                break
            lines.append(line)
        text = "\n".join(lines)
    return fit(discord.Embed(title="Knowledge base changes", description=text, colour=OK_COLOUR))


def health_text(health: RecorderHealth) -> str:
    """The store's health for /kb status."""
    text = f"{health.backend}: {health.written} written, {health.pending} waiting, {health.dropped} dropped"
    if health.failing:
        text += f"\n⚠️ not writing: {escape(health.last_error or 'unknown error')}"
    return clip(text, FIELD_VALUE_LIMIT)


def add_store_status(
    embed: discord.Embed, health: RecorderHealth, entries: Sequence[AuditEntry] | None
) -> discord.Embed:
    """``embed`` (/kb status) with the last audit entries (None: the database is unavailable) and health."""
    if entries is None:
        recent = "The database is unavailable right now."
    elif not entries:
        recent = "No knowledge base changes recorded yet."
    else:
        recent = "\n".join(clip(history_line(e), 300) for e in entries[:STATUS_HISTORY])
    embed.add_field(name="Recent changes", value=clip(recent, FIELD_VALUE_LIMIT), inline=False)
    embed.add_field(name="Records", value=health_text(health), inline=False)
    return fit(embed)
