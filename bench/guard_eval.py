"""Measures the case-data guard on a labelled set: precision and recall per kind and language.

    .venv/bin/python -m bench.guard_eval                 # bench/guard_messages.jsonl
    .venv/bin/python -m bench.guard_eval --errors        # also every miss and false alarm
    .venv/bin/python -m bench.guard_eval --speed         # also the time to mask hostile input
    .venv/bin/python -m bench.guard_eval --scan /work/shared/data/retrieval/*/queries.dev.jsonl

`--scan` reads unlabelled JSON Lines (fields `query`, `title`, `body`) written by people who
never heard of this guard, and shows what it finds there: mostly false alarms, since such text
rarely holds case data (public FAQs do hold real helpline numbers and e-mail addresses).

Each line of the set is `{"text", "language", "spans": [{"kind", "text"}], "split"}`; `split` is
"tuning" (written while the guard was built) or "held_out" (written afterwards, scored before any
change was made for it), and each gets its own overall line. A predicted span
counts when it overlaps a labelled span of the same kind; a labelled span is found when a
predicted span of its kind overlaps it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.core.guard import KINDS, Finding, find_case_data, mask

DEFAULT_SET = Path(__file__).with_name("guard_messages.jsonl")


@dataclass(frozen=True)
class Message:
    text: str
    language: str
    labels: tuple[Finding, ...]
    split: str


@dataclass
class Tally:
    """True positives counted both ways: predictions that hit, and labels that were found."""

    predicted: int = 0
    correct: int = 0
    labelled: int = 0
    found: int = 0

    def add(self, other: Tally) -> None:
        self.predicted += other.predicted
        self.correct += other.correct
        self.labelled += other.labelled
        self.found += other.found

    def line(self, name: str) -> str:
        precision = self.correct / self.predicted if self.predicted else 1.0
        recall = self.found / self.labelled if self.labelled else 1.0
        return (
            f"{name:<10} precision {precision:.3f} ({self.correct}/{self.predicted})  "
            f"recall {recall:.3f} ({self.found}/{self.labelled})"
        )


def locate(text: str, spans: list[dict[str, str]]) -> tuple[Finding, ...]:
    """Labelled spans as offsets; a repeated text takes its next occurrence."""
    found: list[Finding] = []
    for span in spans:
        taken = [f.start for f in found if text[f.start : f.end] == span["text"]]
        start = text.find(span["text"], taken[-1] + 1 if taken else 0)
        if start < 0:
            raise ValueError(f"span {span['text']!r} is not in {text!r}")
        found.append(Finding(span["kind"], start, start + len(span["text"])))
    return tuple(found)


def read_set(path: Path) -> list[Message]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Message(r["text"], r["language"], locate(r["text"], r["spans"]), r.get("split", "-"))
        for r in rows
    ]


def hits(finding: Finding, others: tuple[Finding, ...] | list[Finding]) -> bool:
    return any(
        o.kind == finding.kind and finding.start < o.end and o.start < finding.end for o in others
    )


def score(message: Message, predicted: list[Finding]) -> dict[str, Tally]:
    tallies = {kind: Tally() for kind in KINDS}
    for finding in predicted:
        tallies[finding.kind].predicted += 1
        tallies[finding.kind].correct += hits(finding, message.labels)
    for label in message.labels:
        tallies[label.kind].labelled += 1
        tallies[label.kind].found += hits(label, predicted)
    return tallies


def errors(message: Message, predicted: list[Finding]) -> list[str]:
    text = message.text
    wrong = [
        f"  false {f.kind}: {text[f.start : f.end]!r}"
        for f in predicted
        if not hits(f, message.labels)
    ]
    missed = [
        f"  missed {f.kind}: {text[f.start : f.end]!r}"
        for f in message.labels
        if not hits(f, predicted)
    ]
    return [f"[{message.language}] {text}", *wrong, *missed] if wrong or missed else []


def report(messages: list[Message], show_errors: bool) -> list[str]:
    by_kind = {kind: Tally() for kind in KINDS}
    by_language: dict[str, Tally] = {}
    by_split: dict[str, Tally] = {}
    problems: list[str] = []
    for message in messages:
        predicted = find_case_data(message.text)
        for kind, tally in score(message, predicted).items():
            by_kind[kind].add(tally)
            by_language.setdefault(message.language, Tally()).add(tally)
            by_split.setdefault(message.split, Tally()).add(tally)
        problems += errors(message, predicted) if show_errors else []
    overall = Tally()
    for tally in by_kind.values():
        overall.add(tally)
    with_data = sum(bool(m.labels) for m in messages)
    languages = Counter(m.language for m in messages)
    lines = [f"{len(messages)} messages, {with_data} with case data; {dict(languages)}", ""]
    lines += [by_kind[kind].line(kind) for kind in KINDS] + [overall.line("overall"), ""]
    lines += [by_language[lang].line(lang) for lang in sorted(by_language)] + [""]
    lines += [by_split[split].line(split) for split in sorted(by_split)]
    return lines + (["", *problems] if problems else [])


HOSTILE = {
    "digits": "1" * 2000,
    "spaced digits": "1 " * 1000,
    "dotted digits": "1." * 1000,
    "at signs": "a@" * 1000,
    "dotted domain": "x@" + "a." * 999,
    "case cues": "case " * 400,
    "case tokens": "case 1-" * 285,
    "name cues": "the child named " * 125,
    "capitals": "the case of " + "Aa " * 660,
    "dob cues": "born " * 400,
    "degrees": "1°1'" * 500,
    "hex": "a1b2c3d " * 250,
}


def speed() -> list[str]:
    """The guard runs on every message before anything else: it must stay fast on any input."""
    lines = []
    for name, text in HOSTILE.items():
        start = time.perf_counter()
        mask(text)
        lines.append(f"{name:<14} {len(text)} chars  {1000 * (time.perf_counter() - start):.1f} ms")
    return lines


def scan(paths: list[Path], samples: int = 5) -> list[str]:
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    size = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            for text in (row.get(field) or "" for field in ("query", "title", "body")):
                size += len(text)
                for f in find_case_data(text):
                    counts[f.kind] += 1
                    shown = f"{text[max(0, f.start - 30) : f.start]}<<{text[f.start : f.end]}>>"
                    examples.setdefault(f.kind, []).append(" ".join(shown.split()))
    lines = [f"scanned {size} characters: {dict(counts)}"]
    for kind, found in examples.items():
        lines += [f"  {kind}: {example}" for example in found[:samples]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--speed", action="store_true", help="time masking of hostile input")
    parser.add_argument("--scan", nargs="+", type=Path, help="unlabelled JSON Lines to scan")
    args = parser.parse_args()
    if args.scan:
        print("\n".join(scan(args.scan)))
        return
    print("\n".join(report(read_set(args.set), args.errors)))
    if args.speed:
        print("\n" + "\n".join(speed()))


if __name__ == "__main__":
    main()
