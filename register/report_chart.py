"""The SLA report as a PNG chart (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from register.reports import ALL, ReportLine

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Colour-blind safe (Okabe-Ito); the SLA states keep their usual green / amber / red meaning.
FIRST_RESPONSE, RESOLUTION = "#0072B2", "#CC79A7"
ON_TRACK, DUE_SOON, BREACHED = "#009E73", "#E69F00", "#D55E00"


class ChartUnavailable(RuntimeError):  # noqa: N818 - a missing optional part, with its remedy
    """matplotlib is not installed (it is the optional `charts` extra)."""


def _label(line: ReportLine) -> str:
    name = "All requests" if line.level == ALL else f"{line.level} · {line.site}"
    return f"{name}\n{line.requests} requests"


def _legend_below(axes: Axes) -> None:
    axes.legend(loc="upper left", bbox_to_anchor=(0, -0.05), ncol=3, fontsize=9, frameon=False)


def _within_panel(axes: Axes, lines: Sequence[ReportLine]) -> None:
    rows = range(len(lines))
    height = 0.38
    for offset, attribute, colour, name in (
        (-height / 2, "first_response_within", FIRST_RESPONSE, "First response"),
        (height / 2, "resolution_within", RESOLUTION, "Resolution"),
    ):
        shares = [getattr(line, attribute) for line in lines]
        values = [100 * share if share is not None else 0 for share in shares]
        bars = axes.barh([r + offset for r in rows], values, height, color=colour, label=name)
        texts = [
            f"{v:.0f}%" if s is not None else "n/a" for v, s in zip(values, shares, strict=True)
        ]
        axes.bar_label(bars, texts, padding=3, fontsize=8)
    axes.set_xlim(0, 115)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_title(
        "Share within target (of those answered / resolved)", loc="left", fontweight="bold"
    )
    _legend_below(axes)


def _open_panel(axes: Axes, lines: Sequence[ReportLine]) -> None:
    rows = list(range(len(lines)))
    left = [0] * len(lines)
    widest = max([line.open for line in lines] + [1])
    for label, colour, counts in (
        ("On track", ON_TRACK, [ln.open - ln.due_soon - ln.breached_now for ln in lines]),
        ("Due soon", DUE_SOON, [ln.due_soon for ln in lines]),
        ("Breached now", BREACHED, [ln.breached_now for ln in lines]),
    ):
        bars = axes.barh(rows, counts, 0.6, left=left, color=colour, label=label)
        axes.bar_label(
            bars,
            [str(c) if c >= 0.04 * widest else "" for c in counts],  # no number on a sliver
            label_type="center",
            fontsize=8,
            color="white",
            fontweight="bold",
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_title("Open requests now", loc="left", fontweight="bold")
    _legend_below(axes)


def draw_report(lines: Sequence[ReportLine], path: Path, now: datetime) -> None:
    """Write the chart of `lines` (as `sla_report` returns them) to a PNG file."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: works on a server without a display
        from matplotlib import pyplot
    except ImportError as error:
        raise ChartUnavailable(
            "charts need matplotlib: pip install 'supportbot[charts]'"
        ) from error
    figure, (within, still_open) = pyplot.subplots(
        1, 2, figsize=(13, 1.8 + 0.6 * len(lines)), sharey=True, layout="constrained"
    )
    for panel in (_within_panel, _open_panel):
        panel(within if panel is _within_panel else still_open, lines)
    within.set_yticks(range(len(lines)), [_label(line) for line in lines])
    within.invert_yaxis()  # the first group on top, the total at the bottom
    for axes in (within, still_open):
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", alpha=0.3)
        if lines[-1].level == ALL:  # set the total apart from the groups it adds up
            axes.axhline(len(lines) - 1.5, color="grey", linewidth=0.8)
    figure.suptitle(
        f"SLA report, {now:%Y-%m-%d %H:%M} UTC: targets are your team's settings "
        "(examples), not Primero's SLA",
        fontsize=10,
    )
    figure.savefig(path, dpi=120)
    pyplot.close(figure)
