"""The SLA report per level and site, its chart, and `supportbot sla report`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli_sla import sla_app
from bot.core.model import Deadlines, Level, Person, Status
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.database import make_session_factory
from register.queries import list_requests
from register.report_chart import draw_report
from register.reports import ReportLine, sla_report
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import a_request
from tests.integration.simulation import simulate, sla_of_example_sites

SLA = BusinessHoursSla(targets=dict.fromkeys(Level, LevelTargets(8, 24)))
LINA = Person("slack", "U0LINA", "Lina")


def utc(day: int, hour: int) -> datetime:
    """A day of the week of Monday 23 November 2026 (23 = Monday), UTC."""
    return datetime(2026, 11, day, hour, tzinfo=UTC)


WEDNESDAY_NOON = utc(25, 12)
L1_DUE = Deadlines(utc(24, 10), utc(26, 10))


def seed(uow: SqlUnitOfWorkFactory) -> None:
    """Kenya L1: answered in 1 and 10 working hours (one late), resolved in 4 and 16, one still
    open and late. L2 without a site: answered an hour after it got there, due soon."""
    requests = [
        a_request(
            site="Kenya",
            created_at=utc(23, 10),
            deadlines=L1_DUE,
            status=Status.RESOLVED,
            first_response_at=utc(23, 11),
            resolved_at=utc(23, 14),
        ),
        a_request(
            site="Kenya",
            created_at=utc(23, 10),
            deadlines=L1_DUE,
            status=Status.RESOLVED,
            first_response_at=utc(24, 12),
            resolved_at=utc(25, 10),
        ),
        a_request(site="Kenya", created_at=utc(23, 10), deadlines=L1_DUE),
        a_request(
            site=None,
            level=Level.L2,
            status=Status.CLAIMED,
            claimed_by=LINA,
            created_at=utc(23, 10),
            level_entered_at=utc(23, 12),
            first_response_at=utc(23, 13),
            deadlines=Deadlines(utc(24, 12), utc(25, 13)),
        ),
    ]
    with uow() as work:
        for request in requests:
            work.requests.add(request)
        work.commit()


@pytest.fixture
def lines(uow: SqlUnitOfWorkFactory, engine: Engine) -> list[ReportLine]:
    seed(uow)
    with make_session_factory(engine, read_only=True)() as session:
        return sla_report(session, SLA, WEDNESDAY_NOON)


def test_the_report_has_a_line_per_level_and_site_and_a_total(lines: list[ReportLine]) -> None:
    assert [(line.level, line.site) for line in lines] == [
        ("L1", "Kenya"),
        ("L2", "-"),
        ("all", "all"),
    ]


def test_medians_and_shares_are_in_working_hours_of_the_site(lines: list[ReportLine]) -> None:
    kenya = lines[0]
    assert (kenya.requests, kenya.open) == (3, 1)
    assert (kenya.median_first_response_hours, kenya.median_resolution_hours) == (5.5, 10.0)
    assert (kenya.first_response_within, kenya.resolution_within) == (0.5, 1.0)
    assert (kenya.due_soon, kenya.breached_now) == (0, 1)


def test_an_escalated_request_is_timed_from_when_it_reached_its_level(
    lines: list[ReportLine],
) -> None:
    l2 = lines[1]
    assert (l2.median_first_response_hours, l2.median_resolution_hours) == (1.0, None)
    assert (l2.first_response_within, l2.resolution_within) == (1.0, None)
    assert (l2.due_soon, l2.breached_now) == (1, 0)


def test_the_total_line_counts_every_request(lines: list[ReportLine]) -> None:
    total = lines[-1]
    assert (total.requests, total.open, total.due_soon, total.breached_now) == (4, 2, 1, 1)
    assert total.median_first_response_hours == 1.0
    assert total.first_response_within == pytest.approx(2 / 3)


def test_the_period_limits_the_requests_counted(uow: SqlUnitOfWorkFactory, engine: Engine) -> None:
    seed(uow)
    with make_session_factory(engine, read_only=True)() as session:
        assert sla_report(session, SLA, WEDNESDAY_NOON, since=utc(24, 0)) == []
        (_, total) = sla_report(session, SLA, WEDNESDAY_NOON, until=utc(24, 0), since=utc(23, 0))[
            -2:
        ]
    assert total.requests == 4


def test_the_chart_is_a_png_file(lines: list[ReportLine], tmp_path: Path) -> None:
    path = tmp_path / "sla.png"
    draw_report(lines, path, WEDNESDAY_NOON)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


@pytest.fixture
def configured(
    uow: SqlUnitOfWorkFactory, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database_url)
    seed(uow)
    return tmp_path


def test_the_command_prints_the_report_as_json_and_draws_the_chart(configured: Path) -> None:
    chart = configured / "report.png"
    result = CliRunner().invoke(sla_app, ["report", "--json", "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(line["level"], line["site"], line["requests"]) for line in report] == [
        ("L1", "Kenya", 3),
        ("L2", "-", 1),
        ("all", "all", 4),
    ]
    assert report[0]["median_resolution_hours"] == 10.0
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_the_command_shows_a_table_and_labels_the_targets_as_examples(configured: Path) -> None:
    result = CliRunner().invoke(
        sla_app, ["report", "--since", "2026-11-01"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Kenya" in result.stdout
    assert "examples" in result.stdout
    assert "Primero's SLA" not in result.stdout.replace("not Primero's SLA", "")


def test_a_period_without_requests_says_so(configured: Path) -> None:
    result = CliRunner().invoke(sla_app, ["report", "--since", "2027-01-01"])
    assert result.exit_code == 0, result.output
    assert "No requests" in result.stdout


def test_a_simulated_month_adds_up_and_agrees_with_the_breached_list(
    uow: SqlUnitOfWorkFactory, engine: Engine, tmp_path: Path
) -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    simulate(uow, 150, now)
    with make_session_factory(engine, read_only=True)() as session:
        lines = sla_report(session, sla_of_example_sites(), now)
        breached = list_requests(session, breached_at=now)
    *groups, total = lines
    assert {line.site for line in groups} == {"Kenya", "Somalia", "Mozambique"}
    assert total.requests == sum(line.requests for line in groups) == 150
    assert total.open == sum(line.open for line in groups) > 0
    assert total.breached_now == len(breached)
    for line in lines:
        for share in (line.first_response_within, line.resolution_within):
            assert share is None or 0 <= share <= 1
        assert line.due_soon + line.breached_now <= line.open <= line.requests
    draw_report(lines, tmp_path / "month.png", now)
    assert (tmp_path / "month.png").stat().st_size > 10_000
