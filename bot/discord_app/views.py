"""Buttons: paging through more passages, a link to the source, confirming a removal."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.discord_app.client import APOLOGY, send_private
from bot.replies.embeds import PASSAGES_PER_PAGE, answer_embed, page_count
from bot.retrieval.documents import Document
from bot.retrieval.knowledge_base import SearchResult

log = logging.getLogger(__name__)

PAGER_TIMEOUT = 300.0
# Discord refuses a message whose link button URL is longer than this; the citation still links it.
LINK_URL_LIMIT = 512
CONFIRM_TIMEOUT = 60.0


class OwnerOnlyView(discord.ui.View):
    """A view whose buttons only the member who caused it may press."""

    message: discord.Message | None = None
    refusal = "These buttons belong to someone else's question. Ask your own to get buttons you can use."

    def __init__(self, owner_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(self.refusal, ephemeral=True)
        return False

    async def on_timeout(self) -> None:
        for item in self.children:
            # Buttons this view does not dispatch (feedback: dispatched by the bot) keep working.
            if isinstance(item, discord.ui.Button) and item.url is None and item.is_dispatchable():
                item.disabled = True
        if self.message is not None:
            # The message may be gone or the token expired: then there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """A button that fails is answered like a failing command: an apology, the traceback logged."""
        log.error("error in %s of %s", item, type(self).__name__, exc_info=error)
        await send_private(interaction, APOLOGY)


class AnswerPager(OwnerOnlyView):
    """Pages through the rest of the results ("More passages"); a link button opens the source."""

    refusal = "Only the person who asked can page through these passages. Ask your own question to get more."

    def __init__(
        self, result: SearchResult, document_for: Callable[[str], Document | None], owner_id: int
    ) -> None:
        super().__init__(owner_id, PAGER_TIMEOUT)
        self.result = result
        self.document_for = document_for
        self.page = 0
        self.pages = page_count(result)
        url = result.hits[0].passage.citation.url if result.hits else None
        if url and len(url) <= LINK_URL_LIMIT:
            self.add_item(discord.ui.Button(label="Read the source", url=url, style=discord.ButtonStyle.link))
        self._update_buttons()

    @property
    def useful(self) -> bool:
        """True when there is a button left to show: more pages or a link to the source."""
        return bool(self.children)

    def embed(self) -> discord.Embed:
        """The current page as an embed."""
        first = self.result.hits[self.page * PASSAGES_PER_PAGE]
        return answer_embed(self.result, self.document_for(first.passage.doc_id), self.page)

    def _update_buttons(self) -> None:
        self.more_passages.disabled = self.page >= self.pages - 1
        self.back.disabled = self.page == 0
        if self.pages <= 1:
            self.remove_item(self.more_passages)
            self.remove_item(self.back)

    @discord.ui.button(label="Back", style=discord.ButtonStyle.secondary)
    async def back(self, interaction: discord.Interaction, button: discord.ui.Button[AnswerPager]) -> None:
        self.page = max(0, self.page - 1)
        self._update_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="More passages", style=discord.ButtonStyle.primary)
    async def more_passages(
        self, interaction: discord.Interaction, button: discord.ui.Button[AnswerPager]
    ) -> None:
        self.page = min(self.pages - 1, self.page + 1)
        self._update_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)


class ConfirmView(OwnerOnlyView):
    """Confirm / Cancel, for destructive moderator actions."""

    refusal = "Only the moderator who started this can confirm it."

    def __init__(self, owner_id: int) -> None:
        super().__init__(owner_id, CONFIRM_TIMEOUT)
        self.confirmed: bool | None = None

    @discord.ui.button(label="Remove", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        self.confirmed = True
        await self._close(interaction, "Removing…")

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        self.confirmed = False
        await self._close(interaction, "Cancelled: nothing was removed.")

    async def _close(self, interaction: discord.Interaction, text: str) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        await interaction.response.edit_message(content=text, view=self)
        self.stop()
