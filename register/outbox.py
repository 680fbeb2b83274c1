"""The transactional outbox in the register: notifications stored with the change that caused
them, one delivery row per destination, claimed with a lease and retried until delivered."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.core.model import Address, Level, Status
from bot.core.outgoing import (
    Notification,
    PingRefresh,
    PingView,
    RequesterNotice,
    StaffAction,
    StaffNotice,
    StaffPing,
    StaffRelay,
)
from register.orm import DeliveryRow, OutboxRow

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
Now = Callable[[], datetime]


def notification_ref(notification: Notification) -> str:
    if isinstance(notification, StaffPing | PingRefresh):
        return notification.view.ref
    return notification.ref


def to_json(notification: Notification) -> str:
    return json.dumps(asdict(notification), ensure_ascii=False, sort_keys=True)


def _view(data: dict[str, Any]) -> PingView:
    actions = tuple(StaffAction(**action) for action in data["actions"])
    return PingView(
        ref=data["ref"],
        level=Level(data["level"]),
        status=Status(data["status"]),
        title=data["title"],
        lines=tuple(data["lines"]),
        actions=actions,
    )


def from_json(kind: str, payload: str) -> Notification:
    """The notification stored by `to_json` under its class name `kind`."""
    data = json.loads(payload)
    if kind == "StaffPing":
        return StaffPing(Level(data["level"]), _view(data["view"]), data.get("site"))
    if kind == "PingRefresh":
        return PingRefresh(_view(data["view"]))
    if kind == "RequesterNotice":
        return RequesterNotice(data["ref"], Address(**data["to"]), data["text"])
    if kind == "StaffNotice":
        return StaffNotice(data["ref"], Address(**data["to"]), data["text"])
    if kind == "StaffRelay":
        return StaffRelay(data["ref"], Level(data["level"]), data["text"])
    raise ValueError(f"unknown notification kind {kind!r}")


def stage(session: Session, notifications: Sequence[Notification], now: datetime) -> None:
    """Add the notifications to the outbox inside the caller's transaction."""
    for notification in notifications:
        session.add(
            OutboxRow(
                key=uuid.uuid4().hex,
                ref=notification_ref(notification),
                kind=type(notification).__name__,
                payload=to_json(notification),
                created_at=now,
            )
        )


@dataclass(frozen=True)
class Claim:
    """One destination of one notification, leased to this dispatcher for an attempt."""

    delivery_id: int
    outbox_id: int
    target: str
    attempts: int
    notification: Notification


@dataclass(frozen=True)
class OutboxCounts:
    notifications: int
    undone: int
    delivered: int
    pending: int
    failed: int
    attempts: int  # every try of every destination: more than delivered when faults struck


STAFF_KINDS = ("StaffPing", "PingRefresh", "StaffRelay")


def _earlier_undone(row: type[OutboxRow]) -> ColumnElement[bool]:
    """An earlier notification about the same request that this one must wait for: updates
    and relays wait for the pings they act on (and earlier updates, so the last state shows);
    notices to the requester keep their order. New pings wait for nothing, so a platform that
    is down holds back only what depends on it."""
    earlier = aliased(OutboxRow)
    waits = or_(
        and_(row.kind.in_(STAFF_KINDS[1:]), earlier.kind.in_(STAFF_KINDS)),
        and_(row.kind == "RequesterNotice", earlier.kind == "RequesterNotice"),
    )
    return exists().where(
        and_(earlier.ref == row.ref, earlier.id < row.id, earlier.done_at.is_(None), waits)
    )


class SqlOutbox:
    """Every step is its own short transaction: none is held open while a platform answers."""

    def __init__(self, session_factory: sessionmaker[Session], now: Now) -> None:
        self._sessions = session_factory
        self._now = now

    def to_expand(self, limit: int = 50) -> list[tuple[int, Notification]]:
        """Notifications whose destinations are not listed yet, and that no earlier undone
        notification about the same request holds back (a refresh waits for its ping)."""
        query = (
            select(OutboxRow)
            .where(OutboxRow.done_at.is_(None), OutboxRow.expanded_at.is_(None))
            .where(~_earlier_undone(OutboxRow))
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        with self._sessions() as session:
            rows = session.scalars(query).all()
            return [(row.id, from_json(row.kind, row.payload)) for row in rows]

    def expand(self, outbox_id: int, targets: Sequence[str]) -> bool:
        """List the destinations once (False when another dispatcher did it first)."""
        with self._sessions() as session, session.begin():
            query = select(OutboxRow).where(OutboxRow.id == outbox_id)
            row = session.scalars(query.with_for_update(skip_locked=True)).first()
            if row is None or row.expanded_at is not None:
                return False
            now = self._now()
            row.expanded_at = now
            for target in dict.fromkeys(targets):
                session.add(
                    DeliveryRow(
                        outbox_id=outbox_id, target=target, state=PENDING, next_attempt_at=now
                    )
                )
            if not targets:
                row.done_at = now
        return True

    def claim(self, lease: timedelta, limit: int = 20) -> list[Claim]:
        """Due deliveries, leased for `lease`: a crash leaves them due again when it ends."""
        now = self._now()
        query = (
            select(DeliveryRow, OutboxRow)
            .join(OutboxRow, OutboxRow.id == DeliveryRow.outbox_id)
            .where(DeliveryRow.state == PENDING, DeliveryRow.next_attempt_at <= now)
            .order_by(DeliveryRow.id)
            .limit(limit)
            .with_for_update(of=DeliveryRow, skip_locked=True)
        )
        claims = []
        with self._sessions() as session, session.begin():
            for delivery, row in session.execute(query):
                delivery.attempts += 1
                delivery.next_attempt_at = now + lease
                notification = from_json(row.kind, row.payload)
                claims.append(
                    Claim(delivery.id, row.id, delivery.target, delivery.attempts, notification)
                )
        return claims

    def delivered(self, claim: Claim) -> None:
        self._finish(claim, DELIVERED, None, None)

    def retry(self, claim: Claim, at: datetime, error: str) -> None:
        self._finish(claim, PENDING, at, error)

    def give_up(self, claim: Claim, error: str) -> None:
        self._finish(claim, FAILED, None, error)

    def _finish(self, claim: Claim, state: str, at: datetime | None, error: str | None) -> None:
        with self._sessions() as session, session.begin():
            # The outbox row first: whoever finishes the last delivery sees all the others.
            lock = select(OutboxRow).where(OutboxRow.id == claim.outbox_id).with_for_update()
            row = session.scalars(lock).one()
            delivery = session.get_one(DeliveryRow, claim.delivery_id)
            delivery.state = state
            delivery.last_error = error[:2000] if error else None
            if at is not None:
                delivery.next_attempt_at = at
            if state == DELIVERED:
                delivery.delivered_at = self._now()
            if state != PENDING:
                session.flush()
                self._settle(session, row)

    def _settle(self, session: Session, row: OutboxRow) -> None:
        undone = select(func.count()).where(
            DeliveryRow.outbox_id == row.id, DeliveryRow.state == PENDING
        )
        if session.scalar(undone) == 0:
            row.done_at = self._now()

    def counts(self) -> OutboxCounts:
        """For operators and the fault bench: how much went out, and how much is left."""
        with self._sessions() as session:
            total = session.scalar(select(func.count()).select_from(OutboxRow)) or 0
            undone = session.scalar(select(func.count()).where(OutboxRow.done_at.is_(None))) or 0
            attempts = session.scalar(select(func.sum(DeliveryRow.attempts))) or 0
            states = dict(
                session.execute(
                    select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
                ).all()
            )
        return OutboxCounts(
            total,
            undone,
            states.get(DELIVERED, 0),
            states.get(PENDING, 0),
            states.get(FAILED, 0),
            attempts,
        )
