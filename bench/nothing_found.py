"""How well the score threshold says "nothing found": out-of-scope questions against in-scope ones.

    .venv/bin/python -m bench.nothing_found /work/shared/data/retrieval

For each threshold (the bot's `SUPPORTBOT_MIN_SCORE`): the share of out-of-scope questions that
get no suggestion at all (one set's questions against another set's KB; CLINC150 chit-chat and
BANKING77 questions against the bundled Primero KB), the share of in-scope questions that still
get one, their hit@3 counting a silent answer as a miss, and the precision of "nothing found":
of the questions left unanswered, the share that really were out of scope (in-scope and
out-of-scope questions counted in equal numbers, so the figure does not depend on the mix).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.retrieval_sets import Question, RetrievalSet, load_set
from kb_index.search import SearchHit, SearchIndex

THRESHOLDS = (10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70)
CHIT_CHAT = 300  # questions of each kind, from the distractors, asked of the Primero KB


@dataclass(frozen=True)
class Answers:
    """Each question's hits (best first), and its relevant ids (empty: out of scope)."""

    hits: list[list[SearchHit]]
    relevant: list[frozenset[str]]


def ask(retrieval_set: RetrievalSet, questions: Sequence[Question]) -> Answers:
    index = SearchIndex.build(retrieval_set.articles, synonyms=retrieval_set.synonyms)
    hits = [index.search(q.query, limit=3, language=q.language) for q in questions]
    return Answers(hits, [q.relevant_ids for q in questions])


def chit_chat(data: Path, source: str) -> list[Question]:
    found = []
    with (data / "distractors_en.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("source") == source:
                found.append(Question(row["title"], frozenset(), source, "en"))
                if len(found) == CHIT_CHAT:
                    break
    return found


def silent(answers: Answers, threshold: float) -> float:
    return sum(not hits or hits[0].score < threshold for hits in answers.hits) / len(answers.hits)


def hit3(answers: Answers, threshold: float) -> float:
    found = 0
    for hits, relevant in zip(answers.hits, answers.relevant, strict=True):
        shown = [hit.article.original_id for hit in hits if hit.score >= threshold]
        found += any(article in relevant for article in shown)
    return found / len(answers.hits)


def report(name: str, inside: Answers, outside: Answers) -> list[str]:
    rows = []
    for threshold in THRESHOLDS:
        out_silent, in_silent = silent(outside, threshold), silent(inside, threshold)
        precision = out_silent / (out_silent + in_silent) if out_silent + in_silent else 1.0
        rows.append(
            f"| {name} | {threshold} | {out_silent:.3f} | {1 - in_silent:.3f} | "
            f"{hit3(inside, threshold):.3f} | {precision:.3f} |"
        )
    return rows


PAIRS = (
    # (in-scope set, its KB asked the questions of this other set)
    ("stackfaq_en", "covidfaq_en"),
    ("covidfaq_en", "stackfaq_en"),
    ("aiabde_pt", "stackfaq_en"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    args = parser.parse_args()
    names = {name for pair in PAIRS for name in pair} | {"primero"}
    sets = {name: load_set(args.data, name, 0) for name in names}
    print(
        "| KB (out-of-scope questions) | min score | out of scope: silent | in scope: answered | "
        "in scope: hit@3 | precision of nothing found |\n|---|---:|---:|---:|---:|---:|"
    )
    for kb, other in PAIRS:
        inside = ask(sets[kb], sets[kb].questions)
        outside = ask(sets[kb], sets[other].questions)
        print("\n".join(report(f"{kb} ({other})", inside, outside)), flush=True)
    primero = sets["primero"]
    inside = ask(primero, primero.questions)
    for source in ("clinc150", "banking77"):
        outside = ask(primero, chit_chat(args.data, source))
        print("\n".join(report(f"primero ({source})", inside, outside)), flush=True)


if __name__ == "__main__":
    main()
