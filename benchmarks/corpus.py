"""Generated knowledge bases for benchmarks: Zipf-distributed words, realistic paragraph lengths."""

from __future__ import annotations

import random
from collections.abc import Iterator

from bot.retrieval.documents import Document, Paragraph

_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "ee")]
_STOP = "the of and to in a is that for on was with as by at from his her it said".split()


def vocabulary(size: int, seed: int = 7) -> list[str]:
    """``size`` distinct pronounceable made-up words."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class ZipfText:
    """Sentences whose content words follow Zipf's law over a fixed vocabulary."""

    def __init__(self, vocabulary_size: int = 50_000, exponent: float = 1.07, seed: int = 11) -> None:
        self.words = vocabulary(vocabulary_size)
        self.rng = random.Random(seed)
        total = 0.0
        self.cumulative = []
        for rank in range(1, len(self.words) + 1):
            total += 1 / rank**exponent
            self.cumulative.append(total)

    def sentence(self) -> str:
        """One sentence of 8 to 24 words, a third of them stop words."""
        count = self.rng.randint(8, 24)
        content = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        words = [w if self.rng.random() > 0.33 else self.rng.choice(_STOP) for w in content]
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        """Two to six sentences."""
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))


def documents(passages: int, per_document: int = 50, seed: int = 11) -> list[Document]:
    """About ``passages`` passages of generated text in documents of ``per_document`` paragraphs."""
    text = ZipfText(seed=seed)
    result = []
    for number in range(max(1, passages // per_document)):
        paragraphs = tuple(Paragraph(i, text.paragraph(), i * 2) for i in range(1, per_document + 1))
        result.append(Document(f"doc-{number:05d}", f"doc-{number:05d}.md", f"Document {number}", paragraphs))
    return result


def questions(docs: list[Document], count: int, seed: int = 5) -> Iterator[str]:
    """Questions made from words of random paragraphs, as people ask them."""
    rng = random.Random(seed)
    openers = ["what did", "who", "why did", "when was", "how many", "what is", "where did"]
    for _ in range(count):
        paragraph = rng.choice(rng.choice(docs).paragraphs)
        words = [w.strip(".").lower() for w in paragraph.text.split() if w.lower() not in _STOP]
        picked = rng.sample(words, k=min(len(words), rng.randint(3, 7)))
        yield f"{rng.choice(openers)} {' '.join(picked)}?"
