"""`register show|export` are audited in the history; `register purge` blanks old text only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from bot.cli_register import register_app
from bot.core.model import Action, Deadlines, HistoryEntry, Level, Status, SupportRequest
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.orm import HistoryRow, InquiryRow, RequestRow
from register.reports import ReportLine, sla_report
from register.repository import history_of
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import ALICE, BOB, CAROL, a_request, an_inquiry

SLA = BusinessHoursSla(targets=dict.fromkeys(Level, LevelTargets(8, 24)))
NOW = datetime.now(UTC).replace(microsecond=0)
QUESTION = "Alice's phone number is 0700 000 000 and sync fails"
SITES_FILE = """
sites:
  - name: Kenya
    retention_days: 30
  - name: Somalia
    timezone: Africa/Mogadishu
"""


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass(frozen=True)
class Register:
    kenya_old: str  # resolved 100 days ago, with replies, a note and an inquiry
    kenya_recent: str  # resolved 10 days ago
    somalia_old: str  # resolved 100 days ago; Somalia has no retention of its own
    no_site_old: str  # resolved 100 days ago
    kenya_open: str  # logged 200 days ago, still open
    sessions: sessionmaker[Session]


def resolved(site: str | None, days: float) -> SupportRequest:
    created = days_ago(days + 2)
    return a_request(
        site=site,
        question=QUESTION,
        status=Status.RESOLVED,
        created_at=created,
        updated_at=days_ago(days),
        deadlines=Deadlines(created + timedelta(hours=8), created + timedelta(days=3)),
        first_response_at=created + timedelta(hours=1),
        resolved_at=days_ago(days),
        resolution_note="Called Alice on 0700 000 000",
    )


HISTORY = (
    (ALICE.identity, Action.LOGGED, "no_match"),
    (CAROL.identity, Action.REPLIED, "Alice, please send your password"),
    (ALICE.identity, Action.REQUESTER_ANSWERED, "It is hunter2"),
    (CAROL.identity, Action.RESOLVED, "Called Alice on 0700 000 000"),
)


@pytest.fixture
def register(
    uow: SqlUnitOfWorkFactory, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Register:
    monkeypatch.chdir(tmp_path)  # no stray .env of the developer's is read
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("LOGNAME", "dpo")  # getpass.getuser() reads it first
    requests = [
        resolved("Kenya", 100),
        resolved("Kenya", 10),
        resolved("Somalia", 100),
        resolved(None, 100),
        a_request(site="Kenya", question=QUESTION, created_at=days_ago(200), updated_at=NOW),
    ]
    with uow() as work:
        for request in requests:
            work.requests.add(request)
            for hours, (who, action, detail) in enumerate(HISTORY):
                at = request.created_at + timedelta(hours=hours)
                entry = HistoryEntry(request.ref, at, who, action, detail, Level.L1)
                work.requests.append_history(entry)
        work.inquiries.add(an_inquiry(BOB, question=QUESTION, request_ref=requests[0].ref))
        work.commit()
    kenya_old, kenya_recent, somalia_old, no_site_old, kenya_open = (r.ref for r in requests)
    return Register(
        kenya_old, kenya_recent, somalia_old, no_site_old, kenya_open, uow.session_factory
    )


def run(*args: str) -> Result:
    return CliRunner().invoke(register_app, list(args))


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def lines_of(register: Register, ref: str, action: Action) -> list[HistoryEntry]:
    with register.sessions() as session:
        return [e for e in history_of(session, ref) if e.action is action]


def texts(register: Register, ref: str) -> list[str]:
    """Every text of the request a person typed: question, note, history details, inquiries."""
    with register.sessions() as session:
        row = session.scalars(select(RequestRow).where(RequestRow.ref == ref)).one()
        details = [
            e.detail for e in history_of(session, ref) if e.detail and e.action is not Action.LOGGED
        ]
        asked = session.scalars(select(InquiryRow.question).where(InquiryRow.request_ref == ref))
        return [row.question, row.resolution_note or "", *details, *asked]


def report(register: Register) -> list[ReportLine]:
    with register.sessions() as session:
        return sla_report(session, SLA, NOW)


def test_show_records_who_viewed_the_request_and_when(register: Register) -> None:
    before = datetime.now(UTC)
    assert run("show", register.kenya_open, "--actor", "slack:U0DPO").exit_code == 0
    assert run("show", register.kenya_open.lower(), "--json").exit_code == 0
    viewed = lines_of(register, register.kenya_open, Action.VIEWED)
    assert [entry.actor for entry in viewed] == ["slack:U0DPO", "os:dpo"]
    assert all(entry.at >= before.replace(microsecond=0) for entry in viewed)


def test_showing_an_unknown_request_records_nothing_and_exits_1(register: Register) -> None:
    assert "SR-999" in one_error_line(run("show", "SR-999"))
    with register.sessions() as session:
        actions = session.scalars(select(HistoryRow.action)).all()
    assert Action.VIEWED.value not in actions


def test_export_records_one_line_on_every_exported_request(
    register: Register, tmp_path: Path
) -> None:
    out = tmp_path / "export.jsonl"
    result = run("export", "--format", "jsonl", "--out", str(out), "--actor", "dpo-desk")
    assert result.exit_code == 0, result.output
    exported = [json.loads(line)["ref"] for line in out.read_text().splitlines()]
    assert len(exported) == 5
    for ref in exported:
        [line] = lines_of(register, ref, Action.EXPORTED)
        assert (line.actor, line.detail) == ("dpo-desk", "register export --format jsonl")


def test_export_to_stdout_is_audited_too(register: Register) -> None:
    assert run("export").exit_code == 0
    assert [e.actor for e in lines_of(register, register.kenya_old, Action.EXPORTED)] == ["os:dpo"]


def test_purge_blanks_the_text_and_keeps_the_report_figures(register: Register) -> None:
    before = report(register)
    result = run("purge", "--older-than", "50")
    assert result.exit_code == 0, result.output
    assert "Purged 3 resolved requests" in result.stdout
    assert report(register) == before
    marker = f"[purged {NOW.date().isoformat()}]"
    assert set(texts(register, register.kenya_old)) == {marker}
    assert QUESTION in texts(register, register.kenya_recent)
    [purged] = lines_of(register, register.kenya_old, Action.PURGED)
    assert purged.actor == "os:dpo"


def test_purge_keeps_who_did_what_when_in_the_history(register: Register) -> None:
    with register.sessions() as session:
        before = [
            (e.at, e.actor, e.action, e.level) for e in history_of(session, register.no_site_old)
        ]
    assert run("purge", "--older-than", "50", "--actor", "ops").exit_code == 0
    with register.sessions() as session:
        after = [
            (e.at, e.actor, e.action, e.level) for e in history_of(session, register.no_site_old)
        ]
    assert after[:-1] == before
    assert after[-1][1:3] == ("ops", Action.PURGED)


def test_open_requests_are_never_purged(register: Register) -> None:
    assert run("purge", "--older-than", "0").exit_code == 0
    assert set(texts(register, register.kenya_open)) >= {QUESTION, "It is hunter2"}
    assert lines_of(register, register.kenya_open, Action.PURGED) == []


def test_a_dry_run_counts_and_changes_nothing(register: Register) -> None:
    result = run("purge", "--older-than", "50", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would purge 3 resolved requests" in result.stdout
    assert QUESTION in texts(register, register.kenya_old)
    assert lines_of(register, register.kenya_old, Action.PURGED) == []


def test_a_second_purge_finds_nothing_left_to_purge(register: Register) -> None:
    assert run("purge", "--older-than", "50").exit_code == 0
    result = run("purge", "--older-than", "50")
    assert "Purged 0 resolved requests" in result.stdout
    assert len(lines_of(register, register.kenya_old, Action.PURGED)) == 1


def test_purge_of_one_site_leaves_the_others(register: Register) -> None:
    assert run("purge", "--older-than", "50", "--site", "Kenya").exit_code == 0
    assert QUESTION not in texts(register, register.kenya_old)
    assert QUESTION in texts(register, register.somalia_old)


@pytest.fixture
def sites_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(SITES_FILE, encoding="utf-8")
    monkeypatch.setenv("SUPPORTBOT_SITES_FILE", str(path))
    return path


def test_each_site_keeps_text_for_its_own_retention(register: Register, sites_file: Path) -> None:
    assert run("purge", "--site", "kenya").exit_code == 0
    assert QUESTION not in texts(register, register.kenya_old)
    assert QUESTION in texts(register, register.kenya_recent)
    assert QUESTION in texts(register, register.somalia_old)


def test_the_default_retention_covers_sites_without_their_own(
    register: Register, sites_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_RETENTION_DAYS", "5")
    result = run("purge")
    assert "Purged 3 resolved requests" in result.stdout
    # Kenya keeps 30 days: its request resolved 10 days ago stays, though 10 > 5.
    assert QUESTION in texts(register, register.kenya_recent)
    assert QUESTION not in texts(register, register.somalia_old)
    assert QUESTION not in texts(register, register.no_site_old)


def test_purge_without_any_retention_exits_1_with_one_line(register: Register) -> None:
    assert "--older-than" in one_error_line(run("purge"))
    assert QUESTION in texts(register, register.kenya_old)


def test_purge_of_a_site_without_retention_exits_1_naming_it(
    register: Register, sites_file: Path
) -> None:
    assert "Somalia" in one_error_line(run("purge", "--site", "somalia"))


def test_a_negative_age_exits_1_with_one_line(register: Register) -> None:
    assert "--older-than" in one_error_line(run("purge", "--older-than", "-1"))
