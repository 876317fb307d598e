"""The store on both engines: migrations, the salt, writing batches, votes, purging, and the reports."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect

from bot.store import reports
from bot.store.database import Store, async_url
from bot.store.records import AuditRecord, CommentRecord, QuestionRecord, VoteRecord
from bot.store.schema import metadata

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def question(
    qid: str,
    text: str = "who won the world series",
    *,
    answered: bool = False,
    terms: str = "seri won world",
    at: dt.datetime = NOW,
    asker: int = 1,
    unmatched: tuple[str, ...] = ("won", "world", "series"),
    shown: tuple[str, ...] = (),
) -> QuestionRecord:
    return QuestionRecord(
        id=qid,
        asked_at=at,
        guild_id=1,
        channel_id=2,
        asker_id=asker,
        source="channel",
        question=text,
        answered=answered,
        terms=terms,
        unmatched=unmatched,
        passage_ids=shown,
    )


def vote(qid: str, voter: int, helpful: bool | None) -> VoteRecord:
    return VoteRecord(qid, voter, helpful, NOW)


async def test_migrations_create_the_schema_the_code_uses(store: Store) -> None:
    def columns(connection: object) -> dict[str, set[str]]:
        inspector = inspect(connection)
        return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}

    async with store.engine.connect() as connection:
        found = await connection.run_sync(columns)
    for table in metadata.sorted_tables:
        assert found[table.name] == {c.name for c in table.columns}
    assert "alembic_version" in found


async def test_reopening_keeps_the_salt_and_migrating_again_changes_nothing(store_url: str) -> None:
    member = 112233445566778899
    first = await Store.open(store_url)
    key = first.member_key(member)
    await first.write([question("q1")])
    await first.close()
    second = await Store.open(store_url)
    try:
        assert second.member_key(member) == key
        assert second.member_key(member + 1) != key
        assert str(member) not in key
        assert await second.has_question("q1")
    finally:
        await second.close()


async def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    store = await Store.open(f"sqlite:///{tmp_path}/x/bot.sqlite3")
    try:
        async with store.engine.connect() as connection:
            mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        assert mode == "wal"
        assert store.backend == "sqlite"
    finally:
        await store.close()


def test_plain_urls_get_the_asyncio_drivers() -> None:
    assert async_url("sqlite:///data/bot.sqlite3") == "sqlite+aiosqlite:///data/bot.sqlite3"
    assert async_url("postgresql://u:p@h/db") == "postgresql+asyncpg://u:p@h/db"
    assert async_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"


async def test_a_vote_is_set_changed_and_withdrawn_and_keeps_its_comment(store: Store) -> None:
    await store.write([question("q1", answered=True, shown=("doc:p1",)), vote("q1", 1, True)])
    assert await store.vote_of("q1", 1) is True
    await store.write([vote("q1", 1, False), CommentRecord("q1", 1, "the date of the policy")])
    assert await store.vote_of("q1", 1) is False
    gaps = await reports.gaps(store, 7, NOW)
    assert [g.to_json() for g in gaps.groups] == [
        {
            "kind": "unhelpful",
            "count": 1,
            "example": "who won the world series",
            "questions": ["who won the world series"],
            "unmatched": ["won", "world", "series"],
            "passage_id": "doc:p1",
            "comments": ["the date of the policy"],
        }
    ]
    await store.write([vote("q1", 1, None)])
    assert await store.vote_of("q1", 1) is None
    assert (await reports.gaps(store, 7, NOW)).groups == ()


async def test_gaps_group_questions_by_their_words_most_frequent_first(store: Store) -> None:
    hour = dt.timedelta(hours=1)
    await store.write(
        [
            question("q1", "Who won the World Series?", at=NOW - 3 * hour),
            question("q2", "who won the world series", at=NOW - 2 * hour, asker=2),
            question("q3", "is it raining", terms="rain", unmatched=("raining",), at=NOW - hour),
            question("q4", "who sued", answered=True, terms="su", shown=("doc:p8", "doc:p2")),
            question("q5", "old one", terms="old", at=NOW - dt.timedelta(days=8)),
            question("q6", "who sued baca", answered=True, terms="baca su", shown=("doc:p8",)),
            vote("q4", 1, False),
            vote("q4", 2, False),
            vote("q4", 3, True),
            vote("q6", 1, True),
        ]
    )
    gaps = await reports.gaps(store, 7, NOW)
    assert [(g.kind, g.count, g.example) for g in gaps.groups] == [
        ("declined", 2, "who won the world series"),
        ("unhelpful", 1, "who sued"),
        ("declined", 1, "is it raining"),
    ]
    assert gaps.groups[0].texts == ["who won the world series", "Who won the World Series?"]
    assert gaps.groups[1].passage_id == "doc:p8"
    assert gaps.groups[0].passage_id is None
    assert len(gaps.top) == 3


async def test_stats_count_questions_votes_days_and_cited_passages(store: Store) -> None:
    yesterday = NOW - dt.timedelta(days=1)
    await store.write(
        [
            question("q1", answered=True, shown=("doc:p8", "doc:p2"), at=yesterday),
            question("q2", answered=True, shown=("doc:p8",), asker=2),
            question("q3"),
            question("q4", at=NOW - dt.timedelta(days=40)),
            vote("q1", 1, True),
            vote("q2", 1, False),
            vote("q2", 2, True),
        ]
    )
    stats = await reports.stats(store, 3, NOW)
    data = stats.to_json()
    assert (data["questions"], data["answered"], data["declined"]) == (3, 2, 1)
    assert (data["helpful"], data["unhelpful"]) == (2, 1)
    assert stats.askers == 2
    assert data["top_passages"] == [
        {"passage_id": "doc:p8", "count": 2},
        {"passage_id": "doc:p2", "count": 1},
    ]
    assert data["days"][-2:] == [
        {"date": "2026-12-03", "questions": 1, "answered": 1, "declined": 0},
        {"date": "2026-12-04", "questions": 2, "answered": 1, "declined": 1},
    ]
    assert len(data["days"]) == 4


async def test_history_is_newest_first_and_limited(store: Store) -> None:
    entries = [
        AuditRecord(NOW + dt.timedelta(minutes=i), "reload", "mod (1)", i % 2 == 0, f"entry {i}")
        for i in range(5)
    ]
    await store.write(entries)
    found = await reports.history(store, 3)
    assert [e.summary for e in found] == ["entry 4", "entry 3", "entry 2"]
    assert found[0].accepted and not found[1].accepted
    assert found[0].at == NOW + dt.timedelta(minutes=4)
    assert found[0].to_json()["action"] == "reload"


async def test_purge_deletes_old_questions_and_their_votes(store: Store) -> None:
    old = NOW - dt.timedelta(days=91)
    await store.write([question("old", at=old), question("new"), vote("old", 1, True), vote("new", 1, True)])
    assert await store.purge(90, NOW) == 1
    assert not await store.has_question("old")
    assert await store.vote_of("old", 1) is None
    assert await store.vote_of("new", 1) is True


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_second_store_on_the_same_file_sees_the_same_salt(store_url: str) -> None:
    first, second = await Store.open(store_url), await Store.open(store_url)
    try:
        assert first.member_key(1) == second.member_key(1)
    finally:
        await first.close()
        await second.close()


async def test_the_migrations_go_down_and_up_again(store: Store) -> None:
    from bot.store.database import upgrade_schema

    def downgrade(connection: object) -> None:
        from alembic import command
        from alembic.config import Config

        from bot.store.database import MIGRATIONS

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    def tables(connection: object) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with store.engine.begin() as connection:
        await connection.run_sync(downgrade)
        assert await connection.run_sync(tables) == {"alembic_version"}
        await connection.run_sync(upgrade_schema)
        assert await connection.run_sync(tables) >= {t.name for t in metadata.sorted_tables}
