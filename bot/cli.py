"""Command line: ``python -m bot ask | quote | check | eval | import | run`` (``report | db``:
``cli_store.py``).

Thin: each command parses its arguments, calls the retrieval layer and prints. Heavy imports happen
inside the commands so that ``ask`` starts fast and ``run`` alone pulls in discord.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.retrieval.knowledge_base import KnowledgeBase
    from bot.settings import Settings

EXIT_OK = 0
EXIT_INVALID_KNOWLEDGE = 1
EXIT_USAGE = 2

EXAMPLE = 'python -m bot ask "Who filed a lawsuit against Sheriff Baca?"'

NO_TOKEN = """No Discord token is set, so the bot cannot connect to Discord.

To run it on Discord, set DISCORD_TOKEN (in the environment or in a .env file):
    DISCORD_TOKEN=your-bot-token python -m bot run
The README explains how to create the bot and get its token.

To try it without Discord, ask from the terminal:
    {example}
"""


class CommandError(Exception):
    """A problem to report on standard error, with the exit code to use."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _settings(needed: Collection[str] | None = None) -> Settings:
    """The settings; with ``needed``, a bad value of any other setting does not stop the command."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings(needed)
    except SettingsError as error:
        raise CommandError(str(error)) from None


def _knowledge_dir(args: argparse.Namespace) -> Path:
    if args.knowledge is not None:
        return Path(args.knowledge)
    return _settings(needed={"knowledge_dir"}).knowledge_dir


def load_knowledge_base(directory: Path, strict: bool = False) -> KnowledgeBase:
    """The knowledge base of the valid files in ``directory``, as ``run`` answers from.

    Files with errors are left out and listed on standard error; a CommandError (exit 1) only when
    no valid document remains, or, when ``strict``, when any file has an error.
    """
    from bot.replies.plain import count_of
    from bot.retrieval.documents import load_directory
    from bot.retrieval.knowledge_base import KnowledgeBase

    report = load_directory(directory)
    problems = "\n".join(str(p) for p in report.errors)
    if not report.documents or (strict and problems):
        problems = problems or f"{directory}: no documents"
        raise CommandError(f"{problems}\nThe knowledge base is not usable.", EXIT_INVALID_KNOWLEDGE)
    if problems:
        sys.stderr.write(
            f"{problems}\nAnswering from the {count_of(len(report.documents), 'valid document')}; "
            "the problems above leave the rest out.\n"
        )
    return KnowledgeBase(report.documents, synonyms=report.synonyms)


def _questions(args: argparse.Namespace, stdin: TextIO) -> Iterator[str]:
    if args.question == ["-"]:
        # A blank line is no question: skipped, as an empty question is refused.
        for line in stdin:
            if line.strip():
                yield line.rstrip("\r\n")
    else:
        yield " ".join(args.question)


def cmd_ask(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Answer questions with cited passages."""
    from bot.replies.plain import format_result

    if args.k < 1:
        raise CommandError("-k must be at least 1")
    single = args.question != ["-"]
    if single and not " ".join(args.question).strip():
        raise CommandError(f"Please ask a question, for example: {EXAMPLE}")
    knowledge_base = load_knowledge_base(_knowledge_dir(args))
    for number, question in enumerate(_questions(args, stdin)):
        result = knowledge_base.search(question, args.k)
        if args.json:
            out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        else:
            if not single:
                out.write(("\n" if number else "") + f"Q: {question}\n")
            out.write(format_result(result) + "\n")
        out.flush()
    return EXIT_OK


def cmd_quote(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Print direct quotations, by speaker and/or words, with citations.

    Exit 0 whenever the lookup ran, also when nothing matched (the message says so; with ``--json``
    the list is empty and the message goes to standard error); 1 for an unusable knowledge base.
    """
    from bot.replies.plain import count_of

    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit must be at least 1")
    if args.speakers and args.speaker is not None:
        raise CommandError("--speakers lists who is quoted; use it without --speaker")
    words = " ".join(args.words).strip()
    index = load_knowledge_base(_knowledge_dir(args)).quotes
    if args.speakers:
        everyone = index.speakers()
        speakers = (index.suggest_speakers(words, limit=len(everyone)) if words else everyone)[: args.limit]
        message = f'No quoted speaker matches "{words}".' if words else "Nobody is quoted."
        if args.json:
            out.write(json.dumps([s.to_json() for s in speakers], ensure_ascii=False) + "\n")
            if not speakers:
                sys.stderr.write(message + "\n")
        elif not speakers:
            out.write(message + "\n")
        else:
            for speaker in speakers:
                out.write(
                    f"{speaker.name} ({count_of(speaker.count, 'quote')})"
                    + (f": {speaker.role}\n" if speaker.role else "\n")
                )
        return EXIT_OK
    lookup = index.find(speaker=args.speaker, words=words or None, limit=args.limit)
    message = ""
    if lookup.unknown_speaker is not None:
        known = ", ".join(f"{s.name} ({s.count})" for s in lookup.speakers)
        if lookup.ambiguous:
            message = f'"{lookup.unknown_speaker}" could be several people: {known}. Give the full name.'
        elif known:
            message = f'Nobody called "{lookup.unknown_speaker}" is quoted. Quoted speakers: {known}.'
        else:
            message = "Nobody is quoted."
    elif not lookup.quotes:
        by = f" by {lookup.speaker.name}" if lookup.speaker is not None else ""
        message = f'No quotes{by} match "{words}".' if words else "No quotations found."
    if args.json:
        out.write(json.dumps([q.to_json() for q in lookup.quotes], ensure_ascii=False) + "\n")
        if message:
            sys.stderr.write(message + "\n")
    else:
        blocks = [f"\u201c{q.text}\u201d \u2014 {q.attribution}\n    {q.citation}" for q in lookup.quotes]
        out.write("\n\n".join(blocks or [message]) + "\n")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Validate the knowledge directory and print what it holds."""
    from bot.replies.plain import count_of
    from bot.retrieval.documents import load_directory
    from bot.retrieval.passages import build_passages
    from bot.retrieval.quotes import quote_problems

    directory = _knowledge_dir(args)
    report = load_directory(directory)
    # Quotation marks left open are worth fixing but do not make the knowledge base unusable.
    problems = [*report.problems, *quote_problems(report.documents)]
    for problem in problems:
        out.write(f"{problem}\n")
    warnings = sum(problem.severity == "warning" for problem in problems)
    counts = [
        count_of(len(report.documents), "document"),
        count_of(len(build_passages(report.documents)), "passage"),
        count_of(len(report.errors), "error"),
        count_of(warnings, "warning"),
    ]
    if report.synonyms:
        counts.insert(2, count_of(len(report.synonyms), "synonym rule"))
    out.write(f"{directory}: {', '.join(counts)}\n")
    return EXIT_OK if report.ok else EXIT_INVALID_KNOWLEDGE


def cmd_eval(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Score a question file against the knowledge base."""
    from bot.retrieval.evaluation import evaluate, evidence_problems, load_cases

    try:
        cases = load_cases(args.file)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CommandError(f"cannot read questions: {error}") from None
    # Strict: a score measured on part of the knowledge base would not be the figure it claims to be.
    knowledge_base = load_knowledge_base(_knowledge_dir(args), strict=True)
    for problem in evidence_problems(knowledge_base, cases):
        sys.stderr.write(f"warning: {problem}\n")
    report = evaluate(knowledge_base, cases)
    out.write("\n".join(report.lines()) + "\n")
    if args.show_misses:
        refused = set(report.refused)
        for question in report.misses:
            out.write(f"{'refused' if question in refused else 'miss@1'}: {question}\n")
        for question in report.false_answers:
            out.write(f"answered but unanswerable: {question}\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Start the Discord bot (needs DISCORD_TOKEN)."""
    settings = _settings()
    if settings.token is None:
        sys.stderr.write(NO_TOKEN.format(example=EXAMPLE))
        return EXIT_USAGE
    if args.knowledge is not None:
        settings = settings.model_copy(update={"knowledge_dir": Path(args.knowledge)})
    from bot.discord_app.runner import run

    return run(settings)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Answer questions about news articles, with citations."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def knowledge_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--knowledge", metavar="DIR", help="knowledge directory (default: BOT_KNOWLEDGE_DIR or knowledge)"
        )

    ask = commands.add_parser("ask", help="answer a question from the knowledge base")
    ask.add_argument("question", nargs="+", help='the question; "-" reads one question a line from stdin')
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines with -)")
    ask.add_argument("-k", type=int, default=3, metavar="N", help="passages to return (default 3)")
    knowledge_option(ask)
    ask.set_defaults(handler=cmd_ask)

    quote = commands.add_parser("quote", help="look up what someone said, word for word")
    quote.add_argument("words", nargs="*", help="words of the quotation (best match first)")
    quote.add_argument("--speaker", metavar="NAME", help='who said it: "newman", "Kamala Harris"')
    quote.add_argument(
        "--speakers", action="store_true", help="list who is quoted and how often (WORDS filter the names)"
    )
    quote.add_argument("--limit", type=int, metavar="N", help="print at most N")
    quote.add_argument("--json", action="store_true", help="print JSON")
    knowledge_option(quote)
    quote.set_defaults(handler=cmd_quote)

    check = commands.add_parser("check", help="validate the knowledge directory")
    knowledge_option(check)
    check.set_defaults(handler=cmd_check)

    evaluation = commands.add_parser("eval", help="score a question file (JSON Lines or SQuAD)")
    evaluation.add_argument("file", help="question file")
    evaluation.add_argument("--show-misses", action="store_true", help="list the questions missed")
    knowledge_option(evaluation)
    evaluation.set_defaults(handler=cmd_eval)

    from bot.cli_import import add_import_command

    add_import_command(commands, knowledge_option)

    run = commands.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    knowledge_option(run)
    run.set_defaults(handler=cmd_run)

    from bot.cli_store import add_commands

    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run one command; return its exit code."""
    out = out or sys.stdout
    stdin = stdin or sys.stdin
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args, out, stdin)
    except CommandError as error:
        sys.stderr.write(f"{error}\n")
        return error.code
    except BrokenPipeError:
        return EXIT_OK
    return code
