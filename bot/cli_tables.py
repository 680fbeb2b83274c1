"""Rich tables and panels of requests for `supportbot register list` and `show`."""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.core.model import SlaStanding
from register.queries import RequestRecord


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
