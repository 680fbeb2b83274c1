"""`supportbot register list|show|export` against a real register, through Typer's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli_register import register_app
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.seed import Seeded, seed_register

CONTRACT_KEYS = {"ref", "level", "status", "platform", "question", "created_at"}


@pytest.fixture
def seeded(
    uow: SqlUnitOfWorkFactory,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Seeded:
    monkeypatch.chdir(tmp_path)  # no stray .env of the developer's is read
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database_url)
    return seed_register(uow)


def run(*args: str) -> Result:
    return CliRunner().invoke(register_app, list(args))


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_list_json_gives_every_request_with_the_contract_keys(seeded: Seeded) -> None:
    result = run("list", "--json")
    assert result.exit_code == 0, result.output
    requests = json.loads(result.stdout)
    assert [r["ref"] for r in requests] == [
        seeded.waiting_l3,
        seeded.resolved_l1,
        seeded.claimed_l2,
        seeded.open_l1,
    ]
    assert all(r.keys() >= CONTRACT_KEYS for r in requests)


def test_list_filters_by_status_and_level_in_any_case(seeded: Seeded) -> None:
    result = run("list", "--status", "RESOLVED", "--level", "l1", "--json")
    assert result.exit_code == 0, result.output
    assert [r["ref"] for r in json.loads(result.stdout)] == [seeded.resolved_l1]


def test_list_shows_a_table_to_people(seeded: Seeded) -> None:
    result = run("list", "--status", "open")
    assert result.exit_code == 0, result.output
    assert seeded.open_l1 in result.stdout
    assert seeded.claimed_l2 not in result.stdout


def test_list_with_nothing_matching_says_so_or_gives_an_empty_array(seeded: Seeded) -> None:
    assert json.loads(run("list", "--level", "L2", "--status", "open", "--json").stdout) == []
    assert "No requests" in run("list", "--level", "L2", "--status", "open").stdout


def test_an_unknown_status_exits_1_with_one_line_naming_the_valid_ones(seeded: Seeded) -> None:
    line = one_error_line(run("list", "--status", "closed"))
    assert "closed" in line
    assert "open, claimed, waiting, resolved" in line


def test_an_unknown_level_exits_1_with_one_line_naming_the_valid_ones(seeded: Seeded) -> None:
    line = one_error_line(run("list", "--level", "L4"))
    assert "L4" in line
    assert "L1, L2, L3" in line


def test_show_json_gives_the_request_with_its_history(seeded: Seeded) -> None:
    result = run("show", seeded.open_l1, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data.keys() >= CONTRACT_KEYS
    assert data["ref"] == seeded.open_l1
    assert [line["action"] for line in data["history"]] == ["logged", "replied"]


def test_show_prints_a_panel_and_the_history_as_typed(seeded: Seeded) -> None:
    result = run("show", seeded.claimed_l2)
    assert result.exit_code == 0, result.output
    assert seeded.claimed_l2 in result.stdout
    assert "[bold]nothing[/bold]" in result.stdout  # user text is not taken for Rich markup
    assert "History" in run("show", seeded.open_l1).stdout


def test_show_accepts_a_reference_typed_in_lower_case(seeded: Seeded) -> None:
    result = run("show", seeded.open_l1.lower(), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ref"] == seeded.open_l1


def test_show_of_an_unknown_reference_exits_1_with_one_line(seeded: Seeded) -> None:
    assert "SR-999999" in one_error_line(run("show", "SR-999999"))


def test_export_writes_csv_to_stdout(seeded: Seeded) -> None:
    result = run("export", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["ref"] for row in rows] == [
        seeded.open_l1,
        seeded.claimed_l2,
        seeded.resolved_l1,
        seeded.waiting_l3,
    ]


def test_export_writes_csv_to_a_file(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "register.csv"
    out.parent.mkdir()
    result = run("export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(list(csv.DictReader(out.open(encoding="utf-8", newline="")))) == 4


def test_export_in_an_unknown_format_is_bad_usage(seeded: Seeded) -> None:
    assert run("export", "--format", "xlsx").exit_code == 2


def test_a_new_register_is_created_on_first_use_and_lists_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "fresh" / "register.sqlite3"
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", f"sqlite:///{database}")
    result = run("list", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert database.exists()


def test_an_unreachable_register_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    url = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2"
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", url)
    line = one_error_line(run("list"))
    assert "cannot read the register" in line
    assert "s3cret" not in line


def test_a_malformed_database_url_exits_1_with_one_line_and_no_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", "not a url with s3cret")
    line = one_error_line(run("list"))
    assert "SUPPORTBOT_DATABASE_URL" in line
    assert "s3cret" not in line


def test_list_filters_by_site_matching_a_configured_name_in_any_case(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_SITES", "kenya,Somalia")
    result = run("list", "--site", "KENYA", "--json")
    assert result.exit_code == 0, result.output
    assert [r["ref"] for r in json.loads(result.stdout)] == [
        seeded.waiting_l3,
        seeded.claimed_l2,
        seeded.open_l1,
    ]
    assert json.loads(run("list", "--site", "somalia", "--json").stdout) == []


def test_list_breached_gives_only_requests_past_their_next_due_time(seeded: Seeded) -> None:
    result = run("list", "--breached", "--json")
    assert result.exit_code == 0, result.output
    (late,) = json.loads(result.stdout)
    assert late["ref"] == seeded.claimed_l2  # its resolution was due on 25 November 2026
    assert (late["sla"]["state"], late["sla"]["target"]) == ("breached", "resolution")


def test_the_list_table_shows_where_each_request_stands(seeded: Seeded) -> None:
    result = CliRunner().invoke(register_app, ["list"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "SLA" in result.stdout
    assert "breached" in result.stdout


def test_export_writes_json_lines_with_the_sla_state(seeded: Seeded) -> None:
    result = run("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    requests = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["ref"] for r in requests] == [
        seeded.open_l1,
        seeded.claimed_l2,
        seeded.resolved_l1,
        seeded.waiting_l3,
    ]
    assert all(r.keys() >= CONTRACT_KEYS for r in requests)
    assert requests[1]["sla"]["state"] == "breached"
    assert requests[0]["sla"] is None  # logged without due times


def test_the_csv_export_says_where_each_request_stands(seeded: Seeded) -> None:
    rows = list(csv.DictReader(io.StringIO(run("export").stdout)))
    assert [row["sla_state"] for row in rows] == ["", "breached", "", ""]


def test_a_bad_sites_file_exits_1_with_one_line_naming_it(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - name: A\n    timezone: Mars/Olympus\n", encoding="utf-8")
    monkeypatch.setenv("SUPPORTBOT_SITES_FILE", str(sites))
    line = one_error_line(run("list"))
    assert str(sites) in line
    assert "Mars/Olympus" in line
