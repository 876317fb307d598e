"""Questions: in channels (mention, DM, ask channels) and with /ask."""

from __future__ import annotations

import asyncio
import contextlib

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import ArticleBot, cooldown_message, reply_to
from bot.discord_app.guards import QuestionOnCooldown, looks_like_question, strip_mentions
from bot.discord_app.views import AnswerPager
from bot.replies.embeds import EMPTY_QUESTION, answer_embed, plain_message

# Passages fetched per question: the first page shows three, "More passages" pages through the rest.
PASSAGES_FETCHED = 9
# A cooldown notice in a channel deletes itself after this many seconds, to keep the channel clean.
NOTICE_SECONDS = 15.0


async def expire(message: discord.Message, delay: float) -> None:
    """Delete ``message`` after ``delay`` seconds (if it is still there)."""
    await asyncio.sleep(delay)
    with contextlib.suppress(discord.HTTPException):
        await message.delete()


class AskCog(commands.Cog):
    """Answers questions about the knowledge base."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    def too_long(self, question: str) -> str | None:
        """The refusal for a question over the length limit, or None."""
        limit = self.bot.settings.max_question_length
        if len(question) <= limit:
            return None
        return (
            f"That question is {len(question):,} characters long; I can take up to {limit:,}. "
            "Please ask it in fewer words."
        )

    async def answer(self, question: str, owner_id: int) -> tuple[discord.Embed, AnswerPager | None]:
        """Search off the event loop; the reply's embed, and its buttons when there are any."""
        knowledge_base = self.bot.knowledge.current.knowledge_base
        result = await asyncio.to_thread(knowledge_base.search, question, PASSAGES_FETCHED)
        if not result.answered:
            return answer_embed(result), None
        view = AnswerPager(result, knowledge_base.document, owner_id)
        return view.embed(), (view if view.useful else None)

    def in_ask_channel(self, channel: discord.abc.Messageable) -> bool:
        """True in an ask channel and in its threads, which members expect to behave like it."""
        ask_channels = self.bot.settings.ask_channel_ids
        if isinstance(channel, discord.Thread):
            return channel.parent_id in ask_channels
        return getattr(channel, "id", None) in ask_channels

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer mentions, DMs, and questions in the ask channels and their threads."""
        bot_user = self.bot.user
        if message.author.bot or bot_user is None or message.author.id == bot_user.id:
            return
        mentioned = bot_user in message.mentions
        direct = message.guild is None
        in_ask_channel = self.in_ask_channel(message.channel)
        question = strip_mentions(message.content, bot_user.id)
        if not (mentioned or direct or (in_ask_channel and looks_like_question(question))):
            return
        if not question:
            await reply_to(message, EMPTY_QUESTION)
            return
        refusal = self.too_long(question)
        if refusal:
            await reply_to(message, refusal)
            return
        try:
            self.bot.limiter.hit(message.author.id)
        except QuestionOnCooldown as cooldown:
            if self.bot.limiter.should_notify(message.author.id):
                notice = await reply_to(message, cooldown_message(cooldown.retry_after))
                # Not delete_after: its task would outlive the bot's shutdown; this one is cancelled.
                self.bot.start_background(expire(notice, NOTICE_SECONDS))
            return
        async with message.channel.typing():
            embed, view = await self.answer(question, message.author.id)
        if view is None:
            await reply_to(message, embed=embed)
        else:
            view.message = await reply_to(message, embed=embed, view=view)

    @app_commands.command(name="ask", description="Ask a question about the article")
    @app_commands.describe(
        question="Your question, e.g. Who filed a lawsuit against Sheriff Baca?",
        private="Only you see the answer (default: everyone in the channel)",
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool = False) -> None:
        """/ask question:<text> [private:<bool>]"""
        question = question.strip()
        if not question:
            await interaction.response.send_message(EMPTY_QUESTION, ephemeral=True)
            return
        refusal = self.too_long(question)
        if refusal:
            await interaction.response.send_message(plain_message(refusal), ephemeral=True)
            return
        self.bot.limiter.hit(interaction.user.id)
        await interaction.response.defer(ephemeral=private, thinking=True)
        embed, view = await self.answer(question, interaction.user.id)
        if view is None:
            await interaction.followup.send(embed=embed, ephemeral=private)
        else:
            view.message = await interaction.followup.send(
                embed=embed, view=view, ephemeral=private, wait=True
            )


async def setup(bot: ArticleBot) -> None:
    """Extension entry point."""
    await bot.add_cog(AskCog(bot))
