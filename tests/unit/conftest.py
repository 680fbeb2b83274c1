"""A support desk wired to in-memory fakes, and the people who talk to it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person
from bot.core.sla import BusinessHoursSla, LevelTargets
from tests.fakes import (
    FakeArticle,
    FakeClock,
    FakeKnowledgeBase,
    FakeUnitOfWorkFactory,
    RecordingNotifier,
)

ARTICLES = [
    FakeArticle("forgot-password", "Reset a forgotten password", frozenset({"password", "forgot"})),
    FakeArticle("account-locked", "Your account is locked", frozenset({"locked", "password"})),
    FakeArticle("mark-for-offline", "Mark records for offline use", frozenset({"offline"})),
]


def person(
    user_id: str, name: str, platform: str = "test", language: str | None = None
) -> Incoming:
    sender = Person(platform, user_id, name, language)
    return Incoming(sender=sender, reply_to=Address(platform, f"chat-{user_id}"))


@dataclass
class World:
    desk: SupportDesk
    uow: FakeUnitOfWorkFactory
    notifier: RecordingNotifier
    clock: FakeClock
    alice: Incoming
    bob: Incoming
    lina: Incoming  # L1 staff
    carlos: Incoming  # L2 staff
    dev: Incoming  # L3 staff
    mallory: Incoming  # nobody's staff


@pytest.fixture
def world() -> World:
    uow, notifier, clock = FakeUnitOfWorkFactory(), RecordingNotifier(), FakeClock()
    staff = AllowListDirectory(
        {Level.L1: ["test:lina"], Level.L2: ["test:carlos"], Level.L3: ["test:dev"]}
    )
    sla = BusinessHoursSla(
        targets={
            level: LevelTargets(first_response_hours=8, resolution_hours=24) for level in Level
        }
    )
    deps = DeskDeps(
        unit_of_work=uow,
        kb=FakeKnowledgeBase(ARTICLES),
        notifier=notifier,
        clock=clock,
        catalogue=DictCatalogue(),
        staff=staff,
        sla=sla,
    )
    return World(
        desk=SupportDesk(deps),
        uow=uow,
        notifier=notifier,
        clock=clock,
        alice=person("alice", "Alice"),
        bob=person("bob", "Bob"),
        lina=person("lina", "Lina"),
        carlos=person("carlos", "Carlos"),
        dev=person("dev", "Dev"),
        mallory=person("mallory", "Mallory"),
    )
