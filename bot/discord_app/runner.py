"""``python -m bot run``: start the bot, stop it cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import TextIO

import discord

from bot.discord_app.client import ArticleBot
from bot.retrieval.documents import KnowledgeError
from bot.retrieval.live import LiveKnowledge
from bot.settings import Settings

log = logging.getLogger(__name__)


def configure_logging(level: str) -> None:
    """Log to standard error, once, with noisy library loggers turned down."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)-8s %(name)s: %(message)s", stream=sys.stderr, force=True
    )
    for noisy in ("discord.gateway", "discord.http", "discord.client", "discord.state"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))


async def serve(settings: Settings, token: str) -> None:
    """Load the knowledge base, connect, and run until SIGTERM/SIGINT or the connection ends."""
    knowledge = await LiveKnowledge.open(settings.knowledge_dir)
    bot = ArticleBot(settings, knowledge)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # Not on the main thread or not supported here: Ctrl-C still raises KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stopping.set)
    async with bot:
        runner = asyncio.create_task(bot.start(token))
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
