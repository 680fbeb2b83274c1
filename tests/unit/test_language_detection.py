"""Guessing a question's language, and when the desk uses the guess (only with nothing better)."""

from __future__ import annotations

import pytest

from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person
from bot.core.outgoing import SuggestionsReply, TextReply
from bot.core.sla import BusinessHoursSla, LevelTargets
from bot.i18n.detect import HeuristicDetector
from bot.i18n.languages import load_languages
from tests.fakes import (
    FakeArticle,
    FakeClock,
    FakeKnowledgeBase,
    FakeUnitOfWorkFactory,
    RecordingNotifier,
)


@pytest.fixture(scope="module")
def detector() -> HeuristicDetector:
    return load_languages()[1]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("cant login since this morning", "en"),
        ("je ne peux pas me connecter depuis ce matin", "fr"),
        ("no puedo entrar desde esta manana", "es"),
        ("nao consigo entrar desde esta manha", "pt"),
        ("لا استطيع تسجيل الدخول منذ الصباح", "ar"),
        ("مشكلة في login و sync offline", "ar"),
        ("¿Dónde está el botón?", "es"),
        ("Não aparece a opção", "pt"),
        ("Où est le bouton ?", "fr"),
    ],
)
def test_short_questions_are_recognised_in_each_language(
    detector: HeuristicDetector, text: str, language: str
) -> None:
    assert detector.detect(text) == language


@pytest.mark.parametrize("text", ["", "SR-42", "500 ?!", "ok"])
def test_text_without_enough_words_gives_no_guess(detector: HeuristicDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_a_message_equally_good_in_two_languages_gives_no_guess(
    detector: HeuristicDetector,
) -> None:
    # As likely from an English speaker as from a French one.
    assert detector.detect("login impossible") is None


def test_a_stricter_detector_abstains_where_a_lenient_one_guesses() -> None:
    texts = {"en": ["Your request is resolved."], "fr": ["Votre demande est résolue."]}
    lenient = HeuristicDetector.trained_on(texts, min_confidence=0.0)
    strict = HeuristicDetector.trained_on(texts, min_confidence=0.99)
    assert lenient.detect("login impossible") is not None
    assert strict.detect("login impossible") is None


def desk_with_detection() -> tuple[SupportDesk, RecordingNotifier]:
    catalogue, detector = load_languages()
    articles = [
        FakeArticle("forgot-password", "Reset a forgotten password", frozenset({"password"})),
        FakeArticle("forgot-password-fr", "Mot de passe oublié", frozenset({"passe"}), "fr"),
    ]
    notifier = RecordingNotifier()
    deps = DeskDeps(
        unit_of_work=FakeUnitOfWorkFactory(),
        kb=FakeKnowledgeBase(articles),
        notifier=notifier,
        clock=FakeClock(),
        catalogue=catalogue,
        staff=AllowListDirectory({Level.L1: ["test:lina"]}),
        sla=BusinessHoursSla(targets={level: LevelTargets(8, 24) for level in Level}),
        detector=detector,
    )
    return SupportDesk(deps), notifier


def sender(language: str | None = None) -> Incoming:
    person = Person("test", "amina", "Amina", language)
    return Incoming(sender=person, reply_to=Address("test", "chat-amina"))


def test_without_any_known_language_the_bot_answers_in_the_language_of_the_question() -> None:
    desk, _ = desk_with_detection()
    (reply,) = desk.ask(sender(), "j'ai oublié mon mot de passe")
    assert isinstance(reply, SuggestionsReply)
    assert reply.intro.startswith("Ces articles")


def test_a_detected_language_follows_the_request_to_the_logged_reply() -> None:
    desk, _ = desk_with_detection()
    (reply,) = desk.ask(sender(), "mot de passe oublie")
    assert isinstance(reply, SuggestionsReply)
    (logged,) = desk.give_feedback(sender(), reply.inquiry_id, None)
    assert isinstance(logged, TextReply)
    assert "sous la référence SR-1" in logged.text


def test_an_article_that_helped_is_acknowledged_in_the_language_of_the_question() -> None:
    desk, _ = desk_with_detection()
    (reply,) = desk.ask(sender(), "mot de passe oublie")
    assert isinstance(reply, SuggestionsReply)
    (thanks,) = desk.give_feedback(sender(), reply.inquiry_id, reply.articles[0].article_id)
    assert isinstance(thanks, TextReply)
    assert thanks.text.startswith("Tant mieux")


def test_the_platform_locale_wins_over_the_language_of_the_text() -> None:
    desk, _ = desk_with_detection()
    (reply,) = desk.ask(sender("es"), "mot de passe oublie")
    assert isinstance(reply, SuggestionsReply)
    assert reply.intro.startswith("Estos artículos")


def test_an_explicit_choice_wins_over_the_language_of_the_text() -> None:
    desk, _ = desk_with_detection()
    desk.set_language(sender(), "pt")
    (reply,) = desk.ask(sender(), "I forgot my password")
    assert isinstance(reply, SuggestionsReply)
    assert reply.intro.startswith("Estes artigos")


def test_an_unsure_guess_keeps_the_default_language() -> None:
    desk, _ = desk_with_detection()
    (reply,) = desk.ask(sender(), "login impossible")
    assert isinstance(reply, TextReply)
    assert reply.text.startswith("I could not find an article")
