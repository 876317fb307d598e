"""Storage fixtures: a ``Store`` on SQLite (a temporary file) and on a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
import pytest_asyncio
from postgres_server import PostgresServer, running_server

from bot.store.database import Store

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; skipped (or, in CI, failed) when it is not installed."""
    with running_server() as server:
        yield server


async def new_database(server: PostgresServer) -> str:
    """A fresh, empty database on ``server``; its URL."""
    name = f"test_{os.getpid()}_{next(_databases)}"
    connection = await asyncpg.connect(
        host="127.0.0.1", port=server.port, user="postgres", database="postgres"
    )
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Which engine: every storage test runs on both."""
    return str(request.param)


@pytest_asyncio.fixture
async def store_url(request: pytest.FixtureRequest, database_url: str, tmp_path: os.PathLike[str]) -> str:
    """An empty database's URL, on SQLite or on the session's PostgreSQL server."""
    if database_url == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    server: PostgresServer = request.getfixturevalue("postgres")
    return await new_database(server)


@pytest_asyncio.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    """An open, migrated store on an empty database."""
    opened = await Store.open(store_url)
    try:
        yield opened
    finally:
        await opened.close()
