"""Reading the audit log for the admin: a page of entries, optionally of one booking."""
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination

from webapp.extensions import db
from webapp.models import AdminUser, AuditEntry, Booking

PER_PAGE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, the booking filtered on (if any) and who each admin actor is."""

    entries: Pagination
    booking_id: int | None
    admins: dict[str, str]


def booking_id_for(reference: str) -> int | None:
    """Return the id of the booking a reference names (its integer id or its uid), else None."""
    reference = reference.strip()
    if reference.isascii() and reference.isdigit() and len(reference) <= 18:
        return int(reference)
    if 0 < len(reference) <= 32:
        return db.session.scalar(db.select(Booking.id).where(Booking.uid == reference))
    return None


def audit_page(booking_id: int | None, page: int) -> AuditPage:
    """Return the newest entries first (of one booking when `booking_id` is given)."""
    query = db.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if booking_id is not None:
        query = query.where(AuditEntry.booking_id == booking_id)
    entries = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    return AuditPage(entries, booking_id, _admin_names(entries.items))


def _admin_names(entries) -> dict[str, str]:
    """Return the accounts behind the page's `admin:<id>` actors, by actor (staff, not clients)."""
    ids = {int(entry.actor.partition(":")[2]) for entry in entries
           if entry.actor.startswith("admin:") and entry.actor.partition(":")[2].isdigit()}
    if not ids:
        return {}
    rows = db.session.execute(db.select(AdminUser.id, AdminUser.email).where(AdminUser.id.in_(ids)))
    return {f"admin:{admin_id}": email for admin_id, email in rows}
