"""Pointing discord.py at the fake and running a bot against it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from typing import Any, Protocol, TypeVar

import discord
import discord.gateway
import discord.http
import yarl

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


class BotRunner(Protocol):
    """The `run_bot` fixture: `async with run_bot(bot) as bot:` (options as for `run_bot`)."""

    def __call__(self, client: ClientT, /, **options: Any) -> AbstractAsyncContextManager[ClientT]: ...


@contextmanager
def patched_discord(fake: FakeDiscord) -> Iterator[None]:
    """Route discord.py's REST calls (incl. interaction callbacks and webhooks) and gateway to `fake`."""
    route_base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = route_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


class ErrorRecords(logging.Handler):
    """Collects ERROR records: exceptions discord.py (or anything else) swallowed and only logged."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @classmethod
    @contextmanager
    def attached(cls, logger: str | None = None) -> Iterator[ErrorRecords]:
        """Records of ``logger`` (the root logger: the whole process) for the duration of the block."""
        handler = cls()
        target = logging.getLogger(logger)
        target.addHandler(handler)
        try:
            yield handler
        finally:
            target.removeHandler(handler)

    def describe(self) -> str:
        """The records, formatted with their tracebacks."""
        return "\n".join(self.format(record) for record in self.records)


async def _wait_until_ready(client: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not client.is_ready():
        if task.done():
            task.result()
            raise AssertionError("client.start() returned before the client became ready")
        if loop.time() > deadline:
            raise AssertionError(f"client was not ready after {timeout}s")
        await asyncio.sleep(0.01)


@asynccontextmanager
async def run_bot(
    client: ClientT,
    fake: FakeDiscord,
    *,
    ready_timeout: float = 5.0,
    close_timeout: float = 5.0,
    fail_on_logged_errors: bool = True,
) -> AsyncIterator[ClientT]:
    """Run `client.start()` against `fake` until the block ends, then close it cleanly.

    Waits for on_ready (give the client a small `guild_ready_timeout`, e.g. 0.1). On exit,
    closes the client and fails if `start()` raised or did not return, or (unless
    `fail_on_logged_errors` is False) if discord.py logged an error, which is how it reports
    exceptions in event handlers, commands and views.
    """
    with ErrorRecords.attached("discord") as errors:
        task = asyncio.create_task(client.start(fake.token), name="fake-discord-client")
        try:
            await _wait_until_ready(client, task, ready_timeout)
            yield client
        finally:
            await client.close()
            done, _ = await asyncio.wait({task}, timeout=close_timeout)
            if not done:
                task.cancel()
            elif not task.cancelled():
                task.exception()  # retrieved here so an error in the block is not masked by a warning
    if not done:
        raise AssertionError(f"client.start() did not return within {close_timeout}s of close()")
    if task.cancelled():
        raise AssertionError("client.start() was cancelled")
    error = task.exception()
    if error is not None:
        raise AssertionError("client.start() raised") from error
    if fail_on_logged_errors and errors.records:
        raise AssertionError(f"discord.py logged errors while the bot ran:\n{errors.describe()}")
