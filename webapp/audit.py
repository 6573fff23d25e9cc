"""The audit log's recorder: who changed which booking, setting or schedule row, from session events.

No service records anything itself. `init_app` listens to every session flush and writes one
`AuditEntry` per created, changed or deleted row of an audited model, in the same transaction.
The actor is worked out when a flush has something to record: a block's `acting_as`, else the
request's (its blueprint and login, or the API token it named with `set_actor`), else "system"
(the worker, the sweep and commands). No request pays for it when nothing is recorded.
Entries name fields, never their values, and a booking only by its id.
"""
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import Flask, has_app_context, has_request_context, request
from flask_login import current_user
from sqlalchemy import bindparam, cast, event, insert, inspect, literal, select
from sqlalchemy.sql.dml import Insert

from webapp import clock
from webapp.extensions import db
from webapp.models import AuditEntry, AvailabilitySlot, BlockedDate, Booking, ServiceType, Setting
from webapp.models.types import utcnow

SYSTEM = "system"
CLIENT = "client"
API_ANONYMOUS = "api-anonymous"
#: an admin page opened without a login (only the login page itself gets that far)
ANONYMOUS = "anonymous"
#: blueprints whose visitors act as the booking's client
CLIENT_BLUEPRINTS = frozenset({"public", "manage", "embed"})
ADMIN_BLUEPRINTS = frozenset({"admin", "integrations"})
#: bookkeeping columns that change with every write and say nothing
IGNORED_FIELDS = frozenset({"created_at", "updated_at"})

#: the actor named by an enclosing `acting_as` block (None: none)
_actor: ContextVar[str | None] = ContextVar("audit_actor", default=None)
#: where a request keeps the actor it named (`set_actor`): the environ lives exactly as long as the request
REQUEST_ACTOR = "webapp.audit_actor"


def admin_actor(admin_id: int) -> str:
    """Return the actor name of an admin account."""
    return f"admin:{admin_id}"


def api_token_actor(token_id: int) -> str:
    """Return the actor name of an admin API token."""
    return f"api-token:{token_id}"


def current_actor() -> str:
    """Return who the changes flushed now are made by: the enclosing block's, the request's, or the system."""
    actor = _actor.get()
    if actor is not None:
        return actor
    if has_request_context():
        return request.environ.get(REQUEST_ACTOR) or request_actor()
    return SYSTEM


def set_actor(actor: str) -> None:
    """Name the actor for the rest of this request (the API does once it has checked a token)."""
    if has_request_context():
        request.environ[REQUEST_ACTOR] = actor
    else:
        _actor.set(actor)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Record the changes made inside the block as `actor`'s."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@dataclass(frozen=True)
class Audited:
    """How an audited model appears in the log: a label and the row's reference."""

    label: str
    reference: Callable[[object], str]


AUDITED: dict[type, Audited] = {
    Booking: Audited("booking", lambda row: str(row.id)),
    Setting: Audited("setting", lambda row: row.key),
    ServiceType: Audited("service type", lambda row: row.key),
    AvailabilitySlot: Audited("availability rule", lambda row: str(row.id)),
    BlockedDate: Audited("blocked date", lambda row: str(row.id)),
}


def init_app(app: Flask) -> None:
    """Record audited changes at every flush (listener added once)."""
    if not event.contains(db.session, "after_flush", record_flush):
        event.listen(db.session, "after_flush", record_flush)


def request_actor() -> str:
    """Return who the current request acts as, from its blueprint (and the admin's login)."""
    if request.blueprint in ADMIN_BLUEPRINTS:
        return admin_actor(current_user.id) if current_user.is_authenticated else ANONYMOUS
    if request.blueprint in CLIENT_BLUEPRINTS:
        return CLIENT
    if request.blueprint == "api":
        return API_ANONYMOUS  # upgraded by the API once a token checks out
    return SYSTEM


def record_flush(session, _flush_context) -> None:
    """Write the audit entries of the rows this flush created, changed or deleted."""
    entries = [*_entries(session.new, "created"), *_entries(session.dirty, "updated"),
               *_entries(session.deleted, "deleted")]
    if entries:
        _insert(session.connection(), entries)


def record_inserted(connection, rows: Iterable) -> None:
    """Write the "created" entries of rows inserted past the unit of work (no flush saw them)."""
    entries = list(_entries(rows, "created"))
    if entries:
        _insert(connection, entries)


def booking_created_from(new_bookings) -> Insert:
    """Return an INSERT of the "created" entries of the bookings a DML CTE (`new_bookings`, with
    their `id` and `status`) returns, for one statement that inserts the bookings too (their ids
    are not known before); its parameters are `entry_params()`. The same entries as `record_inserted`."""
    columns = new_bookings.c
    entry = select(bindparam("audit_at", type_=AuditEntry.at.type),
                   bindparam("audit_actor", type_=AuditEntry.actor.type),
                   literal("created"), literal(AUDITED[Booking].label), cast(columns.id, AuditEntry.target_id.type),
                   columns.id, bindparam("audit_fields", type_=AuditEntry.fields.type), columns.status)
    return insert(AuditEntry.__table__).from_select(
        ["at", "actor", "action", "target_type", "target_id", "booking_id", "fields", "detail"], entry)


def entry_params() -> dict:
    """Return the parameters of `booking_created_from`'s statement now: the instant, the actor, no fields."""
    return {"audit_at": _now(), "audit_actor": current_actor(), "audit_fields": []}


def _insert(connection, entries: list[dict]) -> None:
    """Insert audit entries in the connection's transaction."""
    connection.execute(insert(AuditEntry.__table__), entries)


def _entries(rows: Iterable, action: str) -> Iterator[dict]:
    """Yield an entry per audited row (a changed row only if a column really changed); the time and
    actor are worked out at the first one."""
    at = actor = None
    for row in rows:
        audited = AUDITED.get(type(row))
        if audited is None:
            continue
        changed = _changed_fields(row) if action == "updated" else []
        if action == "updated" and not changed:
            continue
        entry_action, detail = _refine(row, action, changed)
        if actor is None:
            at, actor = _now(), current_actor()
        yield {"at": at, "actor": actor, "action": entry_action, "target_type": audited.label,
               "target_id": audited.reference(row)[:80],
               "booking_id": row.id if isinstance(row, Booking) else None,
               "fields": [name for name in changed if name != "status"], "detail": detail}


def _now():
    """Return the instant entries are stamped with: the app's clock, or the system's outside an app."""
    return clock.now() if has_app_context() else utcnow()


def _changed_fields(row) -> list[str]:
    """Return the names of the row's columns changed in this flush (values are never read out)."""
    state = inspect(row)
    return sorted(attr.key for attr in state.mapper.column_attrs
                  if attr.key not in IGNORED_FIELDS and state.attrs[attr.key].history.has_changes())


def _refine(row, action: str, changed: list[str]) -> tuple[str, str | None]:
    """Name a booking's erasure and status changes; return the action and its detail."""
    if not isinstance(row, Booking):
        return action, None
    if action == "created":
        return action, row.status
    if action == "updated" and "erased_at" in changed and row.erased_at is not None:
        return "erased", None
    if action == "updated" and "status" in changed:
        before = inspect(row).attrs.status.history.deleted
        return "status changed", f"{before[0] if before else '?'} → {row.status}"
    return action, None
