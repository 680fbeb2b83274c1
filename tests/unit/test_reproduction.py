"""The reproduction details read from a request, and how they reach the developers' L3 ping."""

from __future__ import annotations

import pytest

from bot.core.model import Level
from bot.core.outgoing import PingRefresh, StaffPing, SuggestionsReply
from bot.core.reproduction import Reproduction, extract
from tests.unit.conftest import World


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("Sync fails since we upgraded to v2.15.2", "2.15.2"),
        ("Primero version 2.11, the form does not save", "2.11"),
        ("We are testing 2.16.0-rc2 and export breaks", "2.16.0-rc2"),
        ("Nous utilisons la version 2.14 de Primero", "2.14"),
        ("la versión 2.12 no sincroniza", "2.12"),
        ("A versão do Primero é 2.9", "2.9"),
        ("الإصدار 2.15 لا يعمل", "2.15"),
        ("Primero V2.13.1", "2.13.1"),
    ],
)
def test_a_stated_primero_version_is_found_in_every_language(text: str, version: str) -> None:
    assert extract(text).version == version


@pytest.mark.parametrize(
    "text",
    [
        "Please look at SR-42 again",
        "I was locked out after 6 attempts",
        "It takes 1.5 hours to sync",
        "The GPS field shows 2.0469",
        "Born on 12.03.2024",
        "Upload fails for files over 2.5MB",
    ],
)
def test_references_counts_and_bare_numbers_are_not_taken_for_a_version(text: str) -> None:
    assert extract(text).version is None


@pytest.mark.parametrize(
    ("text", "module"),
    [
        ("In CPIMS+ the case plan is missing", "CPIMS+"),
        ("We use the CP module", "CPIMS+"),
        ("GBVIMS+ incident form is blank", "GBVIMS+"),
        ("le module VBG ne charge pas", "GBVIMS+"),
        ("MRM reports are empty", "MRM"),
        ("نظام حماية الطفل لا يحفظ", "CPIMS+"),
        ("Both CPIMS+ and GBVIMS+ fail", "CPIMS+, GBVIMS+"),
    ],
)
def test_the_module_is_named_the_primero_way(text: str, module: str) -> None:
    assert extract(text).module == module


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I am a case worker and cannot see the case", "Case Worker"),
        ("As CP Administrator I cannot edit roles", "CP Administrator"),
        ("My CP Manager cannot approve", "Manager"),
        ("Je suis travailleuse sociale", "Social Worker"),
        ("Je suis gestionnaire de cas", "Case Worker"),
        ("soy trabajadora social en el campo", "Social Worker"),
        ("sou gestora de casos em Nampula", "Case Worker"),
        ("o supervisor não consegue aprovar", "Manager"),
        ("أنا أخصائي اجتماعي", "Social Worker"),
        ("المشرف لا يستطيع الموافقة", "Manager"),
        ("the system administrator reset it", "System Administrator"),
    ],
)
def test_the_role_is_found_in_every_language(text: str, role: str) -> None:
    assert extract(text).role == role


def test_a_role_word_inside_another_word_is_not_a_role() -> None:
    assert extract("the file manageresque thing").role is None


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("It fails when I work offline", "offline"),
        ("the off-line sync never ends", "offline"),
        ("in field mode the photos vanish", "offline"),
        ("je travaille hors ligne", "offline"),
        ("trabajo sin conexión", "offline"),
        ("as alterações off-line não sobem", "offline"),
        ("no campo fico sem internet", "offline"),
        ("أعمل بدون انترنت", "offline"),
        ("the installed PWA loses drafts", "offline"),
        ("on the web it works", "web"),
        ("en ligne tout va bien", "web"),
        ("the login page is blank", None),
    ],
)
def test_web_or_offline_is_read_in_every_language(text: str, mode: str | None) -> None:
    assert extract(text).mode == mode


@pytest.mark.parametrize(
    ("text", "device"),
    [
        ("Chrome on an Android tablet", "Chrome, Android, tablet"),
        ("sur ma tablette", "tablet"),
        ("no telemóvel", "phone"),
        ("على جهاز لوحي", "tablet"),
        ("call me on [phone] please", None),
        ("we are at the edge of the district", None),
    ],
)
def test_browser_and_device_are_read_but_a_masked_phone_number_is_no_phone(
    text: str, device: str | None
) -> None:
    assert extract(text).device == device


def test_later_answers_add_details_and_a_later_statement_wins() -> None:
    found = extract(
        "Sync fails in CPIMS+ on version 2.14",
        ["I am a case worker, working offline", "sorry, it is v2.15.2", "ok"],
    )
    assert found == Reproduction(
        version="2.15.2", module="CPIMS+", role="Case Worker", mode="offline", device=None
    )


def test_nothing_stated_gives_nothing() -> None:
    assert extract("it does not work", ["help"]) == Reproduction()


def log_request(world: World, question: str) -> str:
    """Alice asks; if articles are suggested, none of them helps, so a request is logged."""
    for reply in world.desk.ask(world.alice, question):
        if isinstance(reply, SuggestionsReply):
            world.desk.give_feedback(world.alice, reply.inquiry_id, None)
    return "SR-1"


def l3_ping(world: World) -> StaffPing:
    (ping,) = [
        n for n in world.notifier.delivered if isinstance(n, StaffPing) and n.level is Level.L3
    ]
    return ping


def test_an_l3_ping_carries_the_reproduction_and_not_who_asked(world: World) -> None:
    log_request(world, "Sync fails in CPIMS+ on v2.15.2 when I work offline")
    world.desk.reply(world.lina, "SR-1", "Which role and device?")
    world.desk.answer_staff(world.alice, "SR-1", "I am a case worker, Chrome on an Android tablet")
    world.desk.escalate(world.lina, "SR-1")
    world.desk.escalate(world.carlos, "SR-1")
    lines = l3_ping(world).view.lines
    for expected in (
        "Primero version: 2.15.2",
        "Module: CPIMS+",
        "Role: Case Worker",
        "Web or offline: offline",
        "Browser/device: Chrome, Android, tablet",
        "Question: Sync fails in CPIMS+ on v2.15.2 when I work offline",
    ):
        assert expected in lines
    assert any(line.startswith("Site: ") for line in lines)
    assert not any("Alice" in line or "test:alice" in line for line in lines)


def test_an_l3_ping_says_what_was_not_stated(world: World) -> None:
    world.desk.ask(world.alice, "the printer is broken")
    world.desk.escalate(world.lina, "SR-1")
    world.desk.escalate(world.carlos, "SR-1")
    lines = l3_ping(world).view.lines
    assert "Primero version: not stated" in lines
    assert "Web or offline: not stated" in lines


def test_a_refreshed_l3_ping_keeps_details_from_earlier_answers(world: World) -> None:
    world.desk.ask(world.alice, "the export is empty")
    world.desk.reply(world.lina, "SR-1", "Which version?")
    world.desk.answer_staff(world.alice, "SR-1", "version 2.11")
    world.desk.escalate(world.lina, "SR-1")
    world.desk.escalate(world.carlos, "SR-1")
    world.notifier.delivered.clear()
    world.desk.claim(world.dev, "SR-1")
    (refresh,) = [n for n in world.notifier.delivered if isinstance(n, PingRefresh)]
    assert "Primero version: 2.11" in refresh.view.lines


def test_l1_and_l2_pings_keep_their_lines_without_reproduction_details(world: World) -> None:
    log_request(world, "Sync fails on v2.15.2 offline")
    world.desk.escalate(world.lina, "SR-1")
    lines = [
        line for n in world.notifier.delivered if isinstance(n, StaffPing) for line in n.view.lines
    ]
    assert any("Alice" in line for line in lines)
    assert not any(line.startswith("Primero version") for line in lines)
