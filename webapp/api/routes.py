"""API v1 routes (/api/v1/booking/...): parse, authorise, call one service, answer JSON."""
from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from webapp import audit
from webapp.api import errors
from webapp.api.cors import apply_cors
from webapp.api.health import health_report, readiness_report
from webapp.api.openapi import openapi_document
from webapp.api.parsing import (
    availability_query,
    booking_request,
    cancel_reason,
    json_object,
)
from webapp.api.shapes import (
    availability_json,
    booking_json,
    cancelled_json,
    created_json,
    for_caller,
    host_json,
)
from webapp.clock import now
from webapp.extensions import csrf, db, limiter
from webapp.models import ApiToken, Booking
from webapp.ratelimits import booking_limits, configured
from webapp.request_settings import checked_after
from webapp.services.api_tokens import bearer_token, verify_api_token
from webapp.services.availability import (
    active_service_types,
    find_availability,
    get_service_type,
)
from webapp.services.bookings import cancel_booking, create_booking
from webapp.services.errors import NotFound, ServiceError, ValidationFailed
from webapp.services.hosts import find_host, public_hosts
from webapp.services.idempotency import run_once
from webapp.services.self_service import cancel_as_client, manageable_booking
from webapp.services.settings import get_settings
from webapp.services.tokens import manage_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")
#: the booking endpoints' paths: their callers identify with a token, so they run without the
#: cookie session (`sessions.CookieSessionInterface`); the OAuth callbacks under /api/v1 need it
SESSIONLESS_PREFIX = f"{bp.url_prefix}/booking/"

# Programs call the API with JSON bodies only (415 otherwise), which a cross-site form cannot send.
csrf.exempt(bp)
bp.after_request(apply_cors)
bp.register_error_handler(ServiceError, errors.service_error)


def _admin_token() -> ApiToken | None:
    """Return the caller's admin API token record; a wrong token is a 401, none is anonymous."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    record = verify_api_token(bearer_token(header), now())
    if record is None:
        raise Unauthorized(_("The API token is not valid."), www_authenticate=WWWAuthenticate("Bearer"))
    audit.set_actor(audit.api_token_actor(record.id))
    return record


def _caller_is_admin() -> bool:
    """Return True for a valid admin API token (see `_admin_token`)."""
    return _admin_token() is not None


def _idempotency_scope(token: ApiToken | None) -> str:
    """Return whose keys a request's Idempotency-Key belongs to: the admin token, else the address."""
    return f"token:{token.id}" if token is not None else f"address:{request.remote_addr}"


def _booking_or_404(public_id: str, admin: bool) -> Booking:
    """Find the booking a caller may address; anything else is the same 404.

    Admins: by uid or integer id. Anonymous callers: only by the credential they got when
    booking (the manage token), which stops opening when the manage link does. The uid, shown
    on pages and derived into invites, opens nothing for them.
    """
    if not admin:
        booking = manageable_booking(public_id, now())
    else:
        booking = db.session.scalar(db.select(Booking).where(Booking.uid == public_id)) \
            if len(public_id) <= 32 else None
        if booking is None and public_id.isascii() and public_id.isdigit() and len(public_id) <= 18:
            booking = db.session.get(Booking, int(public_id))
    if booking is None:
        raise NotFound(_("No such booking."))
    return booking


@bp.post("/booking/calendar/availability")
@limiter.limit(configured("API_READ_RATE_LIMIT"), methods=["POST"])
@checked_after
def availability():
    """List the free slots of one or every active service type in a date range."""
    query = availability_query(json_object(), get_settings().business_timezone)
    services = active_service_types() if query.service_type is None else [get_service_type(query.service_type)]
    if None in services:
        raise ValidationFailed(_("Unknown service type."), {"service_type": _("Unknown service type.")})
    host = find_host(query.host) if query.host is not None else None
    if query.host is not None and host is None:
        raise ValidationFailed(_("Unknown host."), {"host": _("Unknown host.")})
    found = find_availability(services, query.start, query.end, now(), host=host)
    body = found.derived.get_or_compute(  # the answer is kept while its rows are unchanged: so is its JSON
        ("json", query), lambda: jsonify(availability_json(query, services, found)).get_data())
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


@bp.get("/booking/hosts")
def hosts():
    """List the hosts clients can book, with their public fields only."""
    return jsonify({"hosts": [host_json(host) for host in public_hosts()]})


@bp.post("/booking/bookings")
@limiter.limit(configured("API_WRITE_RATE_LIMIT"), methods=["POST"])
@booking_limits
def create():
    """Book a free slot; with an Idempotency-Key a retry gets the first answer."""
    data, token, key = json_object(), _admin_token(), request.headers.get("Idempotency-Key")
    admin = token is not None
    status, body = _book(data, admin) if key is None else run_once(
        _idempotency_scope(token), key, data, now(), lambda: _book(data, admin))
    answer = {**for_caller(body, admin=admin), "manage_url": manage_url(body["uid"])}
    headers = {"Location": url_for("api.get_booking", public_id=answer["uid"])}
    return jsonify(answer), status, headers


def _book(data: dict, admin: bool) -> tuple[int, dict]:
    """Create the booking a body asks for and return the 201 answer (without manage_url)."""
    req = booking_request(data, get_settings().business_timezone, now())
    return 201, created_json(create_booking(req, now()).booking, admin=admin)


@bp.get("/booking/bookings/<public_id>")
def get_booking(public_id: str):
    """Show a booking to its creator (by the id they got) or to an admin (by uid or integer id)."""
    admin = _caller_is_admin()
    return jsonify(for_caller(booking_json(_booking_or_404(public_id, admin), admin=admin), admin=admin))


@bp.post("/booking/bookings/<public_id>/cancel")
@limiter.limit(configured("API_WRITE_RATE_LIMIT"), methods=["POST"])
def cancel(public_id: str):
    """Cancel a booking; cancelling again answers the same cancelled booking.

    Clients follow the manage page's self-service policy (no changes past the cut-off);
    admins may cancel any active booking.
    """
    reason, admin = cancel_reason(json_object()), _caller_is_admin()
    booking = _booking_or_404(public_id, admin)
    if admin:
        cancelled = cancel_booking(booking.id, reason, now())
    elif booking.status == "cancelled":
        cancelled = booking  # the client's retry: the same answer, not a policy refusal
    else:
        cancelled = cancel_as_client(booking, reason, now())
    return jsonify(for_caller(cancelled_json(cancelled, admin=admin), admin=admin))


@bp.get("/booking/health")
def health():
    """Report whether the service, its database and its queue are up."""
    body, status = health_report()
    return jsonify(body), status


@bp.get("/booking/ready")
def ready():
    """Report whether this process may take traffic: database, migrations, queue, workers."""
    body, status = readiness_report()
    return jsonify(body), status


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.get("/docs")
def docs():
    """Show the API reference for people, rendered from the OpenAPI document."""
    return render_template("api/docs.html", spec=openapi_document())
