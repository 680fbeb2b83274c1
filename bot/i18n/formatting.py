"""Due times and durations as each language writes them (Babel/CLDR data), in the site's zone."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_skeleton, format_time, format_timedelta

# The region whose conventions a bare language code gets: Primero's Portuguese is pt-MZ, and
# "en" takes the day-month order and 24-hour clock of most places Primero runs in.
DEFAULT_REGIONS = {"en": "en_GB", "pt": "pt_MZ"}

# A due time is read at a glance: weekday, day, month, 24-hour time (no AM/PM to misread).
DUE_PATTERNS = {
    "en": "EEE d MMM HH:mm",
    "fr": "EEEE d MMM 'à' HH:mm",
    "es": "EEEE d 'de' MMMM, HH:mm",
    "pt": "EEEE, d 'de' MMMM, HH:mm",
    "ar": "EEEE d MMMM، 'الساعة' HH:mm",
}


def primary_subtag(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def babel_locale(language: str) -> Locale:
    """The most specific locale Babel knows for a BCP 47 tag (`pt-BR`, `fr`), else English."""
    tag = language.replace("-", "_")
    candidates = [tag] if "_" in tag else []
    primary = primary_subtag(language)
    candidates += [DEFAULT_REGIONS.get(primary, primary), "en_GB"]
    for candidate in candidates:
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("Babel always knows en_GB")


def zone_label(moment: datetime) -> str:
    """`UTC`, `CAT`, `EAT` where the zone has a letter abbreviation, else `UTC+3` or `UTC+5:30`."""
    name = moment.tzname() or ""
    if name.isalpha():
        return name
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, rest = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def format_due(moment: datetime, language: str, zone: tzinfo) -> str:
    """E.g. `Tue 24 Nov 10:00 UTC`, `mardi 24 nov. à 13:00 EAT`, `الثلاثاء 24 نوفمبر، الساعة 13:00 EAT`."""
    local = moment.astimezone(zone)
    locale = babel_locale(language)
    pattern = DUE_PATTERNS.get(primary_subtag(language))
    if pattern is not None:
        text = format_datetime(local, pattern, locale=locale)
    else:
        date = format_skeleton("MMMEd", local, locale=locale)
        text = f"{date} {format_time(local, 'HH:mm', locale=locale)}"
    return f"{text} {zone_label(local)}"


def format_duration(delta: timedelta, language: str) -> str:
    """E.g. `3 hours`, `3 heures`, `3 ساعات`: rounded to the largest sensible unit."""
    return format_timedelta(delta, granularity="minute", locale=babel_locale(language))
