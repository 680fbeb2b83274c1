"""Live reload: a changed KB is picked up without a restart; a broken one keeps the old index."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kb_index.knowledge_base import KbSuggester
from kb_index.live import KbWatcher, LiveIndex, watch

ARTICLE = """---
id: {id}
title: {title}
---
{body}
"""


def write(folder: Path, article_id: str, title: str, body: str = "Some steps.") -> None:
    path = folder / f"{article_id}.md"
    path.write_text(ARTICLE.format(id=article_id, title=title, body=body), encoding="utf-8")
    # A later write in the same clock tick must still look changed.
    stamp = time.time_ns() + 10_000_000_000
    os.utime(path, ns=(stamp, stamp + len(title)))


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    write(folder, "export-records", "Export records")
    return folder


def ids(live: LiveIndex, question: str) -> list[str]:
    return [hit.article.id for hit in live.current.search(question)]


def test_an_unchanged_kb_is_not_reloaded(kb: Path) -> None:
    live, _ = LiveIndex.open(kb)

    assert live.reload_if_changed() is None


def test_a_new_article_is_found_after_a_reload(kb: Path) -> None:
    live, _ = LiveIndex.open(kb)
    before = live.current
    write(kb, "print-case", "Print a case as a PDF")

    result = live.reload_if_changed()

    assert result is not None
    assert result.swapped
    assert live.current is not before
    assert ids(live, "print a case") == ["print-case"]


def test_a_broken_kb_keeps_the_old_index_and_logs_why(
    kb: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live, _ = LiveIndex.open(kb)
    before = live.current
    (kb / "broken.md").write_text("no front matter\n", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="supportbot.kb"):
        result = live.reload_if_changed()

    assert result is not None
    assert not result.swapped
    assert live.current is before
    assert "not reloaded" in caplog.text
    assert "broken.md:1: missing front matter" in caplog.text
    assert live.reload_if_changed() is None  # reported once, not at every look


def test_a_changed_synonyms_file_is_a_change_of_the_kb(kb: Path) -> None:
    live, _ = LiveIndex.open(kb)
    (kb / "synonyms.txt").write_text("export, exportar\n", encoding="utf-8")

    assert live.reload_if_changed() is not None
    assert ids(live, "exportar") == ["export-records"]


def test_the_suggester_answers_from_the_reloaded_index(kb: Path) -> None:
    live, _ = LiveIndex.open(kb)
    suggester = KbSuggester(live, min_score=0)
    write(kb, "export-records", "Download your exports")
    live.reload()

    (match,) = suggester.suggest("download exports", language=None, limit=3)
    assert match.title == "Download your exports"
    found = suggester.article("export-records")
    assert found is not None
    assert found.title == "Download your exports"


@pytest.fixture
def watcher(kb: Path) -> Iterator[tuple[LiveIndex, KbWatcher]]:
    live, _ = LiveIndex.open(kb)
    started = watch(live, interval=0.05)
    assert started is not None
    yield live, started
    started.stop()


def test_the_watcher_picks_up_a_change_by_itself(
    kb: Path, watcher: tuple[LiveIndex, KbWatcher]
) -> None:
    live, _ = watcher
    write(kb, "print-case", "Print a case as a PDF")

    wait_for(lambda: ids(live, "print a case") == ["print-case"])


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_sighup_makes_the_watcher_look_at_once(kb: Path) -> None:
    live, _ = LiveIndex.open(kb)
    started = watch(live, interval=3600)
    assert started is not None
    try:
        write(kb, "print-case", "Print a case as a PDF")
        os.kill(os.getpid(), signal.SIGHUP)
        wait_for(lambda: ids(live, "print a case") == ["print-case"])
    finally:
        started.stop()
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL


def test_no_watcher_when_reloading_is_off(kb: Path) -> None:
    live, _ = LiveIndex.open(kb)

    assert watch(live, interval=0) is None
