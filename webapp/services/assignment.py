"""Round-robin: which of several free hosts gets a booking.

The rule: the host with the fewest active bookings in the booking's week (Monday 00:00 to
Monday 00:00 in the business zone, the week holding the booking's start), then the highest
`priority`, then the lowest id. Counting per week keeps the load even where it is felt and
lets a host who joins mid-month catch up within a week rather than take every booking.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import func

from webapp.extensions import db
from webapp.models import BookingHost, Host
from webapp.services.availability import business_zone


def booking_week(start: datetime) -> tuple[datetime, datetime]:
    """Return the business-zone week (Monday to Monday, as UTC instants) holding `start`."""
    zone = business_zone()
    local_day = start.astimezone(zone).date()
    monday = local_day - timedelta(days=local_day.weekday())
    # fold=0 puts a midnight skipped by DST at the transition itself, as rule.py does
    first, after = (datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(timezone.utc)
                    for day in (monday, monday + timedelta(days=7)))
    return first, after


def week_counts(host_ids: list[int], start: datetime) -> dict[int, int]:
    """Return how many active bookings each host holds in the week of `start` (one query)."""
    first, after = booking_week(start)
    rows = db.session.execute(
        db.select(BookingHost.host_id, func.count())
        .where(BookingHost.active, BookingHost.host_id.in_(host_ids),
               BookingHost.scheduled_at >= first, BookingHost.scheduled_at < after)
        .group_by(BookingHost.host_id))
    return {host_id: count for host_id, count in rows}


def pick_round_robin(free: list[Host], start: datetime) -> Host:
    """Return the free host the round-robin rule gives a booking at `start` (see the module)."""
    if len(free) == 1:
        return free[0]
    counts = week_counts([host.id for host in free], start)
    return min(free, key=lambda host: (counts.get(host.id, 0), -host.priority, host.id))
