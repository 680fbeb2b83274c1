"""Sites: the sites file, how a requester is tied to a site, and per-site L1 pings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest

from bot.core.context import DeskConfig
from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address, Level
from bot.core.outgoing import StaffPing
from bot.core.routing import Router
from config.sites import Sites, SitesFileError, load_sites
from tests.unit.conftest import World, person
from tests.unit.test_routing import FakeOutlet

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "sites.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# The sites file


def test_the_example_sites_file_loads_with_every_field() -> None:
    sites = load_sites(EXAMPLE)
    assert sites.names == ("Kenya", "Somalia", "Mozambique")
    kenya = sites.sites[0]
    assert (kenya.timezone, kenya.business_hours.start, kenya.business_hours.end) == (
        "Africa/Nairobi",
        time(8),
        time(17),
    )
    assert date(2026, 12, 25) in kenya.holidays
    assert sites.sites[1].workdays == ["sat", "sun", "mon", "tue", "wed"]
    assert sites.site_by_team() == {"T0KENYA01": "Kenya"}
    assert sites.site_by_chat()["telegram:-1001000000012"] == "Somalia"
    assert sites.languages() == {"Kenya": "en", "Somalia": "ar", "Mozambique": "pt"}
    assert sites.l1_destinations()["Mozambique"] == {"slack": ["C0MOZL1"], "telegram": []}


def test_defaults_fill_what_a_site_leaves_out_and_numbers_are_taken_as_chat_ids(
    tmp_path: Path,
) -> None:
    sites = load_sites(
        write(tmp_path, "sites:\n  - name: Timor-Leste\n    l1: {telegram_chats: [-100123]}\n")
    )
    (site,) = sites.sites
    assert (site.timezone, site.workdays, site.default_language) == (
        "UTC",
        ["mon", "tue", "wed", "thu", "fri"],
        None,
    )
    assert site.l1.telegram_chats == ["-100123"]


def test_an_empty_file_has_no_sites(tmp_path: Path) -> None:
    assert load_sites(write(tmp_path, "")).names == ()


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("sites:\n  - name: A\n    timezone: Mars/Olympus\n", "sites.0.timezone"),
        ("sites:\n  - name: A\n    timzone: UTC\n", "timzone"),
        ("sites:\n  - name: A\n    workdays: [funday]\n", "funday"),
        ("sites:\n  - name: A\n    business_hours: {start: 8:00}\n", "quotes"),
        ("sites:\n  - name: A\n    business_hours: {start: '17:00', end: '09:00'}\n", "end after"),
        ("sites:\n  - name: A\n  - name: a\n", "more than once: a"),
        (
            "sites:\n  - name: A\n    requesters: {slack_teams: [T1]}\n"
            "  - name: B\n    requesters: {slack_teams: [T1]}\n",
            "slack_teams id listed more than once: T1",
        ),
        ("sites: [\n", "not valid YAML"),
    ],
)
def test_a_bad_sites_file_is_refused_naming_the_file_and_the_fault(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SitesFileError, match=str(path)) as refused:
        load_sites(path)
    assert complaint in str(refused.value)
    assert "\n" not in str(refused.value).split(": ", 1)[0]


def test_a_missing_sites_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SitesFileError, match="cannot read the sites file"):
        load_sites(tmp_path / "nowhere.yaml")


def test_a_day_open_until_midnight_is_written_24_00(tmp_path: Path) -> None:
    text = "sites:\n  - name: A\n    business_hours: {start: '16:00', end: '24:00'}\n"
    assert load_sites(write(tmp_path, text)).sites[0].business_hours.end == time(0)


# Which site a requester belongs to


def desk_with(world: World, **config: object) -> SupportDesk:
    sites = Sites.model_validate({"sites": [{"name": "Kenya"}, {"name": "Somalia"}]})
    base = DeskConfig(sites=sites.names)
    return SupportDesk(replace(world.desk.deps, config=replace(base, **config)))  # type: ignore[arg-type]


def in_chat(incoming: Incoming, chat_id: str, team_id: str | None = None) -> Incoming:
    reply_to = Address(incoming.reply_to.platform, chat_id)
    return replace(incoming, reply_to=reply_to, team_id=team_id)


def test_a_slack_team_or_channel_ties_a_requester_to_a_site_the_channel_first(
    world: World,
) -> None:
    desk = desk_with(
        world, site_by_team={"T0KENYA": "Kenya"}, site_by_chat={"test:C0SOMALIA": "Somalia"}
    )
    assert desk.preferences(in_chat(world.alice, "D0DM", "T0KENYA")).site == "Kenya"
    assert desk.preferences(in_chat(world.alice, "C0SOMALIA", "T0KENYA")).site == "Somalia"
    assert desk.preferences(in_chat(world.alice, "D0DM", "T0OTHER")).site is None


def test_a_chosen_site_wins_over_the_mapping_and_the_default_comes_last(world: World) -> None:
    desk = desk_with(world, site_by_team={"T0KENYA": "Kenya"}, default_site="Somalia")
    assert desk.preferences(in_chat(world.alice, "D0DM")).site == "Somalia"
    desk.set_site(world.alice, "somalia")
    assert desk.preferences(in_chat(world.alice, "D0DM", "T0KENYA")).site == "Somalia"


def test_a_sites_language_is_used_when_neither_the_person_nor_the_platform_says(
    world: World,
) -> None:
    desk = desk_with(world, site_by_team={"T0KENYA": "Kenya"}, site_languages={"Kenya": "fr"})
    assert desk.preferences(in_chat(world.alice, "D0DM", "T0KENYA")).sender.language == "fr"
    spanish = person("maria", "Maria", language="es")
    assert desk.preferences(in_chat(spanish, "D0DM", "T0KENYA")).sender.language == "es"


def test_a_request_records_the_site_of_its_slack_workspace(world: World) -> None:
    desk = desk_with(world, site_by_team={"T0KENYA": "Kenya"})
    desk.ask(in_chat(world.alice, "D0DM", "T0KENYA"), "the printer is broken")
    assert world.uow.store.requests["SR-1"].site == "Kenya"
    (ping,) = [n for n in world.notifier.delivered if isinstance(n, StaffPing)]
    assert ping.site == "Kenya"


# L1 pings go to the site's own team


def routed(world: World, outlets: list[FakeOutlet]) -> SupportDesk:
    destinations = {"Kenya": {"test": ["C-KENYA-L1"]}, "Somalia": {}}
    router = Router(outlets, world.uow, world.clock, site_destinations=destinations)
    desk = desk_with(world, site_by_team={"T0KENYA": "Kenya", "T0SOM": "Somalia"})
    return SupportDesk(replace(desk.deps, notifier=router))


def test_a_sites_l1_ping_goes_only_to_its_own_l1_destinations(world: World) -> None:
    slack = FakeOutlet("test", {Level.L1: ["C-L1"], Level.L2: ["C-L2"]})
    telegram = FakeOutlet("telegram", {Level.L1: ["-100L1"]})
    desk = routed(world, [slack, telegram])
    desk.ask(in_chat(world.alice, "D0DM", "T0KENYA"), "the printer is broken")
    assert slack.calls == [("ping", "C-KENYA-L1", "SR-1")]
    assert telegram.calls == []


def test_a_site_without_l1_destinations_and_later_levels_use_the_platforms_own(
    world: World,
) -> None:
    slack = FakeOutlet("test", {Level.L1: ["C-L1"], Level.L2: ["C-L2"]})
    desk = routed(world, [slack])
    desk.ask(in_chat(world.alice, "D0DM", "T0SOM"), "the printer is broken")
    assert slack.calls == [("ping", "C-L1", "SR-1")]
    desk.ask(in_chat(world.bob, "D0DM", "T0KENYA"), "the scanner is broken")
    desk.escalate(world.lina, "SR-2", "needs a coordinator")
    assert ("ping", "C-L2", "SR-2") in slack.calls
