"""`supportbot sla report`: how requests fared against the SLA targets, per level and site."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from bot.cli_reading import fail, print_json, read_register
from register.queries import JsonValue
from register.reports import ALL, ReportLine, sla_report

sla_app = typer.Typer(
    help="How requests fare against the SLA targets (your team's example targets, set in the "
    "settings; not Primero's SLA).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@sla_app.callback()  # a group even with one command: `supportbot sla report`
def sla_group() -> None:
    """How requests fare against the SLA targets (your team's examples, not Primero's SLA)."""


def hours(value: float | None) -> str:
    return f"{value:.1f} h" if value is not None else "-"


def share(value: float | None) -> str:
    return f"{100 * value:.0f}%" if value is not None else "-"


def report_table(lines: list[ReportLine]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        title="SLA report (working hours of each site; targets are examples from the settings)",
    )
    for heading in ("Level", "Site", "Requests", "Open"):
        table.add_column(heading, justify="right" if heading in ("Requests", "Open") else "left")
    for heading in ("Median 1st response", "Median resolution", "1st resp. in target"):
        table.add_column(heading, justify="right")
    for heading in ("Resolved in target", "Due soon", "Breached now"):
        table.add_column(heading, justify="right")
    for line in lines:
        table.add_row(
            line.level,
            line.site,
            str(line.requests),
            str(line.open),
            hours(line.median_first_response_hours),
            hours(line.median_resolution_hours),
            share(line.first_response_within),
            share(line.resolution_within),
            str(line.due_soon),
            str(line.breached_now),
            end_section=line.level != ALL and lines[-1].level == ALL and line is lines[-2],
        )
    return table


def line_json(line: ReportLine) -> dict[str, JsonValue]:
    data: dict[str, JsonValue] = json.loads(json.dumps(line.__dict__))
    return data


def day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(0), tzinfo=UTC) if day is not None else None


@sla_app.command("report")
def report_command(
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only requests created on or after (UTC)."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only requests created before this day (UTC)."),
    ] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also draw the report into this PNG file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Per level and site: medians, share within target, open requests due soon or breached.

    Requests, median working hours to first response and to resolution, the share answered
    and resolved within target, and how many open requests are due soon or breached now.
    """
    now = datetime.now(UTC)
    with read_register() as reading:
        period = {"since": day_start(since), "until": day_start(until)}
        lines = sla_report(reading.session, reading.sla(), now, **period)
    if chart is not None:
        draw(lines, chart, now)
    if as_json:
        print_json([line_json(line) for line in lines])
    elif lines:
        Console().print(report_table(lines))
    else:
        typer.echo("No requests in the register for this period.")


def draw(lines: list[ReportLine], path: Path, now: datetime) -> None:
    from register.report_chart import ChartUnavailable, draw_report

    if not lines:
        fail("no requests to chart for this period")
    try:
        draw_report(lines, path, now)
    except ChartUnavailable as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write the chart to {path}: {error.strerror}")
    typer.echo(f"Chart written to {path}", err=True)
