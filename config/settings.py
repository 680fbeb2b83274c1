"""The one settings class: environment variables `SUPPORTBOT_*` (nested with `__`) and `.env`.

Built explicitly by the entry point through `load_settings()`; nothing is read at import time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SQLITE_FILE = "supportbot.sqlite3"
PLACEHOLDER_MARKERS = ("changeme", "change-me", "placeholder", "your-", "xxxx", "<")


def _is_placeholder(secret: SecretStr | None) -> bool:
    if secret is None:
        return False
    value = secret.get_secret_value().strip().lower()
    return not value or any(marker in value for marker in PLACEHOLDER_MARKERS)


def _split_ids(value: object) -> object:
    """Allow `a,b,c` in an environment variable as well as a JSON list."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_url: str = "https://slack.com/api/"
    host: str = "0.0.0.0"  # a server in a container listens on every interface
    port: int = 3000
    l1_channel: str | None = None
    l2_channel: str | None = None
    l3_channel: str | None = None

    @field_validator("api_url")
    @classmethod
    def _end_with_slash(cls, url: str) -> str:
        # Older slack_sdk joins with urljoin, which silently drops a last path part without "/".
        return url if url.endswith("/") else url + "/"

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> SlackSettings:
        if self.enabled:
            for name in ("bot_token", "signing_secret", "app_token"):
                if _is_placeholder(getattr(self, name)):
                    raise ValueError(f"SUPPORTBOT_SLACK__{name.upper()} is a placeholder; set it")
        return self

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @model_validator(mode="after")
    def _need_signing_secret_over_http(self) -> SlackSettings:
        # Without it nobody could tell Slack's requests from forged ones: refuse to start.
        if self.enabled and not self.socket_mode and self.signing_secret is None:
            raise ValueError(
                "SUPPORTBOT_SLACK__SIGNING_SECRET is required in HTTP mode (Slack app > Basic "
                "Information > Signing Secret), or set SUPPORTBOT_SLACK__APP_TOKEN for Socket Mode"
            )
        return self


class TelegramSettings(BaseModel):
    token: SecretStr | None = None
    api_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"  # webhook mode listen address (behind a TLS proxy)
    webhook_port: int = 8443
    l1_chat_id: str | None = None
    l2_chat_id: str | None = None
    l3_chat_id: str | None = None

    @property
    def enabled(self) -> bool:
        return self.token is not None

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> TelegramSettings:
        if self.enabled:
            for name in ("token", "webhook_secret"):
                if _is_placeholder(getattr(self, name)):
                    raise ValueError(
                        f"SUPPORTBOT_TELEGRAM__{name.upper()} is a placeholder; set it"
                    )
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> TelegramSettings:
        # Without the secret anyone who finds the URL could post fake updates to the bot.
        if self.enabled and self.webhook_url:
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
                raise ValueError(
                    "SUPPORTBOT_TELEGRAM__WEBHOOK_SECRET is required in webhook mode: 1-256 "
                    "characters A-Z, a-z, 0-9, _ and -"
                )
        return self


IdList = Annotated[list[str], NoDecode]


class StaffSettings(BaseModel):
    """Allow-lists of platform-qualified ids (`slack:U0123`, `telegram:111111111`) per level."""

    l1: IdList = Field(default_factory=list)
    l2: IdList = Field(default_factory=list)
    l3: IdList = Field(default_factory=list)
    # Members of a level's channel or chat (its pings' destinations) are its staff too, as the
    # platform says; answers are remembered this long (removing someone takes effect after it).
    membership: bool = True
    membership_ttl_seconds: float = Field(default=60.0, ge=0, le=3600)

    _split = field_validator("l1", "l2", "l3", mode="before")(_split_ids)


class SlaSettings(BaseModel):
    """Example targets of *your* support team, in business hours; not Primero's SLA."""

    timezone: str = "UTC"
    workday_start_hour: int = Field(default=9, ge=0, le=23)
    workday_end_hour: int = Field(default=17, ge=1, le=24)
    workdays: IdList = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    l1_first_response_hours: float = 8
    l1_resolution_hours: float = 24
    l2_first_response_hours: float = 8
    l2_resolution_hours: float = 40
    l3_first_response_hours: float = 4
    l3_resolution_hours: float = 40
    # "Due soon" when at most this share of a target, or these working hours, is left.
    due_soon_fraction: float = Field(default=0.25, ge=0, le=1)
    due_soon_hours: float = Field(default=0, ge=0)
    # The sweeper of `supportbot run` (and `supportbot sla sweep`): levels whose missed targets
    # escalate on their own (`L1,L2`), how often it looks (0: never), how far ahead (wall clock).
    auto_escalate: IdList = Field(default_factory=list)
    sweep_seconds: float = Field(default=60.0, ge=0)
    sweep_horizon_hours: float = Field(default=168.0, gt=0)

    _split = field_validator("workdays", "auto_escalate", mode="before")(_split_ids)

    @field_validator("auto_escalate")
    @classmethod
    def _known_levels(cls, levels: list[str]) -> list[str]:
        unknown = [level for level in levels if level.upper() not in ("L1", "L2", "L3")]
        if unknown:
            raise ValueError(f"unknown level(s): {', '.join(unknown)}; use L1, L2 or L3")
        return [level.upper() for level in levels]


class LimitsSettings(BaseModel):
    """Abuse limits: questions per person (in memory, per process) and the length of a message."""

    questions_per_minute: int = Field(default=10, ge=1)
    questions_per_hour: int = Field(default=60, ge=1)
    max_question_chars: int = Field(default=2000, ge=100, le=20000)


class OutboxSettings(BaseModel):
    """The notification dispatcher of `supportbot run`: how often it looks for due deliveries
    and how it backs off a platform that fails (seconds)."""

    poll_seconds: float = Field(default=2.0, gt=0)
    first_retry_seconds: float = Field(default=1.0, gt=0)
    max_retry_seconds: float = Field(default=300.0, gt=0)
    give_up_after: int = Field(default=40, ge=1)
    lease_seconds: float = Field(default=180.0, gt=0)  # a crashed attempt is retried after it


class IncidentSettings(BaseModel):
    """Grouping of alike open requests under one L3 incident (bot/core/incidents.py)."""

    enabled: bool = True
    # Similarity (0-100) from which two questions are one problem. Calibrated by
    # bench/incident_similarity.py: at 70, 92-100% of the pairs it calls alike on StackFAQ and
    # the bundled Primero questions, and 71% on the noisier CovidFAQ and AIA-BDE sets, really
    # are one problem (precision first: a wrong "known issue" answer is worse than a request).
    threshold: float = Field(default=70.0, gt=0, le=100)
    min_requests: int = Field(default=3, ge=2)  # alike open requests that open an incident
    window_days: int = Field(default=7, ge=1)  # how far back open requests are compared


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SUPPORTBOT_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_FILE}"
    kb_path: Path | None = None  # None: the bundled sample KB
    default_language: str = "en"
    # The language of staff pings (one per deployment: coordinators share channels).
    staff_language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    default_site: str | None = None
    sites: IdList = Field(default_factory=list)  # sites a requester may choose: `A,B` or JSON
    # Sites with their hours, holidays, L1 teams and requester mapping (config/sites.example.yaml).
    sites_file: Path | None = None
    # How long a platform event key is remembered to recognise redeliveries (Slack retries for
    # minutes, Telegram keeps an update for 24 hours).
    event_key_ttl_hours: float = Field(default=72, gt=0)
    reference_prefix: str = Field(default="SR", pattern=r"^[A-Z]+$")
    max_suggestions: int = Field(default=3, ge=1, le=10)
    # Calibrated by bench/nothing_found.py: at 15, 89-91% of chit-chat asked of the bundled KB
    # gets no suggestion while 96% of real field questions still get one (see the README).
    min_score: float = Field(default=15.0, ge=0, le=100)
    # How often a running bot looks for KB changes (kb_index/live.py); 0: never.
    kb_reload_seconds: float = Field(default=5.0, ge=0)
    # Days after resolution until `register purge` blanks a request's text, for sites without
    # their own `retention_days`; None: never.
    retention_days: int | None = Field(default=None, ge=0)
    log_level: str = "INFO"

    slack: SlackSettings = Field(default_factory=SlackSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    staff: StaffSettings = Field(default_factory=StaffSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    incident: IncidentSettings = Field(default_factory=IncidentSettings)

    _split_sites = field_validator("sites", mode="before")(_split_ids)

    def missing_platform_settings(self) -> list[str]:
        """Names an operator would set to turn on at least one platform."""
        if self.slack.enabled or self.telegram.enabled:
            return []
        return ["SUPPORTBOT_SLACK__BOT_TOKEN", "SUPPORTBOT_TELEGRAM__TOKEN"]


def load_settings(**overrides: object) -> Settings:
    """Read the environment and `.env` now (never at import time)."""
    return Settings(**overrides)  # type: ignore[arg-type]
