"""`supportbot kb check` and `supportbot kb search`, as CONTRACT.md specifies them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli_kb import kb_app

FIXTURES = Path(__file__).parents[1] / "kb_fixtures"
GOOD = str(FIXTURES / "good")
BROKEN = str(FIXTURES / "broken")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout
    monkeypatch.delenv("SUPPORTBOT_KB_PATH", raising=False)
    return CliRunner()


def test_checking_a_good_kb_prints_a_summary_and_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(kb_app, ["check", "--kb", GOOD])

    assert result.exit_code == 0
    assert result.stdout == "5 articles (2 translations) in 3 languages: OK\n"


def test_checking_a_broken_kb_lists_every_problem_on_stderr_and_exits_1(
    runner: CliRunner,
) -> None:
    result = runner.invoke(kb_app, ["check", "--kb", BROKEN])

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 13
    assert f"{BROKEN}/bad-yaml.md:3: bad YAML: mapping values are not allowed here" in lines[2]
    assert all(line.startswith(f"{BROKEN}/") for line in lines)
    assert result.stdout == ""


def test_checking_a_missing_kb_says_so_in_one_line_and_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(kb_app, ["check", "--kb", "nowhere"])

    assert result.exit_code == 1
    assert result.stderr == "nowhere: no such file or folder\n"


def test_check_reads_the_kb_path_setting_when_no_kb_is_given(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_KB_PATH", str(FIXTURES / "good.jsonl"))

    result = runner.invoke(kb_app, ["check"])

    assert result.exit_code == 0
    assert result.stdout.startswith("3 articles (1 translation) in 2 languages")


def test_searching_as_json_gives_id_title_and_score(runner: CliRunner) -> None:
    result = runner.invoke(kb_app, ["search", "I forgot my pasword", "--kb", GOOD, "--json"])

    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "forgot-password"
    assert all(set(hit) == {"id", "title", "score"} for hit in hits)
    assert all(0 <= hit["score"] <= 100 and round(hit["score"], 1) == hit["score"] for hit in hits)


def test_limit_and_language_shape_a_json_search(runner: CliRunner) -> None:
    args = ["search", "forgot password", "--kb", GOOD, "--json", "--limit", "1"]

    result = runner.invoke(kb_app, [*args, "--language", "fr"])

    assert [hit["id"] for hit in json.loads(result.stdout)] == ["forgot-password-fr"]


def test_searching_from_stdin_answers_each_line_with_one_json_array(runner: CliRunner) -> None:
    questions = "account locked\n\nmot de passe oublié\n"

    result = runner.invoke(
        kb_app, ["search", "--stdin", "--kb", GOOD, "--json", "--limit", "2"], input=questions
    )

    assert result.exit_code == 0
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 3
    assert answers[0][0]["id"] == "account-locked"
    assert answers[1] == []
    assert answers[2][0]["id"] == "forgot-password-fr"
    assert all(len(answer) <= 2 for answer in answers)


def test_searching_without_json_prints_a_table(runner: CliRunner) -> None:
    result = runner.invoke(kb_app, ["search", "account locked", "--kb", GOOD])

    assert result.exit_code == 0
    assert "Your account is locked" in result.stdout
    assert "account-locked" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--json"],  # neither a query nor --stdin
        ["search", "a query", "--stdin", "--json"],  # both
        ["search", "--stdin"],  # batch answers are JSON lines only
    ],
)
def test_a_search_with_bad_usage_exits_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(kb_app, [*args, "--kb", GOOD], input="")

    assert result.exit_code == 2
    assert "Usage" in result.output
    assert "Traceback" not in result.output


def test_a_broken_kb_is_still_searched_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(BROKEN, kb)

    result = runner.invoke(kb_app, ["search", "good article", "--kb", str(kb), "--json"])

    assert result.exit_code == 0
    assert [hit["id"] for hit in json.loads(result.stdout)] == ["valid"]
    assert result.stderr.startswith(f"supportbot: warning: 13 problems in {kb}")


def test_searching_a_missing_kb_fails_in_one_line(runner: CliRunner) -> None:
    result = runner.invoke(kb_app, ["search", "password", "--kb", "nowhere.jsonl", "--json"])

    assert result.exit_code == 1
    assert result.stderr == (
        "supportbot: nothing to search: nowhere.jsonl: no such file or folder\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_checking_reports_a_bad_synonyms_line_with_its_path_and_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(GOOD, kb)
    (kb / "synonyms.txt").write_text("password, mot de passe\n# fine\nalone\n", encoding="utf-8")

    result = runner.invoke(kb_app, ["check", "--kb", str(kb)])

    assert result.exit_code == 1
    assert result.stderr == (
        f"{kb}/synonyms.txt:3: a synonym line needs two or more words or phrases, "
        "separated by commas\n"
    )


def test_search_uses_the_kbs_synonyms_file(runner: CliRunner, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(GOOD, kb)
    args = ["search", "trabajar sin conexión", "--kb", str(kb), "--json"]
    before = json.loads(runner.invoke(kb_app, args).stdout)
    (kb / "synonyms.txt").write_text("without internet, sin conexión\n", encoding="utf-8")

    after = json.loads(runner.invoke(kb_app, args).stdout)

    assert "mark-for-offline" not in [hit["id"] for hit in before]
    assert after[0]["id"] == "mark-for-offline"


def test_the_kb_help_documents_aliases_and_the_synonyms_file(runner: CliRunner) -> None:
    result = runner.invoke(kb_app, ["--help"], terminal_width=200)

    assert "aliases: [forgot my password, reset link expired]" in result.stdout
    assert "synonyms.txt" in result.stdout
    assert "NAME.synonyms.txt" in result.stdout
