"""/kb: moderators keep the knowledge base current without restarting the bot."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import insights
from bot.discord_app.client import ArticleBot
from bot.discord_app.guards import NotModerator, is_moderator
from bot.discord_app.views import ConfirmView
from bot.discord_app.web_add import add_from_web
from bot.replies.embeds import clip, documents_embed, escape, refresh_embed, status_embed
from bot.replies.synonym_replies import synonyms_embed
from bot.retrieval.documents import SYNONYMS_FILE
from bot.retrieval.synonyms import MAX_LINE_CHARS, with_rule, without_rule

MAX_CHOICES = 25
Days = app_commands.Range[int, 1, 3650]
Entries = app_commands.Range[int, 1, 50]
CHOICE_LIMIT = 100
ADD_ONE_THING = "Give either a file or a url: the article to add."


def who(user: discord.abc.User) -> str:
    """How a member is named in the audit log: name and id (names change, ids do not)."""
    return f"{user} ({user.id})"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class KnowledgeCog(commands.GroupCog, group_name="kb", group_description="Manage the bot's knowledge base"):
    """Moderator commands. Discord hides them from members without Manage Server; the bot checks again."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot
        super().__init__()

    def allowed(self, interaction: discord.Interaction) -> bool:
        """True when the member using a /kb command or option may change the knowledge base."""
        return is_moderator(interaction.user, self.bot.settings.moderator_role_ids)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Server admins can change who sees the commands; the bot still refuses non-moderators.
        if not self.allowed(interaction):
            raise NotModerator("not a moderator")
        return True

    @app_commands.command(name="status", description="What the bot answers from, and the last refresh")
    async def status(self, interaction: discord.Interaction) -> None:
        knowledge = self.bot.knowledge
        embed = status_embed(knowledge.current, knowledge.last_refresh)
        embed = await insights.with_store_status(self.bot.question_log, embed)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="list", description="The documents in the knowledge base")
    async def list_documents(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=documents_embed(self.bot.knowledge.current), ephemeral=True
        )

    @app_commands.command(
        name="reload", description="Re-read the knowledge folder (all files valid, or no change)"
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.knowledge.reload(who(interaction.user))
        await interaction.followup.send(embed=refresh_embed(outcome), ephemeral=True)

    @app_commands.command(name="add", description="Add an article: a .md or .txt file, or a web address")
    @app_commands.describe(
        file="A .md or .txt file (UTF-8)",
        url="The address of a news article to import (http or https)",
        replace="Replace a document with the same name or title",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: str | None = None,
        replace: bool = False,
    ) -> None:
        if url is not None and file is None:
            knowledge, settings = self.bot.knowledge, self.bot.settings
            await add_from_web(interaction, knowledge, settings, url, who(interaction.user), replace)
            return
        if file is None or url is not None:
            await interaction.response.send_message(ADD_ONE_THING, ephemeral=True)
            return
        # The name, encoding and front matter are checked by LiveKnowledge.add, so that every refusal
        # is in the audit log; only the size is checked here, before downloading anything.
        limit = self.bot.settings.max_upload_bytes
        if file.size > limit:
            await interaction.response.send_message(
                f"That file is {file.size:,} bytes; the limit is {limit:,}.", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        if len(data) > limit:
            # The declared size is the uploader's word; the bytes are what would be written.
            await interaction.followup.send(
                f"That file is {len(data):,} bytes; the limit is {limit:,}.", ephemeral=True
            )
            return
        outcome = await self.bot.knowledge.add(file.filename, data, who(interaction.user), replace=replace)
        await interaction.followup.send(embed=refresh_embed(outcome), ephemeral=True)

    synonyms = app_commands.Group(name="synonyms", description="Words members use that the articles do not")

    @synonyms.command(name="list", description="The synonyms the bot reads questions with")
    async def synonyms_list(self, interaction: discord.Interaction) -> None:
        rules = self.bot.knowledge.current.knowledge_base.synonyms
        await interaction.response.send_message(embed=synonyms_embed(rules), ephemeral=True)

    @synonyms.command(name="add", description="Teach a synonym: 'sue, sued => lawsuit' or 'cops, police'")
    @app_commands.describe(rule="'a, b => c' reads a and b as c; 'a, b, c' reads any of them as all")
    async def synonyms_add(self, interaction: discord.Interaction, rule: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = with_rule(self._synonyms_text(), rule[: MAX_LINE_CHARS + 1])
        outcome = await self.bot.knowledge.add(
            SYNONYMS_FILE, text.encode(), who(interaction.user), replace=True
        )
        await interaction.followup.send(embed=refresh_embed(outcome), ephemeral=True)

    @synonyms.command(name="remove", description="Forget a synonym rule")
    @app_commands.describe(rule="The rule to remove, as /kb synonyms list shows it")
    async def synonyms_remove(self, interaction: discord.Interaction, rule: str) -> None:
        text = without_rule(self._synonyms_text(), rule)
        if text is None:
            await interaction.response.send_message(
                f"No rule `{clip(escape(rule), 200)}` in the synonyms; `/kb synonyms list` shows them.",
                ephemeral=True,
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.knowledge.add(
            SYNONYMS_FILE, text.encode(), who(interaction.user), replace=True
        )
        await interaction.followup.send(embed=refresh_embed(outcome), ephemeral=True)

    @synonyms_remove.autocomplete("rule")
    async def rule_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not self.allowed(interaction):
            return []
        typed = current.casefold()
        rules = [str(r) for r in self.bot.knowledge.current.knowledge_base.synonyms.rules]
        return [
            app_commands.Choice(name=clip(r, CHOICE_LIMIT), value=r[:CHOICE_LIMIT])
            for r in rules
            if typed in r.casefold()
        ][:MAX_CHOICES]

    def _synonyms_text(self) -> str:
        """The synonyms file as it is on disk now (empty when there is none)."""
        path = self.bot.knowledge.directory / SYNONYMS_FILE
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    @app_commands.command(name="remove", description="Remove a document (its file is kept in the trash)")
    @app_commands.describe(document="The document to remove")
    async def remove(self, interaction: discord.Interaction, document: str) -> None:
        snapshot = self.bot.knowledge.current
        found = snapshot.knowledge_base.document(document) or next(
            (d for d in snapshot.documents if d.title.casefold() == document.casefold()), None
        )
        if found is None:
            await interaction.response.send_message(
                "No such document. Pick one from the list as you type.", ephemeral=True
            )
            return
        view = ConfirmView(interaction.user.id)
        await interaction.response.send_message(
            f"Remove **{clip(escape(found.title), 300)}**? "
            "Its file goes to the trash and can be restored with `/kb restore`.",
            view=view,
            ephemeral=True,
        )
        if await view.wait() or not view.confirmed:
            if view.confirmed is None:
                await interaction.edit_original_response(content="Timed out: nothing was removed.", view=None)
            return
        outcome = await self.bot.knowledge.remove(found.doc_id, who(interaction.user))
        await interaction.edit_original_response(content=None, embed=refresh_embed(outcome), view=None)

    @remove.autocomplete("document")
    async def document_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        # Autocomplete skips interaction_check: without this, anyone could list the documents' ids.
        if not self.allowed(interaction):
            return []
        typed = current.casefold()
        return [
            app_commands.Choice(name=clip(d.title, CHOICE_LIMIT), value=d.doc_id[:CHOICE_LIMIT])
            for d in self.bot.knowledge.current.documents
            if typed in d.title.casefold() or typed in d.doc_id or typed in d.name.casefold()
        ][:MAX_CHOICES]

    @app_commands.command(name="restore", description="Bring a removed or replaced file back from the trash")
    @app_commands.describe(item="The file to restore")
    async def restore(self, interaction: discord.Interaction, item: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.knowledge.restore(item, who(interaction.user))
        await interaction.followup.send(embed=refresh_embed(outcome), ephemeral=True)

    @restore.autocomplete("item")
    async def trash_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        # Autocomplete skips interaction_check: without this, anyone could list the trash.
        if not self.allowed(interaction):
            return []
        typed = current.casefold()
        choices = []
        for entry in self.bot.knowledge.trash_entries():
            label = f"{entry.original_name} (removed {entry.trashed_at:%Y-%m-%d %H:%M} UTC)"
            if typed in label.casefold() and len(entry.name) <= CHOICE_LIMIT:
                choices.append(app_commands.Choice(name=clip(label, CHOICE_LIMIT), value=entry.name))
        return choices[:MAX_CHOICES]

    # --- What the records tell moderators: bot/discord_app/insights.py ---
    @app_commands.command(name="gaps", description="Questions the knowledge base declined or answered badly")
    @app_commands.describe(days="How many days to look back (default 7)")
    async def gaps(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 7
    ) -> None:
        await insights.send_gaps(self.bot.question_log, interaction, days)

    @app_commands.command(
        name="stats", description="Questions asked, answered and declined, votes, and a chart"
    )
    @app_commands.describe(days="How many days to look back (default 30)")
    async def stats(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 30
    ) -> None:
        await insights.send_stats(self.bot.question_log, interaction, days)

    @app_commands.command(
        name="history", description="The knowledge base's change log (kept across restarts)"
    )
    @app_commands.describe(limit="How many changes to show, newest first (default 10)")
    async def history(
        self, interaction: discord.Interaction, limit: app_commands.Range[int, 1, 50] = 10
    ) -> None:
        await insights.send_history(self.bot.question_log, interaction, limit)


async def setup(bot: ArticleBot) -> None:
    """Extension entry point."""
    await bot.add_cog(KnowledgeCog(bot))
