"""Retention of the register: blank the text of long-resolved requests, keep their figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from bot.core.model import Action, Status
from register.orm import HistoryRow, InquiryRow, RequestRow

PURGE_BATCH = 500  # requests per transaction: a large purge never holds the write lock long
# History lines whose detail is text someone typed (a reply, an answer, a note, a reason);
# the others carry codes (`no_match`) or the bot's own words and stay.
TEXT_ACTIONS = (
    Action.REPLIED.value,
    Action.REQUESTER_ANSWERED.value,
    Action.RESOLVED.value,
    Action.ESCALATED.value,
)


@dataclass(frozen=True)
class Scope:
    """Resolved requests of some sites resolved before `cutoff`. `sites`: only these (None: any);
    `excluding`: not these (they have a retention of their own); a request without a site
    falls under the scope without `sites`."""

    cutoff: datetime
    sites: tuple[str, ...] | None = None
    excluding: tuple[str, ...] = ()

    def condition(self) -> ColumnElement[bool]:
        terms = [RequestRow.resolved_at < self.cutoff]
        if self.sites is not None:
            terms.append(RequestRow.site.in_(self.sites))
        if self.excluding:
            terms.append(or_(RequestRow.site.is_(None), RequestRow.site.not_in(self.excluding)))
        return and_(*terms)


class NoRetention(ValueError):  # noqa: N818 - a state of the configuration, with its remedy
    """Neither --older-than nor a configured retention says what may go."""


def retention_scopes(
    now: datetime,
    *,
    older_than: int | None,
    site: str | None,
    site_days: Mapping[str, int | None],
    default_days: int | None,
) -> list[Scope]:
    """What a purge reaches: `older_than` days for every site (or `site`), otherwise each site's
    own retention and `default_days` for the rest (sites without one, requests without a site)."""
    if older_than is not None:
        return [Scope(now - timedelta(days=older_than), (site,) if site is not None else None)]
    if site is not None:
        days = site_days.get(site)
        days = days if days is not None else default_days
        if days is None:
            raise NoRetention(
                f"site {site!r} has no retention_days and SUPPORTBOT_RETENTION_DAYS "
                "is unset; give --older-than DAYS"
            )
        return [Scope(now - timedelta(days=days), (site,))]
    own = {name: days for name, days in site_days.items() if days is not None}
    scopes = [Scope(now - timedelta(days=days), (name,)) for name, days in own.items()]
    if default_days is not None:
        scopes.append(Scope(now - timedelta(days=default_days), excluding=tuple(own)))
    if not scopes:
        raise NoRetention(
            "no retention is configured (retention_days per site or "
            "SUPPORTBOT_RETENTION_DAYS); give --older-than DAYS"
        )
    return scopes


def purge_marker(today: datetime) -> str:
    return f"[purged {today.date().isoformat()}]"


def _already_purged() -> ColumnElement[bool]:
    return exists().where(
        HistoryRow.request_id == RequestRow.id, HistoryRow.action == Action.PURGED.value
    )


def purgeable_ids(session: Session, scopes: Sequence[Scope]) -> list[int]:
    """Ids of resolved requests that a scope reaches and no earlier purge blanked already."""
    if not scopes:
        return []
    query = (
        select(RequestRow.id)
        .where(
            RequestRow.status == Status.RESOLVED.value,
            or_(*(scope.condition() for scope in scopes)),
            ~_already_purged(),
        )
        .order_by(RequestRow.id)
    )
    return list(session.scalars(query))


def purge_requests(session: Session, ids: Sequence[int], actor: str, now: datetime) -> None:
    """Blank the text of these requests, of their inquiries and of their history lines that
    carry text, and add one `purged` line to each; ids, levels, statuses, sites and every
    time stay, so the SLA report reads the same. Does not commit."""
    marker = purge_marker(now)
    blanked = case((RequestRow.resolution_note.is_(None), None), else_=literal(marker))
    session.execute(
        update(RequestRow)
        .where(RequestRow.id.in_(ids))
        .values(question=marker, resolution_note=blanked),
        execution_options={"synchronize_session": False},
    )
    refs = select(RequestRow.ref).where(RequestRow.id.in_(ids)).scalar_subquery()
    session.execute(
        update(InquiryRow).where(InquiryRow.request_ref.in_(refs)).values(question=marker),
        execution_options={"synchronize_session": False},
    )
    _blank_history_text(session, ids, marker)
    rows = [
        {"request_id": i, "at": now, "actor": actor, "action": Action.PURGED.value, "detail": ""}
        for i in ids
    ]
    session.execute(insert(HistoryRow), rows)


def _blank_history_text(session: Session, ids: Sequence[int], marker: str) -> None:
    # The history is append-only (register.database refuses any ORM change to a line); this
    # bulk UPDATE is the one sanctioned exception: data protection requires that people's words
    # go after the retention period. It touches only the `detail` of lines that carry typed
    # text, never who, when, what or the level, so the audit trail keeps its shape.
    session.execute(
        update(HistoryRow)
        .where(
            HistoryRow.request_id.in_(ids),
            HistoryRow.action.in_(TEXT_ACTIONS),
            HistoryRow.detail != "",
        )
        .values(detail=marker),
        execution_options={"synchronize_session": False},
    )


def purge_in_batches(session: Session, ids: Sequence[int], actor: str, now: datetime) -> int:
    """Purge and commit PURGE_BATCH requests at a time; returns how many were purged."""
    for start in range(0, len(ids), PURGE_BATCH):
        purge_requests(session, ids[start : start + PURGE_BATCH], actor, now)
        session.commit()
    return len(ids)
