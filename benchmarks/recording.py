"""What recording questions and votes costs under load: ``python benchmarks/load.py --recording``.

The burst of ``load.py`` (50 members, 500 questions in 10 s, a generous cooldown so that every question
is answered), with members pressing the feedback buttons of about a third of the answers as they
arrive (two thirds Helpful; every Not helpful form submitted with a comment). It runs three times, each
with a fresh bot and fake Discord: recording switched off, recording into SQLite, recording into a
throwaway PostgreSQL server (``tests/postgres_server.py``; ``--postgres skip`` leaves it out).

Figures per run: questions and votes recorded (read back from the database after the bot closed, so
the shutdown flush counts), what the recorder dropped, answer latency (p50, p99) and the longest
event-loop stall. Passes when nothing is lost or dropped, answer p99 stays within 1.5x of recording
switched off, and no stall reaches 50 ms.

The fake Discord shares the bot's event loop. Validating every body against Discord's OpenAPI schema
costs it more loop time than the bot spends on an answer (and the answers with buttons, and the
votes, have more to validate), so here it is switched off to measure the bot; ``--validate`` switches
it back on. The end-to-end tests validate the same bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fake_discord import ErrorRecords, FakeDiscord, FakeUser, InteractionHandle, patched_discord, run_bot
from fake_discord.models import JSON
from fake_discord.spec import SpecValidator
from load import (
    ANSWERED,
    ANSWERED_NOT_COVERED,
    BUNDLED,
    STALL_TARGET,
    add_members,
    build_bot,
    copy_files,
    percentile,
    plan_questions,
    run_burst,
)
from reload_stall import LoopLagProbe
from sqlalchemy import func, select

from bot.store.database import Store
from bot.store.schema import questions, votes

VOTE_SHARE = 0.35
HELPFUL_SHARE = 0.67
LATENCY_RATIO = 1.5
SCAN_SECONDS = 0.05


@dataclass
class Votes:
    """The presses members made and the forms they submitted."""

    presses: list[tuple[InteractionHandle, bool]] = field(default_factory=list)
    forms: list[InteractionHandle] = field(default_factory=list)


def feedback_button(message: JSON, label: str) -> str | None:
    for row in message.get("components") or []:
        for component in row.get("components") or []:
            if component.get("label") == label and str(component.get("custom_id", "")).startswith(
                "feedback:"
            ):
                return str(component["custom_id"])
    return None


async def vote_as_answers_arrive(
    fake: FakeDiscord, members: list[FakeUser], tally: Votes, stop: asyncio.Event, seed: int = 7
) -> None:
    """Members press a feedback button on about ``VOTE_SHARE`` of the answers, once each."""
    rng = random.Random(seed)
    seen: set[str] = set()
    bot_id = str(fake.bot_user.id)
    while not stop.is_set():
        for message in list(fake.messages.values()):
            if message["id"] in seen or message["author"]["id"] != bot_id:
                continue
            seen.add(message["id"])
            helpful = rng.random() < HELPFUL_SHARE
            custom_id = feedback_button(message, "Helpful" if helpful else "Not helpful")
            if custom_id is None or rng.random() >= VOTE_SHARE:
                continue
            handle = await fake.click_button(message, custom_id, user=rng.choice(members))
            tally.presses.append((handle, helpful))
        await asyncio.sleep(SCAN_SECONDS)


async def submit_forms(fake: FakeDiscord, tally: Votes) -> None:
    """Every Not helpful press got its form: submit each with a comment."""
    for handle, helpful in tally.presses:
        callback = await handle.wait_callback(timeout=30)
        if helpful or callback["type"] != 9:
            continue
        (row,) = callback["data"]["components"]
        text_input = row.get("component") or row["components"][0]
        tally.forms.append(await fake.submit_modal(handle, {text_input["custom_id"]: "the date, please"}))
    for form in tally.forms:
        await form.wait_callback(timeout=30)


@dataclass(frozen=True)
class Run:
    label: str
    answered: int
    lost: int
    latencies: list[float]
    stall: float
    presses: int
    forms: int
    recorded_questions: int | None
    recorded_votes: int | None
    recorded_comments: int | None
    dropped: int
    errors: int


async def count_records(url: str) -> tuple[int, int, int]:
    store = await Store.open(url)
    try:
        async with store.engine.connect() as connection:
            asked = (await connection.execute(select(func.count()).select_from(questions))).scalar_one()
            voted = (await connection.execute(select(func.count()).select_from(votes))).scalar_one()
            commented = (
                await connection.execute(
                    select(func.count()).select_from(votes).where(votes.c.comment.is_not(None))
                )
            ).scalar_one()
    finally:
        await store.close()
    return int(asked), int(voted), int(commented)


async def run_recording_phase(label: str, args: argparse.Namespace, workdir: Path, url: str | None) -> Run:
    directory = workdir / f"knowledge-{label.split()[0].lower()}"
    directory.mkdir()
    copy_files(sorted(BUNDLED.glob("*.md")), directory)
    fake = FakeDiscord() if args.validate else FakeDiscord(validator=SpecValidator(Path("/nonexistent")))
    await fake.start()
    tally = Votes()
    try:
        with patched_discord(fake), ErrorRecords.attached() as errors:
            members = add_members(fake, args.users)
            bot = await build_bot(
                fake,
                directory,
                cooldown_questions=args.questions,
                cooldown_seconds=60.0,
                database_url=url or f"sqlite+aiosqlite:///{workdir}/unused.sqlite3",
                record_questions=url is not None,
            )
            planned = plan_questions(fake, members, args.questions, args.seconds)
            async with run_bot(bot, fake, fail_on_logged_errors=False):
                probe = LoopLagProbe()
                probing = asyncio.create_task(probe.run())
                stop = asyncio.Event()
                voting = asyncio.create_task(vote_as_answers_arrive(fake, members, tally, stop))
                report = await run_burst(fake, bot, planned, settle_timeout=args.settle_timeout)
                await asyncio.sleep(1.0)  # the last answers' votes
                stop.set()
                await voting
                await submit_forms(fake, tally)
                probing.cancel()
                await asyncio.gather(probing, return_exceptions=True)
            dropped = bot.question_log.health().dropped
        logged = len(errors.records)
    finally:
        await fake.stop()
    recorded = await count_records(url) if url is not None else (None, None, None)
    counts = report.counts
    return Run(
        label=label,
        answered=counts[ANSWERED] + counts[ANSWERED_NOT_COVERED],
        lost=report.lost,
        latencies=report.latencies(),
        stall=probe.worst,
        presses=len(tally.presses),
        forms=len(tally.forms),
        recorded_questions=recorded[0],
        recorded_votes=recorded[1],
        recorded_comments=recorded[2],
        dropped=dropped,
        errors=logged,
    )


def postgres_url(workdir: Path) -> tuple[str, object] | None:
    """A database on a throwaway PostgreSQL server, and the server (to stop); None when not installed."""
    import asyncpg
    from postgres_server import PostgresServer, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        return None
    server = PostgresServer(bin_dir)
    server.start()

    async def create() -> None:
        connection = await asyncpg.connect(host="127.0.0.1", port=server.port, user="postgres")
        try:
            await connection.execute("CREATE DATABASE load")
        finally:
            await connection.close()

    asyncio.run(create())
    return server.url("load"), server


def report(run: Run, baseline: Run | None) -> bool:
    p50, p99 = percentile(run.latencies, 0.5), percentile(run.latencies, 0.99)
    print(f"\n[{run.label}]")
    print(f"  answered {run.answered}, lost {run.lost}; errors logged {run.errors}")
    print(f"  votes pressed {run.presses} (forms submitted with a comment: {run.forms})")
    ok = run.lost == 0 and run.errors == 0
    if run.recorded_questions is not None:
        print(
            f"  recorded: {run.recorded_questions} of {run.answered} questions, {run.recorded_votes} of "
            f"{run.presses} votes, {run.recorded_comments} of {run.forms} comments; dropped {run.dropped}"
        )
        ok = ok and (run.recorded_questions, run.recorded_votes, run.recorded_comments, run.dropped) == (
            run.answered,
            run.presses,
            run.forms,
            0,
        )
    line = f"  answer latency: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    if baseline is not None:
        ratio = p99 / max(percentile(baseline.latencies, 0.99), 1e-9)
        line += f" ({ratio:.2f}x recording off; target <= {LATENCY_RATIO}x)"
        ok = ok and ratio <= LATENCY_RATIO
    print(line)
    print(f"  event loop: longest stall {run.stall * 1000:.1f} ms (target < {STALL_TARGET * 1000:.0f} ms)")
    return ok and run.stall < STALL_TARGET


def recording_benchmark(args: argparse.Namespace) -> bool:
    """Recording off, SQLite, PostgreSQL: each in an event loop of its own; True if all went well."""
    print(
        f"recording: {args.users} members, {args.questions} questions over {args.seconds:.0f} s, "
        f"votes on about {VOTE_SHARE:.0%} of the answers"
    )
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        runs = [asyncio.run(run_recording_phase("recording off", args, workdir, None))]
        runs.append(
            asyncio.run(
                run_recording_phase("SQLite", args, workdir, f"sqlite+aiosqlite:///{workdir}/bot.sqlite3")
            )
        )
        server = None
        if args.postgres == "auto":
            found = postgres_url(workdir)
            if found is None:
                print("\n[PostgreSQL] left out: no server binaries (apt-get install postgresql)")
            else:
                url, server = found
                try:
                    runs.append(asyncio.run(run_recording_phase("PostgreSQL", args, workdir, url)))
                finally:
                    server.stop()  # type: ignore[attr-defined]
        results = [report(runs[0], None)] + [report(run, runs[0]) for run in runs[1:]]
    ok = all(results)
    print(f"\n{'OK' if ok else 'FAILED'}: everything recorded, latency and event-loop targets met")
    return ok
