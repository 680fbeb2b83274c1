"""`supportbot register incidents`: the L3 incidents, with how many reported each problem."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli_reading import fail, print_json, read_register
from bot.core.model import IncidentStatus, Outcome
from register.orm import IncidentRow, InquiryRow, RequestRow
from register.queries import JsonValue

JsonRecord = dict[str, JsonValue]


def incident_records(session: Session, status: IncidentStatus | None) -> list[JsonRecord]:
    """Newest first; `requests` linked to each, and `known_issue` answers still linked."""
    query = select(IncidentRow).order_by(IncidentRow.id.desc())
    if status is not None:
        query = query.where(IncidentRow.status == status.value)
    records: list[JsonRecord] = []
    for row in session.scalars(query):
        requests = session.scalar(
            select(func.count()).select_from(RequestRow).where(RequestRow.incident_id == row.id)
        )
        answers = session.scalar(
            select(func.count())
            .select_from(InquiryRow)
            .where(
                InquiryRow.incident_id == row.id,
                InquiryRow.outcome == Outcome.KNOWN_ISSUE.value,
            )
        )
        records.append(
            {
                "ref": row.ref,
                "status": row.status,
                "level": row.level,
                "summary": row.summary,
                "site": row.site,
                "requests": int(requests or 0),
                "known_issue": int(answers or 0),
                "claimed_by": row.claimed_by,
                "created_at": row.created_at.isoformat(),
                "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
                "resolution_note": row.resolution_note,
            }
        )
    return records


def incidents_command(
    status: Annotated[str | None, typer.Option(help="Only this status: open or resolved.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array instead of lines.")] = False,
) -> None:
    """The L3 incidents, newest first: alike requests grouped under one problem."""
    wanted = None
    if status is not None:
        try:
            wanted = IncidentStatus(status.strip().lower())
        except ValueError:
            fail(f"unknown status {status!r}; choose one of: open, resolved")
    with read_register() as reading:
        records = incident_records(reading.session, wanted)
    if as_json:
        print_json(list(records))
        return
    if not records:
        typer.echo("No incidents.")
    for record in records:
        typer.echo(
            f"{record['ref']}  {record['status']:8}  {record['requests']} requests, "
            f"{record['known_issue']} known-issue answers  {record['summary']}"
        )


def mount_incidents(register_app: typer.Typer) -> None:
    register_app.command("incidents")(incidents_command)
