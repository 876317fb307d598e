"""Command line for what the bot records: ``report gaps | stats | history`` and ``db upgrade``.

Thin, like ``bot/cli.py`` (which adds these commands to its parser): open the store named by
``BOT_DATABASE_URL`` (or ``--database``), ask ``bot.store.reports``, print with ``bot.replies.reports``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from bot.cli import EXIT_INVALID_KNOWLEDGE, EXIT_OK, CommandError, _settings

T = TypeVar("T")
EXIT_DATABASE = EXIT_INVALID_KNOWLEDGE


def _database_url(args: argparse.Namespace) -> str:
    return str(args.database) if args.database else _settings().database_url


def _with_store(args: argparse.Namespace, use: Callable[[Any], Awaitable[T]]) -> T:
    """Open the store (applying migrations), run ``use(store)``, close it; database errors exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.database import Store

    async def run() -> T:
        store = await Store.open(_database_url(args))
        try:
            return await use(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except (SQLAlchemyError, OSError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CommandError(f"database {_shown(_database_url(args))}: {first}", EXIT_DATABASE) from None


def _shown(url: str) -> str:
    """``url`` as it may be printed: the password masked."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(the configured database)"


def _positive(value: int | None, option: str) -> None:
    if value is not None and value < 1:
        raise CommandError(f"{option} must be at least 1")


def cmd_report(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Print the gaps, the figures or the audit log."""
    from bot.replies import reports as formatting
    from bot.store import reports

    _positive(getattr(args, "days", None), "--days")
    _positive(getattr(args, "limit", None), "--limit")
    if args.report == "gaps":
        gaps = _with_store(args, lambda store: reports.gaps(store, args.days))
        text = json.dumps([g.to_json() for g in gaps.groups], ensure_ascii=False)
        out.write((text if args.json else formatting.gaps_text(gaps)) + "\n")
    elif args.report == "stats":
        stats = _with_store(args, lambda store: reports.stats(store, args.days))
        out.write((json.dumps(stats.to_json()) if args.json else formatting.stats_text(stats)) + "\n")
        if args.chart:
            Path(args.chart).write_bytes(formatting.stats_chart_png(stats))
    else:
        entries = _with_store(args, lambda store: reports.history(store, args.limit))
        text = json.dumps([e.to_json() for e in entries], ensure_ascii=False)
        out.write((text if args.json else formatting.history_text(entries)) + "\n")
    return EXIT_OK


def cmd_db(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Apply the schema migrations (the bot also applies them when it starts)."""

    async def done(store: Any) -> str:
        return str(store.backend)

    backend = _with_store(args, done)
    out.write(f"database is up to date ({backend})\n")
    return EXIT_OK


def add_commands(commands: Any) -> None:
    """Add ``report`` and ``db`` to the command line's sub-parsers."""

    def database_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--database", metavar="URL", help="database URL (default: BOT_DATABASE_URL)")

    report = commands.add_parser("report", help="what members asked: gaps, stats, the /kb audit log")
    kinds = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    gaps = kinds.add_parser("gaps", help="questions declined or voted unhelpful, grouped")
    gaps.add_argument("--days", type=int, default=7, metavar="N", help="look back N days (default 7)")
    stats = kinds.add_parser("stats", help="questions, answers, votes, most cited passages")
    stats.add_argument("--days", type=int, default=30, metavar="N", help="look back N days (default 30)")
    stats.add_argument("--chart", metavar="FILE.png", help="also draw questions per day into FILE.png")
    history = kinds.add_parser("history", help="the /kb audit log, newest first")
    history.add_argument("--limit", type=int, default=10, metavar="N", help="entries (default 10)")
    for command in (gaps, stats, history):
        command.add_argument("--json", action="store_true", help="print JSON")
        database_option(command)
    report.set_defaults(handler=cmd_report)

    db = commands.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    database_option(actions.add_parser("upgrade", help="apply the schema migrations"))
    db.set_defaults(handler=cmd_db)
