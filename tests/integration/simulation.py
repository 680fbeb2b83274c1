"""A generated register: weeks of requests worked through the real SupportDesk by simulated staff.

Requests arrive at three sites (the example sites file), mostly in working hours; staff claim
them after a while, reply and wait for the requester, resolve some and escalate others. Every
step goes through the desk, so due times, pauses and history are the ones the bot would make.

    .venv/bin/python -m tests.integration.simulation sqlite:///demo.sqlite3 [--requests 600]
    SUPPORTBOT_DATABASE_URL=sqlite:///demo.sqlite3 \
      SUPPORTBOT_SITES_FILE=config/sites.example.yaml supportbot sla report --chart sla.png
"""

from __future__ import annotations

import argparse
import heapq
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bootstrap import build_sla
from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskConfig, DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person
from bot.core.outgoing import Notification, Reply, TextReply
from bot.core.ports import ArticleMatch
from bot.core.sla import BusinessHoursSla
from config.settings import SlaSettings
from config.sites import load_sites
from register.database import create_schema, make_engine, make_session_factory
from register.unit_of_work import SqlUnitOfWorkFactory

EXAMPLE_SITES = Path(__file__).resolve().parents[2] / "config" / "sites.example.yaml"
STAFF = {Level.L1: ["l1a", "l1b", "l1c"], Level.L2: ["l2a", "l2b"], Level.L3: ["dev"]}


class NoArticles:
    def suggest(self, query: str, *, language: str | None, limit: int) -> list[ArticleMatch]:
        return []

    def article(self, article_id: str, *, language: str | None = None) -> ArticleMatch | None:
        return None


class Silent:
    def deliver(self, notifications: Sequence[Notification]) -> None:
        pass


@dataclass
class SimClock:
    current: datetime

    def now(self) -> datetime:
        return self.current


def sla_of_example_sites() -> BusinessHoursSla:
    return build_sla(SlaSettings(), load_sites(EXAMPLE_SITES))


def simulated_desk(uow: SqlUnitOfWorkFactory, clock: SimClock) -> SupportDesk:
    deps = DeskDeps(
        unit_of_work=uow,
        kb=NoArticles(),
        notifier=Silent(),
        clock=clock,
        catalogue=DictCatalogue(),
        staff=AllowListDirectory({lv: [f"sim:{n}" for n in names] for lv, names in STAFF.items()}),
        sla=sla_of_example_sites(),
        config=DeskConfig(questions_per_minute=10**6, questions_per_hour=10**6),
    )
    return SupportDesk(deps)


def person(name: str) -> Incoming:
    return Incoming(Person("sim", name, name.title()), Address("sim", f"chat-{name}"))


def ref_in(replies: list[Reply]) -> str:
    (reply,) = replies
    assert isinstance(reply, TextReply)
    return next(word.strip(".,") for word in reply.text.split() if word.startswith("SR-"))


Step = Callable[[], object]


@dataclass(order=True)
class _Event:
    at: datetime
    order: int
    step: Step = field(compare=False)


class Simulation:
    """Schedules each request's life as events and plays them in time order."""

    def __init__(self, desk: SupportDesk, clock: SimClock, seed: int) -> None:
        self.desk, self.clock, self.rng = desk, clock, random.Random(seed)
        self.sla = sla_of_example_sites()
        self._events: list[_Event] = []
        self._count = 0

    def later(self, hours: float, step: Step, site: str) -> None:
        """Run `step` after `hours` of the site's working time: staff work office hours."""
        self._count += 1
        calendar = self.sla.calendar_for(site)
        at = calendar.add_working_time(self.clock.current, timedelta(hours=hours))
        heapq.heappush(self._events, _Event(at, self._count, step))

    def delay(self, mean_hours: float, slow_share: float = 0.1) -> float:
        """Mostly quick, sometimes (a busy week, a holiday cover) four times slower."""
        slow = 4 if self.rng.random() < slow_share else 1
        return slow * self.rng.expovariate(1 / mean_hours)

    def run_until(self, end: datetime) -> None:
        while self._events and self._events[0].at <= end:
            event = heapq.heappop(self._events)
            self.clock.current = event.at
            event.step()
        self.clock.current = end

    def staff(self, level: Level) -> Incoming:
        return person(self.rng.choice(STAFF[level]))

    def ask(self, site: str, number: int) -> None:
        requester = replace(person(f"user{number % 40}"), site=site)
        ref = ref_in(self.desk.ask(requester, f"Question {number}: the tablet will not sync"))
        self.later(self.delay(2.5), lambda: self.claim(ref, Level.L1, requester), site)

    def claim(self, ref: str, level: Level, requester: Incoming) -> None:
        staff, site, roll = self.staff(level), requester.site or "", self.rng.random()
        self.desk.claim(staff, ref)
        if roll < 0.35:
            self.later(self.delay(2), lambda: self.ask_back(ref, staff, requester), site)
        elif roll < 0.5 and level is not Level.L3:
            up = Level.L2 if level is Level.L1 else Level.L3
            self.later(self.delay(3), lambda: self.escalate(ref, staff, up, requester), site)
        else:
            self.later(self.delay(8), lambda: self.desk.resolve(staff, ref, "done"), site)

    def ask_back(self, ref: str, staff: Incoming, requester: Incoming) -> None:
        self.desk.reply(staff, ref, "Which version of the app?")
        site = requester.site or ""
        self.later(self.delay(6), lambda: self.answer(ref, staff, requester), site)

    def answer(self, ref: str, staff: Incoming, requester: Incoming) -> None:
        self.desk.answer_staff(requester, ref, "Version 2.11")
        site = requester.site or ""
        self.later(self.delay(6), lambda: self.desk.resolve(staff, ref, "updated"), site)

    def escalate(self, ref: str, staff: Incoming, level: Level, requester: Incoming) -> None:
        self.desk.escalate(staff, ref, "needs the next level")
        site = requester.site or ""
        self.later(self.delay(3), lambda: self.claim(ref, level, requester), site)


def simulate(
    uow: SqlUnitOfWorkFactory,
    requests: int,
    end: datetime,
    days: int = 28,
    seed: int = 7,
) -> None:
    """Play `requests` arrivals over the `days` before `end`, around midday UTC (daytime at
    the example sites); what is still open at `end` stays open."""
    start = (end - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    clock = SimClock(start)
    simulation = Simulation(simulated_desk(uow, clock), clock, seed)
    rng, sites = simulation.rng, ["Kenya", "Kenya", "Somalia", "Mozambique"]
    arrivals = sorted(
        start + timedelta(days=rng.randrange(days), hours=min(23.9, max(0, rng.gauss(10, 3))))
        for _ in range(requests)
    )
    for number, moment in enumerate(arrival for arrival in arrivals if arrival < end):
        simulation.run_until(moment)
        simulation.ask(rng.choice(sites), number)
    simulation.run_until(end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    engine = make_engine(args.url)
    try:
        create_schema(engine)
        now = datetime.now(UTC)
        simulate(SqlUnitOfWorkFactory(make_session_factory(engine)), args.requests, now)
    finally:
        engine.dispose()
    print(f"Simulated {args.requests} requests over the 28 days before {now:%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
