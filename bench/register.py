"""The register under load, on SQLite and PostgreSQL in the same run.

    .venv/bin/python -m bench.register [--writes 2000] [--requests 1000000] [--postgres URL]

1. Writes: requests logged per second, and the p95 latency of one whole log-request
   transaction through the real SupportDesk, unit of work and SQL repositories (a question that
   matches no article: personalise, record the event key, the inquiry, the request, its
   history line, commit), beside a bare SQLAlchemy Core INSERT of one request row per
   transaction on the same database, one after the other from one thread.
2. Reads: a register of `--requests` requests is bulk-generated inside the database (a
   recursive CTE on SQLite, generate_series on PostgreSQL): two years of requests, the last
   20,000 recent and mostly unresolved. The lists and filters of `supportbot register list`
   (100 newest), `show`, the requester's `status` and the `--breached` filter are each timed
   30 times after a warm-up. Then all but the 50 oldest unresolved requests are resolved (a
   team that caught up) and the filters for unresolved and late requests are timed again:
   they must not walk the resolved million. --explain prints PostgreSQL's plans.

PostgreSQL work happens in a schema of its own, dropped at the end (also on failure).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from bot.core.catalogue import DictCatalogue
from bot.core.clock import SystemClock
from bot.core.context import DeskConfig, DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person, Status
from bot.core.outgoing import Notification
from bot.core.ports import ArticleMatch
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.database import create_schema, make_engine, make_session_factory, normalise_url
from register.orm import RequestRow
from register.queries import find_request, list_requests
from register.repository import SqlRequestRepository
from register.unit_of_work import SqlUnitOfWorkFactory

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SITES = ("Kenya", "Somalia", "Mozambique", "Bangladesh", "Timor-Leste")
READ_RUNS = 30
PAGE = 100  # what `register list` shows by default
SETTLED_READS = (
    "list --status open",
    "list --site Kenya --status claimed",
    "list --breached",
    "list --breached --site Kenya",
)


class NoArticles:
    """A knowledge base that never matches: every question is logged as a request at once."""

    def suggest(self, query: str, *, language: str | None, limit: int) -> list[ArticleMatch]:
        return []

    def article(self, article_id: str, *, language: str | None = None) -> ArticleMatch | None:
        return None


class DropNotifier:
    def deliver(self, notifications: Sequence[Notification]) -> None:
        pass


@dataclass(frozen=True)
class Timing:
    label: str
    per_second: float
    p50_ms: float
    p95_ms: float


def summarise(label: str, seconds: list[float], total: float) -> Timing:
    cuts = statistics.quantiles(seconds, n=20)
    return Timing(label, len(seconds) / total, 1000 * statistics.median(seconds), 1000 * cuts[18])


def timed(calls: int, call: Callable[[int], object]) -> tuple[list[float], float]:
    latencies = []
    began = time.perf_counter()
    for number in range(calls):
        started = time.perf_counter()
        call(number)
        latencies.append(time.perf_counter() - started)
    return latencies, time.perf_counter() - began


def desk_on(engine: Engine) -> SupportDesk:
    deps = DeskDeps(
        unit_of_work=SqlUnitOfWorkFactory(
            make_session_factory(engine), event_key_ttl=timedelta(hours=72)
        ),
        kb=NoArticles(),
        notifier=DropNotifier(),
        clock=SystemClock(),
        catalogue=DictCatalogue(),
        staff=AllowListDirectory({}),
        sla=BusinessHoursSla(targets=dict.fromkeys(Level, LevelTargets(8, 24))),
        config=DeskConfig(questions_per_minute=10**6, questions_per_hour=10**6),
    )
    return SupportDesk(deps)


def field_user(number: int, run: str) -> Incoming:
    person = Person("bench", f"user{number % 500}", f"Field user {number % 500}")
    return Incoming(person, Address("bench", f"chat{number % 500}"), f"bench:{run}:{number}")


def core_row(number: int) -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "ref": f"CORE-{uuid.uuid4().hex[:12]}",
        "level": "L1",
        "status": "open",
        "platform": "bench",
        "requester_id": f"user{number % 500}",
        "requester_name": "Field user",
        "reply_chat_id": "chat",
        "language": "en",
        "question": f"Tablet {number} will not sync",
        "suggested_ids": [],
        "feedback": "no_match",
        "created_at": now,
        "updated_at": now,
    }


def measure_writes(engine: Engine, writes: int) -> list[Timing]:
    desk, run = desk_on(engine), uuid.uuid4().hex[:8]
    desk.ask(field_user(-1, run), "warm-up question")  # first connections, caches
    seconds, total = timed(writes, lambda n: desk.ask(field_user(n, run), f"Tablet {n} no sync"))
    whole = summarise("log a request through the SupportDesk", seconds, total)
    statement = insert(RequestRow)

    def bare_insert(number: int) -> None:
        with engine.begin() as connection:
            connection.execute(statement, core_row(number))

    seconds, total = timed(writes, bare_insert)
    return [whole, summarise("bare SQLAlchemy Core INSERT of one row", seconds, total)]


# Bulk generation, inside the database. Pseudo-random numbers are derived from the row number
# (so each is the same wherever it is used in the statement, on both databases).
COLUMNS = (
    "id, ref, level, status, platform, requester_id, requester_name, reply_chat_id, language, "
    "site, question, suggested_ids, feedback, claimed_by, claimed_by_name, created_at, "
    "updated_at, first_response_due, resolution_due, first_response_at, resolved_at, "
    "level_entered_at, paused_at"
)


def _random(prime: int) -> str:
    """A number in [0, 1) that looks random across rows but is fixed for row i."""
    return f"(((i * {prime}) % 1009) / 1009.0)"


def _values(moment: Callable[[str], str], sites: str) -> str:
    """The SELECT list for row i, given how a dialect writes "created + n seconds"."""
    chance, wait = _random(104729), _random(1299709)
    status = (
        f"(CASE WHEN i < :n - 20000 THEN (CASE WHEN {chance} < 0.985 THEN 'resolved' "
        f"ELSE 'open' END) WHEN {chance} < 0.4 THEN 'resolved' WHEN {chance} < 0.6 "
        f"THEN 'open' WHEN {chance} < 0.8 THEN 'claimed' ELSE 'waiting' END)"
    )
    level = f"(CASE WHEN {_random(7919)} < 0.75 THEN 'L1' WHEN {_random(7919)} < 0.95 THEN 'L2' ELSE 'L3' END)"
    created = "(i * :span / :n)"
    responded = moment(f"{created} + {wait} * 57600")
    resolved = moment(f"{created} + 3600 + {wait} * 360000")
    return ", ".join(
        [
            "i",
            "'SR-' || i",
            level,
            status,
            f"CASE WHEN {_random(15485863)} < 0.6 THEN 'slack' ELSE 'telegram' END",
            "'U' || (i % 5000)",
            "'Field user ' || (i % 5000)",
            "'D' || (i % 5000)",
            "'en'",
            sites,
            "'Generated question ' || i || ': the tablet will not sync'",
            "'[]'",
            "'no_match'",
            f"CASE WHEN {status} = 'open' THEN NULL ELSE 'slack:U0STAFF' || (i % 40) END",
            f"CASE WHEN {status} = 'open' THEN NULL ELSE 'Staff ' || (i % 40) END",
            moment(created),
            moment(f"{created} + 3600"),
            moment(f"{created} + 8 * 3600"),
            moment(f"{created} + 72 * 3600"),
            f"CASE WHEN {status} = 'open' THEN NULL ELSE {responded} END",
            f"CASE WHEN {status} = 'resolved' THEN {resolved} END",
            f"CASE WHEN {level} = 'L1' THEN NULL ELSE {moment(f'{created} + 7200')} END",
            f"CASE WHEN {status} = 'waiting' THEN {moment(f'{created} + 3600')} END",
        ]
    )


def generate(engine: Engine, count: int, end: datetime) -> None:
    """`count` requests created over the two years before `end`, newest last; the last 20,000
    are recent (open, claimed, waiting or resolved), older ones almost all resolved."""
    span = int(timedelta(days=730).total_seconds())
    start = end - timedelta(seconds=span)
    site_list = ", ".join(f"'{site}'" for site in SITES)
    if engine.dialect.name == "postgresql":
        values = _values(
            lambda s: f"(CAST(:start AS timestamptz) + ({s}) * interval '1 second')",
            f"(ARRAY[{site_list}, NULL])[1 + (i % 6)]",
        )
        sql = f"INSERT INTO requests ({COLUMNS}) SELECT {values} FROM generate_series(1, CAST(:n AS bigint)) AS i"
        params: dict[str, object] = {"start": start, "n": count, "span": span}
    else:
        sites = (
            "CASE i % 6 " + " ".join(f"WHEN {n} THEN '{s}'" for n, s in enumerate(SITES)) + " END"
        )
        values = _values(
            lambda s: f"strftime('%Y-%m-%d %H:%M:%f', :start, '+' || ({s}) || ' seconds')", sites
        )
        sql = (
            "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < :n) "
            f"INSERT INTO requests ({COLUMNS}) SELECT {values} FROM g"
        )
        params = {"start": start.replace(tzinfo=None).isoformat(" "), "n": count, "span": span}
    with engine.begin() as connection:
        connection.execute(text(sql), params)
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('requests', 'id'), :n)"), {"n": count}
            )
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


@dataclass(frozen=True)
class Read:
    label: str
    run: Callable[[Session], object]


def reads(now: datetime, ref: str, requester: Person) -> list[Read]:
    def listing(**filters: object) -> Callable[[Session], object]:
        return lambda session: list_requests(session, limit=PAGE, **filters)  # type: ignore[arg-type]

    return [
        Read("list: 100 newest", listing()),
        Read("list --status open", listing(status=Status.OPEN)),
        Read("list --status waiting --level L2", listing(status=Status.WAITING, level=Level.L2)),
        Read("list --level L3", listing(level=Level.L3)),
        Read("list --site Somalia", listing(site="Somalia")),
        Read("list --site Kenya --status claimed", listing(site="Kenya", status=Status.CLAIMED)),
        Read("list --breached", listing(breached_at=now)),
        Read("list --breached --site Kenya", listing(breached_at=now, site="Kenya")),
        Read("show SR-n (with history)", lambda session: find_request(session, ref)),
        Read(
            "status: a requester's open requests",
            lambda session: SqlRequestRepository(session).list_for_requester(
                requester, open_only=True
            ),
        ),
    ]


def settle_backlog(engine: Engine, left: int = 50) -> None:
    """The other extreme: a team that caught up, with only the `left` oldest still open (and
    late), so that a filter for them must not walk the million resolved requests."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE requests SET status = 'resolved' WHERE status <> 'resolved' AND id NOT IN "
                "(SELECT id FROM requests WHERE status <> 'resolved' ORDER BY id LIMIT :left)"
            ),
            {"left": left},
        )
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def measure_reads(
    engine: Engine, now: datetime, count: int, only: Sequence[str] = (), suffix: str = ""
) -> list[Timing]:
    factory = make_session_factory(engine, read_only=True)
    requester = Person("slack", "U1234", "Field user 1234")
    timings = []
    for read in reads(now, f"SR-{count // 2}", requester):
        if only and read.label not in only:
            continue
        read = Read(read.label + suffix, read.run)
        with factory() as session:
            read.run(session)  # warm-up: plans and pages in the cache
        seconds = []
        for _ in range(READ_RUNS):
            with factory() as session:
                started = time.perf_counter()
                read.run(session)
                seconds.append(time.perf_counter() - started)
        timings.append(summarise(read.label, seconds, sum(seconds)))
    return timings


def explain(engine: Engine, now: datetime) -> None:
    from register.queries import requests_query

    queries = {
        "list --breached": requests_query(breached_at=now).limit(PAGE),
        "list --site Kenya --status claimed": requests_query(
            site="Kenya", status=Status.CLAIMED
        ).limit(PAGE),
        "list --status waiting --level L2": requests_query(
            status=Status.WAITING, level=Level.L2
        ).limit(PAGE),
    }
    with engine.connect() as connection:
        for label, query in queries.items():
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            plan = connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}")).scalars()
            print(f"\n-- {label}\n" + "\n".join(plan))


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = normalise_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def fresh_register(kind: str, postgres: str) -> Iterator[Engine]:
    """An empty register at the newest schema: a temporary SQLite file or PostgreSQL schema."""
    with ExitStack() as stack:
        if kind == "postgresql":
            url = stack.enter_context(postgres_schema(postgres))
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
        engine = make_engine(url)
        stack.callback(engine.dispose)
        create_schema(engine)
        yield engine


def table(rows: list[tuple[str, str, Timing]], per_second: bool) -> str:
    head = (
        "| database | operation | per second | p50 ms | p95 ms |"
        if per_second
        else "| database | query | p50 ms | p95 ms |"
    )
    lines = [head, "|" + "---|" * (5 if per_second else 4)]
    for database, _, t in rows:
        cells = [database, t.label] + ([f"{t.per_second:,.0f}"] if per_second else [])
        lines.append("| " + " | ".join([*cells, f"{t.p50_ms:.2f}", f"{t.p95_ms:.2f}"]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE on PostgreSQL")
    args = parser.parse_args()
    kinds = [args.only] if args.only else ["sqlite", "postgresql"]
    written: list[tuple[str, str, Timing]] = []
    read: list[tuple[str, str, Timing]] = []
    for kind in kinds:
        with fresh_register(kind, args.postgres) as engine:
            written += [(kind, "", t) for t in measure_writes(engine, args.writes)]
        with fresh_register(kind, args.postgres) as engine:
            now = datetime.now(UTC)
            started = time.perf_counter()
            generate(engine, args.requests, now)
            print(
                f"{kind}: generated {args.requests:,} requests in {time.perf_counter() - started:.1f} s"
            )
            read += [(kind, "", t) for t in measure_reads(engine, now, args.requests)]
            if args.explain and kind == "postgresql":
                explain(engine, now)
            settle_backlog(engine)
            settled = measure_reads(engine, now, args.requests, SETTLED_READS, " (50 open)")
            read += [(kind, "", t) for t in settled]
    print(f"\nWrites, {args.writes} transactions each, one thread:\n")
    print(table(written, per_second=True))
    print(f"\nReads on a register of {args.requests:,} requests ({READ_RUNS} runs each):\n")
    print(table(read, per_second=False))


if __name__ == "__main__":
    main()
