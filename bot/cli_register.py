"""`supportbot register`: list, show, export and purge the central register of requests."""

from __future__ import annotations

import enum
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_audit import (
    audit_export,
    audit_view,
    default_actor,
    last_request_id,
    plan_purge,
    run_purge,
)
from bot.cli_reading import (
    fail,
    load_sites_of_reading,
    parse_choice,
    print_json,
    read_register,
    resolve_site,
)
from bot.cli_tables import TABLE_LIMIT, history_table, request_panel, requests_table
from bot.core.model import Level, Status
from register.queries import export_csv, export_jsonl, find_request, list_requests, with_standings
from register.retention import NoRetention

register_app = typer.Typer(
    help="The central register of requests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


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


def main() -> None:
    """Run the sub-app on its own, for manual testing (`python -m bot.cli_register list`)."""
    register_app()


if __name__ == "__main__":
    main()
