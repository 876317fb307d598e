"""BM25 ranking of tokenised passages.

The model is rank-bm25's ``BM25Plus`` (k1=0.8, b=0.75, delta=1). Why this variant:

* Our knowledge bases are small: the seed article is a dozen passages. With ``BM25Okapi`` every term
  found in more than half the passages ("baca", "sheriff", "immigr" are) has a negative raw idf that
  rank-bm25 floors at ``epsilon * average_idf``: such a term then weighs about as much as a term that
  occurs nowhere, and in a 12-passage corpus a term in 6 passages gets a larger weight than a term in
  7 by a wide, arbitrary margin. BM25Plus' idf ``log((N + 1) / df)`` is positive and smooth for every
  term, so the article's main subjects still count.
* BM25Plus' lower bound ``delta`` keeps a long passage that matches a term from losing to a short one
  that does not, which matters for the long quotation paragraphs.
* k1=0.8 rather than rank-bm25's default 1.5: passages are single paragraphs, where a repeated term
  says less than in whole documents. With the whole pipeline (``python benchmarks/squad.py --k1 K``),
  SQuAD hit@1 is 0.834 at k1=1.5, 0.838 at 1.2, 0.842 at 0.9 and at 0.8 (hit@3 0.932-0.933 for all).

rank-bm25 computes scores by looping over every passage in Python for each query term. Here the
model's per-term contributions are computed once, at build time, into a sparse term-by-passage matrix
(CSR arrays), so a query only touches the passages that contain one of its terms. The scores are exactly
``BM25Plus.get_scores`` (tests compare them on random corpora).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Plus

from bot.retrieval.text import EncodedTexts

K1 = 0.8
B = 0.75
DELTA = 1.0

# Passages read per C call while building (4,096 generated passages take under 10 ms).
SLICE = 4096

# How many passages holding both words of a run-together compound are read to find them side by side.
ADJACENCY_LOOKS = 64

FloatArray = npt.NDArray[np.float64]

# Terms held by more than this share of the passages are summed last, only where they can matter.
COMMON_SHARE = 1 / 16


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
        size = len(corpus)
        # The corpus is read in slices: each call below runs in C without handing the GIL over, and a
        # knowledge base is rebuilt in a worker thread while the event loop answers questions.
        slices = [corpus[start : start + SLICE] for start in range(0, size, SLICE)]
        # Vocabulary ids in order of first occurrence, the order of rank-bm25's own vocabulary.
        first_seen: dict[str, None] = {}
        for part in slices:
            first_seen.update(dict.fromkeys(chain.from_iterable(part)))
        vocabulary = {term: i for i, term in enumerate(first_seen)}
        sequence = np.concatenate(
            [np.zeros(0, dtype=np.int32)]
            + [
                np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(part)), dtype=np.int32)
                for part in slices
            ]
        )
        lengths = np.fromiter(map(len, corpus), dtype=np.int64, count=size)
        self._build(vocabulary, sequence, lengths, k1, b, delta)

    @classmethod
    def from_encoded(
        cls,
        encoded: EncodedTexts,
        k1: float = K1,
        b: float = B,
        delta: float = DELTA,
    ) -> BM25Index:
        """The index of texts already read into term ids (``text.encode_texts``): the same index as
        ``BM25Index`` of the spelled-out terms, without reading millions of strings again."""
        if not encoded.lengths:
            raise ValueError("cannot index an empty corpus")
        index = cls.__new__(cls)
        index._build(
            encoded.vocabulary,
            np.frombuffer(encoded.sequence, dtype=np.int32),
            np.frombuffer(encoded.lengths, dtype=np.int64),
            k1,
            b,
            delta,
        )
        return index

    def grouped(self, lengths: npt.NDArray[np.int64]) -> BM25Index:
        """An index of the same terms over groups of consecutive passages (``lengths`` passages
        each): one document per group, to score whole documents."""
        index = BM25Index.__new__(BM25Index)
        ends = np.cumsum(lengths)
        tokens = self._offsets[np.concatenate(([0], ends))]
        index._build(
            self.vocabulary, self._sequence, np.diff(tokens).astype(np.int64), self.k1, self.b, self.delta
        )
        return index

    def _build(
        self,
        vocabulary: dict[str, int],
        sequence: npt.NDArray[np.int32],
        lengths: npt.NDArray[np.int64],
        k1: float,
        b: float,
        delta: float,
    ) -> None:
        """Precompute the model from each passage's term ids (``sequence``, ``lengths`` per passage)
        and the ``vocabulary`` numbering the terms in order of first occurrence."""
        self.size = int(lengths.size)
        if not sequence.size:
            # rank-bm25 divides by the average length: a corpus of only empty passages (all stop
            # words) would divide by zero, so it gets one empty-string token each.
            vocabulary = {"": 0}
            sequence = np.zeros(self.size, dtype=np.int32)
            lengths = np.ones(self.size, dtype=np.int64)
        self.k1 = k1
        self.b = b
        self.delta = delta
        self.vocabulary: dict[str, int] = vocabulary
        # Each passage's terms in order, as vocabulary ids: what proximity ordering reads, and the
        # source of the term and document frequencies below.
        self._offsets = np.concatenate(([0], np.cumsum(lengths)))
        self._sequence: npt.NDArray[np.int32] = sequence
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
        # Every term is held by some passage, so no row is empty.
        self._row_max: FloatArray = np.maximum.reduceat(self._data, self._indptr[:-1])
        # The terms held by more than ``COMMON_SHARE`` of the passages (few: each is in many passages),
        # with their contributions for every passage (0 where a term is not held), so that the pruned
        # first stage reads a common term's contribution to its candidates in one step rather than
        # searching its long postings: at 100,000 passages search's p50 0.72 -> 0.64 ms, for about
        # 46 MB (the benchmark's 57 common terms times 102,000 passages times 8 bytes).
        self._common_rows: dict[int, FloatArray] = {}
        for term_id in np.flatnonzero(self.document_frequency > COMMON_SHARE * self.size).tolist():
            row = np.zeros(self.size)
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            row[self._indices[start:end]] = self._data[start:end]
            self._common_rows[term_id] = row

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

    def matched_scores(self, terms: Sequence[str], factors: Mapping[str, float] | None = None) -> FloatArray:
        """Scores without BM25Plus' constant: only what the passages' own matches earn (each term's
        contribution times its share in ``factors``, as ``best_matches`` counts it)."""
        return self._sum(*self._postings(self._summing_order(self.term_ids(terms)), self._shares(factors)))

    def _summing_order(self, ids: Sequence[int]) -> list[int]:
        """``ids`` in the order matched scores add them: the common terms last, each group in the
        question's order. ``best_matches`` sums the other terms first and the common ones only where
        they can matter; adding in this order everywhere gives every path the same sums, to the bit."""
        return sorted(ids, key=self._common_rows.__contains__)

    def _shares(self, factors: Mapping[str, float] | None) -> dict[int, float]:
        """``factors`` by term id, leaving out shares of 1 and terms the index lacks."""
        given = (factors or {}).items()
        return {self.vocabulary[t]: f for t, f in given if f != 1.0 and t in self.vocabulary}

    def holds(self, term_id: int, passages: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """For each of ``passages``, whether it contains the term ``term_id``."""
        return self._lookup(term_id, passages)[1]

    def passages_holding(self, terms: Iterable[str], limit: int) -> list[int]:
        """The passages holding one of ``terms``, in order, the first ``limit`` of them at most."""
        ids = self.term_ids(list(terms))
        rows = [self._indices[self._indptr[i] : self._indptr[i + 1]][:limit] for i in ids]
        if not rows:
            return []
        found: list[int] = np.unique(np.concatenate(rows))[:limit].tolist()
        return found

    def adjacent(self, first: str, second: str, limit: int = ADJACENCY_LOOKS) -> bool:
        """Whether some passage has the term ``first`` right before ``second`` (stop words aside).

        Only the first ``limit`` passages holding both terms are read: a pair that is a name
        ("TRUST Act") stands together wherever both words are found.
        """
        a, b = self.vocabulary.get(first), self.vocabulary.get(second)
        if a is None or b is None:
            return False
        rows = [self._indices[self._indptr[i] : self._indptr[i + 1]] for i in (a, b)]
        both = np.intersect1d(rows[0], rows[1], assume_unique=True)[:limit]
        return any(self.stands_before(passage, a, b) for passage in both.tolist())

    def stands_before(self, passage: int, first: int, second: int) -> bool:
        """Whether passage ``passage`` has the term of id ``first`` right before ``second``."""
        terms = self.sequence(passage)
        return bool(np.any((terms[:-1] == first) & (terms[1:] == second)))

    def best_matches(
        self, terms: Sequence[str], k: int, factors: Mapping[str, float] | None = None
    ) -> RankedIndex:
        """The ``k`` best passages holding a query term, by matched score, best first.

        The same as ``top`` of the matched scores of the passages that hold a query term (only those
        can be answers), with passage positions for indices, found without scoring every passage in
        full: the terms held by a large share of the passages are left out of a first, partial sum
        when what they could add cannot lift a passage into the top ``k``. A term in ``factors``
        counts that share of its contribution (a guessed word less than one the member wrote).
        """
        ids = self._summing_order(self.term_ids(terms))
        if k <= 0 or not ids:
            return RankedIndex((), ())
        shares = self._shares(factors)
        common = [i for i in ids if i in self._common_rows]
        found = self._pruned_contenders(ids, common, k, shares) if common else None
        candidates, scores = found if found is not None else self._contenders(ids, k, shares)
        ranked = self.top(scores, k)
        return RankedIndex(tuple(candidates[list(ranked.indices)].tolist()), ranked.scores)

    def _contenders(
        self, ids: Sequence[int], k: int, shares: Mapping[int, float]
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Passages holding a query term, in order, among them the top ``k`` and every passage tied
        with the k-th; with their matched scores (each term's contribution times its share)."""
        columns, values = self._postings(ids, shares)
        matched = self._sum(columns, values)
        sample = self._sample(matched, ids, k)
        if sample is None:
            # Few passages hold a query term: they can be listed.
            candidates = np.unique(columns).astype(np.int64)
        else:
            # Matched scores are above zero exactly where a query term is held, so only such passages
            # clear the (positive) floor.
            candidates = np.flatnonzero(matched >= matched[sample].min())
        return candidates, matched[candidates]

    def _pruned_contenders(
        self, ids: Sequence[int], common: Sequence[int], k: int, shares: Mapping[int, float]
    ) -> tuple[npt.NDArray[np.int64], FloatArray] | None:
        """As ``_contenders``, summing the ``common`` terms only for the passages that need them.

        A passage scores at most its partial sum (of the other terms) plus the largest contribution
        of each common term. Passages whose bound is below a floor that k passages reach cannot be
        in the top k; None when the bound does not rule out enough passages to be of use.
        """
        # ``ids`` hold the common terms last (``_summing_order``): a passage's partial sum of the
        # others is where its full sum starts, so only the common terms are looked up.
        others = ids[: len(ids) - len(common)]
        columns, values = self._postings(others, shares)
        partial = self._sum(columns, values)
        sample = self._sample(partial, others, k)
        if sample is None:
            return None
        floor = float(self._exact(common, sample, shares, partial[sample]).min())
        most = sum(float(self._row_max[i]) * shares.get(i, 1.0) for i in common)
        # The bound adds ``most`` in another order than the sums add: allow for rounding.
        threshold = floor - most - 1e-9 * floor
        if threshold <= 0:
            return None
        # Only the passages holding one of the other terms have a partial sum above zero, so those
        # at the (positive) threshold are found in one pass over the sums: at 100,000 passages a
        # fifth of the time of collecting them from the postings read (whose passages repeat).
        candidates = np.flatnonzero(partial >= threshold)
        return candidates, self._exact(common, candidates, shares, partial[candidates])

    def _sample(self, scores: FloatArray, ids: Sequence[int], k: int) -> npt.NDArray[np.int64] | None:
        """``k`` passages of the rarest of ``ids`` held by ``k`` passages or more, best by ``scores``.

        The k-th best score among some passages is no better than the k-th best of all, so the top k
        (and every passage tied with the k-th) score at least as much as the worst of these. Passages
        that hold a rare term score high: they set a high floor. None when no term is that frequent.
        """
        frequent = [i for i in ids if self.document_frequency[i] >= k]
        if not frequent:
            return None
        rarest = min(frequent, key=lambda i: int(self.document_frequency[i]))
        held = self._indices[self._indptr[rarest] : self._indptr[rarest + 1]].astype(np.int64)
        best: npt.NDArray[np.int64] = held[np.argpartition(scores[held], held.size - k)[held.size - k :]]
        return best

    def _exact(
        self,
        ids: Sequence[int],
        passages: npt.NDArray[np.int64],
        shares: Mapping[int, float],
        start: FloatArray | None = None,
    ) -> FloatArray:
        """The matched scores of ``passages``, added term by term as ``_sum`` adds them (to the bit),
        onto ``start`` (the passages' sums of the terms before ``ids``) when given."""
        total = np.zeros(passages.size) if start is None else start.copy()
        for term_id in ids:
            row = self._common_rows.get(term_id)
            if row is not None:
                values = row[passages]  # 0 where the term is not held, times any share still 0
            else:
                found, held = self._lookup(term_id, passages)
                values = np.where(held, self._data[self._indptr[term_id] + found], 0.0)
            if term_id in shares:
                values = values * shares[term_id]
            # Adding zero where the term is not held leaves a sum unchanged.
            total += values
        return total

    def _lookup(
        self, term_id: int, passages: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Where each of ``passages`` is (or would be) in the postings of ``term_id``, and whether it is."""
        postings = self._indices[self._indptr[term_id] : self._indptr[term_id + 1]]
        # Keys of the postings' own type: other keys would have numpy convert all the postings.
        found = np.minimum(np.searchsorted(postings, passages.astype(postings.dtype)), postings.size - 1)
        held: npt.NDArray[np.bool_] = postings[found] == passages
        return found, held

    def _postings(
        self, ids: Sequence[int], shares: Mapping[int, float] | None = None
    ) -> tuple[npt.NDArray[np.int32], FloatArray]:
        """The passages and contributions of the rows of ``ids``, row after row, each row times its
        share in ``shares`` (1 when not there)."""
        if not ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        spans = [(self._indptr[i], self._indptr[i + 1]) for i in ids]
        columns = np.concatenate([self._indices[a:b] for a, b in spans])
        rows = [self._data[a:b] for a, b in spans]
        if shares:
            rows = [row * shares[i] if i in shares else row for i, row in zip(ids, rows, strict=True)]
        values = np.concatenate(rows)
        return columns, values

    def _sum(self, columns: npt.NDArray[np.int32], values: FloatArray) -> FloatArray:
        """Each passage's sum of ``values``, added in their order (so always to the same last bit)."""
        summed: FloatArray = np.bincount(columns, weights=values, minlength=self.size).astype(
            np.float64, copy=False
        )
        return summed

    def _matched(self, ids: Sequence[int]) -> FloatArray:
        """Sum of the contribution rows of ``ids``: only passages holding a query term are touched."""
        return self._sum(*self._postings(ids))

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
