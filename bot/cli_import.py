"""``python -m bot import URL``: add an article to the knowledge folder from its web address.

Thin: the page is fetched and its article extracted by ``bot.retrieval.web_article``; the file is
added by ``LiveKnowledge.add``, with the same checks and all-or-nothing rule as ``/kb add``.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.retrieval.problems import Problem

REQUESTED_BY = "python -m bot import"


def add_import_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    knowledge_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register ``import`` with the command line's sub-commands."""
    command = commands.add_parser("import", help="add an article to the knowledge folder from its address")
    command.add_argument("url", help="the article's address (http or https)")
    command.add_argument(
        "--name", metavar="FILE", help="file name in the knowledge folder (default: the title, as a slug)"
    )
    command.add_argument(
        "--replace", action="store_true", help="replace a file or document of the same name or title"
    )
    command.add_argument("--dry-run", action="store_true", help="print the Markdown instead of writing it")
    knowledge_option(command)
    command.set_defaults(handler=cmd_import)


def _file_name(name: str) -> str | None:
    from bot.retrieval.live import safe_filename

    return safe_filename(name if Path(name).suffix else f"{name}.md")


def cmd_import(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Fetch the page, extract its article and write it as a knowledge file (or print it)."""
    from bot.cli import EXIT_INVALID_KNOWLEDGE, EXIT_OK, CommandError, _settings
    from bot.retrieval.web_article import import_article
    from bot.retrieval.web_fetch import FetchLimits, ImportRefused, parse_address

    try:
        parse_address(args.url)
    except ImportRefused as refusal:
        raise CommandError(str(refusal)) from None
    name = None
    if args.name is not None:
        name = _file_name(args.name)
        if name is None:
            raise CommandError(f"--name {args.name!r}: give a plain .md or .txt file name (no folders)")
    settings = _settings()
    directory = Path(args.knowledge) if args.knowledge is not None else settings.knowledge_dir
    limits = FetchLimits(max_bytes=settings.max_upload_bytes, allow_private=settings.import_allow_private)
    try:
        article = asyncio.run(import_article(args.url, limits))
    except ImportRefused as refusal:
        raise CommandError(f"import refused: {refusal}", EXIT_INVALID_KNOWLEDGE) from None
    markdown = article.to_markdown()
    if args.dry_run:
        out.write(markdown)
        return EXIT_OK
    name = name or article.file_name
    detail, problems = asyncio.run(_add(directory, name, markdown.encode("utf-8"), args.replace))
    if detail is not None:
        lines = [f"import refused: {detail}", *(str(p) for p in problems)]
        raise CommandError("\n".join(lines), EXIT_INVALID_KNOWLEDGE)
    out.write(f"wrote {directory / name}\n{article.describe()}\n")
    return EXIT_OK


async def _add(
    directory: Path, name: str, data: bytes, replace: bool
) -> tuple[str | None, tuple[Problem, ...]]:
    """Add the file as ``/kb add`` does: (None, ()) when done, (why, problems) when refused."""
    from bot.retrieval.documents import KnowledgeError, knowledge_files, load_directory
    from bot.retrieval.live import LiveKnowledge, _atomic_write

    if not directory.is_dir() or not knowledge_files(directory):
        # A new knowledge folder: nothing else to keep valid, so the file alone must be.
        directory.mkdir(parents=True, exist_ok=True)
        _atomic_write(directory / name, data)
        report = load_directory(directory)
        if not report.ok:
            (directory / name).unlink()
            return "the file would not be a valid knowledge file", report.errors
        return None, ()
    try:
        live = await LiveKnowledge.open(directory, built_by=REQUESTED_BY)
    except KnowledgeError as error:
        return "the knowledge folder has no valid document", error.problems
    outcome = await live.add(name, data, REQUESTED_BY, replace=replace)
    return (None, ()) if outcome.accepted else (outcome.detail, outcome.problems)
