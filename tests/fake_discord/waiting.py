"""Waiting for the fake's state to change: one condition, notified on every change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class FakeDiscordTimeout(AssertionError):
    """What the test waited for did not happen in time."""


class StateWaiter:
    """Lets tests await a probe of the fake's state; the fake calls `notify` after each change."""

    def __init__(self) -> None:
        self._condition = asyncio.Condition()

    async def notify(self) -> None:
        """Wake every waiter so it re-runs its probe."""
        async with self._condition:
            self._condition.notify_all()

    async def until(
        self, probe: Callable[[], T | None], *, timeout: float, what: str | Callable[[], str]
    ) -> T:
        """Return the first non-None result of `probe`, re-run after every change.

        Raises FakeDiscordTimeout (an AssertionError) naming `what` when `timeout` passes first.
        """

        async def wait() -> T:
            async with self._condition:
                while True:
                    result = probe()
                    if result is not None:
                        return result
                    await self._condition.wait()

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            description = what() if callable(what) else what
            raise FakeDiscordTimeout(f"timed out after {timeout}s waiting for {description}") from None
