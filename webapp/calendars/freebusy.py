"""Busy intervals from Google Calendar (freeBusy) and Microsoft Graph (getSchedule) answers.

The caller passes `post(path, body) -> dict` (an authorised JSON client of the connected
account), so this module stays free of tokens, Flask and the database.
"""
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from webapp.calendars.busy import BusyOptions
from webapp.calendars.fetch import SourceError

Post = Callable[[str, dict], dict]
#: Graph schedule statuses that make one busy (tentative as the source says; free and
#: workingElsewhere never do)
GRAPH_BUSY = {"busy", "oof"}


def google_busy(post: Post, calendar_ids: Sequence[str], start: datetime, end: datetime) -> list:
    """Return the busy intervals of Google calendars (`primary` when none is named) in [start, end)."""
    ids = list(calendar_ids) or ["primary"]
    answer = post("/freeBusy", {"timeMin": rfc3339(start), "timeMax": rfc3339(end), "timeZone": "UTC",
                                "items": [{"id": calendar_id} for calendar_id in ids]})
    intervals = []
    for calendar_id in ids:
        found = (answer.get("calendars") or {}).get(calendar_id) or {}
        if found.get("errors"):
            reason = found["errors"][0].get("reason", "error")
            raise SourceError(f"Google Calendar: calendar {calendar_id}: {reason}")
        intervals.extend((_instant(item["start"]), _instant(item["end"])) for item in found.get("busy", []))
    return intervals


def graph_busy(post: Post, schedules: Sequence[str], start: datetime, end: datetime,
               options: BusyOptions) -> list:
    """Return the busy intervals of Microsoft 365 mailboxes (their addresses) in [start, end)."""
    if not schedules:
        raise SourceError("Microsoft 365: name the mailbox address to read")
    answer = post("/me/calendar/getSchedule", {
        "schedules": list(schedules), "startTime": graph_time(start), "endTime": graph_time(end),
        "availabilityViewInterval": 15})
    busy = GRAPH_BUSY | ({"tentative"} if options.tentative_busy else set())
    intervals = []
    for schedule in answer.get("value", []):
        if schedule.get("error"):
            raise SourceError(f"Microsoft 365: {schedule['error'].get('responseCode', 'error')}")
        for item in schedule.get("scheduleItems", []):
            if str(item.get("status", "")).lower() in busy:
                intervals.append((_graph_instant(item["start"]), _graph_instant(item["end"])))
    return intervals


def rfc3339(moment: datetime) -> str:
    """Return an instant as RFC 3339 in UTC (`2026-12-02T08:00:00Z`)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instant(value: str) -> datetime:
    """Parse an RFC 3339 instant (Z or an offset) to UTC."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def graph_time(moment: datetime) -> dict:
    """Return Graph's dateTimeTimeZone for an instant, in UTC."""
    return {"dateTime": moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def _graph_instant(value: dict) -> datetime:
    """Parse Graph's dateTimeTimeZone (UTC, as asked; up to seven fractional digits)."""
    text = value["dateTime"].split(".")[0]
    if value.get("timeZone", "UTC") != "UTC":
        raise SourceError(f"Microsoft 365 answered in {value.get('timeZone')}, not UTC")
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
