"""Incidents in the terminal chat: the "known issue" answer, 0 for "my problem is different",
and `/resolve INC-1 note` as L3, exactly as for SR references."""

from __future__ import annotations

import io
from dataclasses import replace

from bot.console.chat import ConsoleChat
from bot.console.render import ConsoleNotifier
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.model import Level
from kb_index.similarity import StemOverlapSimilarity
from tests.unit.conftest import World


def test_a_known_issue_then_a_different_problem_then_the_incident_resolved(world: World) -> None:
    out = io.StringIO()
    notifier = ConsoleNotifier(out)
    staff = AllowListDirectory({Level.L3: ["console:l3"]})  # the terminal's personas
    deps = replace(
        world.desk.deps, similarity=StemOverlapSimilarity(), notifier=notifier, staff=staff
    )
    chat = ConsoleChat(SupportDesk(deps), notifier, out)
    lines = [
        "Export of cases to Excel fails with an error",
        "Exporting cases to Excel fails with error",
        "Case export to Excel fails with an error message",
        "Excel export of cases gives an error",
        "0",
        "Excel export of cases gives an error",
        "/as l3",
        "/resolve INC-1 Fixed in 2.11.3",
    ]
    chat.run(iter(lines))
    shown = out.getvalue()

    assert "[ping to L3 channel] New incident INC-1: 3 similar requests" in shown
    assert "/claim INC-1   /reply INC-1 <text>   /resolve INC-1 [note]" in shown
    assert "(INC-1, reported by 4 people" in shown
    assert "Type 0 and Enter if your problem is different ('My problem is different')." in shown
    assert "I have logged your question for the support team as SR-4" in shown
    assert "bot> INC-1 is resolved; 4 requesters have been told." in shown
    assert "[to the field user] Good news: the problem you reported (SR-1) is fixed." in shown
    assert "[to the field user] Good news: the problem you reported (INC-1) is fixed." in shown
