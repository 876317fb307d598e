"""The bot under load through the loopback fake Discord: many members asking at once, a reload midway.

Usage: python benchmarks/load.py [--users 50] [--questions 500] [--seconds 10] [--reload-passages 10000]
       python benchmarks/load.py --recording [--postgres auto|skip]   (what recording costs: recording.py)
(with the bot installed, ``pip install -e .``, or ``PYTHONPATH=.`` from the repository root).

The real ``ArticleBot`` runs against ``FakeDiscord`` (``tests/fake_discord``) in this process. Members
post questions that mention the bot in #general or are asked in the ask channel, spread over the
burst: most about the bundled article, some about the generated documents, some off-topic. Halfway
through, generated files are added to the knowledge folder and a moderator runs ``/kb reload`` of the
whole generated knowledge base (``--reload-passages``). The burst runs twice: with the default
cooldown (5 questions per 60 s, so most members are rate-limited) and with a generous one (every
question must be answered).

Every question is accounted for. The bot's limiter is replaced by a ``CountingLimiter`` that records,
per member and in order, whether each question was let through, refused with a notice, or refused
silently (one notice per member per window, by design). The ask cog counts a question before its first
await and the gateway delivers a member's messages in order, so a member's n-th verdict is the one on
their n-th question. Replies are matched to questions by their message reference. A question is lost
when the bot never counted it, or let it through (or promised a notice) and never replied.

Figures printed per burst: outcomes, errors logged at ERROR (the bot's, discord.py's and asyncio's
unhandled task exceptions), answer latency, the longest event-loop stall (a task sleeping 1 ms records
how late it wakes; the fake Discord shares the loop, so its work counts too: a pessimistic figure), the
reload's duration, and memory (RSS and Python's allocated blocks) before the burst, right after it and
a few seconds later after a garbage collection. Exits 1 when a question was lost or an error logged.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
# The fake Discord lives with the tests; corpus and reload_stall next to this script.
for _folder in (ROOT / "tests", ROOT / "benchmarks"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from corpus import questions as corpus_questions  # noqa: E402
from fake_discord import (  # noqa: E402
    ErrorRecords,
    FakeChannel,
    FakeDiscord,
    FakeDiscordTimeout,
    FakeUser,
    patched_discord,
    run_bot,
)
from fake_discord.models import JSON  # noqa: E402
from reload_stall import LoopLagProbe, write_knowledge  # noqa: E402

from bot.discord_app import views  # noqa: E402
from bot.discord_app.client import APOLOGY, ArticleBot  # noqa: E402
from bot.discord_app.guards import QuestionLimiter, QuestionOnCooldown  # noqa: E402
from bot.replies.embeds import NOT_COVERED  # noqa: E402
from bot.retrieval.knowledge_base import KnowledgeBase  # noqa: E402
from bot.retrieval.live import LiveKnowledge  # noqa: E402
from bot.settings import Settings  # noqa: E402

BUNDLED = ROOT / "knowledge"
MESSAGES_ROUTE = "/channels/{channel_id}/messages"
NOTICE_PREFIX = "You're asking quickly!"
NUDGE_SECONDS = 0.02
STALL_TARGET = 0.050

ARTICLE_QUESTIONS = (
    "Who filed a lawsuit against Sheriff Baca?",
    "What did Sheriff Baca decide about immigration holds?",
    "Why did Baca change his policy?",
    "What did Kamala Harris say about federal requests?",
    "How many immigrants does L.A. County send to ICE each year?",
    "What does the lawsuit allege?",
    "Who is Chris Newman?",
    "What did Newman say Baca owes the state of California?",
    "When was the new version of the TRUST Act introduced?",
    "Which state has the largest number of Secure Communities deportations?",
    "Did the sheriff's press office answer Colorlines?",
    "What is NDLON?",
    "who said an apology letter was owed",
    "how many people were held beyond their release date?",
)
OFF_TOPIC_QUESTIONS = (
    "What's the weather like in Paris tomorrow?",
    "Who won the football world cup in 1998?",
    "How do I bake sourdough bread?",
    "Can you recommend a good sci-fi novel?",
    "What is the capital of Australia?",
    "How tall is Mount Everest?",
)
ARTICLE_SHARE = 0.7
GENERATED_SHARE = 0.15
ASK_CHANNEL_SHARE = 0.25
# Share of the generated files in the knowledge folder from the start; the rest arrive for the reload.
INITIAL_GENERATED_SHARE = 0.1

# What the bot decided about one question (CountingLimiter) ...
LET_THROUGH = "let through"
REFUSED = "refused"  # provisional: replaced by one of the two below when the cog asks whether to notify
REFUSED_TOLD = "refused with a notice"
REFUSED_SILENT = "refused silently"
# ... what kind of reply it got ...
ANSWER = "answer"
NOT_COVERED_REPLY = "not covered"
NOTICE = "cooldown notice"
APOLOGY_REPLY = "apology"
OTHER_REPLY = "other"
# ... and the outcome of each question.
ANSWERED = "answered"
ANSWERED_NOT_COVERED = "answered: not covered"
NOTIFIED = "rate-limited: told to wait"
SILENCED = "rate-limited: silent, told before"
LOST = "lost"
UNTOLD = "rate-limited, never told"
REPLIED_TWICE = "more than one reply"
WRONG_REPLY = "unexpected reply"
ACCEPTABLE = frozenset({ANSWERED, ANSWERED_NOT_COVERED, NOTIFIED, SILENCED})


class CountingLimiter(QuestionLimiter):
    """The bot's question limiter, recording each member's verdicts in the order the questions came."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.verdicts: defaultdict[int, list[str]] = defaultdict(list)

    def hit(self, user_id: int) -> None:
        try:
            super().hit(user_id)
        except QuestionOnCooldown:
            self.verdicts[user_id].append(REFUSED)
            raise
        self.verdicts[user_id].append(LET_THROUGH)

    def should_notify(self, user_id: int) -> bool:
        notify = super().should_notify(user_id)
        verdicts = self.verdicts[user_id]
        # The cog asks right after a refusal, with no await in between: this is that refusal's answer.
        if verdicts and verdicts[-1] == REFUSED:
            verdicts[-1] = REFUSED_TOLD if notify else REFUSED_SILENT
        return notify


@dataclass
class Question:
    """One question of the burst: who asks what, where, and when (seconds after the burst starts)."""

    user: FakeUser
    turn: int  # how many questions this member asked before this one
    text: str
    channel: FakeChannel
    mention: bool
    due: float
    message_id: int = 0
    sent_at: float = 0.0


@dataclass(frozen=True)
class Reply:
    """A reply of the bot to a question, and when the fake Discord received it (perf_counter)."""

    kind: str
    at: float


@dataclass(frozen=True)
class ReloadResult:
    """A /kb reload: how long the moderator waited for the result, its title, the passages after it."""

    seconds: float
    title: str
    passages: int


@dataclass(frozen=True)
class Memory:
    """Resident memory and Python's allocated blocks (and traced heap when tracemalloc runs)."""

    rss_mb: float
    blocks: int
    traced_mb: float | None

    def __str__(self) -> str:
        traced = f", traced {self.traced_mb:.1f} MB" if self.traced_mb is not None else ""
        return f"RSS {self.rss_mb:.1f} MB, {self.blocks:,} blocks{traced}"


@dataclass
class BurstReport:
    """What happened to every question of one burst."""

    questions: list[Question]
    outcomes: dict[int, str]  # message id -> outcome
    replies: dict[int, list[Reply]]
    sending_seconds: float
    settled_after: float | None  # seconds from the last question until all were accounted for
    reload: ReloadResult | None = None

    @property
    def counts(self) -> Counter[str]:
        """How many questions had each outcome."""
        return Counter(self.outcomes.values())

    @property
    def lost(self) -> int:
        """Questions without an acceptable outcome."""
        return sum(n for outcome, n in self.counts.items() if outcome not in ACCEPTABLE)

    def latencies(self) -> list[float]:
        """Seconds from posting to the answer, for every answered question."""
        return [
            self.replies[q.message_id][0].at - q.sent_at
            for q in self.questions
            if self.outcomes[q.message_id] in (ANSWERED, ANSWERED_NOT_COVERED)
        ]


class ReplyTracker:
    """The bot's replies to members' messages, by the id of the message they reply to."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.replies: defaultdict[int, list[Reply]] = defaultdict(list)
        self._next = 0
        self._done_out_of_order: set[int] = set()

    def scan(self) -> None:
        """Read the requests the fake finished since the last scan."""
        now = time.perf_counter()
        records = self.fake.requests
        for index in range(self._next, len(records)):
            record = records[index]
            if index in self._done_out_of_order or not record.status:
                continue
            self._done_out_of_order.add(index)
            reference = record.json.get("message_reference") if isinstance(record.json, dict) else None
            if record.method == "POST" and record.route == MESSAGES_ROUTE and reference:
                self.replies[int(reference["message_id"])].append(Reply(reply_kind(record.json), now))
        while self._next in self._done_out_of_order:
            self._done_out_of_order.discard(self._next)
            self._next += 1


def reply_kind(body: JSON) -> str:
    """What a reply is: an answer, "not covered", a cooldown notice, an apology, something else."""
    embeds = body.get("embeds") or []
    content = str(body.get("content") or "")
    if embeds:
        return NOT_COVERED_REPLY if embeds[0].get("description") == NOT_COVERED else ANSWER
    if content.startswith(NOTICE_PREFIX):
        return NOTICE
    if content == APOLOGY:
        return APOLOGY_REPLY
    return OTHER_REPLY


def add_members(fake: FakeDiscord, count: int) -> list[FakeUser]:
    """``count`` new plain members of the default guild (add them before the bot starts)."""
    return [fake.add_user(f"member{number:03d}") for number in range(count)]


def plan_questions(
    fake: FakeDiscord,
    members: Sequence[FakeUser],
    count: int,
    seconds: float,
    generated_from: Sequence[Any] = (),
    seed: int = 1,
) -> list[Question]:
    """``count`` questions at random moments of ``seconds``, shared out evenly among ``members``.

    Mostly about the article, some about ``generated_from`` (documents), some off-topic; a quarter
    asked in the ask channel (#help) without a mention, the rest mentioning the bot in #general.
    """
    rng = random.Random(seed)
    about_generated = (
        iter(corpus_questions(list(generated_from), count, seed=seed)) if generated_from else None
    )
    moments = sorted(rng.uniform(0, seconds) for _ in range(count))
    askers: list[FakeUser] = []
    while len(askers) < count:
        round_ = list(members)
        rng.shuffle(round_)
        askers.extend(round_)
    turns: Counter[int] = Counter()
    planned = []
    for due, user in zip(moments, askers, strict=False):
        draw = rng.random()
        if draw < ARTICLE_SHARE or about_generated is None:
            text = rng.choice(ARTICLE_QUESTIONS)
        elif draw < ARTICLE_SHARE + GENERATED_SHARE:
            text = next(about_generated).capitalize()
        else:
            text = rng.choice(OFF_TOPIC_QUESTIONS)
        in_ask_channel = rng.random() < ASK_CHANNEL_SHARE
        channel = fake.help_channel if in_ask_channel else fake.general
        planned.append(Question(user, turns[user.id], text, channel, not in_ask_channel, due))
        turns[user.id] += 1
    return planned


async def build_bot(
    fake: FakeDiscord,
    directory: Path,
    *,
    cooldown_questions: int,
    cooldown_seconds: float,
    database_url: str | None = None,
    record_questions: bool = True,
) -> ArticleBot:
    """The bot on ``directory``: #help as the ask channel, commands synced to the guild, counted verdicts.

    Records go to ``database_url`` (default: the setting's default, under the working directory).
    """
    options = {} if database_url is None else {"database_url": database_url}
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        knowledge_dir=directory,
        ask_channel_ids=[fake.help_channel.id],
        guild_ids=[fake.guild.id],
        moderator_role_ids=[],
        audit_channel_id=None,
        watch_knowledge=False,
        cooldown_questions=cooldown_questions,
        cooldown_seconds=cooldown_seconds,
        record_questions=record_questions,
        **options,
    )
    bot = ArticleBot(settings, knowledge=await LiveKnowledge.open(directory), guild_ready_timeout=0.1)
    bot.limiter = CountingLimiter(settings)
    return bot


async def reload_after_adding(
    fake: FakeDiscord, bot: ArticleBot, prepare: Callable[[], None], *, timeout: float
) -> ReloadResult:
    """Run ``prepare`` (add files) off the loop, then /kb reload as the moderator; wait for the result."""
    await asyncio.to_thread(prepare)
    started = time.perf_counter()
    handle = await fake.invoke_command("kb reload", user=fake.moderator)
    followup = await handle.wait_followup(timeout=timeout)
    seconds = time.perf_counter() - started
    title = str((followup.get("embeds") or [{}])[0].get("title") or followup.get("content") or "")
    return ReloadResult(seconds, title, len(bot.knowledge.current.knowledge_base.passages))


def classify(verdict: str | None, replies: list[Reply], told_before: bool) -> str:
    """The outcome of one question from the limiter's verdict and the replies it got."""
    kinds = [reply.kind for reply in replies]
    if verdict is None or verdict == REFUSED:
        return LOST
    if len(kinds) > 1:
        return REPLIED_TWICE
    if verdict == LET_THROUGH:
        if not kinds:
            return LOST
        return {ANSWER: ANSWERED, NOT_COVERED_REPLY: ANSWERED_NOT_COVERED}.get(kinds[0], WRONG_REPLY)
    if verdict == REFUSED_TOLD:
        return NOTIFIED if kinds == [NOTICE] else (LOST if not kinds else WRONG_REPLY)
    if kinds:
        return WRONG_REPLY
    return SILENCED if told_before else UNTOLD


async def run_burst(
    fake: FakeDiscord,
    bot: ArticleBot,
    planned: Sequence[Question],
    *,
    midway: Callable[[], Coroutine[Any, Any, ReloadResult]] | None = None,
    settle_timeout: float = 30.0,
) -> BurstReport:
    """Post ``planned`` on schedule (``midway`` runs alongside) and wait until every question is settled.

    Settled: let through and replied to, refused with its notice posted, or refused silently. Waits
    up to ``settle_timeout`` s after the last question (and for ``midway`` to finish); whatever is
    not settled by then is lost.
    """
    limiter = bot.limiter
    if not isinstance(limiter, CountingLimiter):
        raise TypeError("run_burst needs the bot built with a CountingLimiter (build_bot)")
    tracker = ReplyTracker(fake)
    pending: list[Question] = []
    sending_done = False

    def settled(question: Question) -> bool:
        verdicts = limiter.verdicts[question.user.id]
        if len(verdicts) <= question.turn:
            return False
        verdict = verdicts[question.turn]
        return verdict == REFUSED_SILENT or (
            verdict != REFUSED and bool(tracker.replies[question.message_id])
        )

    def all_settled() -> bool | None:
        tracker.scan()
        pending[:] = [q for q in pending if not settled(q)]
        return True if sending_done and not pending else None

    async def nudge() -> None:
        # A silent refusal is no event of the fake's, so nothing else would make the waiter look again.
        while True:
            await asyncio.sleep(NUDGE_SECONDS)
            await fake.waiter.notify()

    loop = asyncio.get_running_loop()
    extra = asyncio.create_task(midway()) if midway is not None else None
    waiting = asyncio.create_task(fake.waiter.until(all_settled, timeout=1e9, what="every question settled"))
    nudging = asyncio.create_task(nudge())
    started = loop.time()
    bot_id = fake.bot_user.id
    for question in planned:
        delay = started + question.due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        content = f"<@{bot_id}> {question.text}" if question.mention else question.text
        question.sent_at = time.perf_counter()
        message = await fake.send_message(question.channel, question.user, content)
        question.message_id = int(message["id"])
        pending.append(question)
    sending_seconds = loop.time() - started
    sending_done = True
    last_sent = time.perf_counter()
    await fake.waiter.notify()
    settled_after: float | None = None
    try:
        await asyncio.wait_for(asyncio.shield(waiting), settle_timeout)
        settled_after = time.perf_counter() - last_sent
    except TimeoutError:
        waiting.cancel()
    nudging.cancel()
    await asyncio.gather(waiting, nudging, return_exceptions=True)
    reload = None
    if extra is not None:
        try:
            reload = await asyncio.wait_for(extra, settle_timeout)
        except (TimeoutError, FakeDiscordTimeout):
            reload = None
    tracker.scan()

    outcomes: dict[int, str] = {}
    told: set[int] = set()
    for question in planned:
        verdicts = limiter.verdicts[question.user.id]
        verdict = verdicts[question.turn] if len(verdicts) > question.turn else None
        outcome = classify(verdict, tracker.replies[question.message_id], question.user.id in told)
        if outcome == NOTIFIED:
            told.add(question.user.id)
        outcomes[question.message_id] = outcome
    return BurstReport(list(planned), outcomes, dict(tracker.replies), sending_seconds, settled_after, reload)


async def still_answers(fake: FakeDiscord, question: str = ARTICLE_QUESTIONS[0]) -> bool:
    """A member who has not asked before mentions the bot and gets an answer."""
    newcomer = fake.add_user(f"newcomer{len(fake.world.users)}")
    await fake.send_message(fake.general, newcomer, f"<@{fake.bot_user.id}> {question}")
    reply = await fake.wait_for_message(
        fake.general,
        lambda m: (m.get("referenced_message") or {}).get("author", {}).get("id") == str(newcomer.id),
        timeout=10,
    )
    return reply_kind(reply) == ANSWER


def sample_memory(collect: bool = True) -> Memory:
    """Memory now, after a full garbage collection when ``collect``."""
    if collect:
        gc.collect()
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    rss = pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    traced = tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else None
    return Memory(rss, sys.getallocatedblocks(), traced)


def percentile(values: Sequence[float], share: float) -> float:
    """The value ``share`` of ``values`` stay under (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def copy_files(files: Sequence[Path], directory: Path) -> None:
    """Copy ``files`` into ``directory``."""
    for path in files:
        shutil.copy(path, directory / path.name)


async def run_phase(
    label: str,
    args: argparse.Namespace,
    workdir: Path,
    generated: Sequence[Path],
    cooldown: tuple[int, float],
) -> bool:
    """One burst against a fresh fake Discord and a fresh bot; prints its figures; True if all went well."""
    directory = workdir / f"knowledge-{label.split()[0]}"
    directory.mkdir()
    copy_files(sorted(BUNDLED.glob("*.md")), directory)
    initial = max(1, int(len(generated) * INITIAL_GENERATED_SHARE))
    copy_files(generated[:initial], directory)
    fake = FakeDiscord()
    await fake.start()
    # Answers' buttons expire sooner than in production, so that what they hold is let go within the run.
    expiring = mock.patch.object(views, "PAGER_TIMEOUT", args.pager_timeout)
    try:
        with patched_discord(fake), expiring, ErrorRecords.attached() as errors:
            members = add_members(fake, args.users)
            bot = await build_bot(
                fake,
                directory,
                cooldown_questions=cooldown[0],
                cooldown_seconds=cooldown[1],
                database_url=f"sqlite+aiosqlite:///{directory}-bot.sqlite3",
            )
            start_passages = len(bot.knowledge.current.knowledge_base.passages)
            planned = plan_questions(
                fake, members, args.questions, args.seconds, bot.knowledge.current.documents
            )
            async with run_bot(bot, fake, fail_on_logged_errors=False):
                before = sample_memory()
                probe = LoopLagProbe()
                probing = asyncio.create_task(probe.run())

                during_reload: list[int] = []  # the probe's wake-ups while the reload ran: [first, end)
                replaced: list[weakref.ref[KnowledgeBase]] = []

                async def midway() -> ReloadResult:
                    await asyncio.sleep(args.seconds / 2)
                    replaced.append(weakref.ref(bot.knowledge.current.knowledge_base))
                    during_reload.append(len(probe.lags))
                    try:
                        return await reload_after_adding(
                            fake,
                            bot,
                            lambda: copy_files(generated[initial:], directory),
                            timeout=args.settle_timeout,
                        )
                    finally:
                        during_reload.append(len(probe.lags))

                report = await run_burst(
                    fake, bot, planned, midway=midway, settle_timeout=args.settle_timeout
                )
                probing.cancel()
                await asyncio.gather(probing, return_exceptions=True)
                right_after = sample_memory(collect=False)
                await asyncio.sleep(args.settle)
                later = sample_memory()
                old_index_freed = bool(replaced) and replaced[0]() is None
                answers = await still_answers(fake)
        logged = [f"{r.name}: {r.getMessage()}" for r in errors.records]
    finally:
        await fake.stop()

    counts = report.counts
    answered = counts[ANSWERED] + counts[ANSWERED_NOT_COVERED]
    limited = counts[NOTIFIED] + counts[SILENCED]
    latencies = report.latencies()
    print(f"\n[{label}: {cooldown[0]} questions per {cooldown[1]:.0f} s per member]")
    print(
        f"  sent {len(planned)} questions from {len(members)} members in {report.sending_seconds:.1f} s; "
        + (
            f"all settled {report.settled_after:.2f} s after the last"
            if report.settled_after is not None
            else f"NOT all settled {args.settle_timeout:.0f} s after the last"
        )
    )
    print(
        f"  answered {answered} ({counts[ANSWERED]} from the knowledge base, "
        f"{counts[ANSWERED_NOT_COVERED]} 'not covered'); politely rate-limited {limited} "
        f"({counts[NOTIFIED]} told to wait, {counts[SILENCED]} silent after being told); "
        f"lost {report.lost}"
    )
    for outcome, number in sorted(counts.items()):
        if outcome not in ACCEPTABLE:
            print(f"    {outcome}: {number}")
    total = answered + limited + report.lost
    print(f"  check: {answered} + {limited} + {report.lost} = {total} of {len(planned)} sent")
    print(f"  errors logged: {len(logged)}; invalid request bodies: {len(fake.spec_errors)}")
    for line in logged[:5]:
        print(f"    {line.splitlines()[0]}")
    if latencies:
        print(
            f"  answer latency: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, longest {max(latencies) * 1000:.0f} ms, "
            f"mean {statistics.fmean(latencies) * 1000:.0f} ms"
        )
    first, end = (during_reload + [len(probe.lags)] * 2)[:2]
    while_reloading = max(probe.lags[first:end], default=0.0)
    otherwise = max(probe.lags[:first] + probe.lags[end:], default=0.0)
    print(
        f"  event loop: longest stall {probe.worst * 1000:.1f} ms "
        f"(target < {STALL_TARGET * 1000:.0f} ms: {'met' if probe.worst < STALL_TARGET else 'MISSED'}; "
        f"{while_reloading * 1000:.1f} ms while the reload ran, {otherwise * 1000:.1f} ms otherwise), "
        f"p99 {probe.percentile(0.99) * 1000:.1f} ms over {len(probe.lags):,} wake-ups"
    )
    if report.reload is not None:
        print(
            f"  /kb reload at {args.seconds / 2:.1f} s: '{report.reload.title}', {start_passages:,} -> "
            f"{report.reload.passages:,} passages, answered after {report.reload.seconds:.2f} s"
        )
    else:
        print("  /kb reload: NO ANSWER")
    for moment, memory in (
        ("before the burst (after gc)", before),
        ("right after the burst", right_after),
        (f"{args.settle:.0f} s later (after gc)", later),
    ):
        print(f"  memory {moment + ':':<29} {memory}")
    print(
        f"  the knowledge base the reload replaced was freed once the answers' buttons expired "
        f"({args.pager_timeout:.0f} s): {'yes' if old_index_freed else 'NO'}"
    )
    print(f"  still answers afterwards: {'yes' if answers else 'NO'}")
    return report.lost == 0 and not logged and answers


def benchmark(args: argparse.Namespace) -> bool:
    """Both bursts, each in an event loop of its own, as a restarted bot would have; True if all went well."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        staging = workdir / "generated"
        staging.mkdir()
        started = time.perf_counter()
        passages = write_knowledge(staging, args.reload_passages, per_document=50)
        generated = sorted(staging.glob("*.md"))
        print(
            f"load: {args.users} members, {args.questions} questions over {args.seconds:.0f} s "
            f"(mentions in #general, questions in the ask channel #help; "
            f"{ARTICLE_SHARE:.0%} about the article, {GENERATED_SHARE:.0%} about generated documents, "
            f"the rest off-topic)"
        )
        print(
            f"knowledge: the bundled article + {int(len(generated) * INITIAL_GENERATED_SHARE)} of "
            f"{len(generated)} generated files; the rest are added for a /kb reload at "
            f"{args.seconds / 2:.0f} s ({passages:,} generated passages; written in "
            f"{time.perf_counter() - started:.1f} s)"
        )
        phases = [("default cooldown", (5, 60.0)), ("generous cooldown", (args.questions, 60.0))]
        results = [
            asyncio.run(run_phase(label, args, workdir, generated, cooldown)) for label, cooldown in phases
        ]
    ok = all(results)
    print(f"\n{'OK' if ok else 'FAILED'}: nothing lost, no error logged, answers after the burst")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="members asking (default 50)")
    parser.add_argument("--questions", type=int, default=500, help="questions in the burst (default 500)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the burst (default 10)")
    parser.add_argument(
        "--reload-passages",
        type=int,
        default=10_000,
        help="generated passages in the knowledge base reloaded midway (default 10,000)",
    )
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds after the burst before memory is measured again"
    )
    parser.add_argument(
        "--settle-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for replies after the last question before counting the rest lost",
    )
    parser.add_argument(
        "--pager-timeout",
        type=float,
        default=3.0,
        help="seconds before an answer's buttons expire (default 3; the bot's own is 300)",
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slows everything down)"
    )
    parser.add_argument(
        "--recording",
        action="store_true",
        help="instead: the burst with votes, recording off, on SQLite and on PostgreSQL (see recording.py)",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="with --recording: the fake Discord validates bodies against the OpenAPI schema (slower)",
    )
    parser.add_argument(
        "--postgres",
        choices=("auto", "skip"),
        default="auto",
        help="with --recording: start a throwaway PostgreSQL server (auto) or leave it out (skip)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # "voice will NOT be supported"
    os.environ["BOT_CONFIG_FILE"] = os.devnull  # no developer's config/bot.toml changes the run
    if args.tracemalloc:
        tracemalloc.start()
    if args.recording:
        from recording import recording_benchmark

        return 0 if recording_benchmark(args) else 1
    return 0 if benchmark(args) else 1


if __name__ == "__main__":
    sys.exit(main())
