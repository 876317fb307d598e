"""/kb end to end: the real bot, driven over the loopback fake Discord, refreshes what members are told.

Moderators add, reload, remove and restore; members ask with /ask and must get answers from whatever
is current, including while a large knowledge base is being re-indexed. Members are refused every
/kb command, both where Discord hides it and where a server admin has unhidden it.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from typing import Any

import pytest
from fake_discord import BotRunner, CommandNotAvailable, FakeDiscord, FakeUser
from fake_discord.models import EVERYONE_PERMISSIONS
from samples import (
    BAD_FRONT_MATTER,
    LIBRARY,
    LIBRARY_QUESTION,
    LIBRARY_TITLE,
    PARK,
    PARK_QUESTION,
    PARK_TITLE,
    SHERIFF,
    SHERIFF_ID,
    SHERIFF_QUESTION,
    copy_bundled,
)

from bot.discord_app.client import NOT_MODERATOR, ArticleBot
from bot.replies.embeds import NOT_COVERED
from bot.retrieval.live import LiveKnowledge
from bot.settings import Settings

EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
KB_SUBCOMMANDS = {"status", "list", "reload", "add", "remove", "restore"} | {
    "gaps",
    "stats",
    "history",
    "synonyms",
}


pytestmark = pytest.mark.usefixtures("isolated_settings")


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """The bundled article plus a second one (so that one can be removed)."""
    directory = copy_bundled(tmp_path / "knowledge")
    (directory / "park.md").write_text(PARK, encoding="utf-8")
    return directory


async def make_bot(fake: FakeDiscord, directory: Path, **settings: Any) -> ArticleBot:
    options: dict[str, Any] = {"guild_ids": [fake.guild.id], "cooldown_questions": 100, **settings}
    return ArticleBot(
        Settings(_env_file=None, **options),  # type: ignore[call-arg]
        knowledge=await LiveKnowledge.open(directory),
        guild_ready_timeout=0.1,
    )


async def ask(fake: FakeDiscord, question: str, timeout: float = 10.0) -> dict[str, Any]:
    """A member asks with /ask; the answer's embed."""
    handle = await fake.invoke_command("ask", {"question": question}, user=fake.user)
    message = await handle.wait_followup(timeout=timeout)
    (embed,) = message["embeds"]
    return dict(embed)


def answered_from(embed: dict[str, Any]) -> str | None:
    """The document title cited by an answer (None for "not covered")."""
    description = str(embed.get("description", ""))
    if description == NOT_COVERED:
        return None
    for title in (SHERIFF, LIBRARY_TITLE, PARK_TITLE):
        if f"— *{title}*" in description:
            return title
    return "another document"


async def kb(
    fake: FakeDiscord, command: str, options: dict[str, Any] | None = None, *, user: FakeUser | None = None
) -> dict[str, Any]:
    """A moderator runs /kb <command> (deferred ones included); the reply message."""
    handle = await fake.invoke_command(f"kb {command}", options or {}, user=user or fake.moderator)
    callback = await handle.wait_callback()
    if callback["type"] == 5:
        return dict(await handle.wait_followup(timeout=20))
    return dict(await handle.wait_original())


def field(embed: dict[str, Any], name: str) -> str:
    return next(str(f["value"]) for f in embed.get("fields", []) if f["name"] == name)


def button(message: dict[str, Any], label: str) -> str:
    for row in message["components"]:
        for component in row["components"]:
            if component.get("label") == label:
                return str(component["custom_id"])
    raise AssertionError(f"no {label!r} button")


async def test_a_moderator_adds_a_document_and_the_next_question_is_answered_from_it(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    audit = fake_discord.add_text_channel("audit")
    bot = await make_bot(fake_discord, knowledge_dir, audit_channel_id=audit.id)
    async with run_bot(bot):
        assert answered_from(await ask(fake_discord, LIBRARY_QUESTION)) is None
        upload = fake_discord.add_attachment("library.md", LIBRARY.encode())

        reply = await kb(fake_discord, "add", {"file": upload})

        assert reply["flags"] & EPHEMERAL
        (embed,) = reply["embeds"]
        assert embed["title"] == "Add done"
        assert field(embed, "Added") == LIBRARY_TITLE
        assert field(embed, "Documents") == "3"
        assert answered_from(await ask(fake_discord, LIBRARY_QUESTION)) == LIBRARY_TITLE
        assert answered_from(await ask(fake_discord, SHERIFF_QUESTION)) == SHERIFF

        posted = await fake_discord.wait_for_message(audit)
        assert posted["content"].startswith(f"📚 add by {fake_discord.moderator.username} ")
        assert f"({fake_discord.moderator.id}) at " in posted["content"]
        assert f"added {LIBRARY_TITLE}" in posted["content"]

        status = (await kb(fake_discord, "status"))["embeds"][0]
        listed = (await kb(fake_discord, "list"))["embeds"][0]

    assert (knowledge_dir / "library.md").read_text(encoding="utf-8") == LIBRARY
    assert field(status, "Documents") == "3"
    assert int(field(status, "Passages")) == len(bot.knowledge.current.knowledge_base.passages)
    assert f"add by {fake_discord.moderator.username}" in field(status, "Last refresh")
    assert f"added {LIBRARY_TITLE}" in field(status, "Last refresh")
    assert listed["title"] == "3 document(s)"
    library_passages = sum(p.doc_id == "library" for p in bot.knowledge.current.knowledge_base.passages)
    assert (
        f"**{LIBRARY_TITLE}** · Riverside Gazette · 2021-03-02 · {library_passages} passages (`library.md`)"
        in listed["description"]
    )
    assert f"(`{SHERIFF_ID}.md`)" in listed["description"]


async def test_an_invalid_upload_is_refused_and_the_old_answers_still_come(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    bot = await make_bot(fake_discord, knowledge_dir, max_upload_bytes=2000)
    before = bot.knowledge.current
    files = sorted(p.name for p in knowledge_dir.iterdir())
    async with run_bot(bot):
        bad = await kb(
            fake_discord, "add", {"file": fake_discord.add_attachment("broken.md", BAD_FRONT_MATTER)}
        )
        pdf = await kb(
            fake_discord, "add", {"file": fake_discord.add_attachment("notes.pdf", LIBRARY.encode())}
        )
        big = await kb(fake_discord, "add", {"file": fake_discord.add_attachment("big.md", b"x" * 2001)})
        not_replaced = await kb(
            fake_discord, "add", {"file": fake_discord.add_attachment("park.md", LIBRARY.encode())}
        )
        answer = await ask(fake_discord, SHERIFF_QUESTION)

    refused = "Add refused: the old knowledge base is still answering"
    assert bad["embeds"][0]["title"] == refused
    assert "broken.md:2: bad front matter" in bad["embeds"][0]["description"]
    assert pdf["embeds"][0]["title"] == refused
    assert "is not the name of a .md or .txt file" in pdf["embeds"][0]["description"]
    assert big["content"] == "That file is 2,001 bytes; the limit is 2,000."
    assert not_replaced["embeds"][0]["title"] == refused
    assert "park.md already exists; use replace:true" in not_replaced["embeds"][0]["description"]
    assert answered_from(answer) == SHERIFF
    assert bot.knowledge.current is before
    assert sorted(p.name for p in knowledge_dir.iterdir()) == files


async def test_a_reload_with_one_broken_file_is_refused_whole(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    bot = await make_bot(fake_discord, knowledge_dir)
    async with run_bot(bot):
        (knowledge_dir / "library.md").write_text(LIBRARY, encoding="utf-8")
        (knowledge_dir / "broken.md").write_bytes(BAD_FRONT_MATTER)

        refused = (await kb(fake_discord, "reload"))["embeds"][0]
        during = [await ask(fake_discord, q) for q in (LIBRARY_QUESTION, SHERIFF_QUESTION)]

        (knowledge_dir / "broken.md").unlink()
        accepted = (await kb(fake_discord, "reload"))["embeds"][0]
        after = await ask(fake_discord, LIBRARY_QUESTION)

    assert refused["title"] == "Reload refused: the old knowledge base is still answering"
    assert refused["description"] == "the knowledge base would have invalid files"
    problems = field(refused, "Problems")
    assert f"`{knowledge_dir / 'broken.md'}:2: bad front matter" in problems
    assert "library.md" not in problems
    assert [answered_from(e) for e in during] == [None, SHERIFF]
    assert accepted["title"] == "Reload done"
    assert field(accepted, "Added") == LIBRARY_TITLE
    assert accepted["footer"]["text"].startswith("Indexed in ")
    assert answered_from(after) == LIBRARY_TITLE


async def test_remove_asks_the_moderator_who_asked_then_restore_brings_it_back(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    other_moderator = fake_discord.add_user("mallory", roles=[fake_discord.moderator_role])
    bot = await make_bot(fake_discord, knowledge_dir)
    async with run_bot(bot):
        choices = await fake_discord.autocomplete(
            "kb remove", {"document": "fount"}, focused="document", user=fake_discord.moderator
        )
        assert choices == [{"name": PARK_TITLE, "value": "park"}]

        asked = await fake_discord.invoke_command(
            "kb remove", {"document": "park"}, user=fake_discord.moderator
        )
        question = await asked.wait_original()
        assert question["flags"] & EPHEMERAL
        assert question["content"].startswith(f"Remove **{PARK_TITLE}**?")

        intruder = await fake_discord.click_button(question, button(question, "Remove"), user=other_moderator)
        refusal = await intruder.wait_callback()
        assert refusal["data"]["content"] == "Only the moderator who started this can confirm it."
        assert (knowledge_dir / "park.md").exists()

        confirm = await fake_discord.click_button(
            question, button(question, "Remove"), user=fake_discord.moderator
        )
        await confirm.wait_callback()
        removed = await asked.wait_original(lambda message: bool(message.get("embeds")))
        gone = await ask(fake_discord, PARK_QUESTION)

        trash = await fake_discord.autocomplete(
            "kb restore", {"item": "park"}, focused="item", user=fake_discord.moderator
        )
        (item,) = trash
        restored = (await kb(fake_discord, "restore", {"item": item["value"]}))["embeds"][0]
        back = await ask(fake_discord, PARK_QUESTION)

    assert removed["embeds"][0]["title"] == "Remove done"
    assert field(removed["embeds"][0], "Removed") == PARK_TITLE
    assert removed["components"] == []
    assert answered_from(gone) is None
    assert item["name"].startswith("park.md (removed ")
    assert restored["title"] == "Restore done"
    assert field(restored, "Added") == PARK_TITLE
    assert answered_from(back) == PARK_TITLE
    assert (knowledge_dir / "park.md").read_text(encoding="utf-8") == PARK
    assert list((knowledge_dir / ".trash").iterdir()) == []


async def test_cancelling_a_removal_removes_nothing(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    bot = await make_bot(fake_discord, knowledge_dir)
    before = bot.knowledge.current
    async with run_bot(bot):
        unknown = await kb(fake_discord, "remove", {"document": "no such thing"})
        asked = await fake_discord.invoke_command(
            "kb remove", {"document": PARK_TITLE.lower()}, user=fake_discord.moderator
        )
        question = await asked.wait_original()
        cancel = await fake_discord.click_button(
            question, button(question, "Cancel"), user=fake_discord.moderator
        )
        callback = await cancel.wait_callback()

    assert unknown["content"] == "No such document. Pick one from the list as you type."
    assert callback["type"] == 7
    assert callback["data"]["content"] == "Cancelled: nothing was removed."
    assert bot.knowledge.current is before
    assert (knowledge_dir / "park.md").exists()


KB_INVOCATIONS: list[tuple[str, dict[str, Any]]] = [
    ("status", {}),
    ("list", {}),
    ("reload", {}),
    ("add", {"file": None}),
    ("remove", {"document": "park"}),
    ("restore", {"item": "20200101T000000000000Z--park.md"}),
    ("gaps", {"days": 7}),
    ("stats", {}),
    ("history", {"limit": 3}),
    ("synonyms list", {}),
    ("synonyms add", {"rule": "cops, police"}),
    ("synonyms remove", {"rule": "cops, police"}),
]


async def test_a_member_is_refused_every_kb_command(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    audit = fake_discord.add_text_channel("audit")
    bot = await make_bot(fake_discord, knowledge_dir, audit_channel_id=audit.id)
    before = bot.knowledge.current
    files = sorted(p.name for p in knowledge_dir.iterdir())
    async with run_bot(bot):
        synced = fake_discord.get_command("kb", fake_discord.guild)
        assert synced is not None
        assert synced["default_member_permissions"] == str(MANAGE_GUILD)
        assert (
            {option["name"] for option in synced["options"]}
            == KB_SUBCOMMANDS
            == {c.split()[0] for c, _ in KB_INVOCATIONS}
        )

        refusals = []
        for command, options in KB_INVOCATIONS:
            if "file" in options:
                options = {"file": fake_discord.add_attachment("library.md", LIBRARY.encode())}
            # Discord hides the commands from members without Manage Server...
            with pytest.raises(CommandNotAvailable):
                await fake_discord.invoke_command(f"kb {command}", options, user=fake_discord.user)
            # ...and if a server admin unhides them, the bot refuses them itself.
            handle = await fake_discord.invoke_command(
                f"kb {command}", options, user=fake_discord.user, enforce_default_permissions=False
            )
            refusals.append((command, await handle.wait_callback()))
        await asyncio.sleep(0.1)

    for command, refusal in refusals:
        assert refusal["type"] == 4, command
        assert refusal["data"]["content"] == NOT_MODERATOR, command
        assert refusal["data"]["flags"] & EPHEMERAL, command
    assert bot.knowledge.current is before
    assert bot.knowledge.last_refresh is None
    assert sorted(p.name for p in knowledge_dir.iterdir()) == files
    assert fake_discord.messages_in(audit) == []


async def test_a_member_of_a_moderator_role_may_use_kb_without_manage_server(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editors = fake_discord.world.add_role(fake_discord.guild, "Editors", EVERYONE_PERMISSIONS)
    editor = fake_discord.add_user("eddie", roles=[editors])
    monkeypatch.setenv("BOT_MODERATOR_ROLE_IDS", str(editors.id))
    bot = await make_bot(fake_discord, knowledge_dir)
    assert bot.settings.moderator_role_ids == [editors.id]
    async with run_bot(bot):
        # Without Manage Server Discord hides /kb until the admin allows the role in the server settings.
        with pytest.raises(CommandNotAvailable):
            await fake_discord.invoke_command("kb status", user=editor)
        handle = await fake_discord.invoke_command(
            "kb status", user=editor, enforce_default_permissions=False
        )
        status = await handle.wait_original()
        handle = await fake_discord.invoke_command(
            "kb add",
            {"file": fake_discord.add_attachment("library.md", LIBRARY.encode())},
            user=editor,
            enforce_default_permissions=False,
        )
        added = await handle.wait_followup()

    assert status["embeds"][0]["title"] == "Knowledge base"
    assert added["embeds"][0]["title"] == "Add done"
    assert bot.knowledge.last_refresh is not None
    assert bot.knowledge.last_refresh.requested_by == f"eddie ({editor.id})"


# ----------------------------------------------------------------------------- a large knowledge base

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def generate_knowledge(directory: Path, paragraphs: int, per_file: int = 50, seed: int = 3) -> list[str]:
    """Write ``paragraphs`` paragraphs of Zipf-distributed made-up words; one paragraph per file back."""
    rng = random.Random(seed)
    words = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(8000)})
    weights = [1 / rank**1.07 for rank in range(1, len(words) + 1)]
    samples = []
    for number in range(paragraphs // per_file):
        body = [
            " ".join(
                " ".join(rng.choices(words, weights=weights, k=rng.randint(8, 20))).capitalize() + "."
                for _ in range(rng.randint(2, 5))
            )
            for _ in range(per_file)
        ]
        samples.append(body[number % per_file])
        text = f"---\ntitle: Generated report {number}\n---\n\n" + "\n\n".join(body) + "\n"
        (directory / f"generated-{number:03d}.md").write_text(text, encoding="utf-8")
    return samples


async def test_questions_are_answered_from_the_old_index_while_a_large_reload_runs(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    samples = generate_knowledge(knowledge_dir, paragraphs=5000)
    generated = [" ".join(sorted(sample.rstrip(".").split(), key=len)[-5:]) + "?" for sample in samples[:3]]
    bot = await make_bot(fake_discord, knowledge_dir)
    assert len(bot.knowledge.current.knowledge_base.passages) > 5000
    async with run_bot(bot):
        (knowledge_dir / "library.md").write_text(LIBRARY, encoding="utf-8")
        reload = await fake_discord.invoke_command("kb reload", user=fake_discord.moderator)
        assert (await reload.wait_callback())["type"] == 5  # deferred: the reload is running

        during = []
        for question in [SHERIFF_QUESTION, *generated, LIBRARY_QUESTION, PARK_QUESTION]:
            started = time.perf_counter()
            embed = await ask(fake_discord, question, timeout=5)
            during.append((question, embed, time.perf_counter() - started, bool(reload.followups)))

        done = (await reload.wait_followup(timeout=60))["embeds"][0]
        after = await ask(fake_discord, LIBRARY_QUESTION)

    for question, embed, seconds, reload_finished in during:
        assert not reload_finished, f"the reload ended before {question!r} was answered: make it bigger"
        assert seconds < 2.0, f"{question!r} waited {seconds:.2f} s"
        assert embed["title"] == question
    found = [answered_from(embed) for _, embed, _, _ in during]
    assert found == [SHERIFF, "another document", "another document", "another document", None, PARK_TITLE]
    assert done["title"] == "Reload done"
    assert field(done, "Added") == LIBRARY_TITLE
    assert answered_from(after) == LIBRARY_TITLE
