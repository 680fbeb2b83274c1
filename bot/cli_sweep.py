"""`supportbot sla sweep`: one pass of the SLA sweeper, for cron; safe next to running bots."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer


def sla_sweep(
    as_json: Annotated[bool, typer.Option("--json", help="The counts as a JSON object.")] = False,
) -> None:
    """Remind staff of requests due soon, escalate overdue ones (levels in
    SUPPORTBOT_SLA__AUTO_ESCALATE) and tell requesters; the running bot delivers the messages."""
    from bot.bootstrap import build_app
    from bot.cli import settings_or_fail
    from bot.sla_sweep import outbox_only, sweep_once

    settings = settings_or_fail()
    app = build_app(settings, outbox_only)
    try:
        result = sweep_once(app, settings.sla)
    finally:
        app.close()
    if as_json:
        typer.echo(json.dumps(asdict(result)))
        return
    typer.echo(
        f"Checked {result.checked} requests: {result.reminded} reminders, "
        f"{result.escalated} escalations, {result.requesters_told} requesters told."
    )


def mount_sweep(sla_app: typer.Typer) -> None:
    sla_app.command("sweep")(sla_sweep)
