"""BM25 scoring: the precomputed index gives exactly rank-bm25's BM25Plus scores, and ranks them."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Plus

from bot.retrieval import proximity, ranking
from bot.retrieval.ranking import COMMON_SHARE, DELTA, K1, B, BM25Index
from bot.retrieval.text import encode_texts

VOCABULARY = ["baca", "sheriff", "ice", "harris", "lawsuit", "trust", "act", "county"]
UNKNOWN = ["weather", "paris", "sourdough"]

corpora = st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=12), min_size=1, max_size=15).filter(any)
queries = st.lists(st.sampled_from(VOCABULARY + UNKNOWN), max_size=8)


def reference_scores(
    corpus: list[list[str]], query: list[str], k1: float = K1, b: float = B, delta: float = DELTA
) -> np.ndarray:
    return np.asarray(BM25Plus([list(d) for d in corpus], k1=k1, b=b, delta=delta).get_scores(query))


@settings(max_examples=150, deadline=None)
@given(
    corpus=corpora,
    query=queries,
    k1=st.floats(0.1, 3.0),
    # b=1 gives an empty passage a zero length norm, where rank-bm25 divides 0 by 0 (NaN).
    b=st.floats(0.0, 0.95),
    delta=st.floats(0.0, 2.0),
)
@example(
    corpus=[[], ["baca", "baca", "sheriff"], [], ["ice"]],
    query=["baca", "baca", "paris", "ice"],
    k1=K1,
    b=B,
    delta=DELTA,
)
@example(corpus=[["baca"]], query=[], k1=1.5, b=0.75, delta=1.0)
@example(corpus=[["lawsuit"], [], []], query=["weather", "paris"], k1=1.2, b=0.0, delta=0.5)
def test_scores_equal_rank_bm25_bm25plus_on_random_corpora(
    corpus: list[list[str]], query: list[str], k1: float, b: float, delta: float
) -> None:
    index = BM25Index(corpus, k1=k1, b=b, delta=delta)

    np.testing.assert_allclose(
        index.scores(query), reference_scores(corpus, query, k1, b, delta), rtol=1e-9, atol=1e-9
    )


def test_vocabulary_and_idf_are_rank_bm25s_own() -> None:
    corpus = [["sheriff", "baca", "sheriff"], [], ["ice", "baca"], ["county"]]
    model = BM25Plus(corpus, k1=K1, b=B, delta=DELTA)

    index = BM25Index(corpus)

    assert list(index.vocabulary) == list(model.idf)
    assert index.idf.tolist() == list(model.idf.values())


def test_scores_with_default_parameters_equal_bm25plus_on_a_seeded_random_corpus() -> None:
    rng = random.Random(20121205)
    words = [f"w{i}" for i in range(40)]
    corpus = [rng.choices(words, k=rng.randint(0, 30)) for _ in range(60)]
    corpus[0] = ["w1"]
    index = BM25Index(corpus)

    for _ in range(50):
        query = rng.choices([*words, "unseen", "also-unseen"], k=rng.randint(1, 6))
        np.testing.assert_allclose(index.scores(query), reference_scores(corpus, query), rtol=1e-9, atol=1e-9)


def test_reading_the_corpus_in_slices_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    words = [f"w{i}" for i in range(30)]
    corpus = [rng.choices(words, k=rng.randint(0, 12)) for _ in range(40)]
    whole = BM25Index(corpus)
    monkeypatch.setattr(ranking, "SLICE", 3)

    sliced = BM25Index(corpus)

    assert list(sliced.vocabulary) == list(whole.vocabulary)
    for i in range(len(corpus)):
        assert sliced.sequence(i).tolist() == whole.sequence(i).tolist()
    np.testing.assert_array_equal(sliced.scores(words[:5]), whole.scores(words[:5]))


@pytest.mark.parametrize(
    "texts",
    [
        ["Sheriff Baca ended the holds.", "", "The low-level offenders of Los Angeles County.", "Baca."],
        ["the of and", ""],
    ],
)
def test_an_index_of_encoded_texts_is_the_index_of_their_terms(texts: list[str]) -> None:
    # BM25Index of term lists is checked against rank-bm25 above; the encoded path must equal it.
    encoded = encode_texts(texts)

    from_ids = BM25Index.from_encoded(encoded)
    from_terms = BM25Index(encoded.terms())

    assert from_ids.vocabulary == from_terms.vocabulary
    assert [from_ids.sequence(i).tolist() for i in range(len(texts))] == [
        from_terms.sequence(i).tolist() for i in range(len(texts))
    ]
    query = ["baca", "sheriff", "offend", "angel"]
    np.testing.assert_array_equal(from_ids.scores(query), from_terms.scores(query))


def test_a_repeated_query_term_counts_twice() -> None:
    index = BM25Index([["baca", "sheriff"], ["ice"]])

    once = index.scores(["baca"])
    twice = index.scores(["baca", "baca"])

    np.testing.assert_allclose(twice, 2 * once)
    assert twice[0] > twice[1] > 0


def test_query_of_unknown_words_scores_every_passage_zero() -> None:
    index = BM25Index([["baca"], ["ice"], []])

    assert index.scores(["paris", "weather"]).tolist() == [0.0, 0.0, 0.0]
    assert index.matched_scores(["paris"]).tolist() == [0.0, 0.0, 0.0]


def test_matched_scores_are_scores_without_the_bm25plus_constant() -> None:
    corpus = [["baca", "sheriff"], ["ice", "ice"], [], ["baca"]]
    index = BM25Index(corpus)
    query = ["baca", "ice", "unknown"]
    constant = DELTA * sum(index.idf[index.vocabulary[t]] for t in ("baca", "ice"))

    np.testing.assert_allclose(index.matched_scores(query) + constant, index.scores(query))
    assert index.matched_scores(query)[2] == 0.0


def test_empty_corpus_is_refused() -> None:
    with pytest.raises(ValueError, match="empty corpus"):
        BM25Index([])


def test_corpus_of_only_empty_passages_can_be_searched_and_matches_nothing() -> None:
    index = BM25Index([[], []])

    assert index.scores(["baca"]).tolist() == [0.0, 0.0]
    assert index.top(index.matched_scores(["baca"]), 2).indices == (0, 1)


def test_sequence_gives_each_passage_terms_back_in_order() -> None:
    corpus = [["trust", "act", "trust"], [], ["ice"]]
    index = BM25Index(corpus)
    names = {i: t for t, i in index.vocabulary.items()}

    assert [[names[int(i)] for i in index.sequence(n)] for n in range(3)] == corpus


@settings(max_examples=150, deadline=None)
@given(
    scores=st.lists(st.floats(-5.0, 50.0, allow_nan=False), min_size=1, max_size=20, unique=True),
    k=st.integers(-2, 25),
)
def test_top_returns_the_k_best_best_first(scores: list[float], k: int) -> None:
    index = BM25Index([["x"]] * len(scores))

    ranked = index.top(np.asarray(scores), k)

    expected = sorted(range(len(scores)), key=lambda i: -scores[i])[: max(0, min(k, len(scores)))]
    assert list(ranked.indices) == expected
    assert list(ranked.scores) == [scores[i] for i in expected]


@pytest.mark.parametrize(
    ("scores", "k", "expected"),
    [
        ([1.0, 2.0, 2.0, 0.0], 4, (1, 2, 0, 3)),
        ([1.0, 2.0, 2.0, 0.0], 3, (1, 2, 0)),
        ([3.0, 3.0, 3.0, 3.0], 4, (0, 1, 2, 3)),
    ],
)
def test_top_breaks_ties_inside_the_results_by_position(
    scores: list[float], k: int, expected: tuple[int, ...]
) -> None:
    index = BM25Index([["x"]] * len(scores))

    assert index.top(np.asarray(scores), k).indices == expected


def test_top_breaks_a_tie_at_the_cut_off_in_favour_of_the_earlier_passage() -> None:
    index = BM25Index([["x"]] * 4)

    assert index.top(np.asarray([0.0, 0.0, 1.0, 1.0]), 1).indices == (2,)


def test_top_orders_a_real_query_like_bm25plus() -> None:
    corpus = [["ice"], ["baca", "sheriff", "baca"], ["sheriff"], ["baca"], []]
    index = BM25Index(corpus)
    query = ["baca", "sheriff"]

    ranked = index.top(index.scores(query), 3)

    reference = reference_scores(corpus, query)
    assert list(ranked.indices) == sorted(range(len(corpus)), key=lambda i: (-reference[i], i))[:3]
    assert ranked.indices[0] == 1


def plain_best_matches(
    index: BM25Index, query: list[str], k: int
) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """``top`` of the matched scores of every passage holding a query term: what best_matches must give."""
    matched = index.matched_scores(query)
    touched = np.flatnonzero(matched)
    ranked = index.top(matched[touched], k)
    return tuple(int(touched[i]) for i in ranked.indices), ranked.scores


# Few common words and many rare ones, so that some query terms are held by most passages.
SKEWED = ["the", "sheriff", "county", *(f"rare{i}" for i in range(30))]
skewed_corpora = st.lists(
    st.lists(st.sampled_from(SKEWED[:3]), max_size=6).flatmap(
        lambda common: st.lists(st.sampled_from(SKEWED[3:]), max_size=4).map(lambda rare: common + rare)
    ),
    min_size=1,
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(
    corpus=skewed_corpora,
    query=st.lists(st.sampled_from([*SKEWED, "unknown"]), max_size=6),
    k=st.integers(-1, 40),
)
def test_best_matches_are_the_top_of_the_passages_holding_a_query_term(
    corpus: list[list[str]], query: list[str], k: int
) -> None:
    index = BM25Index(corpus)

    ranked = index.best_matches(query, k)

    assert (ranked.indices, ranked.scores) == plain_best_matches(index, query, k)


def test_best_matches_sums_common_terms_only_where_they_can_matter_and_agrees() -> None:
    rng = random.Random(7)
    corpus = [["the", "county"] * rng.randint(1, 3) + rng.sample(SKEWED[3:], 2) for _ in range(400)]
    index = BM25Index(corpus)

    for query in (
        ["the", "rare1", "rare2"],
        ["county", "the", "rare5", "the"],
        ["the"],
        ["rare9"],
        ["the"] * 8 + ["rare3"],
    ):
        for k in (1, 5, 30, 500):
            ranked = index.best_matches(query, k)
            assert (ranked.indices, ranked.scores) == plain_best_matches(index, query, k)


def test_best_matches_agrees_when_a_common_term_could_lift_any_passage() -> None:
    # "mid" is common enough to be summed last, but weighs so much that no passage can be ruled out.
    corpus = [["filler"] * 5 for _ in range(400)]
    for i in range(30):
        corpus[i] += ["mid"] * (20 if i == 0 else 1)
    for i in range(100, 110):
        corpus[i].append("rare")
    index = BM25Index(corpus)

    for k in (1, 5, 12):
        ranked = index.best_matches(["mid", "mid", "mid", "rare"], k)
        assert (ranked.indices, ranked.scores) == plain_best_matches(index, ["mid", "mid", "mid", "rare"], k)


@settings(max_examples=100, deadline=None)
@given(corpus=skewed_corpora, query=st.lists(st.sampled_from(SKEWED), max_size=6), k=st.integers(1, 40))
def test_where_the_common_words_stand_in_the_question_does_not_change_the_ranking(
    corpus: list[list[str]], query: list[str], k: int
) -> None:
    # Matched scores add the terms most passages hold last, wherever the question puts them, so
    # "the sheriff rare1" and "rare1 the sheriff" give the same passages with the same scores, to the bit.
    index = BM25Index(corpus)
    frequency = {w: index.document_frequency[i] for w, i in index.vocabulary.items()}
    common = [w for w in query if frequency.get(w, 0) > COMMON_SHARE * index.size]
    others = [w for w in query if w not in common]

    first, last = index.best_matches(common + others, k), index.best_matches(others + common, k)

    assert (first.indices, first.scores) == (last.indices, last.scores)


def test_holds_tells_which_passages_contain_a_term() -> None:
    index = BM25Index([["baca"], ["ice"], ["baca", "ice"], []])

    assert index.holds(index.vocabulary["baca"], np.arange(4)).tolist() == [True, False, True, False]


def test_window_score_rewards_question_words_that_stand_together() -> None:
    weights = {1: 2.0, 2: 3.0}
    together = np.asarray([1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], dtype=np.int32)
    apart = np.asarray([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], dtype=np.int32)

    assert proximity.window_score(together, weights) == 5.0
    assert proximity.window_score(apart, weights) == 3.0
    assert proximity.window_score(np.asarray([], dtype=np.int32), weights) == 0.0


def naive_window_score(sequence: list[int], weights: dict[int, float], width: int) -> float:
    """The definition: every window that starts at a query term, summed over its distinct terms."""
    best = 0.0
    for start, term_id in enumerate(sequence):
        if term_id in weights:
            window = set(sequence[start : start + width]) & set(weights)
            best = max(best, sum(weights[t] for t in window))
    return best


@given(
    st.lists(st.integers(0, 6), max_size=60),
    st.dictionaries(st.integers(1, 6), st.sampled_from([0.5, 1.0, 2.0, 3.0]), max_size=4),
    st.integers(1, 12),
)
def test_window_score_agrees_with_its_definition(
    sequence: list[int], weights: dict[int, float], width: int
) -> None:
    array = np.asarray(sequence, dtype=np.int32)

    assert proximity.window_score(array, weights, width) == pytest.approx(
        naive_window_score(sequence, weights, width)
    )


def test_window_score_reads_a_long_run_of_one_question_word_in_one_pass() -> None:
    # 200,000 hits: checking every start against every later hit (the old way) would not finish.
    sequence = np.ones(200_000, dtype=np.int32)

    assert proximity.window_score(sequence, {1: 2.0, 2: 3.0}) == 2.0


def test_adjacent_tells_whether_two_terms_stand_side_by_side_somewhere() -> None:
    index = BM25Index([["trust", "act", "baca"], ["act", "harris", "trust"], ["county"]])

    assert index.adjacent("trust", "act")
    assert index.adjacent("harris", "trust")
    assert not index.adjacent("act", "trust")  # Next to each other only the other way round.
    assert not index.adjacent("baca", "county")  # In different passages.
    assert not index.adjacent("trust", "weather")  # Not in the index at all.
