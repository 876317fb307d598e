"""Known words of the same family as a question word the knowledge base never uses.

Snowball stemming brings "complies" and "complying" to "compli", but leaves "compliance" as
"complianc", "administration" as "administr" next to "admin", and superlatives ("strongest") alone.
When a question word is unknown, a known term that its stem begins with, or that begins with its
stem and adds a short ending, is most likely the same word in another form: "did baca comply"
finds "compliance with the federal requests". Both stems must be long enough that a shared
beginning means a shared word ("sue" and "suit" are not matched: too short to tell).

Measured (``python -m bot eval`` and ``benchmarks/squad.py``): on SQuAD (1,204 paragraphs, where a
few percent of question words are unknown) hit@1 and hit@3 are unchanged to the fourth decimal; on
the article's question sets it puts one more right passage first in each. Some guesses are wrong
("saturn" taken for "saturation", "tally" for "tallinn"); on SQuAD they cost nothing measurable.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable

# Shortest stem that is matched by its beginning.
MIN_STEM = 5

# Longest ending one stem may have over the other ("compli" + "anc").
MAX_ENDING = 4

# At most this many known terms beginning with a stem are looked at ("inter" begins thousands).
MAX_SCAN = 256

# Terms are sorted in slices this big and merged, so a rebuild in a worker thread never holds the
# interpreter for long (sorting 300,000 terms at once takes about 70 ms).
SORT_SLICE = 4096


class WordFamilies:
    """Finds, for an unknown stem, the known term it is most probably a form of."""

    def __init__(self, terms: Iterable[str], weight: Callable[[str], float]) -> None:
        """Index the known ``terms``; ``weight(term)`` breaks ties (e.g. document frequency)."""
        pending = [t for t in terms if len(t) >= MIN_STEM and t.isalpha()]
        slices = [sorted(pending[i : i + SORT_SLICE]) for i in range(0, len(pending), SORT_SLICE)]
        self._terms = list(heapq.merge(*slices))
        self._known = frozenset(self._terms)
        self._weight = weight

    def related(self, stem: str) -> str | None:
        """The known term of ``stem``'s family closest to it in length, or None.

        A candidate either begins ``stem`` ("undo" for "undon") or begins with it ("complianc" for
        "compli"); the shorter of the two has at least ``MIN_STEM`` letters and the longer at most
        ``MAX_ENDING`` more. Ties go to the larger ``weight``, then to the first in order.
        """
        if len(stem) < MIN_STEM or not stem.isalpha():
            return None
        candidates = [
            stem[:length]
            for length in range(max(MIN_STEM, len(stem) - MAX_ENDING), len(stem))
            if stem[:length] in self._known
        ]
        position = bisect.bisect_left(self._terms, stem)
        end = min(len(self._terms), position + MAX_SCAN)
        while position < end and self._terms[position].startswith(stem):
            known = self._terms[position]
            if len(known) - len(stem) <= MAX_ENDING and known != stem:
                candidates.append(known)
            position += 1
        if not candidates:
            return None
        return min(candidates, key=lambda t: (abs(len(t) - len(stem)), -self._weight(t), t))
