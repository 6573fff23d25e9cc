"""The client's language: the supported locales, their catalogues and CLDR date names (pure: Babel only).

Shared by the emails (rendered outside any request) and the web layer (Flask-Babel reads the
same `translations/` folder), so a page and the email it causes say the same words.
"""
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.support import NullTranslations, Translations


def N_(message: str) -> str:
    """Mark `message` for extraction where it is translated later (e.g. a subject chosen by kind)."""
    return message


#: the folder of the catalogues (translations/<locale>/LC_MESSAGES/messages.po and .mo)
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
#: the languages a client can choose, the source language first
LANGUAGES = ("en", "it")
#: what each language is called in itself (the switcher's labels)
LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}
SOURCE_LANGUAGE = "en"
#: a date written in full (weekday, day, month, year): "Monday 30 March 2026" / "lunedì 30 marzo 2026"
LONG_DATE = "EEEE d MMMM y"
#: a short date for subject lines: "Mon 30 Mar 2026" / "lun 30 mar 2026"
SHORT_DATE = "EEE d MMM y"
#: a booking's status as people read it (admin pages and the business's notices)
STATUS_LABELS = {"pending": N_("pending"), "confirmed": N_("confirmed"), "cancelled": N_("cancelled"),
                 "completed": N_("completed"), "no_show": N_("no-show")}


def supported(tag: str | None) -> str | None:
    """Return the supported language a tag such as 'it-IT', 'it_IT' or 'EN' names, or None."""
    language = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else None


def language_or_default(tag: str | None, default: str = SOURCE_LANGUAGE) -> str:
    """Return the supported language of `tag`, else `default` (itself checked), else English."""
    return supported(tag) or supported(default) or SOURCE_LANGUAGE


@cache
def translations(language: str) -> NullTranslations:
    """Return the compiled catalogue of `language` (English: the source strings themselves)."""
    language = language_or_default(language)
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language])


def gettext(language: str, message: str, **variables) -> str:
    """Translate `message` into `language`, then fill its %(name)s placeholders."""
    text = translations(language).gettext(message)
    return text % variables if variables else text


def status_label(status: str, language: str) -> str:
    """Return a booking status in `language`, e.g. 'confermata' (an unknown status as it is)."""
    return gettext(language, STATUS_LABELS[status]) if status in STATUS_LABELS else status


def long_date(value: date | datetime, language: str) -> str:
    """Return a date in full in `language`, e.g. 'lunedì 30 marzo 2026'."""
    return format_date(value, LONG_DATE, locale=language_or_default(language))


def formatted_date(value: date | datetime, pattern: str, language: str) -> str:
    """Return a date in a CLDR `pattern` and `language`, e.g. 'marzo 2026' for 'MMMM y'."""
    return format_date(value, pattern, locale=language_or_default(language))


def short_date(value: date | datetime, language: str) -> str:
    """Return a short date in `language`, e.g. 'lun 30 mar 2026'."""
    return format_date(value, SHORT_DATE, locale=language_or_default(language))


def clock(value: datetime, language: str) -> str:
    """Return a wall time in the CLDR's 24-hour form for `language`, e.g. '09:00' (the emails' clock)."""
    return format_skeleton("Hm", value, tzinfo=value.tzinfo, locale=language_or_default(language))


def formatted(value: datetime, pattern: str, language: str) -> str:
    """Return an aware datetime in a CLDR `pattern` and `language` (its own zone kept)."""
    return format_datetime(value, pattern, tzinfo=value.tzinfo, locale=language_or_default(language))


def first_week_day(language: str) -> int:
    """Return the first day of the week where `language` is spoken (0 = Monday), from the CLDR."""
    return Locale.parse(language_or_default(language)).first_week_day


def month_name(month: int, language: str) -> str:
    """Return a month's standalone name in `language`, e.g. 'marzo' (capitalised as the CLDR writes it)."""
    return Locale.parse(language_or_default(language)).months["stand-alone"]["wide"][month]


def weekday_names(language: str, width: str = "abbreviated") -> list[str]:
    """Return the weekday names Monday first, e.g. ['lun', 'mar', ...]."""
    days = Locale.parse(language_or_default(language)).days["stand-alone"][width]
    return [days[index] for index in range(7)]
