"""The reply to ``/kb add url:``: what was added from the page, and a link to it."""

from __future__ import annotations

import discord

from bot.replies.embeds import FIELD_VALUE_LIMIT, clip, escape, fit, refresh_embed
from bot.retrieval.documents import format_date
from bot.retrieval.live import RefreshOutcome
from bot.retrieval.web_article import ImportedArticle

# Discord refuses an embed whose URL is longer; the link is then left out rather than cut.
EMBED_URL_LIMIT = 2048
NOT_STATED = "not stated"


def import_embed(outcome: RefreshOutcome, article: ImportedArticle) -> discord.Embed:
    """``refresh_embed`` of the add, with the article's source, date and paragraphs and its link."""
    embed = refresh_embed(outcome)
    if not outcome.accepted:
        return embed
    if len(article.url) <= EMBED_URL_LIMIT:
        embed.url = article.url
        embed.description = f"From [the page](<{article.url}>)"
    details = (
        ("Source", escape(article.source) if article.source else NOT_STATED),
        ("Published", format_date(article.published) if article.published else NOT_STATED),
        ("Paragraphs", f"{len(article.paragraphs)} ({article.words:,} words)"),
    )
    # After what was added or changed, before the counts of the whole knowledge base.
    position = sum(field.name in ("Added", "Changed") for field in embed.fields)
    for offset, (name, value) in enumerate(details):
        embed.insert_field_at(position + offset, name=name, value=clip(value, FIELD_VALUE_LIMIT))
    return fit(embed)
