"""The admin dashboard: blueprint `admin` at /admin, one view module per area."""
from webapp.admin import (  # noqa: F401  (each module adds its views to bp)
    account,
    audit_log,
    auth,
    availability,
    bookings,
    calendar,
    calendar_sources,
    dashboard,
    hosts,
    outbox,
    privacy,
    reschedule,
    service_types,
    settings,
    webhooks,
    words,
)
from webapp.admin.blueprint import bp

__all__ = ["bp"]
