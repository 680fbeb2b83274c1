"""The sites file (`SUPPORTBOT_SITES_FILE`): Primero implementations, their hours and L1 teams.

Each site is one implementation (a country or an organisation) whose requests are consolidated in
the one register. See `config/sites.example.yaml` for a documented example. Imports nothing of ours.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SitesFileError(ValueError):
    """The sites file cannot be used; the message names the file and what is wrong."""


class Strict(BaseModel):
    # A misspelt key (`timzone:`) must be an error, not a silently ignored line.
    model_config = ConfigDict(extra="forbid", frozen=True)


class BusinessHours(Strict):
    """Local opening hours; `end: "24:00"` (or "00:00") means until midnight."""

    start: time = time(9, 0)
    end: time = time(17, 0)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted_and_midnight(cls, value: object) -> object:
        if isinstance(value, int):  # YAML reads an unquoted 08:00 as the number 480
            raise ValueError('write times in quotes, e.g. "08:00"')
        return "00:00" if value in ("24:00", "24:00:00") else value

    @model_validator(mode="after")
    def _end_after_start(self) -> BusinessHours:
        if self.end <= self.start and self.end != time(0, 0):
            raise ValueError("business hours must end after they start")
        return self


def _as_strings(value: object) -> object:
    """Telegram chat ids are numbers in YAML unless quoted: take them either way."""
    if isinstance(value, list):
        return [str(item) if isinstance(item, int) else item for item in value]
    return value


class L1Destinations(Strict):
    """Where new requests of the site are pinged: Slack channel ids, Telegram chat ids."""

    slack_channels: list[str] = Field(default_factory=list)
    telegram_chats: list[str] = Field(default_factory=list)

    _ids = field_validator("slack_channels", "telegram_chats", mode="before")(_as_strings)

    def by_platform(self) -> dict[str, list[str]]:
        return {"slack": list(self.slack_channels), "telegram": list(self.telegram_chats)}


class RequesterMapping(Strict):
    """How a requester is tied to the site without choosing: their Slack workspace or the
    channel / group chat they write in. Telegram users in private chats choose with buttons."""

    slack_teams: list[str] = Field(default_factory=list)
    slack_channels: list[str] = Field(default_factory=list)
    telegram_chats: list[str] = Field(default_factory=list)

    _ids = field_validator("slack_teams", "slack_channels", "telegram_chats", mode="before")(
        _as_strings
    )


class Site(Strict):
    name: str = Field(min_length=1, max_length=255, pattern=r"^\S(.*\S)?$")
    timezone: str = "UTC"
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    workdays: list[str] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    holidays: list[date] = Field(default_factory=list)
    default_language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    l1: L1Destinations = Field(default_factory=L1Destinations)
    requesters: RequesterMapping = Field(default_factory=RequesterMapping)
    # Days after resolution until `supportbot register purge` blanks the requests' text;
    # None: SUPPORTBOT_RETENTION_DAYS applies (unset there too: kept for ever).
    retention_days: int | None = Field(default=None, ge=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"unknown time zone {zone!r} (use an IANA name: Africa/Nairobi)"
            ) from error
        return zone

    @field_validator("workdays")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        unknown = [day for day in days if day.lower()[:3] not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown weekday(s) {', '.join(unknown)}; use mon … sun")
        return [day.lower()[:3] for day in days]


class Sites(Strict):
    sites: list[Site] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unambiguous(self) -> Sites:
        _refuse_duplicates("site name", [site.name.lower() for site in self.sites])
        for kind in ("slack_teams", "slack_channels", "telegram_chats"):
            ids = [i for site in self.sites for i in getattr(site.requesters, kind)]
            _refuse_duplicates(f"requesters.{kind} id", ids)
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(site.name for site in self.sites)

    def site_by_chat(self) -> dict[str, str]:
        """Platform-qualified chat ids (`slack:C0123`, `telegram:-100123`) to site names."""
        found: dict[str, str] = {}
        for site in self.sites:
            found |= {f"slack:{c}": site.name for c in site.requesters.slack_channels}
            found |= {f"telegram:{c}": site.name for c in site.requesters.telegram_chats}
        return found

    def site_by_team(self) -> dict[str, str]:
        return {team: site.name for site in self.sites for team in site.requesters.slack_teams}

    def languages(self) -> dict[str, str]:
        return {s.name: s.default_language for s in self.sites if s.default_language}

    def l1_destinations(self) -> dict[str, dict[str, list[str]]]:
        return {site.name: site.l1.by_platform() for site in self.sites}


def _refuse_duplicates(what: str, values: list[str]) -> None:
    twice = sorted(value for value, count in Counter(values).items() if count > 1)
    if twice:
        raise ValueError(f"{what} listed more than once: {', '.join(twice)}")


def load_sites(path: Path) -> Sites:
    """Read and check a sites file; SitesFileError says which file and what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SitesFileError(f"{path}: cannot read the sites file: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise SitesFileError(f"{path}: not valid YAML: {error}") from error
    try:
        return Sites.model_validate(data or {})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise SitesFileError(f"{path}: {where}: {first['msg']}") from error
