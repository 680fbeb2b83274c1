"""`supportbot register`: list, show, export and purge the central register of requests."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.cli_audit import (
    audit_export,
    audit_view,
    default_actor,
    last_request_id,
    plan_purge,
    run_purge,
)
from bot.core.model import Level, SlaStanding, Status
from config.sites import Sites, SitesFileError
from register.database import SchemaNotCurrent, make_engine, make_session_factory
from register.queries import (
    JsonValue,
    RequestRecord,
    export_csv,
    export_jsonl,
    find_request,
    list_requests,
    with_standings,
)
from register.retention import NoRetention
from register.schema import prepare_schema

if TYPE_CHECKING:
    from bot.core.sla import BusinessHoursSla
    from config.settings import Settings

register_app = typer.Typer(
    help="The central register of requests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Choice = TypeVar("Choice", Status, Level)


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def fail(message: str) -> NoReturn:
    """A user error: one line on stderr, exit 1, no traceback."""
    typer.echo(f"supportbot: {message}", err=True)
    raise typer.Exit(1)


def parse_choice(kind: type[Choice], value: str | None, option: str) -> Choice | None:
    """The enum member named by `value` (any case), or a friendly error listing valid values."""
    if value is None:
        return None
    for member in kind:
        if member.value.lower() == value.strip().lower():
            return member
    valid = ", ".join(member.value for member in kind)
    fail(f"unknown {option} {value!r}; choose one of: {valid}")


def safe_url(url: str) -> str:
    """The URL without its password, for messages; never the raw text of a broken one."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "SUPPORTBOT_DATABASE_URL"


def open_engine(url: str) -> Engine:
    try:
        return make_engine(url)
    except ArgumentError:
        fail("SUPPORTBOT_DATABASE_URL is not a database URL (e.g. sqlite:///supportbot.sqlite3)")
    except (OSError, SQLAlchemyError) as error:  # a folder that cannot be made, no driver
        reason = error.strerror if isinstance(error, OSError) else type(error).__name__
        fail(f"cannot open the register at {safe_url(url)}: {reason}")


@dataclass(frozen=True)
class Reading:
    """An open read-only session on the configured register, and the settings it came from."""

    session: Session
    settings: Settings
    engine: Engine  # audit lines and purges are written in transactions of their own

    def sla(self) -> BusinessHoursSla:
        """The SLA policy of the deployment (settings and sites file), to judge requests by."""
        from bot.bootstrap import build_sla, load_sites_of

        return build_sla(self.settings.sla, load_sites_of(self.settings))


def load_settings_or_fail() -> Settings:
    from config.settings import load_settings

    try:
        return load_settings()
    except ValidationError as error:
        first = error.errors()[0]
        fail(f"invalid setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


@contextmanager
def read_register() -> Iterator[Reading]:
    """Read the configured register: SQLite is brought up to date on first use, any other
    database must already be (`supportbot db upgrade`)."""
    settings = load_settings_or_fail()
    engine = open_engine(settings.database_url)
    try:
        prepare_schema(engine)
        with make_session_factory(engine, read_only=True)() as session:
            yield Reading(session, settings, engine)
    except SQLAlchemyError as error:
        # The driver's first line says what is wrong (refused, no such database, …).
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        fail(f"cannot read the register at {safe_url(settings.database_url)}: {reason}")
    except (SchemaNotCurrent, SitesFileError) as error:  # the message says what to do
        fail(str(error))
    finally:
        engine.dispose()


def print_json(data: JsonValue) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def when(moment: datetime | None) -> str:
    """A compact UTC time for tables: `2026-11-23 10:00`."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def plain(value: str | None) -> Text:
    """User-typed text, shown as typed: `[...]` in a question is not Rich markup."""
    return Text(value or "-")


# Heading, widest, and the order in which columns are dropped on a narrow terminal (0: never).
LIST_COLUMNS = (
    ("Ref", 12, 0),
    ("Level", 5, 0),
    ("Status", 8, 0),
    ("SLA", 17, 0),
    ("Created (UTC)", 16, 3),
    ("Requester", 18, 4),
    ("Site", 10, 2),
    ("Claimed by", 18, 1),
)
QUESTION_MIN = 24
TABLE_OVERHEAD = 4  # the table's edges and the question column's padding


TABLE_LIMIT = 100  # a table of a million requests helps nobody: the newest, unless --limit


def sla_cell(standing: SlaStanding | None) -> str:
    """`on track`, `due soon`, `breached`; `(paused)` while waiting for the requester."""
    if standing is None:
        return "-"
    state = standing.state.value.replace("_", " ")
    return f"{state} (paused)" if standing.paused else state


def list_cells(record: RequestRecord) -> tuple[str, ...]:
    r = record.request
    claimer = r.claimed_by.display_name if r.claimed_by else "-"
    name, site, sla = r.requester.display_name, r.site or "-", sla_cell(record.standing)
    return (r.ref, r.level.value, r.status.value, sla, when(r.created_at), name, site, claimer)


def fitting_columns(rows: list[tuple[str, ...]], width: int) -> list[tuple[int, str, int]]:
    """(index, heading, width) of the columns that leave the question QUESTION_MIN characters."""
    columns = [
        (index, heading, min(widest, max([len(heading), *(len(row[index]) for row in rows)])))
        for index, (heading, widest, _) in enumerate(LIST_COLUMNS)
    ]
    for drop in (1, 2, 3, 4):
        if sum(w + 3 for _, _, w in columns) + TABLE_OVERHEAD + QUESTION_MIN <= width:
            break
        columns = [c for c in columns if LIST_COLUMNS[c[0]][2] != drop]
    return columns


def requests_table(records: list[RequestRecord], width: int) -> Table:
    """One line per request in `width` characters; the question is cut, `show` has it whole."""
    rows = [list_cells(record) for record in records]
    columns = fitting_columns(rows, width)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for _, heading, column_width in columns:
        table.add_column(heading, width=column_width, no_wrap=True, overflow="ellipsis")
    used = sum(w + 3 for _, _, w in columns) + TABLE_OVERHEAD
    table.add_column("Question", max_width=max(QUESTION_MIN, width - used), no_wrap=True)
    for row, record in zip(rows, records, strict=True):
        question = " ".join(record.request.question.split())
        table.add_row(*(plain(row[index]) for index, _, _ in columns), plain(question))
    return table


def resolve_site(reading: Reading, site: str | None) -> str | None:
    """A configured site's exact name for `site` in any case; other names are taken as typed
    (a site that was renamed or removed still has its requests)."""
    if site is None:
        return None
    from bot.bootstrap import load_sites_of

    known = [*load_sites_of(reading.settings).names, *reading.settings.sites]
    return next((name for name in known if name.lower() == site.strip().lower()), site.strip())


@register_app.command("list")
def list_command(
    status: Annotated[
        str | None, typer.Option(help="Only this status: open, claimed, waiting or resolved.")
    ] = None,
    level: Annotated[str | None, typer.Option(help="Only this level: L1, L2 or L3.")] = None,
    site: Annotated[str | None, typer.Option(help="Only requests of this site.")] = None,
    breached: Annotated[
        bool, typer.Option("--breached", help="Only requests past their next due time.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help=f"At most this many, newest first (table: {TABLE_LIMIT})."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON array (every match) instead of a table.")
    ] = False,
) -> None:
    """Requests in the register, newest first, with where they stand against the SLA."""
    wanted_status = parse_choice(Status, status, "--status")
    wanted_level = parse_choice(Level, level, "--level")
    now = datetime.now(UTC)
    shown = limit if limit is not None or as_json else TABLE_LIMIT
    with read_register() as reading:
        records = list_requests(
            reading.session,
            status=wanted_status,
            level=wanted_level,
            site=resolve_site(reading, site),
            breached_at=now if breached else None,
            limit=shown,
        )
        records = with_standings(records, reading.sla(), now)
    if as_json:
        print_json([record.as_json() for record in records])
    elif records:
        console = Console()
        console.print(requests_table(records, console.width))
        if limit is None and len(records) == TABLE_LIMIT:
            typer.echo(f"The newest {TABLE_LIMIT} shown; --limit N shows more.")
    else:
        typer.echo("No requests match.")


def request_panel(record: RequestRecord) -> Panel:
    r = record.request
    first_due = r.deadlines.first_response if r.deadlines else None
    resolution_due = r.deadlines.resolution if r.deadlines else None
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for label, value in (
        ("Level / status", f"{r.level} / {r.status}"),
        ("Requester", f"{r.requester.display_name} ({r.requester.identity})"),
        ("Site / language", f"{r.site or '-'} / {r.language}"),
        ("Claimed by", r.claimed_by.display_name if r.claimed_by else "-"),
        ("Created (UTC)", when(r.created_at)),
        ("First response due", when(first_due)),
        ("Resolution due", when(resolution_due)),
        ("SLA", sla_cell(record.standing)),
        ("Resolved (UTC)", when(r.resolved_at)),
        ("Resolution", r.resolution_note or "-"),
        ("Question", r.question),
    ):
        facts.add_row(label, plain(value))
    return Panel(facts, title=Text(r.ref, style="bold"), expand=False)


def history_table(record: RequestRecord) -> Table:
    table = Table("When (UTC)", "Who", "What", "Level", "Detail", title="History")
    for entry in record.history or ():
        level = entry.level.value if entry.level else None
        table.add_row(
            when(entry.at),
            plain(entry.actor),
            entry.action.value,
            plain(level),
            plain(entry.detail),
        )
    return table


ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who the history records (default: the OS user, os:NAME)."),
]


@register_app.command("show")
def show_command(
    ref: Annotated[str, typer.Argument(help="The request's reference, e.g. SR-42.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a panel.")] = False,
    actor: ActorOption = None,
) -> None:
    """One request with its full history; the viewing is added to that history."""
    wanted = ref.strip().upper()
    with read_register() as reading:
        record = find_request(reading.session, wanted)
        if record is not None:
            record = with_standings([record], reading.sla(), datetime.now(UTC))[0]
            # Recorded before anything is shown: no disclosure without its audit line.
            audit_view(reading.engine, wanted, actor or default_actor(), datetime.now(UTC))
    if record is None:
        fail(f"no request {wanted} in the register")
    if as_json:
        print_json(record.as_json())
        return
    console = Console()
    console.print(request_panel(record))
    if record.history:
        console.print(history_table(record))
    else:
        console.print("No history yet.")


@register_app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", case_sensitive=False, help="Output format.")
    ] = ExportFormat.CSV,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
    actor: ActorOption = None,
) -> None:
    """The whole register, oldest first, as CSV or JSON Lines (no history).

    CSV has one header line; JSON Lines one request a line, as `list --json`. Times are
    ISO-8601 UTC; the SLA columns say where each request stands now. Every exported request
    gets an `exported` line in its history.
    """
    export = export_csv if fmt is ExportFormat.CSV else export_jsonl
    who, what = actor or default_actor(), f"register export --format {fmt.value}"
    with read_register() as reading:
        sla, now = reading.sla(), datetime.now(UTC)
        last_id = last_request_id(reading.session)
        if out is None:
            export(reading.session, sys.stdout, sla, now, last_id)
        else:
            with out.open("w", encoding="utf-8", newline="") as file:
                written = export(reading.session, file, sla, now, last_id)
        audit_export(reading.engine, last_id, who, now, what)
    if out is not None:
        typer.echo(f"Wrote {written} requests to {out}", err=True)


@register_app.command("purge")
def purge_command(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            help="Resolved more than DAYS ago (default: each site's retention_days, "
            "else SUPPORTBOT_RETENTION_DAYS).",
        ),
    ] = None,
    site: Annotated[str | None, typer.Option(help="Only requests of this site.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say how many would be purged.")
    ] = False,
    actor: ActorOption = None,
) -> None:
    """Blank the question, notes and replies of long-resolved requests; keep their figures.

    Ids, levels, statuses, sites and every time stay, so `sla report` reads the same; each
    purged request gets a `purged` line in its history. Open requests are never purged.
    """
    if older_than is not None and older_than < 0:
        fail(f"--older-than must be 0 or more days, not {older_than}")
    now = datetime.now(UTC)
    with read_register() as reading:
        try:
            ids = plan_purge(
                reading.session,
                reading.settings,
                load_sites_of_reading(reading),
                now,
                older_than=older_than,
                site=resolve_site(reading, site),
            )
        except NoRetention as error:
            fail(str(error))
        reading.session.rollback()  # SQLite: end the read before the purge takes the write lock
        if not dry_run:
            run_purge(reading.engine, ids, actor or default_actor(), now)
    verb = "Would purge" if dry_run else "Purged"
    typer.echo(f"{verb} {len(ids)} resolved request{'s' if len(ids) != 1 else ''}.")


def load_sites_of_reading(reading: Reading) -> Sites:
    from bot.bootstrap import load_sites_of

    return load_sites_of(reading.settings)


def main() -> None:
    """Run the sub-app on its own, for manual testing (`python -m bot.cli_register list`)."""
    register_app()


if __name__ == "__main__":
    main()
