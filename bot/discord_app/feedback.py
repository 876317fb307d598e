"""Feedback on answers: Helpful / Not helpful buttons, and the optional "What were you looking for?" form.

The buttons are dispatched as a dynamic item registered once on the bot: their custom id carries the
answer's id (``feedback:up:<id>``), so they keep working after a restart, for as long as the answer is
kept, without any view held in memory. The views that carry them on answers only draw them.
Anyone may vote once per answer; pressing the same button again withdraws the vote, the other one
changes it. Every acknowledgement is private.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord

from bot.discord_app.client import APOLOGY, send_private
from bot.discord_app.recording import QuestionLog
from bot.store.database import StoreUnavailable

log = logging.getLogger(__name__)

FEEDBACK_ROW = 1
THANKS = "Thanks, noted."
WITHDRAWN = "Your vote is withdrawn."
TOO_OLD = "This answer is no longer kept, so it can't be voted on any more."
UNAVAILABLE = "Votes can't be recorded right now. Please try again in a little while."
NOT_RECORDING = "This bot does not record votes."
MODAL_TITLE = "Thanks, noted. What were you looking for?"
COMMENT_LIMIT = 500
MODAL_TIMEOUT = 900.0


def question_log_of(interaction: discord.Interaction) -> QuestionLog | None:
    """The bot's question log, if it records."""
    found = getattr(interaction.client, "question_log", None)
    return found if isinstance(found, QuestionLog) else None


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"feedback:(?P<vote>up|down):(?P<question>[0-9a-f]{16})",
):
    """👍 Helpful or 👎 Not helpful, on one answer."""

    def __init__(self, question_id: str, helpful: bool) -> None:
        super().__init__(discord.ui.Button(custom_id=feedback_custom_id(question_id, helpful)))
        self.question_id = question_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> FeedbackButton:
        return cls(str(match["question"]), match["vote"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._vote(interaction)
        except Exception:
            log.exception("feedback button failed")
            await send_private(interaction, APOLOGY)

    async def _vote(self, interaction: discord.Interaction) -> None:
        question_log = question_log_of(interaction)
        if question_log is None:
            await send_private(interaction, NOT_RECORDING)
            return
        try:
            now = await question_log.vote(self.question_id, interaction.user.id, self.helpful)
        except KeyError:
            await send_private(interaction, TOO_OLD)
            return
        except StoreUnavailable:
            await send_private(interaction, UNAVAILABLE)
            return
        if now is False:
            await interaction.response.send_modal(FeedbackModal(question_log, self.question_id))
        else:
            await send_private(interaction, THANKS if now else WITHDRAWN)


class FeedbackModal(discord.ui.Modal):
    """The optional form a Not helpful press offers; its text is stored with the vote."""

    looking_for: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="What were you looking for?",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=COMMENT_LIMIT,
        placeholder="Optional: what you hoped the answer would say",
    )

    def __init__(self, question_log: QuestionLog, question_id: str) -> None:
        # Unique per press: discord.py finds a pending form by its custom id.
        super().__init__(
            title=MODAL_TITLE,
            custom_id=f"feedback-form:{question_id}:{secrets.token_hex(4)}",
            timeout=MODAL_TIMEOUT,
        )
        self.question_log = question_log
        self.question_id = question_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text = self.looking_for.value.strip()
        if text:
            self.question_log.comment(self.question_id, interaction.user.id, text)
        await interaction.response.send_message(THANKS, ephemeral=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        log.error("feedback form failed", exc_info=error)
        await send_private(interaction, APOLOGY)


def feedback_custom_id(question_id: str, helpful: bool) -> str:
    """The custom id ``FeedbackButton`` recognises."""
    return f"feedback:{'up' if helpful else 'down'}:{question_id}"


class DrawnFeedbackButton(discord.ui.Button[discord.ui.View]):
    """A feedback button as drawn on an answer. The view carrying it does not dispatch it.

    Dispatching is left to ``FeedbackButton``, registered once on the bot: a view that dispatched it
    (or held a dynamic item) would unregister ``FeedbackButton`` for every answer when it expires,
    and its owner-only check would refuse other members' votes.
    """

    def __init__(self, question_id: str, helpful: bool) -> None:
        super().__init__(
            label="Helpful" if helpful else "Not helpful",
            emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.secondary,
            custom_id=feedback_custom_id(question_id, helpful),
            row=FEEDBACK_ROW,
        )

    def is_dispatchable(self) -> bool:
        return False


def add_feedback(view: discord.ui.View, question_id: str) -> discord.ui.View:
    """``view`` with the two feedback buttons added (on their own row)."""
    view.add_item(DrawnFeedbackButton(question_id, True))
    view.add_item(DrawnFeedbackButton(question_id, False))
    return view


def feedback_view(question_id: str) -> discord.ui.View:
    """The feedback buttons alone, for an answer without other buttons (not kept in memory once sent)."""
    return add_feedback(discord.ui.View(timeout=None), question_id)
