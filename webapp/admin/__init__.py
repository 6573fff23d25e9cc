"""The admin dashboard: blueprint `admin` at /admin, one view module per area."""
from webapp.admin import (  # noqa: F401  (each module adds its views to bp)
    auth,
    availability,
    bookings,
    calendar,
    calendar_sources,
    dashboard,
    outbox,
    reschedule,
    service_types,
    settings,
    webhooks,
)
from webapp.admin.blueprint import bp

__all__ = ["bp"]
