"""CPU time per question of the KB search on the bundled Primero KB, as the bot asks it.

    .venv/bin/python -m bench.kb_speed
    .venv/bin/python -m bench.kb_speed --rounds 20 --profile /tmp/kb.prof

Each question of bench/primero_questions.jsonl and of the Telegram bench's QUESTIONS goes through
`KbSuggester.suggest` (what the desk calls: search, then the matches with their excerpts), one at
a time on one thread. CPU time (time.process_time), not wall time: the machine is shared, and the
desk's throughput is bounded by CPU. The first round is reported on its own: it is the only one
where the index sees each question for the first time (caches of words and excerpts are cold);
later rounds are what a bot asked the same kinds of questions again spends. This is a benchmark,
not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.retrieval_sets import PRIMERO_QUESTIONS, read_questions
from bench.telegram_flow import QUESTIONS
from kb_index.knowledge_base import KbSuggester
from kb_index.loader import bundled_kb_path, load_kb
from kb_index.search import SearchIndex

MIN_SCORE = 20.0  # the bot's default SUPPORTBOT_MIN_SCORE
LIMIT = 3  # the bot's default number of suggestions

Question = tuple[str, str | None]  # (text, language)


@dataclass(frozen=True)
class Summary:
    questions: int
    mean_ms: float
    p50_ms: float
    p95_ms: float

    def line(self, label: str) -> str:
        return (
            f"{label:<28} {self.questions:>5} questions  mean {self.mean_ms:6.3f} ms  "
            f"p50 {self.p50_ms:6.3f} ms  p95 {self.p95_ms:6.3f} ms"
        )


def summarise(millis: Sequence[float]) -> Summary:
    ordered = sorted(millis)
    count = len(ordered)
    return Summary(
        questions=count,
        mean_ms=statistics.fmean(ordered),
        p50_ms=statistics.median(ordered),
        p95_ms=ordered[min(count - 1, int(0.95 * count))],
    )


def bench_questions() -> list[Question]:
    asked = [(q.query, q.language) for q in read_questions(PRIMERO_QUESTIONS)]
    return asked + [(text, None) for text in QUESTIONS]


def cpu_millis(suggester: KbSuggester, questions: Sequence[Question]) -> list[float]:
    """One round: each question's CPU milliseconds."""
    millis = []
    for text, language in questions:
        start = time.process_time()
        suggester.suggest(text, language=language, limit=LIMIT)
        millis.append((time.process_time() - start) * 1000)
    return millis


def per_question_median(rounds: Sequence[Sequence[float]]) -> list[float]:
    """Each question's median over the rounds: one preempted call does not make a question slow."""
    return [statistics.median(times) for times in zip(*rounds, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="repeated rounds after the first")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the repeated rounds")
    args = parser.parse_args()
    loaded = load_kb(bundled_kb_path())
    start = time.process_time()
    index = SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)
    build_ms = (time.process_time() - start) * 1000
    suggester = KbSuggester(index, min_score=MIN_SCORE)
    suggester.suggest("warm up", language=None, limit=LIMIT)  # compiles the tokeniser, as at start
    questions = bench_questions()
    first = cpu_millis(suggester, questions)
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    repeated = [cpu_millis(suggester, questions) for _ in range(args.rounds)]
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(f"bundled KB: {len(index)} article versions, index built in {build_ms:.0f} ms CPU")
    print(summarise(first).line("first round"))
    print(summarise(per_question_median(repeated)).line(f"repeated ({args.rounds} rounds, median)"))


if __name__ == "__main__":
    main()
