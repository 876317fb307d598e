"""``python -m bot run`` as a process: it connects, answers, and stops cleanly on SIGTERM.

The bot runs in a child process (signals need their own process) pointed at a FakeDiscord served
by the test process; the child patches discord.py's REST base and gateway URL before starting.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fake_discord import FakeDiscord
from fake_discord.gateway import IDENTIFY

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

BOT_SCRIPT = """
import sys

import discord.gateway
import discord.http
import yarl

discord.http.Route.BASE = {api_base!r}
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL({gateway!r})

import bot.discord_app.runner as runner
from bot.discord_app.runner import run
from bot.settings import Settings

{patches}

settings = Settings(
    _env_file=None,
    discord_token={token!r},
    knowledge_dir={knowledge!r},
    guild_ids=[{guild_id}],
    ask_channel_ids=[{channel_id}],
)
sys.exit(run(settings))
"""


def child_environment(tmp_path: Path) -> dict[str, str]:
    """The test's environment without bot settings, the repository importable.

    The bot runs in ``tmp_path``, where there is no ``.env`` and no ``config/bot.toml``.
    """
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("BOT_") and name != "DISCORD_TOKEN"
    }
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environment.get("PYTHONPATH")]))
    return environment


async def start_bot(
    fake: FakeDiscord,
    tmp_path: Path,
    token: str | None = None,
    knowledge: Path = KNOWLEDGE,
    api_base: str | None = None,
    patches: str = "",
) -> asyncio.subprocess.Process:
    script = BOT_SCRIPT.format(
        api_base=api_base or fake.api_base,
        gateway=fake.gateway_url,
        token=token or fake.token,
        knowledge=str(knowledge),
        guild_id=fake.guild.id,
        channel_id=fake.help_channel.id,
        patches=textwrap.dedent(patches),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        textwrap.dedent(script),
        cwd=tmp_path,
        env=child_environment(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def reap(process: asyncio.subprocess.Process) -> None:
    """Kill the bot if a test left it running, and wait for it: no child outlives its test."""
    if process.returncode is None:
        process.kill()
        await process.wait()


async def finish(process: asyncio.subprocess.Process, timeout: float) -> tuple[int, str]:
    """Wait for the process to exit; its exit code and standard error (killed on timeout)."""
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        _, stderr = await process.communicate()
        raise AssertionError(f"the bot did not exit within {timeout}s:\n{stderr.decode()}") from None
    assert process.returncode is not None
    return process.returncode, stderr.decode()


async def test_sigterm_stops_the_bot_cleanly(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    fake = fake_discord
    process = await start_bot(fake, tmp_path)
    try:
        await fake.wait_for_gateway_op(IDENTIFY, timeout=START_TIMEOUT)
        await fake.wait_until_connected(timeout=START_TIMEOUT)
        # It is really up: commands synced and a question answered.
        await fake.send_message(fake.help_channel, fake.user, "Who filed a lawsuit against Sheriff Baca?")
        reply = await fake.wait_for_message(fake.help_channel, timeout=START_TIMEOUT)
        assert reply["embeds"]
        assert fake.command_syncs and fake.command_syncs[-1].guild_id == fake.guild.id

        process.send_signal(signal.SIGTERM)
        code, stderr = await finish(process, STOP_TIMEOUT)
    finally:
        await reap(process)

    assert code == 0, stderr
    assert "shutting down" in stderr
    assert "Traceback" not in stderr
    # The knowledge base is loaded, and says so, before the bot logs in; no voice noise.
    loading = stderr.index("loading 2 knowledge files from ")  # the article and synonyms.txt
    loaded = stderr.index("knowledge base loaded: 1 document, 12 passages, 4 quotes, 142 synonym rules in ")
    assert loading < loaded < stderr.index("logging in using static token")
    assert "PyNaCl" not in stderr
    assert "davey" not in stderr
    # The bot closed its websocket itself: the fake has no live connection left.
    await fake.waiter.until(
        lambda: True if not fake.gateway.connected else None, timeout=2, what="the websocket to close"
    )
    assert fake.gateway.identifies == 1


async def test_a_rejected_token_exits_with_a_clear_message(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    process = await start_bot(fake_discord, tmp_path, token="not-the-token")
    code, stderr = await finish(process, START_TIMEOUT)
    assert code == 1
    assert "Discord rejected DISCORD_TOKEN" in stderr
    assert not fake_discord.gateway.connected


async def test_discord_out_of_reach_at_start_up_is_one_line_after_the_knowledge_warnings(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "good.md").write_text("# Good\n\nFine.\n", encoding="utf-8")
    (knowledge / "bad.md").write_bytes(b"caf\xe9\n")
    # Nothing listens on port 9 of the loopback: the connection is refused, as with no network.
    process = await start_bot(
        fake_discord, tmp_path, knowledge=knowledge, api_base="http://127.0.0.1:9/api/v10"
    )

    code, stderr = await finish(process, START_TIMEOUT)

    assert code == 1
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("cannot reach Discord: Cannot connect to host 127.0.0.1:9")
    assert "1 file left out for errors" in stderr
    assert stderr.index(f"knowledge: {knowledge / 'bad.md'}:1: not UTF-8") < stderr.index("cannot reach")


SLOW_LOAD = """
import time

def slow_build_snapshot(*args, **kwargs):
    time.sleep(60)

runner.build_snapshot = slow_build_snapshot
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
async def test_a_stop_while_the_knowledge_base_loads_stops_at_once(
    fake_discord: FakeDiscord, tmp_path: Path, signum: signal.Signals
) -> None:
    process = await start_bot(fake_discord, tmp_path, patches=SLOW_LOAD)
    try:
        assert process.stderr is not None
        seen = b""
        while b"loading 2 knowledge files from" not in seen:
            line = await asyncio.wait_for(process.stderr.readline(), START_TIMEOUT)
            assert line, seen.decode()
            seen += line

        process.send_signal(signum)
        code, stderr = await finish(process, 3.0)
    finally:
        await reap(process)

    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert not fake_discord.gateway.connected


def test_run_without_a_token_explains_how_to_ask_from_the_terminal(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=child_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "DISCORD_TOKEN" in completed.stderr
    assert "python -m bot ask" in completed.stderr


def test_run_with_an_empty_knowledge_folder_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    environment = child_environment(tmp_path)
    environment.update(DISCORD_TOKEN="some-token", BOT_KNOWLEDGE_DIR=str(tmp_path / "empty"))
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    assert "has nothing to answer from" in completed.stderr


pytestmark = pytest.mark.usefixtures("isolated_settings")
