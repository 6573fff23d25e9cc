"""The default service types and weekly availability (the seed's four types, Mon-Fri 9-17)."""
from datetime import time

from webapp.extensions import db
from webapp.models import AvailabilitySlot, ServiceType
from webapp.services.hosts import default_host, ensure_default_host

DEFAULT_TYPES = [
    dict(key="consultation", name="Consultation", default_duration=30,
         allowed_durations=[15, 30, 60],
         description="A conversation about your project and how we can help."),
    dict(key="demo", name="Demo", default_duration=30, allowed_durations=[30, 45],
         description="A guided tour of the StudiocentOS framework."),
    dict(key="support", name="Support", default_duration=30, allowed_durations=[15, 30],
         description="Help with something that is not working."),
    dict(key="training", name="Training", default_duration=60, allowed_durations=[60, 90, 120],
         requires_approval=True, buffer_after=15,
         description="A hands-on session for your team, confirmed after review."),
]
WEEKDAYS = range(0, 5)
OPENING = (time(9, 0), time(17, 0))
SLOT_MINUTES = 30


def load_defaults() -> list[str]:
    """Add the default host and types, and weekday rules for types without any; return what was added."""
    added = [] if default_host() else ["the default host"]
    host = ensure_default_host()
    existing = set(db.session.scalars(db.select(ServiceType.key)))
    for spec in DEFAULT_TYPES:
        if spec["key"] not in existing:
            db.session.add(ServiceType(**spec, hosts=[host]))
            added.append(f"service type {spec['key']}")
    with_rules = set(db.session.scalars(db.select(AvailabilitySlot.service_type).distinct()))
    for spec in DEFAULT_TYPES:
        if spec["key"] not in with_rules:
            db.session.add_all(
                AvailabilitySlot(host_id=host.id, day_of_week=day, start_time=OPENING[0], end_time=OPENING[1],
                                 slot_duration=SLOT_MINUTES, service_type=spec["key"])
                for day in WEEKDAYS
            )
            added.append(f"Mon-Fri 09:00-17:00 availability for {spec['key']}")
    db.session.commit()
    return added
