"""`supportbot` run as a person runs it: a subprocess with its own SQLite register."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.i18n.bidi import strip_bidi_controls


def run_supportbot(
    tmp_path: Path,
    *args: str,
    typed: str | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `tmp_path`, free of the caller's SUPPORTBOT_* settings; stdin is
    `typed`, or nothing at all (not a terminal) when None."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")}
    environment["SUPPORTBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=typed,
        stdin=subprocess.DEVNULL if typed is None else None,
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def chat(
    tmp_path: Path, *lines: str, args: tuple[str, ...] = (), env: Mapping[str, str] | None = None
) -> str:
    """What the terminal chat printed for the typed `lines`, as a reader sees it (the
    invisible marks that keep Arabic in order are left out)."""
    done = run_supportbot(tmp_path, "chat", *args, typed="\n".join(lines) + "\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return strip_bidi_controls(done.stdout)
