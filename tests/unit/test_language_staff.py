"""Staff pings stay in the deployment's staff language and name the requester's language."""

from __future__ import annotations

from bot.core.context import DeskConfig, DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person
from bot.core.outgoing import RequesterNotice, StaffPing, TextReply
from bot.core.sla import BusinessHoursSla, LevelTargets
from bot.i18n.bidi import strip_bidi_controls
from bot.i18n.languages import load_languages
from tests.fakes import FakeClock, FakeKnowledgeBase, FakeUnitOfWorkFactory, RecordingNotifier


def desk(staff_language: str) -> tuple[SupportDesk, RecordingNotifier]:
    catalogue, detector = load_languages()
    notifier = RecordingNotifier()
    deps = DeskDeps(
        unit_of_work=FakeUnitOfWorkFactory(),
        kb=FakeKnowledgeBase([]),
        notifier=notifier,
        clock=FakeClock(),
        catalogue=catalogue,
        staff=AllowListDirectory({Level.L1: ["test:lina"]}),
        sla=BusinessHoursSla(targets={level: LevelTargets(8, 24) for level in Level}),
        config=DeskConfig(staff_language=staff_language),
        detector=detector,
    )
    return SupportDesk(deps), notifier


def someone(user_id: str, language: str | None = None) -> Incoming:
    return Incoming(
        sender=Person("test", user_id, user_id.title(), language),
        reply_to=Address("test", f"chat-{user_id}"),
    )


def first_ping(notifier: RecordingNotifier) -> StaffPing:
    return next(n for n in notifier.delivered if isinstance(n, StaffPing))


def test_a_ping_about_an_arabic_request_is_in_english_and_says_arabic() -> None:
    support, notifier = desk("en")
    support.ask(someone("amina", "ar"), "لا استطيع تسجيل الدخول")
    ping = first_ping(notifier)
    assert ping.view.title == "New support request SR-1"
    assert "Language: Arabic (ar)" in ping.view.lines
    assert [action.label for action in ping.view.actions][:1] == ["Claim"]


def test_with_french_staff_the_ping_is_in_french_whatever_the_requesters_language() -> None:
    support, notifier = desk("fr")
    support.ask(someone("ana", "pt-MZ"), "esqueci a minha senha")
    ping = first_ping(notifier)
    assert ping.view.title == "Nouvelle demande d’assistance SR-1"
    assert "Langue: portugais (pt-MZ)" in ping.view.lines
    assert "Échéance de première réponse: mardi 24 nov. à 10:00 UTC" in ping.view.lines


def test_a_language_without_a_name_in_the_catalogue_is_shown_by_its_code() -> None:
    support, notifier = desk("en")
    support.ask(someone("juma", "sw"), "nimesahau nenosiri langu")
    assert "Language: sw" in first_ping(notifier).view.lines


def test_the_requester_is_told_in_their_language_while_staff_read_theirs() -> None:
    support, notifier = desk("en")
    support.ask(someone("amina", "ar"), "لا استطيع تسجيل الدخول")
    (done,) = support.resolve(someone("lina"), "SR-1", "reset done")
    assert isinstance(done, TextReply)
    assert done.text == "SR-1 is resolved; the requester has been told."
    notice = next(n for n in notifier.delivered if isinstance(n, RequesterNotice))
    assert strip_bidi_controls(notice.text).startswith("تم حل طلبك SR-1.")
    assert "reset done" in notice.text
