"""Article search quality and speed against the baselines, on every retrieval set, size and typo setting.

    .venv/bin/python -m bench.search_quality /work/shared/data/retrieval
    .venv/bin/python -m bench.search_quality /work/shared/data/retrieval --sets covidfaq_en \\
        --sizes native --out /tmp/covid.md

For each set (StackFAQ, AIA-BDE human and machine rewordings, CovidFAQ, and the bundled Primero
KB with bench/primero_questions.jsonl), at native size and grown with distractors to 10,000 and
100,000 articles, on the clean questions and on a typo'd copy (bench/retrieval_sets.py): hit@1,
hit@3, MRR@10 and per-query latency (p50, p95; one query at a time, one core) of our search and
of each baseline, with ours/baseline ratios. Our search runs in a child process of its own, so
its index build time and resident memory are measured without the baselines' memory around it.
This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.baselines import BASELINES, DEPTH, Ranker, baselines, ours
from bench.retrieval_sets import Question, RetrievalSet, grown, load_set, with_typos

ALL_SETS = ("stackfaq_en", "aiabde_pt", "aiabde_pt_machine", "covidfaq_en", "primero")
NATIVE_ONLY = {"aiabde_pt_machine", "primero"}  # extra rows, kept out of the long runs
SIZES = (None, 10_000, 100_000)
OURS = "ours"


@dataclass
class Measure:
    hit1: float
    hit3: float
    mrr: float
    p50_ms: float
    p95_ms: float
    queries: int


def measure(rank: Ranker, questions: Sequence[Question], group_of: dict[str, str]) -> Measure:
    ranks: list[int | None] = []
    millis: list[float] = []
    for question in questions:
        start = time.perf_counter()
        found = rank(question.query, question.language)
        millis.append((time.perf_counter() - start) * 1000)
        groups = list(dict.fromkeys(group_of.get(i, i) for i in found))[:DEPTH]
        hits = [n for n, g in enumerate(groups, 1) if g in question.relevant_ids]
        ranks.append(hits[0] if hits else None)
    count = len(questions)
    millis.sort()
    return Measure(
        hit1=sum(r == 1 for r in ranks) / count,
        hit3=sum(r is not None and r <= 3 for r in ranks) / count,
        mrr=sum(1 / r for r in ranks if r is not None) / count,
        p50_ms=statistics.median(millis),
        p95_ms=millis[min(count - 1, int(0.95 * count))],
        queries=count,
    )


def _resident_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return float(fields["VmRSS"].split()[0]) / 1024, float(fields["VmHWM"].split()[0]) / 1024


def probe_ours(data: Path, name: str, size: int | None) -> dict[str, object]:
    """Our search alone in this process: build time, memory, and both question settings."""
    retrieval_set = load_set(data, name, size or 0)
    articles = grown(retrieval_set, size)
    del retrieval_set.distractors[:]
    start = time.perf_counter()
    rank = ours(articles, retrieval_set.synonyms)
    build = time.perf_counter() - start
    rank("warm up", None)  # once per process: compiles the tokeniser, as a bot does at start
    rss, peak = _resident_mb()
    group_of = {a.id: a.original_id for a in articles}
    results = {}
    for typos in (False, True):
        questions = with_typos(retrieval_set.questions) if typos else retrieval_set.questions
        results[str(typos)] = asdict(measure(rank, questions, group_of))
    return {"build_s": build, "rss_mb": rss, "peak_mb": peak, "results": results}


def run_ours_in_child(data: Path, name: str, size: int | None) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.search_quality", str(data), "--probe", name]
    command += ["--probe-size", str(size or 0)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def run_block(data: Path, retrieval_set: RetrievalSet, size: int | None, out: list[str]) -> None:
    articles = grown(retrieval_set, size)
    label = f"{retrieval_set.name} | {len(articles):,}"
    probe = run_ours_in_child(data, retrieval_set.name, size)
    start = time.perf_counter()
    rankers = baselines(articles)
    baseline_build = time.perf_counter() - start
    group_of = {a.id: a.original_id for a in articles}
    for typos in (False, True):
        questions = with_typos(retrieval_set.questions) if typos else retrieval_set.questions
        ours_measure = Measure(**probe["results"][str(typos)])  # type: ignore[index]
        rows = {OURS: ours_measure}
        rows |= {n: measure(rankers[n], questions, group_of) for n in BASELINES}
        setting = "typos" if typos else "clean"
        for method, m in rows.items():
            out.append(_row(label, setting, method, m, ours_measure))
        print("\n".join(out[-len(rows) :]), flush=True)
    out.append(
        f"<!-- {label}: our build {probe['build_s']:.2f} s, resident {probe['rss_mb']:.0f} MB "
        f"(peak {probe['peak_mb']:.0f} MB); all four baselines built in {baseline_build:.2f} s -->"
    )
    print(out[-1], flush=True)


HEADER = (
    "| set | articles | questions | method | hit@1 | hit@3 | MRR@10 | p50 ms | p95 ms "
    "| ours/it hit@1 | ours/it hit@3 |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"
)


def _row(label: str, setting: str, method: str, m: Measure, mine: Measure) -> str:
    ratio1 = f"{mine.hit1 / m.hit1:.2f}" if m.hit1 else "-"
    ratio3 = f"{mine.hit3 / m.hit3:.2f}" if m.hit3 else "-"
    return (
        f"| {label} | {setting} ({m.queries}) | {method} | {m.hit1:.3f} | {m.hit3:.3f} | "
        f"{m.mrr:.3f} | {m.p50_ms:.2f} | {m.p95_ms:.2f} | {ratio1} | {ratio3} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the retrieval folder (../shared/data/retrieval)")
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--sizes", default="native,10000,100000")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--probe-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe_ours(args.data, args.probe, args.probe_size or None)))
        return
    sizes = [None if s == "native" else int(s) for s in args.sizes.split(",")]
    out = [HEADER]
    print(HEADER, flush=True)
    for name in args.sets.split(","):
        retrieval_set = load_set(args.data, name, max(s or 0 for s in sizes))
        for size in sizes:
            if size is None or name not in NATIVE_ONLY:
                run_block(args.data, retrieval_set, size, out)
    if args.out:
        args.out.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
