"""Fits the re-ranker's constants (kb_index/rerank.py) on the dev questions of the retrieval sets.

    .venv/bin/python -m bench.fit_ranker /work/shared/data/retrieval

1. WEIGHTS: a linear model over the re-ranker's features, fitted with a pairwise logistic loss
   (each right article above each wrong candidate of its question; every set counts the same),
   on the clean and the typo'd questions of StackFAQ, AIA-BDE (human) and CovidFAQ. The
   figures printed also cover each KB grown with distractors to 10,000 articles (not fitted on:
   products of features fitted on them, and on native KBs, lost more on the bundled Primero KB,
   which no weight sees, than they won). `--check` fits on half of each set's questions and
   measures on the other half: the figure to trust, as the test split's questions are unseen.
2. SCALE and OFFSET: Platt scaling of that rank value into P(the article answers the question),
   fitted on the three best candidates of each of those questions (what a user is shown) plus
   those of out-of-scope questions (StackFAQ questions against the CovidFAQ KB and the
   reverse), so that a score means the same on every KB and a threshold can say "nothing".
Prints the constants to copy into kb_index/rerank.py, and the dev hit@1/hit@3 they give.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.retrieval_sets import Question, grown, load_set, with_typos
from kb_index.articles import Article
from kb_index.rerank import FEATURES
from kb_index.search import SearchIndex

Matrix = npt.NDArray[np.float64]
Labels = npt.NDArray[np.bool_]
QuestionData = list[tuple[Matrix, Labels]]
IN_SCOPE = ("stackfaq_en", "aiabde_pt", "covidfaq_en")
OUT_OF_SCOPE = (("stackfaq_en", "covidfaq_en"), ("covidfaq_en", "stackfaq_en"))
L2 = 1.0  # a few hundred questions a set: keep the weights from fitting single questions
SHOWN = 3  # candidates per question the calibration is fitted on
GROWN = 10_000


def candidates(articles: list[Article], questions: list[Question]) -> QuestionData:
    index = SearchIndex.build(articles)
    found = []
    for question in questions:
        ranked = index.candidates(question.query)
        values = np.array([c.features for c in ranked], float).reshape(-1, len(FEATURES))
        labels = np.array([articles[c.position].id in question.relevant_ids for c in ranked])
        found.append((values, labels.astype(bool)))
    return found


def _newton(data: Matrix, targets: Matrix, weights: Matrix) -> Matrix:
    """Weighted, L2-regularised logistic regression by Newton's method."""
    w = np.zeros(data.shape[1])
    for _ in range(40):
        p = 1 / (1 + np.exp(-(data @ w)))
        gradient = data.T @ ((p - targets) * weights) + L2 * w
        hessian = (data * (p * (1 - p) * weights)[:, None]).T @ data + L2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w


def fit_weights(sets: list[QuestionData]) -> Matrix:
    differences, weights = [], []
    for questions in sets:
        usable = [(v, y) for v, y in questions if y.any() and not y.all()]
        for values, labels in usable:
            diff = (values[labels][:, None, :] - values[~labels][None, :, :]).reshape(
                -1, values.shape[1]
            )
            differences.append(diff)
            weights.append(np.full(len(diff), 1 / (len(diff) * len(usable) * len(sets))))
    data, weight = np.vstack(differences), np.concatenate(weights)
    return _newton(data, np.ones(len(data)), weight * len(weight))


def fit_platt(sets: list[QuestionData], weights: Matrix) -> tuple[float, float]:
    ranks, labels, shares = [], [], []
    for questions in sets:
        rows = [_top(v @ weights, y) for v, y in questions if len(v)]
        total = sum(len(r) for r, _ in rows)
        for rank, label in rows:
            ranks.append(rank)
            labels.append(label)
            shares.append(np.full(len(rank), 1 / (total * len(sets))))
    rank = np.concatenate(ranks)
    data = np.column_stack([rank, np.ones(len(rank))])
    share = np.concatenate(shares)
    scale, offset = _newton(data, np.concatenate(labels).astype(float), share * len(share))
    return float(scale), float(offset)


def _top(rank: Matrix, labels: Labels) -> tuple[Matrix, Labels]:
    """The candidates a user is shown: the score should say how likely each is right."""
    order = np.argsort(-rank, kind="stable")[:SHOWN]
    return rank[order], labels[order]


def hits(questions: QuestionData, weights: Matrix) -> tuple[float, float]:
    first = top3 = 0
    for values, labels in questions:
        if len(values):
            order = np.argsort(-(values @ weights), kind="stable")
            first += bool(labels[order[0]])
            top3 += bool(labels[order[:3]].any())
    return first / len(questions), top3 / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--check", action="store_true", help="fit on half, measure on the rest")
    args = parser.parse_args()
    loaded = {name: load_set(args.data, name, GROWN) for name in IN_SCOPE}
    fitted: dict[str, list[QuestionData]] = {}
    for name, retrieval_set in loaded.items():
        questions = retrieval_set.questions
        fitted[name] = [
            candidates(retrieval_set.articles, questions),
            candidates(retrieval_set.articles, with_typos(questions)),
            candidates(grown(retrieval_set, GROWN), questions),
        ]
    if args.check:
        check(fitted)
        return
    out_of_scope = [
        candidates(loaded[kb].articles, loaded[asked].questions) for asked, kb in OUT_OF_SCOPE
    ]
    native = [parts[0] + parts[1] for parts in fitted.values()]
    weights = fit_weights(native)
    scale, offset = fit_platt([*native, *out_of_scope], weights)
    print(f"WEIGHTS = ({', '.join(f'{w:.3f}' for w in weights)})")
    print(f"SCALE = {scale:.4f}\nOFFSET = {offset:.4f}")
    report(fitted, weights)


def check(fitted: dict[str, list[QuestionData]]) -> None:
    """Two-fold: fit on the even (odd) questions of every set, measure on the others."""
    for half in (0, 1):
        train = {n: [part[half::2] for part in parts] for n, parts in fitted.items()}
        test = {n: [part[1 - half :: 2] for part in parts] for n, parts in fitted.items()}
        weights = fit_weights([parts[0] + parts[1] for parts in train.values()])
        print(f"fitted on half {half}, measured on the other half:")
        report(test, weights)


def report(sets: dict[str, list[QuestionData]], weights: Matrix) -> None:
    for name, (clean, typos, large) in sets.items():
        figures = [hits(part, weights) for part in (clean, typos, large)]
        print(
            f"{name}: hit@1/hit@3 clean {figures[0][0]:.3f}/{figures[0][1]:.3f}, typos "
            f"{figures[1][0]:.3f}/{figures[1][1]:.3f}, at {GROWN:,} {figures[2][0]:.3f}/"
            f"{figures[2][1]:.3f}"
        )


if __name__ == "__main__":
    main()
