"""The real bot, end to end, against the loopback fake Discord.

Each test starts ``ArticleBot`` on the bundled knowledge (or a generated one) and acts as Discord
members through ``FakeDiscord``: messages, slash commands, autocomplete, buttons, dropped
connections and failing HTTP requests. What is asserted is what a member would see.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import discord
import pytest
from fake_discord import BotRunner, CommandNotAvailable, FakeDiscord, FakeDiscordTimeout
from fake_discord.gateway import RESUME
from fake_discord.models import JSON

from bot.discord_app.client import APOLOGY, NOT_MODERATOR, ArticleBot
from bot.replies.embeds import NOT_COVERED
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.live import LiveKnowledge
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
ARTICLE_TITLE = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"

MESSAGES = "/channels/{channel_id}/messages"
TYPING = "/channels/{channel_id}/typing"
WEBHOOK_MESSAGE = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"
MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6

LAWSUIT_QUESTION = "Who filed a lawsuit against Sheriff Baca?"
LAWSUIT_SENTENCE = "In October, NDLON and other organizations filed a lawsuit against Sheriff Baca."

LIGHTHOUSE_URL = "https://example.org/harbour-lighthouse"


pytestmark = pytest.mark.usefixtures("isolated_settings")


def lighthouse_knowledge(directory: Path) -> Path:
    """A knowledge folder with a long article in which many paragraphs answer the same question."""
    directory.mkdir()
    paragraphs = [
        f"In {1900 + year} the lighthouse keeper of Port Elin logged {40 + year} ships entering the "
        f"harbour. The keeper of the lighthouse wrote that the {year}th winter storm was the worst."
        for year in range(1, 13)
    ]
    front = (
        "---\n"
        "title: The Port Elin Lighthouse Logbooks\n"
        "source: Harbour Gazette\n"
        "published: 2020-03-01\n"
        f"url: {LIGHTHOUSE_URL}\n"
        "---\n\n"
    )
    (directory / "lighthouse.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return directory


async def make_bot(fake: FakeDiscord, knowledge: Path = KNOWLEDGE, **overrides: Any) -> ArticleBot:
    """The bot under test: guild-synced commands, #help as the ask channel, a generous cooldown."""
    options: dict[str, Any] = {
        "knowledge_dir": knowledge,
        "ask_channel_ids": [fake.help_channel.id],
        "guild_ids": [fake.guild.id],
        "cooldown_questions": 50,
        "cooldown_seconds": 60.0,
    }
    options.update(overrides)
    settings = Settings(_env_file=None, **options)  # type: ignore[call-arg]
    return ArticleBot(settings, knowledge=await LiveKnowledge.open(knowledge), guild_ready_timeout=0.1)


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def only_embed(message: JSON) -> JSON:
    (embed,) = message["embeds"]
    return embed


def buttons(message: JSON) -> list[JSON]:
    return [c for row in message.get("components") or [] for c in row.get("components") or []]


def button(message: JSON, label: str) -> JSON:
    found = [b for b in buttons(message) if b.get("label") == label]
    assert found, f"no button {label!r} in {[b.get('label') for b in buttons(message)]}"
    return found[0]


def embed_text(embed: JSON) -> str:
    parts = [embed.get("title") or "", embed.get("description") or ""]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


# ----------------------------------------------------------------- login and command sync


async def test_logs_in_and_syncs_the_commands_to_the_server(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    async with run_bot(await make_bot(fake_discord)) as bot:
        assert bot.user is not None and bot.user.id == fake_discord.bot_user.id

    (sync,) = fake_discord.command_syncs
    assert sync.guild_id == fake_discord.guild.id
    commands = {command["name"]: command for command in sync.body}
    assert set(commands) == {"ask", "quote", "kb"}

    ask = commands["ask"]
    assert ask["default_member_permissions"] is None
    assert [(o["name"], o["type"], o.get("required", False)) for o in ask["options"]] == [
        ("question", 3, True),
        ("private", 5, False),
    ]

    quote = commands["quote"]
    assert quote["default_member_permissions"] is None
    options = {o["name"]: o for o in quote["options"]}
    assert set(options) == {"search", "speaker"}
    assert not any(o.get("required") for o in options.values())
    assert options["speaker"].get("autocomplete") is True

    kb = commands["kb"]
    assert int(kb["default_member_permissions"]) == MANAGE_GUILD
    assert {"reload", "status"} <= {o["name"] for o in kb["options"] if o["type"] == 1}


# ----------------------------------------------------------------- questions in channels


async def test_a_mentioned_question_gets_the_right_passage_with_its_citation(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        question = await fake.send_message(
            fake.general, fake.user, f"{mention(fake.bot_user.id)}, {LAWSUIT_QUESTION}"
        )
        reply = await fake.wait_for_message(fake.general)

    assert reply["message_reference"]["message_id"] == question["id"]
    assert reply["mentions"] == [] and reply["mention_everyone"] is False
    embed = only_embed(reply)
    assert embed["title"] == LAWSUIT_QUESTION
    assert f"**{LAWSUIT_SENTENCE}**" in embed["description"]
    assert f"*{ARTICLE_TITLE}*, paragraph 8 · Colorlines" in embed["description"]
    assert embed["footer"]["text"] == "Colorlines · December 5, 2012"
    # One page and no source URL: only the feedback buttons.
    assert [b["label"] for b in buttons(reply)] == ["Helpful", "Not helpful"]

    typing = fake.requests_to("POST", TYPING)
    assert [int(r.path.split("/")[2]) for r in typing] == [fake.general.id]
    (sent,) = fake.requests_to("POST", MESSAGES)
    assert sent.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert int(sent.json["message_reference"]["message_id"]) == int(question["id"])
    assert fake.requests.index(typing[0]) < fake.requests.index(sent)


async def test_a_question_in_an_ask_channel_needs_no_mention(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)) as bot:
        assert bot.intents.message_content
        question = await fake.send_message(
            fake.help_channel, fake.user, f"{mention(fake.moderator.id)} what did kamala harris say"
        )
        reply = await fake.wait_for_message(fake.help_channel)

    assert reply["message_reference"]["message_id"] == question["id"]
    assert "Kamala Harris" in only_embed(reply)["description"]


async def test_a_question_in_a_thread_of_an_ask_channel_needs_no_mention(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    elsewhere = await fake.add_thread(fake.general, "not an ask channel")
    async with run_bot(await make_bot(fake)):
        thread = await fake.add_thread(fake.help_channel, "about the sheriff")
        await fake.send_message(elsewhere, fake.user, "Who filed the lawsuit?")
        question = await fake.send_message(thread, fake.user, LAWSUIT_QUESTION)
        reply = await fake.wait_for_message()
        with pytest.raises(FakeDiscordTimeout):
            await fake.wait_for_message(timeout=0.3)

    assert reply["channel_id"] == str(thread.id)
    assert reply["message_reference"]["message_id"] == question["id"]
    assert LAWSUIT_SENTENCE in only_embed(reply)["description"]


async def test_a_question_deleted_before_the_answer_still_gets_it_without_an_error(
    fake_discord: FakeDiscord, run_bot: BotRunner, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        question = await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        # Gone before the bot has even read it: the answer cannot refer to it any more.
        await fake.delete_message(question)
        reply = await fake.wait_for_message(fake.help_channel)
        with pytest.raises(FakeDiscordTimeout):
            await fake.wait_for_message(timeout=0.3)

    assert LAWSUIT_SENTENCE in only_embed(reply)["description"]
    assert reply["content"] != APOLOGY
    assert [r.status for r in fake.requests_to("POST", MESSAGES)] == [200]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_statements_and_other_channels_are_ignored(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.help_channel, fake.user, "Thanks, that helped a lot.")
        await fake.send_message(fake.general, fake.user, "Who filed the lawsuit?")  # no mention
        last = await fake.send_message(fake.help_channel, fake.user, "Who filed the lawsuit?")
        reply = await fake.wait_for_message()
        with pytest.raises(FakeDiscordTimeout):
            await fake.wait_for_message(timeout=0.3)

    assert reply["message_reference"]["message_id"] == last["id"]
    assert len(fake.requests_to("POST", MESSAGES)) == 1


async def test_other_bots_are_ignored(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    other_bot = fake.world.add_user("otherbot", bot=True)
    fake.world.add_member(fake.guild, other_bot)
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.general, other_bot, f"{mention(fake.bot_user.id)} {LAWSUIT_QUESTION}")
        with pytest.raises(FakeDiscordTimeout):
            await fake.wait_for_message(timeout=0.3)
    assert fake.requests_to("POST", MESSAGES) == []


async def test_a_direct_message_is_answered(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    dm = fake.dm_channel(fake.user)
    async with run_bot(await make_bot(fake)):
        await fake.send_message(dm, fake.user, "who filed a lawsuit against sheriff baca")
        reply = await fake.wait_for_message(dm)
    assert LAWSUIT_SENTENCE in only_embed(reply)["description"]
    assert fake.requests_to("POST", TYPING)


async def test_an_uncovered_question_gets_a_friendly_no_answer(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.help_channel, fake.user, "What is the capital of France?")
        reply = await fake.wait_for_message(fake.help_channel)
    embed = only_embed(reply)
    assert embed["description"] == NOT_COVERED
    assert "rephras" in NOT_COVERED and "/quote" in NOT_COVERED
    assert not embed.get("fields")
    assert [b["label"] for b in buttons(reply)] == ["Helpful", "Not helpful"]


async def test_asking_what_someone_the_article_never_quotes_said_gets_the_reason(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.help_channel, fake.user, "what did ICE say about bacas decision??")
        reply = await fake.wait_for_message(fake.help_channel)
    embed = only_embed(reply)
    assert embed["description"] == (
        "The article mentions *ICE*, but doesn't report any statement or response from *ICE*."
    )
    assert not embed.get("fields")


async def test_mentions_in_a_question_never_ping(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    text = (
        f"{mention(fake.bot_user.id)} @everyone @here <@&{fake.moderator_role.id}> "
        f"{mention(fake.moderator.id)} who filed a lawsuit against Sheriff Baca?"
    )
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.general, fake.user, text)
        reply = await fake.wait_for_message(fake.general)
        interaction = await fake.invoke_command("ask", {"question": text})
        answer = await interaction.wait_original()

    for message in (reply, answer):
        assert message["mention_everyone"] is False
        assert message["mentions"] == [] and message["mention_roles"] == []
        assert "@everyone" not in embed_text(only_embed(message))
    for request in fake.requests_to("POST", MESSAGES):
        assert request.json["allowed_mentions"]["parse"] == []


# ----------------------------------------------------------------- /ask


async def test_slash_ask_answers_in_public(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        interaction = await fake.invoke_command("ask", {"question": LAWSUIT_QUESTION})
        callback = await interaction.wait_callback()
        answer = await interaction.wait_original()

    assert callback["type"] == 5 and not (callback.get("data") or {}).get("flags")  # deferred in time
    assert not answer["flags"] & EPHEMERAL
    assert f"**{LAWSUIT_SENTENCE}**" in only_embed(answer)["description"]


async def test_asking_what_someone_said_answers_with_their_quotation(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        interaction = await fake.invoke_command("ask", {"question": "any quotes from the AG?"})
        answer = await interaction.wait_original()

    description = only_embed(answer)["description"]
    assert description.startswith("Here is what *Kamala Harris* said in the article.")
    assert '**"In the interest of public safety' in description
    assert "paragraph 4" in description


async def test_a_question_with_custom_emoji_a_link_and_drawn_out_words_is_answered(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        await fake.send_message(
            fake.help_channel,
            fake.user,
            "sooo whooo sued bacaaa?? <:pepe_think:812345678901234567> https://colorlines.com/x",
        )
        reply = await fake.wait_for_message(fake.help_channel)

    description = only_embed(reply)["description"]
    assert f"**{LAWSUIT_SENTENCE}**" in description
    assert "doesn't mention" not in description


async def test_a_chat_question_naming_what_the_article_lacks_says_so(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        await fake.send_message(
            fake.help_channel, fake.user, "wut does the governor of cali think abt the sheriffs decision??"
        )
        reply = await fake.wait_for_message(fake.help_channel)

    assert only_embed(reply)["description"].startswith("The article doesn't mention *governor*")


async def test_slash_ask_private_is_ephemeral(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        interaction = await fake.invoke_command("ask", {"question": LAWSUIT_QUESTION, "private": True})
        callback = await interaction.wait_callback()
        answer = await interaction.wait_original()

    assert callback == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert answer["flags"] & EPHEMERAL
    assert LAWSUIT_SENTENCE in only_embed(answer)["description"]


async def test_slash_ask_without_an_answer(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        interaction = await fake.invoke_command("ask", {"question": "What is the weather on Mars?"})
        answer = await interaction.wait_original()
    assert only_embed(answer)["description"] == NOT_COVERED


# ----------------------------------------------------------------- /quote


async def test_slash_quote_by_speaker_and_by_words(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        by_speaker = await fake.invoke_command("quote", {"speaker": "Kamala Harris"})
        harris = await by_speaker.wait_original()
        by_words = await fake.invoke_command("quote", {"search": "apology letter"})
        apology = await by_words.wait_original()
        both = await fake.invoke_command("quote", {"speaker": "newman", "search": "belligerent"})
        newman = await both.wait_original()
        nobody = await fake.invoke_command("quote", {"speaker": "Lee Baca"})
        unknown = await nobody.wait_original()

    harris_embed = only_embed(harris)
    assert "In the interest of public safety" in harris_embed["description"]
    assert "Kamala Harris" in harris_embed["description"]
    assert "Newman" not in harris_embed["description"]
    first_block = only_embed(apology)["description"].split("\n\n")[0]
    assert "apology letter" in first_block and "Chris Newman" in first_block
    assert "belligerent" in only_embed(newman)["description"]
    assert "Chris Newman" in only_embed(unknown)["description"]  # who is quoted, as a hint


async def test_speaker_autocomplete(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        typed = await fake.autocomplete("quote", {"speaker": "new"}, focused="speaker")
        everyone = await fake.autocomplete("quote", {"speaker": ""}, focused="speaker")
        nothing = await fake.autocomplete("quote", {"speaker": "zzz"}, focused="speaker")

    assert [c["value"] for c in typed] == ["Chris Newman"]
    assert typed[0]["name"] == "Chris Newman (3 quotes)"
    assert [c["value"] for c in everyone] == ["Chris Newman", "Kamala Harris"]
    assert nothing == []


async def test_speaker_autocomplete_offers_at_most_25(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path
) -> None:
    fake = fake_discord
    knowledge = tmp_path / "many-speakers"
    knowledge.mkdir()
    lines = [f'"We counted {n} boats today," Harbourmaster Number{n} Smith said.' for n in range(40)]
    (knowledge / "harbour.md").write_text(
        "# Harbour voices\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8"
    )
    async with run_bot(await make_bot(fake, knowledge)):
        choices = await fake.autocomplete("quote", {"speaker": ""}, focused="speaker")
    assert len(choices) == 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


# ----------------------------------------------------------------- abuse and limits


async def test_cooldown_in_channels_and_for_slash_ask(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake, cooldown_questions=2)):
        for _ in range(2):
            await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
            assert (await fake.wait_for_message(fake.help_channel))["embeds"]
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        notice = await fake.wait_for_message(fake.help_channel)
        slash = await fake.invoke_command("ask", {"question": LAWSUIT_QUESTION})
        refusal = await slash.wait_callback()
        # One notice per window, however often the member keeps asking.
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        # The cooldown is per member: someone else is still answered.
        await fake.send_message(fake.help_channel, fake.moderator, LAWSUIT_QUESTION)
        other = await fake.wait_for_message(fake.help_channel)

    assert notice["content"].startswith("You're asking quickly! Please wait")
    assert not notice["embeds"]
    assert refusal["type"] == 4 and refusal["data"]["flags"] == EPHEMERAL
    assert refusal["data"]["content"].startswith("You're asking quickly!")
    assert other["embeds"] and other["referenced_message"]["author"]["id"] == str(fake.moderator.id)


async def test_a_4000_character_question_is_refused_politely(
    fake_discord: FakeDiscord, run_bot: BotRunner
) -> None:
    fake = fake_discord
    question = ("Why " + "really " * 700)[:3999] + "?"
    assert len(question) == 4000
    async with run_bot(await make_bot(fake)) as bot:
        limit = bot.settings.max_question_length
        await fake.send_message(fake.general, fake.user, f"{mention(fake.bot_user.id)} {question}")
        reply = await fake.wait_for_message(fake.general)
        slash = await fake.invoke_command("ask", {"question": question})
        refusal = await slash.wait_callback()

    assert reply["content"] == (
        f"That question is 4,000 characters long; I can take up to {limit:,}. Please ask it in fewer words."
    )
    assert refusal["type"] == 4 and refusal["data"]["flags"] == EPHEMERAL
    assert refusal["data"]["content"] == reply["content"]


# ----------------------------------------------------------------- moderators


async def test_kb_commands_are_for_moderators_only(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    helper_role = fake.world.add_role(fake.guild, "Helper", 0, position=1)
    helper = fake.add_user("helper", roles=[helper_role])
    async with run_bot(await make_bot(fake, moderator_role_ids=[helper_role.id])):
        # Discord hides /kb from members without Manage Server...
        with pytest.raises(CommandNotAvailable):
            await fake.invoke_command("kb reload", user=fake.user)
        with pytest.raises(CommandNotAvailable):
            await fake.invoke_command("kb status", user=fake.user)
        # ...and if a server admin lifts that, the bot still refuses them.
        refused = await fake.invoke_command("kb reload", user=fake.user, enforce_default_permissions=False)
        refusal = await refused.wait_callback()
        refused_status = await fake.invoke_command(
            "kb status", user=fake.user, enforce_default_permissions=False
        )
        status_refusal = await refused_status.wait_callback()

        by_moderator = await fake.invoke_command("kb status", user=fake.moderator)
        status = await by_moderator.wait_callback()
        by_helper = await fake.invoke_command("kb reload", user=helper, enforce_default_permissions=False)
        reloaded = await by_helper.wait_original()

    for answer in (refusal, status_refusal):
        assert answer["type"] == 4
        assert answer["data"]["content"] == NOT_MODERATOR and answer["data"]["flags"] == EPHEMERAL
    assert status["type"] == 4 and status["data"]["flags"] == EPHEMERAL
    (status_embed,) = status["data"]["embeds"]
    assert status_embed["title"] == "Knowledge base"
    assert reloaded["flags"] & EPHEMERAL
    assert only_embed(reloaded)["title"] == "Reload done"


# ----------------------------------------------------------------- errors


@pytest.fixture
def search_fails_once(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """KnowledgeBase.search raises on its first call, then works again; returns the failed questions."""
    real_search = KnowledgeBase.search
    failed: list[str] = []

    def search(self: KnowledgeBase, question: str, k: int = 3) -> Any:
        if not failed:
            failed.append(question)
            raise RuntimeError("index exploded")
        return real_search(self, question, k)

    monkeypatch.setattr(KnowledgeBase, "search", search)
    return failed


async def test_a_failing_channel_answer_is_an_apology_and_the_bot_stays_up(
    fake_discord: FakeDiscord,
    run_bot: BotRunner,
    search_fails_once: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        first = await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        apology = await fake.wait_for_message(fake.help_channel)
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        answer = await fake.wait_for_message(fake.help_channel)

    assert search_fails_once == [LAWSUIT_QUESTION]
    assert apology["content"] == APOLOGY
    assert apology["message_reference"]["message_id"] == first["id"]
    assert LAWSUIT_SENTENCE in only_embed(answer)["description"]
    assert "RuntimeError: index exploded" in caplog.text


async def test_a_failing_slash_ask_is_an_apology_and_the_bot_stays_up(
    fake_discord: FakeDiscord,
    run_bot: BotRunner,
    search_fails_once: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        failing = await fake.invoke_command("ask", {"question": LAWSUIT_QUESTION, "private": True})
        apology = await failing.wait_original()
        working = await fake.invoke_command("ask", {"question": LAWSUIT_QUESTION})
        answer = await working.wait_original()

    assert search_fails_once == [LAWSUIT_QUESTION]
    assert apology["content"] == APOLOGY and apology["flags"] & EPHEMERAL
    assert LAWSUIT_SENTENCE in only_embed(answer)["description"]
    assert "RuntimeError: index exploded" in caplog.text


# ----------------------------------------------------------------- more passages


async def test_only_the_asker_can_page_through_more_passages(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path
) -> None:
    fake = fake_discord
    knowledge = lighthouse_knowledge(tmp_path / "knowledge")
    question = "What did the lighthouse keeper log in the harbour?"
    async with run_bot(await make_bot(fake, knowledge)):
        await fake.send_message(fake.help_channel, fake.user, question)
        answer = await fake.wait_for_message(fake.help_channel)
        more = button(answer, "More passages")["custom_id"]

        stranger = await fake.click_button(answer, more, user=fake.moderator)
        refusal = await stranger.wait_callback()
        owner = await fake.click_button(answer, more, user=fake.user)
        update = await owner.wait_callback()

    first_page = only_embed(answer)
    assert first_page["footer"]["text"].endswith("page 1 of 3")
    assert first_page["url"] == LIGHTHOUSE_URL
    assert len(first_page["fields"]) == 2
    link = button(answer, "Read the source")
    assert link["url"] == LIGHTHOUSE_URL and link["style"] == 5
    assert button(answer, "Back")["disabled"] is True

    assert refusal["type"] == 4 and refusal["data"]["flags"] == EPHEMERAL
    assert "Only the person who asked" in refusal["data"]["content"]

    assert update["type"] == 7
    second_page = fake.messages[int(answer["id"])]
    assert only_embed(second_page)["footer"]["text"].endswith("page 2 of 3")
    assert only_embed(second_page)["description"] != first_page["description"]
    assert button(second_page, "Back")["disabled"] is False


async def test_a_failing_button_is_an_apology(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    knowledge = lighthouse_knowledge(tmp_path / "knowledge")
    async with run_bot(await make_bot(fake, knowledge)):
        await fake.send_message(fake.help_channel, fake.user, "What did the lighthouse keeper log?")
        answer = await fake.wait_for_message(fake.help_channel)

        def broken(*args: object, **kwargs: object) -> discord.Embed:
            raise RuntimeError("formatting exploded")

        monkeypatch.setattr("bot.discord_app.views.answer_embed", broken)
        click = await fake.click_button(answer, button(answer, "More passages")["custom_id"])
        apology = await click.wait_callback()

    assert apology["type"] == 4
    assert apology["data"]["content"] == APOLOGY and apology["data"]["flags"] == EPHEMERAL


async def test_more_passages_times_out(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_discord
    monkeypatch.setattr("bot.discord_app.views.PAGER_TIMEOUT", 0.2)
    knowledge = lighthouse_knowledge(tmp_path / "knowledge")
    async with run_bot(await make_bot(fake, knowledge)):
        interaction = await fake.invoke_command("ask", {"question": "What did the lighthouse keeper log?"})
        answer = await interaction.wait_original()
        assert button(answer, "More passages")["disabled"] is False
        edit = await fake.wait_for_request(method="PATCH", route=WEBHOOK_MESSAGE, timeout=3)

    assert edit.path.endswith(f"/messages/{answer['id']}")
    expired = fake.messages[int(answer["id"])]
    assert button(expired, "More passages")["disabled"] is True
    assert button(expired, "Back")["disabled"] is True
    assert button(expired, "Read the source").get("disabled") is not True


async def test_a_source_url_too_long_for_a_button_is_linked_from_the_title(
    fake_discord: FakeDiscord, run_bot: BotRunner, tmp_path: Path
) -> None:
    fake = fake_discord
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    article = knowledge / "la-sheriff-immigration-holds.md"
    long_url = "https://example.org/" + "a" * 600
    article.write_text(
        article.read_text().replace("source: Colorlines", f"source: Colorlines\nurl: {long_url}")
    )
    async with run_bot(await make_bot(fake, knowledge)):
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        reply = await fake.wait_for_message(fake.help_channel)

    assert only_embed(reply)["url"] == long_url  # the embed's title links the source
    assert [b["label"] for b in buttons(reply)] == ["Helpful", "Not helpful"]  # and no link button


# ----------------------------------------------------------------- connection trouble


async def test_a_dropped_gateway_connection_is_resumed(fake_discord: FakeDiscord, run_bot: BotRunner) -> None:
    fake = fake_discord
    async with run_bot(await make_bot(fake)):
        await fake.drop_connection()
        await fake.wait_for_gateway_op(RESUME)
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        reply = await fake.wait_for_message(fake.help_channel)
    assert (fake.gateway.identifies, fake.gateway.resumes) == (1, 1)
    assert LAWSUIT_SENTENCE in only_embed(reply)["description"]


@pytest.mark.parametrize("status", [500, 429])
async def test_a_failed_reply_is_retried_and_the_bot_keeps_answering(
    fake_discord: FakeDiscord, run_bot: BotRunner, status: int
) -> None:
    fake = fake_discord
    fake.fail_next("POST", MESSAGES, status=status)
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        first = await fake.wait_for_message(fake.help_channel, timeout=5)
        await fake.send_message(fake.help_channel, fake.user, "What did Kamala Harris say?")
        second = await fake.wait_for_message(fake.help_channel)

    statuses = [r.status for r in fake.requests_to("POST", MESSAGES)]
    assert statuses == [status, 200, 200]
    assert LAWSUIT_SENTENCE in only_embed(first)["description"]
    assert "Kamala Harris" in only_embed(second)["description"]


async def test_a_reply_that_cannot_be_sent_does_not_stop_the_bot(
    fake_discord: FakeDiscord, run_bot: BotRunner, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    fake.fail_next("POST", MESSAGES, status=503)  # not retried by discord.py: the send fails
    async with run_bot(await make_bot(fake)):
        await fake.send_message(fake.help_channel, fake.user, LAWSUIT_QUESTION)
        apology = await fake.wait_for_message(fake.help_channel)
        await fake.send_message(fake.help_channel, fake.user, "What did Kamala Harris say?")
        answer = await fake.wait_for_message(fake.help_channel)

    assert apology["content"] == APOLOGY
    assert "Kamala Harris" in only_embed(answer)["description"]
    assert any(record.levelno == logging.ERROR for record in caplog.records)
