"""Live reload: a KB's index rebuilt in the background when its files change, swapped in at once."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb_index.loader import KbLoad, load_kb
from kb_index.search import SearchIndex
from kb_index.synonyms import synonyms_path

log = logging.getLogger("supportbot.kb")

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(path: Path) -> Fingerprint:
    """Name, size and modification time of every file the KB is read from."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    else:
        files = [path]
    files.append(synonyms_path(path))
    found = []
    for file in files:
        try:
            status = file.stat()
        except OSError:
            continue  # gone between the listing and now: the next look sees it
        found.append((str(file), status.st_size, status.st_mtime_ns))
    return tuple(found)


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: whether the new index is in use, and the problems that stopped it."""

    swapped: bool
    loaded: KbLoad | None = None


class LiveIndex:
    """The index in use for a KB path. `current` is one attribute read, so a question is always
    answered by one whole index; a rebuild happens aside and is swapped in when complete."""

    def __init__(self, index: SearchIndex, path: Path | None = None) -> None:
        self._index = index
        self._path = path
        self._seen = fingerprint(path) if path is not None else ()
        self._lock = threading.Lock()  # one rebuild at a time; readers never wait for it

    @classmethod
    def open(cls, path: Path) -> tuple[LiveIndex, KbLoad]:
        """The index of what loads from `path` (a KB with problems is searched all the same)."""
        seen = fingerprint(path)
        loaded = load_kb(path)
        live = cls(SearchIndex.build(loaded.articles, synonyms=loaded.synonyms), path)
        live._seen = seen
        return live, loaded

    @property
    def current(self) -> SearchIndex:
        return self._index

    @property
    def path(self) -> Path | None:
        return self._path

    def reload_if_changed(self) -> ReloadResult | None:
        """Reload when a KB file changed since the last look; None when nothing did."""
        if self._path is None or fingerprint(self._path) == self._seen:
            return None
        return self.reload()

    def reload(self) -> ReloadResult:
        """Load and index the KB again; a KB with any problem keeps the old index, logged why."""
        if self._path is None:
            return ReloadResult(swapped=False)
        with self._lock:
            seen = fingerprint(self._path)
            loaded = load_kb(self._path)
            self._seen = seen  # a broken KB is reported once, not at every look
            if loaded.problems or not loaded.articles:
                _log_refusal(self._path, loaded)
                return ReloadResult(swapped=False, loaded=loaded)
            self._index = SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)
        log.info("KB reloaded from %s: %d articles", self._path, len(loaded.articles))
        return ReloadResult(swapped=True, loaded=loaded)


def _log_refusal(path: Path, loaded: KbLoad) -> None:
    log.warning("KB at %s not reloaded, the previous index stays in use:", path)
    if not loaded.problems:
        log.warning("  %s: no articles", path)
    for problem in loaded.problems:
        log.warning("  %s", problem)


class KbWatcher:
    """A daemon thread that looks for KB changes every `interval` seconds, or when woken."""

    def __init__(self, live: LiveIndex, interval: float) -> None:
        self._live = live
        self._interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kb-watcher", daemon=True)
        self._undo_hangup: Callable[[], None] | None = None

    def start(self, *, on_hangup: bool = False) -> KbWatcher:
        """Start looking; with `on_hangup`, SIGHUP makes it look at once (see reload_on_hangup)."""
        self._thread.start()
        if on_hangup:
            self._undo_hangup = reload_on_hangup(self)
        return self

    def wake(self) -> None:
        """Look now (what SIGHUP does), without waiting for the interval."""
        self._wake.set()

    def stop(self) -> None:
        if self._undo_hangup is not None:
            self._undo_hangup()
            self._undo_hangup = None
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                self._live.reload_if_changed()
            except Exception:  # the watcher must outlive any one bad reload
                log.exception("KB reload failed; the previous index stays in use")


def reload_on_hangup(watcher: KbWatcher) -> Callable[[], None] | None:
    """Make SIGHUP wake the watcher (`kill -HUP`, `docker kill -s HUP`); returns an undo, or
    None where there is no SIGHUP or this is not the main thread (where Python allows none)."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.signal(hangup, lambda _number, _frame: watcher.wake())

    def undo() -> None:
        signal.signal(hangup, previous)

    return undo


def watch(live: LiveIndex, interval: float) -> KbWatcher | None:
    """A started watcher of the live index's KB, reloading on SIGHUP too; None when
    `interval` is 0 (reload off) or the index has no KB path."""
    if interval <= 0 or live.path is None:
        return None
    return KbWatcher(live, interval).start(on_hangup=True)
