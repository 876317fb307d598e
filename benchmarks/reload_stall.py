"""How long the event loop stalls while ``/kb reload`` rebuilds a large knowledge base.

Usage: python benchmarks/reload_stall.py [--passages N] [--per-document N]
(with the bot installed, ``pip install -e .``, or ``PYTHONPATH=.`` from the repository root).

Writes a generated knowledge base (Zipf-distributed made-up words, ``benchmarks/corpus.py``) to a
temporary folder, opens it with ``LiveKnowledge`` and then awaits ``reload()`` while a probe task
sleeps 1 ms at a time and records how late each wake-up is: the longest lateness is the longest time
the event loop could not run anything (answer a question, a heartbeat). Questions are asked while the
reload runs, as members would, and their latency is reported too. Prints the figures and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import ZipfText, questions

from bot.retrieval.documents import Document
from bot.retrieval.live import LiveKnowledge

PROBE_SECONDS = 0.001


def write_knowledge(directory: Path, passages: int, per_document: int, seed: int = 11) -> int:
    """Write about ``passages`` paragraphs as Markdown files of ``per_document`` paragraphs; the count."""
    text = ZipfText(seed=seed)
    files = max(1, passages // per_document)
    for number in range(files):
        body = "\n\n".join(text.paragraph() for _ in range(per_document))
        page = f"---\ntitle: Generated document {number}\nsource: Benchmark\n---\n\n{body}\n"
        (directory / f"doc-{number:05d}.md").write_text(page, encoding="utf-8")
    return files * per_document


class LoopLagProbe:
    """Sleeps ``interval`` seconds in a loop and records how late each wake-up was."""

    def __init__(self, interval: float = PROBE_SECONDS) -> None:
        self.interval = interval
        self.lags: list[float] = []

    async def run(self) -> None:
        """Probe until cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.interval)
            self.lags.append(loop.time() - started - self.interval)

    @property
    def worst(self) -> float:
        """The longest stall seen, in seconds."""
        return max(self.lags, default=0.0)

    def percentile(self, share: float) -> float:
        """The lateness that ``share`` of the wake-ups stayed under, in seconds."""
        if not self.lags:
            return 0.0
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def ask_during(knowledge: LiveKnowledge, asked: list[str], done: asyncio.Event) -> list[float]:
    """Ask ``asked`` one after another off the loop (as the ask cog does) until ``done``; latencies."""
    latencies = []
    for question in asked:
        if done.is_set():
            break
        started = time.perf_counter()
        await asyncio.to_thread(knowledge.current.knowledge_base.search, question, 9)
        latencies.append(time.perf_counter() - started)
    return latencies


async def measure(directory: Path, ask: bool) -> None:
    started = time.perf_counter()
    knowledge = await LiveKnowledge.open(directory)
    opened = time.perf_counter() - started
    snapshot = knowledge.current
    print(
        f"knowledge base: {len(snapshot.documents)} documents, {len(snapshot.knowledge_base.passages):,} "
        f"passages, {len(snapshot.quotes.quotes):,} quotes; first build {opened:.2f} s"
    )
    docs: list[Document] = list(snapshot.documents)
    asked = list(questions(docs, 10_000))

    probe = LoopLagProbe()
    probing = asyncio.create_task(probe.run())
    await asyncio.sleep(0.2)  # the probe's baseline before the reload starts
    baseline = probe.worst
    probe.lags.clear()
    done = asyncio.Event()
    asking = asyncio.create_task(ask_during(knowledge, asked if ask else [], done))
    started = time.perf_counter()
    outcome = await knowledge.reload("benchmark")
    reload_seconds = time.perf_counter() - started
    done.set()
    latencies = await asking
    probing.cancel()
    await asyncio.gather(probing, return_exceptions=True)

    if not outcome.accepted:
        print(f"reload refused: {outcome.summary()}", file=sys.stderr)
        raise SystemExit(1)
    print(f"reload: {reload_seconds:.2f} s wall, {outcome.seconds:.2f} s building the indexes")
    print(
        f"event loop stall during the reload: longest {probe.worst * 1000:.1f} ms, "
        f"p99 {probe.percentile(0.99) * 1000:.1f} ms, median {probe.percentile(0.5) * 1000:.2f} ms "
        f"over {len(probe.lags):,} wake-ups (idle baseline: longest {baseline * 1000:.1f} ms)"
    )
    if latencies:
        print(
            f"questions answered during the reload: {len(latencies)}, latency median "
            f"{statistics.median(latencies) * 1000:.1f} ms, longest {max(latencies) * 1000:.1f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--passages", type=int, default=20_000, help="paragraphs to generate (default 20,000)"
    )
    parser.add_argument("--per-document", type=int, default=50, help="paragraphs per file (default 50)")
    parser.add_argument(
        "--no-questions", action="store_true", help="reload without asking questions meanwhile"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        written = write_knowledge(directory, args.passages, args.per_document)
        print(f"generated {written:,} paragraphs in {max(1, args.passages // args.per_document)} files")
        asyncio.run(measure(directory, ask=not args.no_questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
