"""``python -m bot run``: start the bot, stop it cleanly on SIGTERM or Ctrl-C.

Start-up problems are the user's to fix and get one line each, never a traceback: an unusable
knowledge folder, a rejected token, a missing intent, Discord out of reach. Once logged in, network
trouble is discord.py's to handle (it reconnects).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

import aiohttp
import discord

from bot.discord_app.client import ArticleBot, log_snapshot
from bot.replies.plain import count_of
from bot.retrieval.documents import KnowledgeError, knowledge_files
from bot.retrieval.live import LiveKnowledge, build_snapshot
from bot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# What discord.py says at start-up about voice support, which this bot never uses.
VOICE_NOISE = ("PyNaCl is not installed", "davey is not installed")


class DiscordUnreachable(Exception):
    """Discord could not be reached to log in (no network, DNS, a proxy, Discord down)."""


def _not_voice_noise(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(VOICE_NOISE)


def configure_logging(level: str) -> None:
    """Log to standard error, once, with noisy library loggers turned down."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)-8s %(name)s: %(message)s", stream=sys.stderr, force=True
    )
    for noisy in ("discord.gateway", "discord.http", "discord.client", "discord.state"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
    client_log = logging.getLogger("discord.client")
    if _not_voice_noise not in client_log.filters:
        client_log.addFilter(_not_voice_noise)


async def in_daemon_thread(function: Callable[[], T]) -> T:
    """Run ``function`` in a daemon thread and await its result.

    Not ``asyncio.to_thread``: the interpreter waits for the default executor's threads on exit, so
    Ctrl-C during a long load would only stop the process once the load was over.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(error: BaseException | None, result: T | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        error: BaseException | None = None
        result: T | None = None
        try:
            result = function()
        except BaseException as raised:
            error = raised
        # The loop is gone when the process stopped during the work: nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, error, result)

    threading.Thread(target=work, name="knowledge-load", daemon=True).start()
    return await future


async def load_knowledge(directory: Path) -> LiveKnowledge:
    """The knowledge base to start with, logged: files found, then what loaded and how long it took."""
    started = time.perf_counter()
    files = await in_daemon_thread(lambda: len(knowledge_files(directory)) if directory.is_dir() else 0)
    log.info("loading %s from %s ...", count_of(files, "knowledge file"), directory)
    snapshot = await in_daemon_thread(lambda: build_snapshot(directory, "start-up", strict=False))
    log_snapshot(snapshot, time.perf_counter() - started)
    return LiveKnowledge(directory, snapshot)


async def _unless_stopped(stopping: asyncio.Event, work: asyncio.Task[T]) -> T | None:
    """``work``'s result, or None (and ``work`` cancelled) when ``stopping`` is set first."""
    stopper = asyncio.create_task(stopping.wait())
    try:
        done, _ = await asyncio.wait({work, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if work in done:
        return work.result()
    log.info("shutting down")
    work.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await work
    return None


async def _login(bot: ArticleBot, token: str) -> bool:
    """Log in; False when stopped meanwhile. Discord out of reach is ``DiscordUnreachable``."""
    try:
        await bot.login(token)
    except (aiohttp.ClientError, OSError, TimeoutError, discord.DiscordServerError) as error:
        raise DiscordUnreachable(str(error) or type(error).__name__) from None
    return True


async def serve(settings: Settings, token: str) -> None:
    """Load the knowledge base, connect, and run until SIGTERM/SIGINT or the connection ends."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # Not on the main thread or not supported here: Ctrl-C still raises KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stopping.set)
    # Signals are handled from the start: a large folder takes a while to load, and logging in waits
    # on the network.
    knowledge = await _unless_stopped(stopping, asyncio.create_task(load_knowledge(settings.knowledge_dir)))
    if knowledge is None:
        return
    bot = ArticleBot(settings, knowledge)
    async with bot:
        if not await _unless_stopped(stopping, asyncio.create_task(_login(bot, token))):
            return
        # Connected, discord.py reconnects by itself; a stop closes the bot, which ends connect().
        runner = asyncio.create_task(bot.connect())
        stopper = asyncio.create_task(stopping.wait())
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down")
            await bot.close()
        stopper.cancel()
        await runner


def run(settings: Settings, err: TextIO | None = None) -> int:
    """Run the bot; return the process exit code."""
    err = err or sys.stderr
    token = settings.token
    if token is None:
        raise ValueError("run() needs settings with a token")
    configure_logging(settings.log_level)
    try:
        asyncio.run(serve(settings, token))
    except KnowledgeError as error:
        err.write(f"The knowledge base in {settings.knowledge_dir} has nothing to answer from:\n{error}\n")
        return 1
    except DiscordUnreachable as error:
        err.write(f"cannot reach Discord: {error}\n")
        return 1
    except discord.LoginFailure:
        err.write("Discord rejected DISCORD_TOKEN. Copy the token again from the developer portal.\n")
        return 1
    except discord.PrivilegedIntentsRequired:
        err.write(
            "BOT_ASK_CHANNEL_IDS needs the Message Content intent: enable it for the bot in the developer "
            "portal (Bot > Privileged Gateway Intents), or leave BOT_ASK_CHANNEL_IDS empty.\n"
        )
        return 1
    except KeyboardInterrupt:
        pass
    return 0
