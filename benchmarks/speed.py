"""Speed and memory of the retriever, with plain rank-bm25 and bm25s measured on the same passages.

Usage: python benchmarks/speed.py [--sizes 1000 10000 100000] [--questions 300] [--skip-rank-bm25-at N]

For each size, a knowledge base of generated text (Zipf-distributed vocabulary, 2-6 sentences a
paragraph; ``benchmarks/corpus.py``) is indexed in a fresh process, so that peak memory is that of one
index. Figures printed:

* build: seconds to index from documents (ours: tokenise, BM25Plus matrix, speller; bm25s: its
  tokenizer with the same Snowball stemmer and stop words, then its index), and peak RSS of the process;
* search p50/p99 in ms over realistic questions: ours is ``KnowledgeBase.search(q, k=5)`` (analyse,
  score, top-k, proximity, best sentence); rank-bm25 is ``BM25Plus.get_scores`` + argsort on our tokens
  (what most bots do); bm25s is ``retrieve(k=5)`` on its own tokens;
* the bundled article, and the cold start of ``python -m bot ask`` (import time reported apart).

Peers are benchmark-only dependencies (``pip install -e ".[dev]"``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(system: str, size: int, question_count: int) -> dict[str, float | str]:
    """Index ``size`` generated passages with ``system`` and time searches (runs in a child process)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import documents, questions

    docs = documents(size)
    asked = list(questions(docs, question_count))
    before = peak_rss_mb()
    latencies: list[float] = []
    if system == "ours":
        from bot.retrieval.knowledge_base import KnowledgeBase

        started = time.perf_counter()
        knowledge_base = KnowledgeBase(docs)
        build = time.perf_counter() - started
        for question in asked:
            started = time.perf_counter()
            knowledge_base.search(question, 5)
            latencies.append(time.perf_counter() - started)
        passages = len(knowledge_base.passages)
    elif system == "rank-bm25":
        import numpy as np
        from rank_bm25 import BM25Plus

        from bot.retrieval.passages import build_passages
        from bot.retrieval.ranking import K1, B
        from bot.retrieval.text import tokenize

        started = time.perf_counter()
        passages_list = build_passages(docs)
        model = BM25Plus([tokenize(p.search_text) for p in passages_list], k1=K1, b=B)
        build = time.perf_counter() - started
        for question in asked:
            started = time.perf_counter()
            scores = model.get_scores(tokenize(question))
            np.argsort(scores)[::-1][:5]
            latencies.append(time.perf_counter() - started)
        passages = len(passages_list)
    elif system == "bm25s":
        import bm25s
        import Stemmer

        from bot.retrieval.passages import build_passages
        from bot.retrieval.text import STOP_WORDS

        stemmer = Stemmer.Stemmer("english")
        stop = sorted(STOP_WORDS)
        started = time.perf_counter()
        texts = [p.search_text for p in build_passages(docs)]
        retriever = bm25s.BM25(method="bm25+", k1=0.8, b=0.75, delta=1.0)
        retriever.index(
            bm25s.tokenize(texts, stopwords=stop, stemmer=stemmer, show_progress=False), show_progress=False
        )
        build = time.perf_counter() - started
        for question in asked:
            started = time.perf_counter()
            tokens = bm25s.tokenize([question], stopwords=stop, stemmer=stemmer, show_progress=False)
            if tokens.vocab:
                retriever.retrieve(tokens, k=5, show_progress=False)
            latencies.append(time.perf_counter() - started)
        passages = len(texts)
    else:
        raise ValueError(system)
    return {
        "system": system,
        "passages": passages,
        "build_s": build,
        "peak_mb": peak_rss_mb() - before,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def in_child(system: str, size: int, question_count: int) -> dict[str, float | str]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", system, str(size), str(question_count)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    result: dict[str, float | str] = json.loads(output.strip().splitlines()[-1])
    return result


def cold_start() -> tuple[float, float]:
    """Wall seconds of ``python -m bot ask`` on the bundled article, and of its imports alone."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    ask = [sys.executable, "-m", "bot", "ask", "Who filed a lawsuit against Sheriff Baca?"]
    imports = [sys.executable, "-c", "import bot.cli, bot.retrieval.knowledge_base"]
    runs = {"ask": [], "imports": []}  # type: dict[str, list[float]]
    for _ in range(5):
        for name, command in (("ask", ask), ("imports", imports)):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
            runs[name].append(time.perf_counter() - started)
    return statistics.median(runs["ask"]), statistics.median(runs["imports"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument(
        "--skip-rank-bm25-at", type=int, default=10**9, help="skip rank-bm25 at this size and up"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        system, size, count = args.child
        print(json.dumps(measure(system, int(size), int(count))))
        return 0

    print(f"{'system':<10} {'passages':>9} {'build s':>8} {'peak MB':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for size in args.sizes:
        results = {}
        for system in ("ours", "bm25s", "rank-bm25"):
            if system == "rank-bm25" and size >= args.skip_rank_bm25_at:
                continue
            row = in_child(
                system, size, args.questions if system != "rank-bm25" else min(args.questions, 100)
            )
            results[system] = row
            print(
                f"{system:<10} {row['passages']:>9} {row['build_s']:>8.2f} {row['peak_mb']:>8.0f} "
                f"{row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}",
                flush=True,
            )
        ours = float(results["ours"]["p50_ms"])
        notes = [f"p50 vs bm25s: {ours / float(results['bm25s']['p50_ms']):.2f}x"]
        if "rank-bm25" in results:
            notes.append(f"rank-bm25 / ours: {float(results['rank-bm25']['p50_ms']) / ours:.0f}x faster")
        print("  " + "; ".join(notes))

    sys.path.insert(0, str(ROOT))
    from bot.retrieval.knowledge_base import KnowledgeBase

    started = time.perf_counter()
    article = KnowledgeBase.from_directory(ROOT / "knowledge")
    build = time.perf_counter() - started
    latencies = []
    for _ in range(200):
        started = time.perf_counter()
        article.search("Who filed a lawsuit against Sheriff Baca?")
        latencies.append(time.perf_counter() - started)
    print(
        f"bundled article: {len(article.passages)} passages, built in {build * 1000:.0f} ms, "
        f"search p50 {percentile(latencies, 0.5) * 1000:.2f} ms"
    )
    ask, imports = cold_start()
    print(f"cold start, python -m bot ask: {ask:.2f} s wall (imports alone {imports:.2f} s); median of 5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
