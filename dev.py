#!/usr/bin/env python3
"""The two quick-start commands, on a machine that has nothing but Python 3.11+.

    python3 dev.py chat    # the terminal chat on the embedded defaults
    python3 dev.py test    # lint, format check, type check and the whole test suite

It makes `.venv` on first use and reinstalls only when pyproject.toml changes. Anything after
the command is passed on (`python3 dev.py test -k escalate`, `python3 dev.py chat --language fr`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"
CHECKED = ["bot", "kb_index", "register", "config"]


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on any python3 the machine has
        sys.exit("supportbot needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing supportbot and its dependencies into .venv …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*command: str) -> int:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


def test(extra: list[str]) -> int:
    checks = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "ruff"), "format", "--check", "."],
        [str(BIN / "mypy"), *CHECKED],
    ]
    failed = [check[0:2] for check in checks if run(*check) != 0]
    tests = run(str(BIN / "python"), "-m", "pytest", *extra)
    if failed:
        print("failed:", ", ".join(" ".join(Path(c[0]).name for c in failed)), file=sys.stderr)
    return tests or (1 if failed else 0)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("chat", "test"):
        print(__doc__)
        return 2
    ensure_environment()
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "test":
        return test(extra)
    os.execv(str(BIN / "supportbot"), [str(BIN / "supportbot"), "chat", *extra])
    return 0


if __name__ == "__main__":
    sys.exit(main())
