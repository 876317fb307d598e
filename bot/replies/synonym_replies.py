"""The moderators' synonyms as Discord embeds: pure functions, within Discord's limits."""

from __future__ import annotations

import discord

from bot.replies.embeds import DESCRIPTION_LIMIT, ELLIPSIS, QUOTE_COLOUR, escape, fit
from bot.retrieval.synonyms import Synonyms

EMPTY = (
    "No synonyms yet. Teach one with `/kb synonyms add rule:sue, sued, suing => lawsuit` (the left words "
    "are read as the right ones) or `rule:cops, police` (any of them is read as all of them)."
)


def synonyms_embed(synonyms: Synonyms) -> discord.Embed:
    """The rules, one a line, as many as fit; how to add one when there is none."""
    if not synonyms:
        return discord.Embed(title="Synonyms", description=EMPTY, colour=QUOTE_COLOUR)
    lines: list[str] = []
    used = 0
    for rule in synonyms.rules:
        line = f"`{escape(str(rule)).replace('`', chr(39))}`"
        if used + len(line) + 1 > DESCRIPTION_LIMIT - 60:
            lines.append(f"{ELLIPSIS} and {len(synonyms) - len(lines)} more (see knowledge/synonyms.txt)")
            break
        lines.append(line)
        used += len(line) + 1
    embed = discord.Embed(
        title=f"Synonyms ({len(synonyms)} rules)", description="\n".join(lines), colour=QUOTE_COLOUR
    )
    embed.set_footer(text="Remove one with /kb synonyms remove; changes are reloaded all or nothing.")
    return fit(embed)
