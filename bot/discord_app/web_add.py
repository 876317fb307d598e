"""``/kb add url:``: the moderator's link, fetched and added like an uploaded file.

The page is fetched by ``bot.retrieval.web_article`` (network I/O on the event loop, extraction in a
worker thread, so questions keep being answered meanwhile) and the file is added by
``LiveKnowledge.add``: the same checks, all-or-nothing reload and audit entry as an upload. A page
that cannot be imported is refused and audited too.
"""

from __future__ import annotations

import discord

from bot.replies.embeds import refresh_embed
from bot.replies.web_import import import_embed
from bot.retrieval.live import LiveKnowledge
from bot.retrieval.web_article import import_article
from bot.retrieval.web_fetch import FetchLimits, ImportRefused
from bot.settings import Settings


async def add_from_web(
    interaction: discord.Interaction,
    knowledge: LiveKnowledge,
    settings: Settings,
    url: str,
    requested_by: str,
    replace: bool,
) -> None:
    """Import ``url`` into the knowledge base and reply to the moderator (privately)."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    limits = FetchLimits(max_bytes=settings.max_upload_bytes, allow_private=settings.import_allow_private)
    try:
        article = await import_article(url, limits)
    except ImportRefused as refusal:
        outcome = await knowledge.refuse("add", requested_by, str(refusal))
        await interaction.followup.send(embed=refresh_embed(outcome), ephemeral=True)
        return
    data = article.to_markdown().encode("utf-8")
    outcome = await knowledge.add(article.file_name, data, requested_by, replace=replace)
    await interaction.followup.send(embed=import_embed(outcome, article), ephemeral=True)
