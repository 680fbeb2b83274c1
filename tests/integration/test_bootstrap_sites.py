"""The composition root wires the sites file into the desk, the SLA policy and the router."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.bootstrap import build_app
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person
from bot.core.sla import BusinessHoursSla
from config.settings import Settings
from config.sites import SitesFileError
from tests.fakes import RecordingNotifier

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "sites.example.yaml"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'register.sqlite3'}",
        sites_file=EXAMPLE,
        sites=["Timor-Leste", "kenya"],
        kb_reload_seconds=0,
    )


def test_the_sites_of_the_file_are_the_sites_a_requester_can_choose(settings: Settings) -> None:
    app = build_app(settings, RecordingNotifier())
    try:
        config = app.desk.deps.config
        assert config.sites == ("Kenya", "Somalia", "Mozambique", "Timor-Leste", "kenya")
        assert config.site_by_team == {"T0KENYA01": "Kenya"}
        assert config.site_languages["Somalia"] == "ar"
        assert app.register.site_destinations["Kenya"] == {
            "slack": ["C0KENYAL1"],
            "telegram": ["-1001000000001"],
        }
    finally:
        app.close()


def test_each_site_counts_due_times_in_its_own_hours_and_holidays(settings: Settings) -> None:
    app = build_app(settings, RecordingNotifier())
    try:
        sla = app.desk.deps.sla
        assert isinstance(sla, BusinessHoursSla)
        kenya = sla.calendar_for("Kenya")
        assert (kenya.timezone, date(2026, 12, 25) in kenya.holidays) == ("Africa/Nairobi", True)
        # Thursday 24 December 2026, 16:00 in Nairobi: one working hour left, then Christmas and
        # Boxing Day (holidays) and the weekend; Monday opens at 08:00 EAT = 05:00 UTC.
        due = sla.deadlines(Level.L1, "Kenya", datetime(2026, 12, 24, 13, 0, tzinfo=UTC))
        assert due.first_response == datetime(2026, 12, 28, 12, 0, tzinfo=UTC)
        assert sla.calendar_for("Atlantis") is sla.default_calendar
    finally:
        app.close()


def test_a_slack_workspace_of_a_site_gives_its_requesters_the_site_and_its_language(
    settings: Settings,
) -> None:
    app = build_app(settings, RecordingNotifier())
    try:
        amina = Incoming(Person("slack", "U0AMINA", "Amina"), Address("slack", "D0AMINA"))
        seen = app.desk.preferences(Incoming(amina.sender, amina.reply_to, team_id="T0KENYA01"))
        assert (seen.site, seen.sender.language) == ("Kenya", "en")
        in_group = Incoming(Person("telegram", "42", "Omar"), Address("telegram", "-1001000000012"))
        assert app.desk.preferences(in_group).sender.language == "ar"
    finally:
        app.close()


def test_a_bad_sites_file_stops_the_start_before_the_register_opens(
    settings: Settings, tmp_path: Path
) -> None:
    broken = tmp_path / "sites.yaml"
    broken.write_text("sites:\n  - name: A\n    workdays: [funday]\n", encoding="utf-8")
    with pytest.raises(SitesFileError, match="funday"):
        build_app(settings.model_copy(update={"sites_file": broken}), RecordingNotifier())
    assert not (tmp_path / "register.sqlite3").exists()
