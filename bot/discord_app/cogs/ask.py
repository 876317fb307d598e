"""Questions: in channels (mention, DM, ask channels) and with /ask."""

from __future__ import annotations

import asyncio
import contextlib

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import ArticleBot, cooldown_message, reply_to
from bot.discord_app.feedback import FeedbackButton, add_feedback, feedback_view
from bot.discord_app.guards import QuestionOnCooldown, looks_like_question, strip_mentions
from bot.discord_app.recording import Origin, search_with_terms
from bot.discord_app.views import AnswerPager
from bot.replies.embeds import EMPTY_QUESTION, answer_embed, plain_message
from bot.store.records import QuestionRecord

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

    async def answer(
        self, question: str, origin: Origin
    ) -> tuple[discord.Embed, discord.ui.View | None, QuestionRecord | None]:
        """Search off the event loop; the reply's embed, its buttons when there are any, and its record.

        The record is queued by the caller once the answer is sent; its id is in the feedback buttons.
        """
        knowledge_base = self.bot.knowledge.current.knowledge_base
        result, terms = await asyncio.to_thread(search_with_terms, knowledge_base, question, PASSAGES_FETCHED)
        record = self.bot.question_log.new_question(result, terms, origin)
        if not result.answered:
            return answer_embed(result), (feedback_view(record.id) if record else None), record
        view = AnswerPager(result, knowledge_base.document, origin.user_id)
        if record is not None:
            return view.embed(), add_feedback(view, record.id), record
        return view.embed(), (view if view.useful else None), record

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
        guild_id = message.guild.id if message.guild else None
        origin = Origin(message.author.id, guild_id, message.channel.id, "channel" if guild_id else "dm")
        async with message.channel.typing():
            embed, view, record = await self.answer(question, origin)
        if view is None:
            await reply_to(message, embed=embed)
        else:
            sent = await reply_to(message, embed=embed, view=view)
            if isinstance(view, AnswerPager):
                view.message = sent
        self.bot.question_log.submit(record)

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
        origin = Origin(interaction.user.id, interaction.guild_id, interaction.channel_id, "slash")
        embed, view, record = await self.answer(question, origin)
        if view is None:
            await interaction.followup.send(embed=embed, ephemeral=private)
        else:
            sent = await interaction.followup.send(embed=embed, view=view, ephemeral=private, wait=True)
            if isinstance(view, AnswerPager):
                view.message = sent
        self.bot.question_log.submit(record)


async def setup(bot: ArticleBot) -> None:
    """Extension entry point."""
    # Feedback buttons of answers sent before a restart keep working: they are matched by custom id.
    bot.add_dynamic_items(FeedbackButton)
    await bot.add_cog(AskCog(bot))
