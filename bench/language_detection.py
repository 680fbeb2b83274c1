"""Measures language detection on short field-user messages: accuracy per language, abstentions,
confusion pairs, speed and memory, for our heuristic and the PyPI detectors that are installed.

    .venv/bin/python -m bench.language_detection
    .venv/bin/python -m bench.language_detection --external /work/shared/data/retrieval

`bench/language_messages.jsonl` holds `{"language", "text"}` lines: 2-8 word questions as field
users type them (typos, no accents, Primero's English terms mixed in). `--external` adds real
questions nobody on this project wrote (AIA-BDE pt-PT human rewordings, CovidFAQ and StackFAQ
English), cut to their first 8 words; they are read where they lie, never copied.

A detector may answer None (unsure): the bot then keeps its default language (English). The
"effective" column counts what the user gets: None is right for an English message.
Optional candidates: `pip install py3langid lingua-language-detector`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.catalogue import ENGLISH
from bot.i18n.catalogue import load_translations
from bot.i18n.detect import HeuristicDetector

LANGUAGES = ("en", "fr", "es", "pt", "ar")
DEFAULT_LANGUAGE = "en"
MESSAGES = Path(__file__).with_name("language_messages.jsonl")
THRESHOLDS = (0.0, 0.5, 0.6, 0.75)
Scorer = Callable[[str], tuple[str | None, float]]  # best language and its confidence, 0-1


@dataclass(frozen=True)
class Sample:
    language: str
    text: str


@dataclass(frozen=True)
class Candidate:
    name: str
    score: Scorer
    load_seconds: float
    rss_mib: float


def rss_mib() -> float:
    """Resident memory now (Linux), which also sees what native extensions allocate."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def read_samples(path: Path) -> list[Sample]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return [Sample(row["language"], row["text"]) for row in rows]


def external_samples(folder: Path, words: int = 8) -> list[Sample]:
    sources = [
        ("aiabde_pt/queries.dev.jsonl", "pt", "human"),
        ("covidfaq_en/queries.dev.jsonl", "en", ""),
        ("stackfaq_en/queries.dev.jsonl", "en", ""),
    ]
    samples = []
    for name, language, kind in sources:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("kind", "").startswith(kind):
                samples.append(Sample(language, " ".join(row["query"].split()[:words])))
    return samples


def measured(name: str, build: Callable[[], Scorer]) -> Candidate:
    before, start = rss_mib(), time.perf_counter()
    score = build()
    score("warm up the model")
    return Candidate(name, score, time.perf_counter() - start, rss_mib() - before)


def heuristic() -> Scorer:
    translations = load_translations()
    texts = {"en": list(ENGLISH.values()), **{k: list(v.values()) for k, v in translations.items()}}
    detector = HeuristicDetector.trained_on(texts, min_confidence=0.0)

    def score(text: str) -> tuple[str | None, float]:
        guess = detector.guess(text)
        return guess.language, guess.confidence

    return score


def py3langid() -> Scorer:
    from py3langid.langid import _load_identifier  # classify() alone gives no probabilities

    identifier = _load_identifier(norm_probs=True, langs=list(LANGUAGES))

    def score(text: str) -> tuple[str | None, float]:
        language, probability = identifier.classify(text)
        return str(language), float(probability)

    return score


def lingua() -> Scorer:
    from lingua import Language, LanguageDetectorBuilder

    codes = {
        Language.ENGLISH: "en",
        Language.FRENCH: "fr",
        Language.SPANISH: "es",
        Language.PORTUGUESE: "pt",
        Language.ARABIC: "ar",
    }
    detector = (
        LanguageDetectorBuilder.from_languages(*codes).with_preloaded_language_models().build()
    )

    def score(text: str) -> tuple[str | None, float]:
        best = detector.compute_language_confidence_values(text)[0]
        return codes[best.language], best.value

    return score


def candidates() -> Iterator[Candidate]:
    yield measured("heuristic (bot.i18n.detect)", heuristic)
    for name, build in (("py3langid 0.4", py3langid), ("lingua-language-detector 2.1", lingua)):
        try:
            yield measured(name, build)
        except ImportError:
            print(f"{name}: not installed, skipped")


def report(guesses: list[str | None], samples: list[Sample], threshold: float) -> list[str]:
    right = [g == s.language for g, s in zip(guesses, samples, strict=True)]
    unsure = sum(g is None for g in guesses)
    count = len(samples)
    wrong = count - sum(right) - unsure
    effective = sum(
        ok or (g is None and s.language == DEFAULT_LANGUAGE)
        for ok, g, s in zip(right, guesses, samples, strict=True)
    )
    per_language = []
    for language in LANGUAGES:
        picked = [ok for ok, s in zip(right, samples, strict=True) if s.language == language]
        if picked:
            per_language.append(f"{language} {sum(picked) / len(picked):.3f}")
    confusions = Counter(
        f"{s.language}->{g or 'None'}"
        for g, s in zip(guesses, samples, strict=True)
        if g != s.language
    )
    pairs = ", ".join(f"{pair} {n}" for pair, n in confusions.most_common(6)) or "none"
    return [
        f"  min confidence {threshold:.2f}: accuracy {sum(right) / count:.3f} | unsure "
        f"{unsure / count:.3f} | wrong {wrong / count:.3f} | effective {effective / count:.3f}",
        f"      per language: {', '.join(per_language)}",
        f"      confusions: {pairs}",
    ]


def evaluate(candidate: Candidate, samples: list[Sample], title: str) -> list[str]:
    start = time.perf_counter()
    scored = [candidate.score(sample.text) for sample in samples]
    micros = (time.perf_counter() - start) / len(samples) * 1e6
    lines = [
        f"{candidate.name} on {title} ({len(samples)} messages): {micros:.0f} µs/message, "
        f"load {candidate.load_seconds:.2f} s, +{candidate.rss_mib:.0f} MiB resident"
    ]
    for threshold in THRESHOLDS:
        guesses = [language if confidence >= threshold else None for language, confidence in scored]
        lines += report(guesses, samples, threshold)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=Path, default=MESSAGES)
    parser.add_argument("--external", type=Path, help="folder of the shared retrieval sets")
    args = parser.parse_args()
    sets = [("our messages", read_samples(args.messages))]
    if args.external:
        sets.append(("external questions", external_samples(args.external)))
    for candidate in candidates():
        for title, samples in sets:
            print("\n".join(evaluate(candidate, samples, title)))


if __name__ == "__main__":
    main()
