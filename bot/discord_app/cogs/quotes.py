"""/quote: what people in the articles said, word for word."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import ArticleBot
from bot.replies.embeds import quotes_embed

# Discord shows at most 25 autocomplete choices, each at most 100 characters.
MAX_CHOICES = 25
CHOICE_LIMIT = 100


class QuotesCog(commands.Cog):
    """Looks up quotations by speaker and by words."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="quote", description="Look up what people in the article said")
    @app_commands.describe(search="Words in the quotation, e.g. apology letter", speaker="Who said it")
    async def quote(
        self, interaction: discord.Interaction, search: str | None = None, speaker: str | None = None
    ) -> None:
        """/quote [search:<text>] [speaker:<name>]"""
        limit = self.bot.settings.max_question_length
        if (search and len(search) > limit) or (speaker and len(speaker) > limit):
            await interaction.response.send_message(
                f"Please keep the search under {limit:,} characters.", ephemeral=True
            )
            return
        self.bot.limiter.hit(interaction.user.id)
        words = search.strip() if search else None
        name = speaker.strip() if speaker else None
        lookup = self.bot.knowledge.current.quotes.find(speaker=name or None, words=words or None)
        await interaction.response.send_message(embed=quotes_embed(lookup, name, words))

    @quote.autocomplete("speaker")
    async def speaker_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Known speakers matching what has been typed, most quoted first."""
        speakers = self.bot.knowledge.current.quotes.suggest_speakers(current, limit=MAX_CHOICES)
        choices = []
        for speaker in speakers[:MAX_CHOICES]:
            label = f"{speaker.name} ({speaker.count} quote{'s' if speaker.count != 1 else ''})"
            choices.append(app_commands.Choice(name=label[:CHOICE_LIMIT], value=speaker.name[:CHOICE_LIMIT]))
        return choices


async def setup(bot: ArticleBot) -> None:
    """Extension entry point."""
    await bot.add_cog(QuotesCog(bot))
