"""The composition root: the one place that turns settings into a wired support desk."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta

from sqlalchemy import Engine

from bot.core.clock import SystemClock
from bot.core.context import DeskConfig, DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory, AnyOfDirectories
from bot.core.model import Level
from bot.core.ports import Notifier, StaffDirectory
from bot.core.sla import (
    BusinessCalendar,
    BusinessHoursSla,
    DueSoonWarning,
    LevelTargets,
    parse_workdays,
)
from bot.i18n.languages import load_languages
from config.settings import Settings, SlaSettings
from config.sites import Site, Sites, load_sites
from kb_index.knowledge_base import KbSuggester
from kb_index.live import KbWatcher, LiveIndex, watch
from kb_index.loader import bundled_kb_path
from kb_index.similarity import StemOverlapSimilarity
from register.database import is_reachable, make_engine, make_session_factory
from register.schema import prepare_schema
from register.unit_of_work import SqlUnitOfWorkFactory

log = logging.getLogger("supportbot")


@dataclass
class Register:
    """The open register: its engine (to check and dispose of) and its units of work."""

    engine: Engine
    unit_of_work: SqlUnitOfWorkFactory
    # For the router built on it: where L1 pings of each site go (site -> platform -> chat ids).
    site_destinations: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)

    def is_reachable(self) -> bool:
        return is_reachable(self.engine)

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class App:
    """What a running process holds: the desk and the register behind it."""

    desk: SupportDesk
    register: Register
    article_count: int
    kb_watcher: KbWatcher | None = None  # reloads the KB when its files change

    def close(self) -> None:
        if self.kb_watcher is not None:
            self.kb_watcher.stop()
        self.register.close()


def open_register(settings: Settings, sites: Sites | None = None) -> Register:
    """Open the register; SchemaNotCurrent (with the command to run) when it is outdated."""
    engine = make_engine(settings.database_url)
    try:
        prepare_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    factory = SqlUnitOfWorkFactory(
        make_session_factory(engine),
        reference_prefix=settings.reference_prefix,
        event_key_ttl=timedelta(hours=settings.event_key_ttl_hours),
    )
    destinations = (sites or load_sites_of(settings)).l1_destinations()
    return Register(engine=engine, unit_of_work=factory, site_destinations=destinations)


def load_sites_of(settings: Settings) -> Sites:
    """The sites file's sites; none without one. SitesFileError names the file and the fault."""
    return load_sites(settings.sites_file) if settings.sites_file else Sites()


def site_calendar(site: Site) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=site.timezone,
        start=site.business_hours.start,
        end=site.business_hours.end,
        workdays=parse_workdays(site.workdays),
        holidays=frozenset(site.holidays),
    )


def build_sla(sla: SlaSettings, sites: Sites | None = None) -> BusinessHoursSla:
    """The settings' targets; each site's hours and holidays, the settings' hours elsewhere."""
    calendar = BusinessCalendar(
        timezone=sla.timezone,
        start=time(sla.workday_start_hour),
        end=time(0) if sla.workday_end_hour == 24 else time(sla.workday_end_hour),
        workdays=parse_workdays(sla.workdays),
    )
    targets = {
        Level.L1: LevelTargets(sla.l1_first_response_hours, sla.l1_resolution_hours),
        Level.L2: LevelTargets(sla.l2_first_response_hours, sla.l2_resolution_hours),
        Level.L3: LevelTargets(sla.l3_first_response_hours, sla.l3_resolution_hours),
    }
    return BusinessHoursSla(
        targets=targets,
        default_calendar=calendar,
        site_calendars={site.name: site_calendar(site) for site in (sites or Sites()).sites},
        warning=DueSoonWarning(sla.due_soon_fraction, sla.due_soon_hours),
    )


def build_staff(
    settings: Settings,
    extra: Mapping[Level, Iterable[str]],
    members: Sequence[StaffDirectory] = (),
) -> StaffDirectory:
    """Staff by the settings' allow-list, or by any of `members` (each platform's directory of
    who is in the level's chats)."""
    configured = {
        Level.L1: settings.staff.l1,
        Level.L2: settings.staff.l2,
        Level.L3: settings.staff.l3,
    }
    allow_list = AllowListDirectory(
        {level: [*ids, *extra.get(level, ())] for level, ids in configured.items()}
    )
    return AnyOfDirectories([allow_list, *members]) if members else allow_list


def build_knowledge_base(settings: Settings) -> tuple[KbSuggester, int]:
    path = settings.kb_path or bundled_kb_path()
    live, loaded = LiveIndex.open(path)  # the KB and its synonyms file; reloadable
    for problem in loaded.problems:
        log.warning(
            "KB problem, article left out: %s:%s: %s", problem.path, problem.line, problem.reason
        )
    return KbSuggester(live, min_score=settings.min_score), len(loaded.articles)


def build_app(
    settings: Settings,
    notifier: Notifier | Callable[[Register], Notifier],
    *,
    extra_staff: Mapping[Level, Iterable[str]] | None = None,
    staff_members: Callable[[Register], Sequence[StaffDirectory]] | None = None,
) -> App:
    """Wire register, knowledge base, SLA, staff and catalogue into a desk.

    `notifier` may be a function of the register, for notifiers (the platform router) that
    record what they post in it. `staff_members`: the platforms' directories of who is in
    which staff chat (they need the sites' L1 chats, known once the register is open)."""
    sites = load_sites_of(settings)  # a bad sites file stops the start before anything opens
    register = open_register(settings, sites)
    kb, article_count = build_knowledge_base(settings)
    catalogue, detector = load_languages(
        default_timezone=settings.sla.timezone,
        site_timezones={site.name: site.timezone for site in sites.sites},
    )
    deps = DeskDeps(
        unit_of_work=register.unit_of_work,
        kb=kb,
        notifier=notifier(register) if callable(notifier) else notifier,
        clock=SystemClock(),
        catalogue=catalogue,
        staff=build_staff(
            settings, extra_staff or {}, staff_members(register) if staff_members else ()
        ),
        sla=build_sla(settings.sla, sites),
        config=DeskConfig(
            default_language=settings.default_language,
            staff_language=settings.staff_language,
            max_suggestions=settings.max_suggestions,
            sites=tuple(dict.fromkeys([*sites.names, *settings.sites])),
            site_by_chat=sites.site_by_chat(),
            site_by_team=sites.site_by_team(),
            site_languages=sites.languages(),
            max_question_chars=settings.limits.max_question_chars,
            questions_per_minute=settings.limits.questions_per_minute,
            questions_per_hour=settings.limits.questions_per_hour,
            reference_prefix=settings.reference_prefix,
            incident_threshold=settings.incident.threshold,
            incident_min_requests=settings.incident.min_requests,
            incident_window_days=settings.incident.window_days,
        ),
        detector=detector,
        similarity=StemOverlapSimilarity() if settings.incident.enabled else None,
    )
    watcher = watch(kb.live, settings.kb_reload_seconds)
    return App(
        desk=SupportDesk(deps), register=register, article_count=article_count, kb_watcher=watcher
    )
