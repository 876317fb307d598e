"""Who may do what, and how often: moderator checks, question cooldowns, what counts as a question."""

from __future__ import annotations

import re
from collections.abc import Iterable

import discord
from discord import app_commands
from discord.ext import commands

from bot.retrieval.chat import MARKUP_OR_LINK
from bot.settings import Settings

QUESTION_WORDS = frozenset(
    "who whom whose what whats what's when where why how which is are was were do does did can could "
    "will would should has have had".split()
)

_LEADING_MENTIONS_RE = re.compile(r"^(?:\s*<@!?\d+>\s*[,:]?)+")
# Mentions, channels, custom emoji and times as Discord writes them in a message, and links.
_MARKUP_OR_LINK_RE = re.compile(MARKUP_OR_LINK, re.IGNORECASE)
# What ends a message without being a word or a question mark: spaces, emoji, "!", ".", ")".
_TRAILING_NON_WORDS_RE = re.compile(r"[^\w?]+$")


class NotModerator(app_commands.CheckFailure):
    """A member without moderator rights tried a /kb command."""


class QuestionOnCooldown(Exception):
    """A member asked more questions than the cooldown allows; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"on cooldown for {retry_after:.0f} s")
        self.retry_after = retry_after


def is_moderator(member: discord.abc.User, moderator_role_ids: Iterable[int]) -> bool:
    """True for members with Manage Server or one of the moderator roles (never in DMs)."""
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    allowed = set(moderator_role_ids)
    return any(role.id in allowed for role in member.roles)


def looks_like_question(text: str) -> bool:
    """A message ending with "?" or starting with a question word ("who", "how", "does", ...).

    What follows the question mark and is no word does not hide it: "who sued baca?? 😂",
    "who sued baca? <:pepe:812345678901234567>", "who sued baca? https://...".
    """
    stripped = text.strip()
    if not stripped:
        return False
    ending = _MARKUP_OR_LINK_RE.sub(" ", stripped)
    if _TRAILING_NON_WORDS_RE.sub("", ending).endswith("?"):
        return True
    first = stripped.split(maxsplit=1)[0].lower().strip(",.:;!")
    return first in QUESTION_WORDS


def strip_mentions(text: str, bot_id: int) -> str:
    """The question without the mentions that start it ("@bot, who ...") or the bot's anywhere."""
    # Leading mentions first, with their comma or colon; then the bot's own elsewhere in the text.
    text = _LEADING_MENTIONS_RE.sub(" ", text)
    text = text.replace(f"<@{bot_id}>", " ").replace(f"<@!{bot_id}>", " ")
    return " ".join(text.split())


class QuestionLimiter:
    """A per-member cooldown shared by channel questions and /ask, so neither path bypasses it."""

    def __init__(self, settings: Settings) -> None:
        self._mapping: commands.CooldownMapping[discord.Object] = commands.CooldownMapping.from_cooldown(
            settings.cooldown_questions, settings.cooldown_seconds, lambda user: user.id
        )
        self._notices: commands.CooldownMapping[discord.Object] = commands.CooldownMapping.from_cooldown(
            1, settings.cooldown_seconds, lambda user: user.id
        )

    def hit(self, user_id: int) -> None:
        """Count one question by ``user_id``; raise ``QuestionOnCooldown`` when over the limit."""
        bucket = self._mapping.get_bucket(discord.Object(id=user_id))
        if bucket is None:
            return
        retry_after = bucket.update_rate_limit()
        if retry_after:
            raise QuestionOnCooldown(retry_after)

    def should_notify(self, user_id: int) -> bool:
        """True the first time in a cooldown window that ``user_id`` is told to wait.

        A member who keeps posting questions in a channel gets one notice, not one per message: a
        stream of notices would be spam of its own and spend the bot's rate limit.
        """
        bucket = self._notices.get_bucket(discord.Object(id=user_id))
        return bucket is None or not bucket.update_rate_limit()
