"""Audit and retention for `supportbot register`: who read the register, and purging old text."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from register.audit import record_export, record_view
from register.database import make_session_factory
from register.orm import RequestRow
from register.retention import purge_in_batches, purgeable_ids, retention_scopes

if TYPE_CHECKING:
    from config.settings import Settings
    from config.sites import Sites


def default_actor() -> str:
    """The OS user running the command, as the history records it: `os:alice`."""
    try:
        return f"os:{getpass.getuser()}"
    except (OSError, KeyError):  # a container user without a name or $USER
        return "os:unknown"


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A short write transaction of its own: the long reads before it take no write lock."""
    with make_session_factory(engine)() as session:
        yield session


def last_request_id(session: Session) -> int:
    """The id an export stops at, so its audit names exactly the requests it wrote."""
    return int(session.scalar(select(func.max(RequestRow.id))) or 0)


def audit_view(engine: Engine, ref: str, actor: str, now: datetime) -> None:
    with writing(engine) as session:
        record_view(session, ref, actor, now, "register show")
        session.commit()


def audit_export(engine: Engine, last_id: int, actor: str, now: datetime, what: str) -> int:
    with writing(engine) as session:
        added = record_export(session, last_id, actor, now, what)
        session.commit()
    return added


def plan_purge(
    session: Session,
    settings: Settings,
    sites: Sites,
    now: datetime,
    *,
    older_than: int | None,
    site: str | None,
) -> list[int]:
    """Ids of the requests `register purge` would blank; raises register.retention.NoRetention when nothing says how long text is kept."""
    scopes = retention_scopes(
        now,
        older_than=older_than,
        site=site,
        site_days={s.name: s.retention_days for s in sites.sites},
        default_days=settings.retention_days,
    )
    return purgeable_ids(session, scopes)


def run_purge(engine: Engine, ids: list[int], actor: str, now: datetime) -> int:
    with writing(engine) as session:
        return purge_in_batches(session, ids, actor, now)
