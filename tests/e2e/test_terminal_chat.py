"""`supportbot chat` as a person uses it: a real subprocess, the bundled KB, a SQLite register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.terminal import chat, run_supportbot

REF = re.compile(r"\b(SR-[0-9]+)\b")


def test_a_whole_support_conversation_from_question_to_resolution(tmp_path: Path) -> None:
    first = chat(tmp_path, "I forgot my password", "0")
    assert "Reset a forgotten password" in first or "forgotten password" in first.lower()
    (ref,) = set(REF.findall(first))
    assert f"logged your question for the support team as {ref}" in first
    assert f"[ping to L1 channel] New support request {ref}" in first

    out = chat(
        tmp_path,
        "/as l1",
        f"/claim {ref}",
        f"/escalate {ref} needs a coordinator",
        "/as l2",
        f"/claim {ref}",
        f"/escalate {ref} looks like a bug",
        "/as l3",
        f"/resolve {ref} Hotfix deployed, reset links work again",
        "/as user",
        "/status",
    )
    assert f"[ping to L2 channel] {ref} escalated to L2" in out
    assert f"[ping to L3 channel] {ref} escalated to L3" in out
    assert f"[to the field user] Your request {ref} is resolved." in out
    assert "Hotfix deployed, reset links work again" in out
    assert "You have no open requests." in out


def test_ctrl_d_at_the_first_prompt_leaves_cleanly(tmp_path: Path) -> None:
    assert "Goodbye." in chat(tmp_path)


def test_an_invalid_staff_action_is_explained_and_changes_nothing(tmp_path: Path) -> None:
    out = chat(tmp_path, "/as l3", "/resolve SR-404 done", "/escalate", "/frobnicate")
    assert "There is no request SR-404" in out
    assert "Please give a reference" in out
    assert "Unknown command /frobnicate" in out


@pytest.mark.parametrize("command", ["kb check", "register list --json"])
def test_the_other_commands_run_on_the_defaults(tmp_path: Path, command: str) -> None:
    done = run_supportbot(tmp_path, *command.split())
    assert done.returncode == 0, done.stderr


def test_run_without_a_platform_and_without_a_terminal_names_the_missing_settings(
    tmp_path: Path,
) -> None:
    done = run_supportbot(tmp_path, "run")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "supportbot: no chat platform is configured: set SUPPORTBOT_SLACK__BOT_TOKEN "
        "or SUPPORTBOT_TELEGRAM__TOKEN"
    ]
