"""Reading a source: an iCalendar feed over HTTP, or the calendars of a CalDAV account."""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import caldav
import requests

#: seconds a source may take to answer one request (the worker's, never a page's)
DEFAULT_TIMEOUT = 15
#: the largest feed read (a year of a busy calendar is far smaller)
MAX_FEED_BYTES = 20 * 1024 * 1024


class SourceError(Exception):
    """Reading the source failed; `message` is safe to show the admin (no secrets).

    `status` is the HTTP status of an API's refusal, when there was one.
    """

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class CalDavAccount:
    """Where and how to log in to a CalDAV server, and which calendars to read (empty: all)."""

    url: str
    username: str | None
    password: str | None
    calendars: Sequence[str] = ()


def read_feed(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Return the body of an .ics feed (webcal:// is read as https://); raise SourceError."""
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]
    try:
        with requests.get(url, timeout=timeout, stream=True, allow_redirects=True,
                          headers={"Accept": "text/calendar"}) as response:
            if response.status_code != 200:
                raise SourceError(f"the feed answered HTTP {response.status_code}")
            body = response.raw.read(MAX_FEED_BYTES + 1, decode_content=True)
    except requests.Timeout as exc:
        raise SourceError("the feed did not answer in time") from exc
    except requests.RequestException as exc:
        raise SourceError(f"the feed could not be reached ({type(exc).__name__})") from exc
    if len(body) > MAX_FEED_BYTES:
        raise SourceError("the feed is too large")
    return body


def read_caldav(account: CalDavAccount, start: datetime, end: datetime, *,
                timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """Return the iCalendar text of every event of the chosen calendars that may touch [start, end).

    The server selects events by time range; recurring ones come whole (master and moved
    instances) and are expanded by `busy`, so every server's expansion quirks stay out.
    """
    try:
        client = caldav.DAVClient(url=account.url, username=account.username or None,
                                  password=account.password or None, timeout=timeout)
        texts = []
        for calendar in _chosen(client, account.calendars):
            texts.extend(event.data for event in calendar.search(start=start, end=end, event=True))
        return texts
    except SourceError:
        raise
    except requests.Timeout as exc:
        raise SourceError("the CalDAV server did not answer in time") from exc
    except caldav.lib.error.AuthorizationError as exc:
        raise SourceError("the CalDAV server refused the user name or app password") from exc
    except Exception as exc:  # caldav and requests raise many types; the admin sees which
        raise SourceError(f"the CalDAV server could not be read ({type(exc).__name__})") from exc


def _chosen(client: caldav.DAVClient, wanted: Sequence[str]) -> list[caldav.Calendar]:
    """Return the account's calendars named (or addressed) in `wanted`, or all of them."""
    calendars = client.principal().calendars()
    if not wanted:
        return calendars
    chosen = [c for c in calendars if (c.name or "") in wanted or str(c.url) in wanted]
    missing = set(wanted) - {c.name for c in chosen} - {str(c.url) for c in chosen}
    if missing:
        raise SourceError(f"no calendar called {', '.join(sorted(missing))} on the server")
    return chosen

