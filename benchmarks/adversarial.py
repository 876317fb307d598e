"""Time per question on knowledge files built to be slow: the work per question must stay bounded.

Usage: python benchmarks/adversarial.py [--sizes 990000 5000000] [--repeats 3]

A moderator can upload any file the loader accepts. For each adversarial shape and size, a folder
with that one file (plus the bundled article) is loaded, then a few questions are asked, each
``--repeats`` times; the script prints the load time, the passages made, the longest passage in words,
and the slowest search in milliseconds. The target is a search under 50 ms on every shape. Shapes:

* ``repeated-pair``: one paragraph of "sheriff lawsuit " over and over, no sentence punctuation;
* ``one-word``: one paragraph of one word repeated;
* ``tiny-paragraphs``: thousands of one-line paragraphs sharing the question's words;
* ``long-sentences``: one paragraph of real sentences, each hundreds of words long;
* ``distinct-words``: one paragraph of distinct made-up words (a large vocabulary for the speller
  and word families);
* ``long-fields``: a title and summary as long as the loader accepts (``FIELD_LIMITS``); longer
  ones are refused when the folder is loaded.

Word lists that question reading loads once per process are loaded first, as the bot does at start-up.
Files over ``MAX_FILE_BYTES`` (5 MB) are refused by the loader. Absolute times vary by machine; the
bound is what matters.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.retrieval.documents import FIELD_LIMITS  # noqa: E402
from bot.retrieval.knowledge_base import KnowledgeBase  # noqa: E402
from bot.retrieval.question import warm_up  # noqa: E402

QUESTIONS = (
    "sheriff lawsuit",
    "who sued sheriff baca over the lawsuit",
    "sherrif lawsuits deportaions",
    "what did the sheriff say about immigration holds",
    "zzqx plorf sheriff",
)

FRONT = "---\ntitle: {title}\n---\n\n"


def repeated_pair(size: int) -> str:
    return FRONT.format(title="Repeated pair") + "sheriff lawsuit " * (size // 16) + "\n"


def one_word(size: int) -> str:
    return FRONT.format(title="One word") + "sheriff " * (size // 8) + "\n"


def tiny_paragraphs(size: int) -> str:
    line = "Sheriff lawsuit.\n\n"
    return FRONT.format(title="Tiny paragraphs") + line * (size // len(line))


def long_sentences(size: int) -> str:
    rng = random.Random(1)
    words = "the sheriff said lawsuit immigration county federal holds jail release court".split()
    sentences = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(words) for _ in range(400)).capitalize() + "."
        sentences.append(sentence)
        total += len(sentence) + 1
    return FRONT.format(title="Long sentences") + " ".join(sentences) + "\n"


def distinct_words(size: int) -> str:
    rng = random.Random(2)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = []
    total = 0
    while total < size:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(5, 12)))
        words.append(word)
        total += len(word) + 1
    return FRONT.format(title="Distinct words") + " ".join(words) + "\n"


def long_fields(size: int) -> str:
    title = ("sheriff lawsuit " * FIELD_LIMITS["title"])[: FIELD_LIMITS["title"]].strip()
    summary = ("sheriff lawsuit " * FIELD_LIMITS["summary"])[: FIELD_LIMITS["summary"]].strip()
    return f'---\ntitle: "{title}"\nsummary: "{summary}"\n---\n\n' + "Sheriff lawsuit.\n\n" * (size // 18)


SHAPES: dict[str, Callable[[int], str]] = {
    "repeated-pair": repeated_pair,
    "one-word": one_word,
    "tiny-paragraphs": tiny_paragraphs,
    "long-sentences": long_sentences,
    "distinct-words": distinct_words,
    "long-fields": long_fields,
}


def measure(shape: str, size: int, repeats: int) -> tuple[float, int, int, float, str]:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "article.md").write_bytes(
            (ROOT / "knowledge" / "la-sheriff-immigration-holds.md").read_bytes()
        )
        (directory / "adversarial.md").write_text(SHAPES[shape](size), encoding="utf-8")
        started = time.perf_counter()
        kb = KnowledgeBase.from_directory(directory)
        kb.quotes  # noqa: B018 - the bot builds the quote index with the passages, at load
        load = time.perf_counter() - started
    longest = max(len(p.text.split()) for p in kb.passages)
    worst, worst_question = 0.0, ""
    for question in QUESTIONS:
        for _ in range(repeats):
            started = time.perf_counter()
            kb.search(question, k=3)
            elapsed = (time.perf_counter() - started) * 1000
            if elapsed > worst:
                worst, worst_question = elapsed, question
    return load, len(kb.passages), longest, worst, worst_question


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[990_000, 4_990_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    args = parser.parse_args()
    warm_up()  # as the bot does while it loads: word lists are read once per process, not per question
    print(f"{'shape':16} {'bytes':>9} {'load s':>7} {'passages':>8} {'longest':>7} {'worst ms':>9}  question")
    for size in args.sizes:
        for shape in args.shapes:
            load, passages, longest, worst, question = measure(shape, size, args.repeats)
            print(f"{shape:16} {size:>9} {load:>7.2f} {passages:>8} {longest:>7} {worst:>9.1f}  {question}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
