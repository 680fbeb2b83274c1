"""People's explicit choices of language and site, and how they apply to every event."""

from __future__ import annotations

from dataclasses import replace

from bot.core.desk import SupportDesk
from bot.core.outgoing import Reply, TextReply
from tests.unit.conftest import World


def text_of(replies: list[Reply]) -> str:
    (reply,) = replies
    assert isinstance(reply, TextReply)
    return reply.text


def test_a_chosen_language_is_kept_and_applied_to_later_events(world: World) -> None:
    text_of(world.desk.set_language(world.alice, "FR-ca"))
    assert world.desk.preferences(world.alice).sender.language == "fr"
    assert world.desk.preferences(world.bob).sender.language is None


def test_an_unknown_language_is_refused_with_the_choices(world: World) -> None:
    answer = text_of(world.desk.set_language(world.alice, "klingon"))
    assert answer == "Sorry, I do not speak klingon yet. Choose one of: en, fr, es, pt, ar."
    assert world.uow.store.preferences == {}


def test_a_site_is_chosen_from_the_configured_ones_ignoring_case(world: World) -> None:
    config = replace(world.desk.deps.config, sites=("Somalia", "Timor-Leste"))
    desk = SupportDesk(replace(world.desk.deps, config=config))
    assert text_of(desk.set_site(world.alice, "timor-leste")) == "Your site is now Timor-Leste."
    assert desk.preferences(world.alice).site == "Timor-Leste"
    refused = text_of(desk.set_site(world.alice, "Atlantis"))
    assert refused == "There is no site called Atlantis. Choose one of: Somalia, Timor-Leste."


def test_requests_record_the_site_the_requester_chose(world: World) -> None:
    config = replace(world.desk.deps.config, sites=("Somalia",))
    desk = SupportDesk(replace(world.desk.deps, config=config))
    desk.set_site(world.alice, "Somalia")
    desk.ask(world.alice, "printer broken")
    assert world.uow.store.requests["SR-1"].site == "Somalia"
