"""SUPPORTBOT_INCIDENT__*: how alike requests must be, how many, and how far back."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import load_settings


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env of the developer's is read


def test_incidents_are_on_by_default_with_the_benchmarked_threshold() -> None:
    incident = load_settings().incident
    assert (incident.enabled, incident.threshold) == (True, 70.0)
    assert (incident.min_requests, incident.window_days) == (3, 7)


def test_the_environment_sets_every_incident_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTBOT_INCIDENT__THRESHOLD", "80")
    monkeypatch.setenv("SUPPORTBOT_INCIDENT__MIN_REQUESTS", "5")
    monkeypatch.setenv("SUPPORTBOT_INCIDENT__WINDOW_DAYS", "14")
    monkeypatch.setenv("SUPPORTBOT_INCIDENT__ENABLED", "false")
    incident = load_settings().incident
    assert (incident.threshold, incident.min_requests, incident.window_days) == (80, 5, 14)
    assert incident.enabled is False


def test_a_single_request_cannot_make_an_incident(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTBOT_INCIDENT__MIN_REQUESTS", "1")
    with pytest.raises(ValidationError, match="min_requests"):
        load_settings()
