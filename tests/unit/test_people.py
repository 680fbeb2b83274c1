"""People's explicit choices of language and site, and how they apply to every event."""

from __future__ import annotations

from dataclasses import replace

from bot.core.desk import SupportDesk
from bot.core.model import Preferences
from bot.core.outgoing import Reply, TextReply
from bot.core.people import ChoicesCache
from tests.fakes import FakeClock
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


def test_choices_changed_elsewhere_apply_within_a_minute_own_changes_at_once(world: World) -> None:
    """Two desks on one register: a bot process and, say, a second one for another platform.
    Each keeps people's choices in memory for a minute; its own changes apply at once."""
    here, elsewhere = world.desk, SupportDesk(world.desk.deps)
    assert here.preferences(world.alice).sender.language is None
    elsewhere.set_language(world.alice, "pt")
    assert elsewhere.preferences(world.alice).sender.language == "pt"
    assert here.preferences(world.alice).sender.language is None  # as read a moment ago
    world.clock.advance(seconds=59)
    assert here.preferences(world.alice).sender.language is None
    world.clock.advance(seconds=1)
    assert here.preferences(world.alice).sender.language == "pt"
    here.set_language(world.alice, "ar")
    assert here.preferences(world.alice).sender.language == "ar"


def test_a_read_that_raced_a_change_does_not_bring_the_old_choice_back() -> None:
    clock = FakeClock()
    cache = ChoicesCache(clock.now)
    before = cache.generation()  # a read starts…
    cache.forget("test:alice")  # …a change of Alice's choices commits meanwhile…
    cache.put("test:alice", Preferences("test:alice", language="en"), before)  # …the read ends
    assert cache.get("test:alice") == (False, None)
    cache.put("test:alice", Preferences("test:alice", language="fr"), cache.generation())
    assert cache.get("test:alice") == (True, Preferences("test:alice", language="fr"))


def test_the_cache_keeps_the_people_seen_last_and_drops_the_oldest() -> None:
    clock = FakeClock()
    cache = ChoicesCache(clock.now, size=2)
    for name in ("a", "b", "c"):
        cache.put(name, None, cache.generation())
    assert [cache.get(name)[0] for name in ("a", "b", "c")] == [False, True, True]
