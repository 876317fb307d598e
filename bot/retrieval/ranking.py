"""BM25 ranking of tokenised passages.

The model is rank-bm25's ``BM25Plus`` (k1=0.8, b=0.75, delta=1). Why this variant:

* Our knowledge bases are small: the seed article is a dozen passages. With ``BM25Okapi`` every term
  found in more than half the passages ("baca", "sheriff", "immigr" are) has a negative raw idf that
  rank-bm25 floors at ``epsilon * average_idf``: such a term then weighs about as much as a term that
  occurs nowhere, and in a 12-passage corpus a term in 6 passages gets a larger weight than a term in
  7 by a wide, arbitrary margin. BM25Plus' idf ``log((N + 1) / df)`` is positive and smooth for every
  term, so the article's main subjects still count. (``benchmarks/variants.py`` measures the two.)
* BM25Plus' lower bound ``delta`` keeps a long passage that matches a term from losing to a short one
  that does not, which matters for the long quotation paragraphs.
* k1=0.8 rather than rank-bm25's default 1.5: passages are single paragraphs, where a repeated term
  says less than in whole documents. On the SQuAD development set hit@1 goes 0.812 (k1=1.5), 0.818
  (1.2), 0.826 (0.9); b=0.75 was as good as any other value tried (0.4 to 0.9).

rank-bm25 computes scores by looping over every passage in Python for each query term. Here the
model's per-term contributions are computed once, at build time, into a sparse term-by-passage matrix
(CSR arrays), so a query only touches the passages that contain one of its terms. The scores are exactly
``BM25Plus.get_scores`` (tests compare them on random corpora).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Plus

K1 = 0.8
B = 0.75
DELTA = 1.0

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RankedIndex:
    """The top passages for a query, best first, with their BM25 scores."""

    indices: tuple[int, ...]
    scores: tuple[float, ...]


class BM25Index:
    """A BM25Plus model over tokenised passages, precomputed for fast scoring."""

    def __init__(
        self, corpus: Sequence[Sequence[str]], k1: float = K1, b: float = B, delta: float = DELTA
    ) -> None:
        if not corpus:
            raise ValueError("cannot index an empty corpus")
        # rank-bm25 divides by the average length: a corpus of only empty passages (all stop words)
        # would divide by zero, so it gets one empty-string token each.
        documents: Sequence[Sequence[str]] = corpus if any(corpus) else [[""] for _ in corpus]
        self.k1 = k1
        self.delta = delta
        self.size = len(documents)
        # Vocabulary ids in order of first occurrence, the order of rank-bm25's own vocabulary.
        self.vocabulary: dict[str, int] = {
            term: i for i, term in enumerate(dict.fromkeys(chain.from_iterable(documents)))
        }
        vocabulary = self.vocabulary
        # Each passage's terms in order, as vocabulary ids: what proximity ordering reads, and the
        # source of the term and document frequencies below.
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=self.size)
        self._offsets = np.concatenate(([0], np.cumsum(lengths)))
        self._sequence = np.fromiter(
            map(vocabulary.__getitem__, chain.from_iterable(documents)),
            dtype=np.int32,
            count=int(lengths.sum()),
        )
        # One key per (term, passage) occurrence, term-major: unique keys and their counts are the
        # non-zero term frequencies, already in the order of a term-by-passage CSR matrix.
        passage_of_token = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        keys, counts = np.unique(
            self._sequence.astype(np.int64) * self.size + passage_of_token, return_counts=True
        )
        rows = keys // self.size
        cols = keys % self.size
        tf = counts.astype(np.float64)
        self.document_frequency: npt.NDArray[np.int64] = np.bincount(rows, minlength=len(vocabulary))
        # rank-bm25 supplies the model: its idf and length normalisation. Its constructor counts every
        # passage's terms in a Python loop, which numpy did above, so the model is given the counts
        # (as BM25Plus.__init__ would have set them) and computes its idf from them itself.
        model = BM25Plus.__new__(BM25Plus)
        model.k1, model.b, model.delta = k1, b, delta
        model.corpus_size = self.size
        model.doc_len = lengths.tolist()
        model.avgdl = int(lengths.sum()) / self.size
        model.idf = {}
        model._calc_idf(dict(zip(vocabulary, self.document_frequency.tolist(), strict=True)))
        self.idf: FloatArray = np.fromiter(model.idf.values(), dtype=np.float64, count=len(model.idf))
        norm = k1 * (1 - b + b * lengths.astype(np.float64) / model.avgdl)
        # The same expression, in the same order, as BM25Plus.get_scores, minus the constant
        # idf * delta that BM25Plus adds to every passage for every known query term.
        self._data: FloatArray = self.idf[rows] * ((tf * (k1 + 1)) / (norm[cols] + tf))
        self._indices = cols.astype(np.int32)
        self._indptr = np.concatenate(([0], np.cumsum(self.document_frequency)))

    def sequence(self, index: int) -> npt.NDArray[np.int32]:
        """The terms of passage ``index`` in order, as vocabulary ids."""
        return self._sequence[self._offsets[index] : self._offsets[index + 1]]

    def term_ids(self, terms: Sequence[str]) -> list[int]:
        """Vocabulary ids of the known ``terms``, repeats kept (a repeated query term counts twice)."""
        return [self.vocabulary[t] for t in terms if t in self.vocabulary]

    def scores(self, terms: Sequence[str]) -> FloatArray:
        """BM25Plus scores of every passage for the query ``terms`` (as ``BM25Plus.get_scores``)."""
        ids = self.term_ids(terms)
        return self._matched(ids) + float(self.idf[ids].sum()) * self.delta

    def matched_scores(self, terms: Sequence[str]) -> FloatArray:
        """Scores without BM25Plus' constant: only what the passages' own matches earn."""
        return self._matched(self.term_ids(terms))

    def holds(self, term_id: int, passages: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """For each of ``passages``, whether it contains the term ``term_id``."""
        postings = self._indices[self._indptr[term_id] : self._indptr[term_id + 1]]
        found = np.searchsorted(postings, passages)
        inside = found < postings.size
        result = np.zeros(passages.size, dtype=np.bool_)
        result[inside] = postings[found[inside]] == passages[inside]
        return result

    def _matched(self, ids: Sequence[int]) -> FloatArray:
        """Sum of the contribution rows of ``ids``: only passages holding a query term are touched."""
        if not ids:
            return np.zeros(self.size)
        spans = [(self._indptr[i], self._indptr[i + 1]) for i in ids]
        columns = np.concatenate([self._indices[a:b] for a, b in spans])
        values = np.concatenate([self._data[a:b] for a, b in spans])
        summed: FloatArray = np.bincount(columns, weights=values, minlength=self.size).astype(np.float64)
        return summed

    def reference_contribution(self, idf: float) -> float:
        """What one occurrence of a term of weight ``idf`` earns in a passage of average length.

        With BM25's saturation this is ``idf * (k1 + 1) / (k1 + 1)``: the idf itself. It is the yard
        stick for "how much of the question does this passage cover".
        """
        return idf

    def unknown_term_idf(self) -> float:
        """The idf a term would have if it occurred in one passage: the weight of a rare word."""
        return float(np.log((self.size + 1) / 1))

    @staticmethod
    def top(scores: FloatArray, k: int) -> RankedIndex:
        """The ``k`` best positions of ``scores``, best first, ties broken by position."""
        size = int(scores.size)
        k = max(0, min(k, size))
        if k == 0:
            return RankedIndex((), ())
        if k < size:
            candidates = np.argpartition(-scores, k - 1)[:k]
            kth = scores[candidates].min()
            # argpartition picks any of the positions tied at the k-th score; the earliest must win.
            if np.count_nonzero(scores == kth) != np.count_nonzero(scores[candidates] == kth):
                above = np.flatnonzero(scores > kth)
                tied = np.flatnonzero(scores == kth)[: k - above.size]
                candidates = np.concatenate((above, tied))
        else:
            candidates = np.arange(size)
        order = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return RankedIndex(tuple(order), tuple(float(scores[i]) for i in order))
