"""Retrieval quality when members misspell a function word ("waht", "hwo", "whcih", "becuase").

Usage: python benchmarks/typos.py [--data tests/data] [--knowledge knowledge] [--seed 7]

Takes the article's development sets (``article_dev.jsonl`` ... ``article_holdout39.jsonl``: the
sets read question by question while developing), and in each question that has a function word of
three letters or more misspells one of them, chosen at random: two letters after the first swapped,
one dropped, or one doubled, so that the result is no word English knows ("what" -> "waht", "which"
-> "whcih", "because" -> "becase"). The same seed gives the same questions. Prints the figures of
``python -m bot eval`` for those questions as written and as misspelt, so that what typos cost is
read off side by side.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
from pathlib import Path

from bot.retrieval.evaluation import evaluate, load_cases
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.question import RARE_ZIPF, zipf
from bot.retrieval.text import STOP_WORDS, is_dictionary_word

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SETS = [
    "dev",
    "holdout",
    "holdout2",
    "chat_dev",
    "chat_dev2",
    *(f"holdout{n}" for n in range(3, 40)),
]
_LETTERS_RE = re.compile(r"[A-Za-z]+")
TRIES = 20


def misspelt(word: str, rng: random.Random) -> str | None:
    """``word`` with one slip of the fingers after its first letter, or None when every try gave a
    word English knows."""
    for _ in range(TRIES):
        i = rng.randrange(1, len(word) - 1) if len(word) > 2 else 1
        slip = rng.choice(["swap", "drop", "double"])
        if slip == "swap" and i + 1 < len(word):
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif slip == "drop":
            typo = word[:i] + word[i + 1 :]
        else:
            typo = word[:i] + word[i] + word[i:]
        known = typo in STOP_WORDS or is_dictionary_word(typo) or zipf(typo) >= RARE_ZIPF
        if typo != word and not known:
            return typo
    return None


def misspell_sets(folder: Path, seed: int) -> tuple[list[str], list[str]]:
    """The JSON lines of the questions that could be misspelt: as written, and misspelt."""
    rng = random.Random(seed)
    written: list[str] = []
    typed: list[str] = []
    for name in DEVELOPMENT_SETS:
        for line in (folder / f"article_{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            words = _LETTERS_RE.findall(record["question"])
            function_words = [w for w in words if w.lower() in STOP_WORDS and len(w) >= 3]
            if not function_words:
                continue
            chosen = rng.choice(function_words)
            typo = misspelt(chosen.lower(), rng)
            if typo is None:
                continue
            written.append(line.strip())
            record["question"] = re.sub(rf"\b{chosen}\b", typo, record["question"], count=1)
            typed.append(json.dumps(record, ensure_ascii=False))
    return written, typed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    written, typed = misspell_sets(args.data, args.seed)
    knowledge_base = KnowledgeBase.from_directory(args.knowledge)
    with tempfile.TemporaryDirectory() as folder:
        for label, lines in (("as written", written), ("one function word misspelt", typed)):
            path = Path(folder) / "questions.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            report = evaluate(knowledge_base, load_cases(path))
            print(f"{label} ({len(lines)} questions from {len(DEVELOPMENT_SETS)} development sets):")
            print("\n".join("  " + line for line in report.lines()))
    print("examples:", "; ".join(json.loads(line)["question"] for line in typed[:3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
