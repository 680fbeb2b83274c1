"""Which similarity threshold groups requests into incidents: "same problem" pairs against others.

    .venv/bin/python -m bench.incident_similarity /work/shared/data/retrieval

Two questions labelled with the same article describe the same problem; questions with no
article in common describe different ones. Every pair of a set's dev questions is scored (the
natural mix: most pairs are different, as most requests are), once as written and once with the
second question typo'd. For each threshold: precision (of the pairs scored at or above it, the
share that really are the same problem) and recall (of the same-problem pairs, the share found).
Precision matters most: telling someone "known issue" wrongly is worse than a new request.
The rapidfuzz scorers the brief warned about are printed alongside for comparison.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from bench.retrieval_sets import Question, load_set, with_typos
from kb_index.similarity import StemOverlapSimilarity, stems

THRESHOLDS = (40, 50, 60, 65, 70, 75, 80, 90)
SETS = ("primero", "stackfaq_en", "covidfaq_en", "aiabde_pt")
MAX_QUESTIONS = 400  # per set: pairs grow with the square

Scorer = Callable[[str, str, str], float]


def stem_overlap(a: str, b: str, language: str) -> float:
    return StemOverlapSimilarity().similarity(a, b, language=language)


def token_sort(a: str, b: str, language: str) -> float:
    return float(fuzz.token_sort_ratio(" ".join(stems(a, language)), " ".join(stems(b, language))))


def token_set(a: str, b: str, language: str) -> float:
    return float(fuzz.token_set_ratio(" ".join(stems(a, language)), " ".join(stems(b, language))))


SCORERS: dict[str, Scorer] = {
    "stem overlap (default)": stem_overlap,
    "token_sort on stems": token_sort,
    "token_set on stems": token_set,
}


@dataclass
class Counts:
    same: list[float]
    different: list[float]

    def at(self, threshold: float) -> tuple[float, float]:
        found = sum(score >= threshold for score in self.same)
        wrong = sum(score >= threshold for score in self.different)
        precision = found / (found + wrong) if found + wrong else 1.0
        return precision, found / len(self.same) if self.same else 0.0


def score_pairs(
    questions: list[Question], typoed: list[Question], language: str, scorer: Scorer
) -> Counts:
    counts = Counts([], [])
    for i, j in itertools.combinations(range(len(questions)), 2):
        first, second = questions[i], typoed[j]
        score = scorer(first.query, second.query, language)
        if first.relevant_ids & second.relevant_ids:
            counts.same.append(score)
        else:
            counts.different.append(score)
    return counts


def report(name: str, language: str, questions: list[Question]) -> None:
    questions = questions[:MAX_QUESTIONS]
    print(f"\n## {name} ({len(questions)} questions)")
    for variant, second in (("as written", questions), ("typo'd", with_typos(questions))):
        for label, scorer in SCORERS.items():
            counts = score_pairs(questions, second, language, scorer)
            cells = "  ".join(
                f"{t}: P {p:.2f} R {r:.2f}" for t in THRESHOLDS for p, r in [counts.at(t)]
            )
            print(
                f"{variant:10} {label:24} same {len(counts.same):5} diff "
                f"{len(counts.different):6} | {cells}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the retrieval data folder")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    args = parser.parse_args()
    for name in args.sets:
        retrieval_set = load_set(args.data, name, 0)
        report(name, retrieval_set.language, retrieval_set.questions)


if __name__ == "__main__":
    main()
