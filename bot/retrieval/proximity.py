"""Second-stage ordering by term proximity.

BM25 scores a passage as a bag of words: a passage that mentions "oxygen" in its first sentence and
"combustion" in its last scores as well as one that says "oxygen speeds combustion". Questions are
usually answered by one sentence, so among the best BM25 candidates, passages whose matching words
stand close together are moved up. Measured on the SQuAD development set (``benchmarks/squad.py``):
hit@1 0.834 -> 0.843, hit@3 0.928 -> 0.931 with ``WINDOW`` 10 and ``WEIGHT`` 0.6. Measured again
once whole documents counted too (``knowledge_base.DOCUMENT_WEIGHT``): ``WEIGHT`` 0.6, 0.7, 0.8, 0.9,
1.0, 1.2 gave hit@1 0.8426, 0.8450, 0.8451, 0.8456, 0.8453, 0.8438 and hit@3 0.9345, 0.9352, 0.9356,
0.9352, 0.9351, 0.9347. 0.7 changes nothing on the article's six development sets; 0.8 put one
right passage fewer first there, and "how much do the night bus lines cost each winter" (a test) on
the paragraph that says the lines run through the winter rather than the one that gives the cost.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

WINDOW = 10
WEIGHT = 0.7
CANDIDATES = 30


def window_score(sequence: npt.NDArray[np.int32], weights: Mapping[int, float], width: int = WINDOW) -> float:
    """The largest total weight of distinct query terms found within ``width`` consecutive tokens.

    One pass with a sliding window over the positions of query terms, so the work grows with the
    passage's length, not its square: a passage of one question word repeated costs a scan.
    """
    if not weights or sequence.size == 0:
        return 0.0
    hits = [(position, term_id) for position, term_id in enumerate(sequence.tolist()) if term_id in weights]
    positions = [position for position, _ in hits]
    terms = [term_id for _, term_id in hits]
    in_window: dict[int, int] = {}
    total = best = 0.0
    first = 0
    for position, term_id in zip(positions, terms, strict=True):
        while position - positions[first] >= width:
            left = terms[first]
            in_window[left] -= 1
            if not in_window[left]:
                del in_window[left]
                total -= weights[left]
            first += 1
        if term_id not in in_window:
            in_window[term_id] = 0
            total += weights[term_id]
        in_window[term_id] += 1
        best = max(best, total)
    return best
