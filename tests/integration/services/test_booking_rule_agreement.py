"""Near midnight, far from Rome, the picker, the availability API and the writes agree.

A service open every two hours round the clock, with 2.5 hours' notice and a two-day window,
is looked at from Los Angeles (UTC-8) and Kiritimati (UTC+14) just before and just after
midnight in Rome and in the viewer's zone. Every time the picker shows is the API's, and the
rule's: business-zone today + 2 days inclusive, from now + notice. Each is booked, through
the API or the site form; the first step past the window and a step inside the notice are
neither offered nor accepted, and the refusal says why.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import csrf_from
from tests.factories import create_rule, create_service_type
from webapp.extensions import db
from webapp.models import Booking
from webapp.scheduling import local_to_utc

UTC = timezone.utc
ROME = ZoneInfo("Europe/Rome")
LOS_ANGELES, KIRITIMATI = "America/Los_Angeles", "Pacific/Kiritimati"
NOTICE = timedelta(minutes=150)
DAYS_AHEAD = 2
STEP_HOURS = 2
AVAILABILITY = "/api/v1/booking/calendar/availability"
BOOKINGS = "/api/v1/booking/bookings"
BEYOND = f"Bookings open at most {DAYS_AHEAD} days ahead."
TOO_SOON = "Bookings need at least 2.5 hours' notice."


def at(zone: str, *args) -> datetime:
    """Return a wall time in `zone` as an aware UTC instant."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


#: (label, now): a minute either side of midnight in Rome, Kiritimati and Los Angeles, at month ends
NOWS = [
    ("rome-before-midnight-29", at("Europe/Rome", 2026, 1, 29, 23, 59)),  # window ends 31 Jan
    ("rome-after-midnight-30", at("Europe/Rome", 2026, 1, 30, 0, 1)),  # window ends 1 Feb
    ("rome-before-midnight-31", at("Europe/Rome", 2026, 1, 31, 23, 59)),
    ("rome-after-midnight-1", at("Europe/Rome", 2026, 2, 1, 0, 1)),
    ("kiritimati-before-midnight", at(KIRITIMATI, 2026, 1, 31, 23, 59)),
    ("kiritimati-after-midnight", at(KIRITIMATI, 2026, 2, 1, 0, 1)),
    ("los-angeles-before-midnight", at(LOS_ANGELES, 2026, 1, 31, 23, 59)),
    ("los-angeles-after-midnight", at(LOS_ANGELES, 2026, 2, 1, 0, 1)),
]


@dataclass(frozen=True)
class Scenario:
    """A frozen instant and the zone the client looks from."""

    now: datetime
    viewer: str

    @property
    def zone(self) -> ZoneInfo:
        """Return the viewer's zone."""
        return ZoneInfo(self.viewer)

    @property
    def today(self) -> date:
        """Return the viewer's local date now."""
        return self.now.astimezone(self.zone).date()


SCENARIOS = [pytest.param(Scenario(now, viewer), id=f"{label}-{viewer.split('/')[1]}")
             for label, now in NOWS for viewer in (LOS_ANGELES, KIRITIMATI)]


@pytest.fixture(params=SCENARIOS)
def scenario(request) -> Scenario:
    """One instant and viewer zone."""
    return request.param


@pytest.fixture
def app_config(scenario):
    """Freeze the app's clock at the scenario's instant."""
    return {"CLOCK": lambda: scenario.now}


@pytest.fixture
def service(app):
    """A 30-minute service open every two hours, every day, with notice and a short window."""
    create_service_type(key="call", min_notice_minutes=NOTICE // timedelta(minutes=1),
                        max_days_ahead=DAYS_AHEAD)
    for day in range(7):
        create_rule(service_type="call", day_of_week=day, start_time=time(0), end_time=time(23, 59),
                    slot_duration=STEP_HOURS * 60)
    return "call"


def rule_steps(now: datetime) -> list[datetime]:
    """Return every rule start from Rome's yesterday to three days past the window, in UTC."""
    first = now.astimezone(ROME).date() - timedelta(days=1)
    return [datetime.combine(first + timedelta(days=d), time(hour), ROME).astimezone(UTC)
            for d in range(DAYS_AHEAD + 5) for hour in range(0, 24, STEP_HOURS)]


def rule_says_bookable(now: datetime, start: datetime) -> bool:
    """The rule, stated independently: from now + notice to Rome's today + 2 days, inclusive."""
    last_day = now.astimezone(ROME).date() + timedelta(days=DAYS_AHEAD)
    return start >= now + NOTICE and start.astimezone(ROME).date() <= last_day


def first_of_next_month(day: date) -> date:
    """Return the first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def picker_pages(client, scenario: Scenario) -> tuple[dict[date, list[str]], list[date]]:
    """Walk the picker from its opening month through every "Next month": open days, months."""
    url, open_days, months = f"/book/call?tz={scenario.viewer}", {}, []
    while url and len(months) < 4:
        page = client.get(url)
        assert page.status_code == 200
        months.append(date.fromisoformat(parse_qs(urlsplit(url).query).get("month", [
            f"{scenario.today:%Y-%m}"])[0] + "-01"))
        for day in sorted(set(re.findall(r"day=(\d{4}-\d\d-\d\d)", page.text))):
            open_days[date.fromisoformat(day)] = []
        link = re.search(r'<a href="([^"]+)"[^>]*rel="next"', page.text)
        url = link.group(1).replace("&amp;", "&") if link else None
    for day in open_days:
        page = client.get(f"/book/call?tz={scenario.viewer}&day={day}")
        open_days[day] = [href.replace("&amp;", "&")
                          for href in re.findall(r'class="time" href="([^"]+)"', page.text)]
    return open_days, months


def start_of(time_href: str) -> datetime:
    """Return the UTC start a picker time link carries."""
    return datetime.fromisoformat(parse_qs(urlsplit(time_href).query)["start"][0])


def api_offered(client, scenario: Scenario) -> set[datetime]:
    """Return the starts the availability API offers over the viewer's next days."""
    response = client.post(AVAILABILITY, json={
        "service_type": "call", "timezone": scenario.viewer,
        "start_date": scenario.today.isoformat(),
        "end_date": (scenario.today + timedelta(days=DAYS_AHEAD + 3)).isoformat()})
    assert response.status_code == 200, response.json
    return {local_to_utc(datetime.fromisoformat(slot["datetime"]), scenario.zone)
            for day in response.json["availability"] for slot in day["slots"]}


def api_book(client, scenario: Scenario, start: datetime, n: int):
    """Book `start` through the API, as the client's wall time in their zone."""
    wall = start.astimezone(scenario.zone).replace(tzinfo=None).isoformat()
    return client.post(BOOKINGS, json={
        "service_type": "call", "scheduled_at": wall, "timezone": scenario.viewer,
        "duration_minutes": 30, "client_name": "Mario Rossi",
        "client_email": f"api{n}@example.com"})


def form_book(client, scenario: Scenario, start: datetime, csrf: str, n: int):
    """Book `start` through the site's details form, as the picker's time link would."""
    return client.post("/book/call/details", data={
        "csrf_token": csrf, "start": start.isoformat(), "tz": scenario.viewer, "duration": "30",
        "client_name": "Luigi Verdi", "client_email": f"form{n}@example.com",
        "meeting_provider": "jitsi", "title": "Call"})


def test_picker_api_and_writes_agree_near_midnight(client, scenario, service):
    expected = {s for s in rule_steps(scenario.now) if rule_says_bookable(scenario.now, s)}
    open_days, months = picker_pages(client, scenario)

    # The picker offers exactly the rule's times, and the API exactly the picker's.
    picker = {start_of(href) for hrefs in open_days.values() for href in hrefs}
    assert picker == expected
    assert all(open_days.values()), "an open day with no time"
    assert set(open_days) == {s.astimezone(scenario.zone).date() for s in expected}
    assert api_offered(client, scenario) == picker

    # "Next month" is offered exactly when that month holds a bookable time.
    next_month = first_of_next_month(scenario.today)
    reachable = any(s.astimezone(scenario.zone).date() >= next_month for s in expected)
    assert (months == [scenario.today.replace(day=1), next_month]) is reachable
    assert months == [scenario.today.replace(day=1)] or reachable

    # Every offered time is accepted, through the API and through the site form.
    first_time = next(iter(open_days.values()))[0]
    csrf = csrf_from(client.get(first_time).text)
    for n, start in enumerate(sorted(picker)):
        response = (api_book(client, scenario, start, n) if n % 2
                    else form_book(client, scenario, start, csrf, n))
        assert response.status_code in (201, 303), (start, response.status_code)
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == len(picker)

    # The first step past the window and a step inside the notice: refused, saying why.
    past_window = min(s for s in rule_steps(scenario.now) if s > max(expected))
    too_soon = min(s for s in rule_steps(scenario.now) if s >= scenario.now)
    assert too_soon < scenario.now + NOTICE
    for start, message in ((past_window, BEYOND), (too_soon, TOO_SOON)):
        assert start not in picker
        answer = api_book(client, scenario, start, 99)
        assert answer.status_code == 422 and answer.json["error"]["fields"]["scheduled_at"] == message
        page = form_book(client, scenario, start, csrf, 99)
        assert page.status_code == 422 and message.replace("'", "&#39;") in page.text
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == len(picker)


def test_the_scenarios_reach_both_answers_for_next_month():
    reachable = {first_of_next_month(s.today) <= max(
        step for step in rule_steps(s.now) if rule_says_bookable(s.now, step)
    ).astimezone(s.zone).date() for s in (p.values[0] for p in SCENARIOS)}
    assert reachable == {True, False}
