"""Hostile input: control, zero-width and bidi characters, markup, huge messages, odd references.

Platform escaping (Slack mrkdwn, Telegram HTML) is tested with each adapter; here the core must
not crash, must hand adapters text free of invisible characters, and must respect the cap.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskConfig, DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person
from bot.core.outgoing import Reply
from bot.core.requester import INVISIBLE, clean_text
from bot.core.sla import BusinessHoursSla, LevelTargets
from tests.fakes import (
    FakeClock,
    FakeKnowledgeBase,
    FakeUnitOfWorkFactory,
    RecordingNotifier,
)
from tests.unit.conftest import ARTICLES

CAP = 500
APOLOGY = DictCatalogue().text("error.apology", "en")

FRAGMENTS = [
    "<!channel>", "<!here>", "<!everyone>", "<@U0123ABC>", "<http://evil.example|your bank>",
    "<b>bold</b>", "<a href='x'>y</a>", "&amp;", "&lt;script&gt;", "*bold* _it_ ~s~ `c`", "```",
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\n\n", "\t", "\u2028", "\u2029", "\x85", "\u3164",
    "\ud800", "\udfff", "SR-1", "sr-1 ", "+252 61 234 5678", "born 12/03/2015",
    "the child named Amina", "password", "forgot", "offline", "@everyone", "/resolve SR-1",
]  # fmt: skip

characters = st.characters() | st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Co"])
fragment = st.sampled_from(FRAGMENTS) | st.text(characters, max_size=20)
hostile = st.lists(fragment, max_size=12).map("".join) | st.builds(
    lambda piece, times: piece * times, fragment, st.integers(100, 1500)
)


def build_desk(staff_name: str) -> tuple[SupportDesk, FakeUnitOfWorkFactory, RecordingNotifier]:
    uow, notifier = FakeUnitOfWorkFactory(), RecordingNotifier()
    deps = DeskDeps(
        unit_of_work=uow,
        kb=FakeKnowledgeBase(ARTICLES),
        notifier=notifier,
        clock=FakeClock(),
        catalogue=DictCatalogue(),
        staff=AllowListDirectory({level: ["test:lina"] for level in Level}),
        sla=BusinessHoursSla(targets={level: LevelTargets(8, 24) for level in Level}),
        config=DeskConfig(max_question_chars=CAP),
    )
    return SupportDesk(deps), uow, notifier


def someone(user_id: str, name: str) -> Incoming:
    person = Person("test", user_id, name, "en")
    return Incoming(sender=person, reply_to=Address("test", f"chat-{user_id}"))


def strings_in(value: object) -> Iterator[str]:
    """Every text inside a reply or notification, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings_in(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from strings_in(item)


def is_hidden(ch: str) -> bool:
    # "\n" is ours: status lists and help texts are several lines long.
    category = unicodedata.category(ch)
    return ch != "\n" and (category in ("Cc", "Cf", "Cs", "Zl", "Zp") or ch in INVISIBLE)


def converse(
    texts: list[str], ref: str, name: str
) -> tuple[list[Reply], FakeUnitOfWorkFactory, RecordingNotifier]:
    """A whole conversation in which every free text, a reference, a name and a choice of
    language or site are hostile."""
    desk, uow, notifier = build_desk(name)
    alice, lina = someone("alice", name), someone("lina", name)
    question, answer, reply, note = texts
    replies = desk.ask(alice, question)
    replies += desk.ask(alice, "the printer is broken")  # sure to log SR-1 or SR-2
    replies += desk.answer_staff(alice, ref, answer)
    replies += desk.answer_staff(alice, "SR-1", answer)
    replies += desk.claim(lina, ref)
    replies += desk.reply(lina, "SR-1", reply)
    replies += desk.escalate(lina, "SR-1", note)
    replies += desk.status(alice)
    replies += desk.resolve(lina, "SR-1", note)
    replies += desk.set_language(alice, ref) + desk.set_site(alice, ref)
    return replies, uow, notifier


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile, min_size=4, max_size=4), hostile, hostile)
def test_hostile_text_never_crashes_the_desk_and_never_reaches_a_platform_unclean(
    texts: list[str], ref: str, name: str
) -> None:
    replies, uow, notifier = converse(texts, ref, name)
    assert all(APOLOGY not in text for text in strings_in(replies))
    out = [*strings_in(replies), *strings_in(notifier.delivered)]
    assert [text for text in out if any(is_hidden(ch) for ch in text)] == []
    stored = [r.question for r in uow.store.requests.values()]
    stored += [i.question for i in uow.store.inquiries.values()]
    assert all(len(question) <= CAP for question in stored)
    assert all(not any(is_hidden(ch) for ch in question) for question in stored)


def test_line_breaks_of_every_kind_become_single_spaces_so_a_question_is_one_line() -> None:
    text = "line one\nStatus: resolved\r\nline\u2028three\x85four\t\tfive\x0bsix"
    assert clean_text(text) == "line one Status: resolved line three four five six"


def test_bidi_overrides_zero_width_and_blank_fillers_are_removed() -> None:
    text = "pass\u200bword \u202eevil\u202c \ufeffok\u00ad \u3164 x\u2066y\u2069"
    assert clean_text(text) == "password evil ok xy"


def test_lone_surrogates_are_removed_so_the_text_can_be_encoded() -> None:
    cleaned = clean_text("abc\ud800def\udfff")
    assert cleaned == "abcdef"
    assert cleaned.encode("utf-8")


def test_letters_accents_arabic_and_emoji_are_kept() -> None:
    text = "Não consigo entrar 🙁 — لا أستطيع تسجيل الدخول, Aïcha"
    assert clean_text(text) == text


def test_a_message_of_only_invisible_characters_counts_as_empty() -> None:
    desk, uow, _ = build_desk("Alice")
    (reply,) = desk.ask(someone("alice", "Alice"), "\u200b\u202e\u3164\x00 \n\ufeff")
    assert "type your question" in next(strings_in(reply))
    assert uow.store.inquiries == {}


def test_a_question_over_the_cap_is_refused_with_its_length() -> None:
    desk, uow, _ = build_desk("Alice")
    (reply,) = desk.ask(someone("alice", "Alice"), "x" * (CAP + 1))
    assert f"({CAP + 1} characters)" in next(strings_in(reply))
    assert uow.store.inquiries == {}


def test_a_requesters_answer_over_the_cap_is_refused_too() -> None:
    desk, _, notifier = build_desk("Alice")
    alice = someone("alice", "Alice")
    desk.ask(alice, "the printer is broken")
    (reply,) = desk.answer_staff(alice, "SR-1", "x" * (CAP + 1))
    assert "very long" in next(strings_in(reply))
    assert len(notifier.delivered) == 1  # only the first ping
