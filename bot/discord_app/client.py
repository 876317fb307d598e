"""The Discord client: a ``commands.Bot`` that loads the knowledge base and the cogs, and handles errors."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
import traceback
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.guards import NotModerator, QuestionLimiter, QuestionOnCooldown
from bot.discord_app.recording import QuestionLog
from bot.replies.embeds import plain_message
from bot.replies.plain import count_of
from bot.retrieval.live import KnowledgeSnapshot, LiveKnowledge, RefreshOutcome
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.quotes",
    "bot.discord_app.cogs.knowledge",
)

APOLOGY = "Sorry, something went wrong while answering. The error has been logged; please try again."
NOT_MODERATOR = "Only moderators (Manage Server, or a moderator role) can change the knowledge base."


def log_snapshot(snapshot: KnowledgeSnapshot, seconds: float) -> None:
    """Log what a start-up load gave: counts and time, then every problem with the files."""
    left_out = len({problem.path for problem in snapshot.warnings if problem.severity == "error"})
    counts = [
        count_of(len(snapshot.documents), "document"),
        count_of(len(snapshot.knowledge_base.passages), "passage"),
        count_of(len(snapshot.quotes.quotes), "quote"),
    ]
    if synonyms := len(snapshot.knowledge_base.synonyms):
        counts.append(count_of(synonyms, "synonym rule"))
    skipped = f"; {count_of(left_out, 'file')} left out for errors" if left_out else ""
    log.info("knowledge base loaded: %s in %.2f s%s", ", ".join(counts), seconds, skipped)
    for problem in snapshot.warnings:
        log.warning("knowledge: %s", problem)


async def reply_to(message: discord.Message, content: str | None = None, **options: Any) -> discord.Message:
    """Reply to ``message`` without pinging its author.

    A member may delete the question before the answer is ready; the answer is then sent without
    the reference (``fail_if_not_exists=False``) instead of failing with "Unknown message".
    """
    reference = message.to_reference(fail_if_not_exists=False)
    return await message.channel.send(content, reference=reference, mention_author=False, **options)


def cooldown_message(retry_after: float) -> str:
    """The polite answer to a member who asks too fast."""
    seconds = max(1, round(retry_after))
    return f"You're asking quickly! Please wait {seconds} s before your next question."


class ArticleBot(commands.Bot):
    """Answers questions about the knowledge base in channels, DMs and slash commands."""

    def __init__(
        self,
        settings: Settings,
        knowledge: LiveKnowledge | None = None,
        question_log: QuestionLog | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        # Mentions and DMs carry their content without the privileged intent; only answering any
        # question in an ask channel needs it, so it is asked for only then.
        intents.message_content = bool(settings.ask_channel_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self._knowledge = knowledge
        self.limiter = QuestionLimiter(settings)
        self.tree.error(self.on_app_command_error)
        self._background: set[asyncio.Task[None]] = set()
        # What the bot records (questions, votes, the /kb audit log): bot/discord_app/recording.py.
        self.question_log = question_log or QuestionLog(
            settings.database_url,
            record_questions=settings.record_questions,
            keep_days=settings.keep_questions_days,
        )

    @property
    def knowledge(self) -> LiveKnowledge:
        """The live knowledge base (available once ``setup_hook`` has run)."""
        if self._knowledge is None:
            raise RuntimeError("the knowledge base is not loaded yet")
        return self._knowledge

    async def setup_hook(self) -> None:
        if self._knowledge is None:
            # ``python -m bot run`` loads (and logs) the knowledge base before connecting; this is
            # for a bot built without one.
            started = time.perf_counter()
            self._knowledge = await LiveKnowledge.open(self.settings.knowledge_dir)
            log_snapshot(self._knowledge.current, time.perf_counter() - started)
        self.knowledge.listeners.append(self.post_audit)
        self.knowledge.listeners.append(self.question_log.record_refresh)
        await self.question_log.start()
        self.start_background(self.question_log.purge_daily())
        for extension in EXTENSIONS:
            try:
                await self.load_extension(extension)
            except Exception:
                log.exception("could not load extension %s", extension)
        await self.sync_commands()
        if self.settings.watch_knowledge:
            self.start_background(self.knowledge.watch())
        # What start-up built (indexes, the database layer's modules) lives as long as the bot: moved out
        # of the cyclic collector's way, full collections no longer stall the event loop walking it.
        gc.freeze()

    def start_background(self, coroutine: Any) -> None:
        """Run ``coroutine`` for the life of the bot, logging (not losing) a crash."""
        task: asyncio.Task[None] = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background_done)

    def _background_done(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    async def sync_commands(self) -> None:
        """Sync slash commands: to the configured servers (instant), else globally."""
        try:
            if self.settings.guild_ids:
                for guild_id in self.settings.guild_ids:
                    guild = discord.Object(id=guild_id)
                    self.tree.copy_global_to(guild=guild)
                    synced = await self.tree.sync(guild=guild)
                    log.info("synced %d commands to server %s", len(synced), guild_id)
            else:
                synced = await self.tree.sync()
                log.info("synced %d commands globally", len(synced))
        except discord.HTTPException:
            log.exception("could not sync slash commands; existing ones keep working")

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        # Records still queued are written before the bot goes (SIGTERM included).
        await self.question_log.close()
        await super().close()

    async def on_ready(self) -> None:
        user = self.user
        log.info("logged in as %s (%s) in %d server(s)", user, user.id if user else "?", len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        """Questions are handled by the ask cog; there are no prefix commands to process."""

    async def post_audit(self, outcome: RefreshOutcome) -> None:
        """Post a knowledge base change to the audit channel, when one is configured."""
        channel_id = self.settings.audit_channel_id
        if channel_id is None:
            return
        channel = self.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("audit channel %s not found or not a text channel", channel_id)
            return
        lines = [f"📚 {discord.utils.escape_markdown(outcome.summary())}"]
        lines.extend(f"`{p}`" for p in outcome.problems[:10])
        try:
            await channel.send(plain_message("\n".join(lines)))
        except discord.HTTPException:
            log.exception("could not post to the audit channel")

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Any event handler's failure: log it, apologise to the asker if there is one, keep running."""
        log.error("error in %s\n%s", event_method, traceback.format_exc())
        message = args[0] if args and isinstance(args[0], discord.Message) else None
        if message is not None and not message.author.bot:
            with contextlib.suppress(discord.HTTPException):
                await reply_to(message, APOLOGY)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Slash command failures: a polite, private answer; the traceback goes to the log."""
        original = getattr(error, "original", error)
        if isinstance(error, NotModerator):
            text = NOT_MODERATOR
        elif isinstance(original, QuestionOnCooldown):
            text = cooldown_message(original.retry_after)
        elif isinstance(error, app_commands.CommandOnCooldown):
            text = cooldown_message(error.retry_after)
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "That command works in a server, not in direct messages."
        elif isinstance(error, app_commands.CheckFailure):
            text = "You can't use that command here."
        else:
            log.error(
                "error in /%s\n%s",
                interaction.command.qualified_name if interaction.command else "?",
                "".join(traceback.format_exception(original)),
            )
            text = APOLOGY
        await send_private(interaction, text)


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """Answer ``interaction`` with an ephemeral message, whether or not it was answered already."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(plain_message(text), ephemeral=True)
        else:
            await interaction.response.send_message(plain_message(text), ephemeral=True)
    except discord.HTTPException:
        log.exception("could not tell the user about an error")
