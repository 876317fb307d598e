"""/kb synonyms end to end: a moderator teaches a word from Discord, and members are understood."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_discord import BotRunner, FakeDiscord
from test_kb_e2e import EPHEMERAL, ask, kb, knowledge_dir, make_bot

from bot.retrieval.documents import SYNONYMS_FILE

__all__ = ["knowledge_dir"]  # the fixture, shared with the /kb tests

pytestmark = pytest.mark.usefixtures("isolated_settings")

QUESTION = "did the pigs stop handing ppl over to immigration"


async def test_a_moderator_teaches_a_synonym_lists_it_and_removes_it(
    fake_discord: FakeDiscord, run_bot: BotRunner, knowledge_dir: Path
) -> None:
    bot = await make_bot(fake_discord, knowledge_dir)
    async with run_bot(bot):
        before = await ask(fake_discord, QUESTION)
        empty = (await kb(fake_discord, "synonyms list"))["embeds"][0]

        added = await kb(fake_discord, "synonyms add", {"rule": "pigs, piggies => sheriff"})
        after = await ask(fake_discord, QUESTION)
        listed = (await kb(fake_discord, "synonyms list"))["embeds"][0]
        refused = await kb(fake_discord, "synonyms add", {"rule": "oops =>"})
        removed = await kb(fake_discord, "synonyms remove", {"rule": "pigs, piggies => sheriff"})
        missing = await kb(fake_discord, "synonyms remove", {"rule": "nothing, here"})

    assert "doesn't mention *pigs*" in str(before.get("description"))
    assert "No synonyms yet" in empty["description"]
    assert added["flags"] & EPHEMERAL
    assert added["embeds"][0]["title"] == "Add done"
    assert "doesn't mention *pigs*" not in str(after.get("description"))  # now read as "sheriff"
    assert listed["description"] == "`pigs, piggies => sheriff`"
    assert refused["embeds"][0]["title"].startswith("Add refused")
    assert f"{SYNONYMS_FILE}:2: nothing after '=>'" in refused["embeds"][0]["description"]
    assert removed["embeds"][0]["title"] == "Add done"
    assert (knowledge_dir / SYNONYMS_FILE).read_text(encoding="utf-8") == ""
    assert missing["content"].startswith("No rule `nothing, here`")
    assert len(bot.knowledge.current.knowledge_base.synonyms) == 0
