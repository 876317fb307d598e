"""Retrieval quality on SQuAD 2.0: all dev articles in one knowledge base, one passage per paragraph.

Usage: python benchmarks/squad.py [PATH] [--k1 K1] [--b B]

PATH is the SQuAD JSON file or the folder holding dev-v2.0.json (default: ../shared/benchmarks/squad2-dev/,
relative to the repository). The data is converted to a temporary knowledge directory (one Markdown
file per article) and loaded through the same loader as the bot's own articles. Prints paragraph
hit@1, hit@3, MRR@10 for the answerable questions, and the abstention rate on the unanswerable ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bot.retrieval import ranking
from bot.retrieval.documents import load_directory
from bot.retrieval.evaluation import evaluate, squad_cases, squad_knowledge
from bot.retrieval.knowledge_base import KnowledgeBase

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "squad2-dev"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--k1", type=float, default=ranking.K1)
    parser.add_argument("--b", type=float, default=ranking.B)
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N questions")
    args = parser.parse_args()
    path = args.path / "dev-v2.0.json" if args.path.is_dir() else args.path
    if not path.is_file():
        print(f"SQuAD file not found: {path}", file=sys.stderr)
        return 2
    data = json.loads(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        for name, text in squad_knowledge(data):
            (Path(folder) / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        report = load_directory(folder)
        knowledge_base = KnowledgeBase(report.documents, k1=args.k1, b=args.b)
        built = time.perf_counter() - started
    cases = squad_cases(data)
    if args.limit:
        cases = cases[: args.limit]
    started = time.perf_counter()
    figures = evaluate(knowledge_base, cases)
    elapsed = time.perf_counter() - started
    print(f"SQuAD 2.0 dev: {len(knowledge_base.documents)} articles, {len(knowledge_base.passages)} passages")
    print(f"BM25Plus k1={args.k1} b={args.b}; index built in {built:.2f} s")
    print("\n".join(figures.lines()))
    print(f"{len(cases)} questions ranked and answered in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
