"""API v1 routes (/api/v1/booking/...): parse, authorise, call one service, answer JSON."""
from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from webapp.api import errors
from webapp.api.cors import apply_cors
from webapp.api.health import health_report
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
    host_json,
)
from webapp.clock import now
from webapp.extensions import csrf, db, limiter
from webapp.models import Booking
from webapp.ratelimits import configured
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
from webapp.services.settings import get_settings
from webapp.services.tokens import manage_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Programs call the API with JSON bodies only (415 otherwise), which a cross-site form cannot send.
csrf.exempt(bp)
bp.after_request(apply_cors)
bp.register_error_handler(ServiceError, errors.service_error)


def _caller_is_admin() -> bool:
    """Return True for a valid admin API token; a wrong token is a 401, none is anonymous."""
    header = request.headers.get("Authorization")
    if header is None:
        return False
    if verify_api_token(bearer_token(header), now()) is None:
        raise Unauthorized("The API token is not valid.", www_authenticate=WWWAuthenticate("Bearer"))
    return True


def _booking_or_404(public_id: str, admin: bool) -> Booking:
    """Find a booking by uid, or by integer id for admins; anything else is the same 404."""
    booking = None
    if len(public_id) <= 32:
        booking = db.session.scalar(db.select(Booking).where(Booking.uid == public_id))
    if booking is None and admin and public_id.isascii() and public_id.isdigit() and len(public_id) <= 18:
        booking = db.session.get(Booking, int(public_id))
    if booking is None:
        raise NotFound("No such booking.")
    return booking


@bp.post("/booking/calendar/availability")
@limiter.limit(configured("API_READ_RATE_LIMIT"), methods=["POST"])
def availability():
    """List the free slots of one or every active service type in a date range."""
    query = availability_query(json_object(), get_settings().business_timezone)
    services = active_service_types() if query.service_type is None else [get_service_type(query.service_type)]
    if None in services:
        raise ValidationFailed("Unknown service type.", {"service_type": "Unknown service type."})
    host = find_host(query.host) if query.host is not None else None
    if query.host is not None and host is None:
        raise ValidationFailed("Unknown host.", {"host": "Unknown host."})
    found = find_availability(services, query.start, query.end, now(), host=host)
    return jsonify(availability_json(query, services, found))


@bp.get("/booking/hosts")
def hosts():
    """List the hosts clients can book, with their public fields only."""
    return jsonify({"hosts": [host_json(host) for host in public_hosts()]})


@bp.post("/booking/bookings")
@limiter.limit(configured("API_WRITE_RATE_LIMIT"), methods=["POST"])
def create():
    """Book a free slot; with an Idempotency-Key a retry gets the first answer."""
    data, admin, key = json_object(), _caller_is_admin(), request.headers.get("Idempotency-Key")
    status, body = _book(data, admin) if key is None else run_once(key, data, now(), lambda: _book(data, admin))
    headers = {"Location": url_for("api.get_booking", public_id=body["uid"])}
    return jsonify({**body, "manage_url": manage_url(body["uid"])}), status, headers


def _book(data: dict, admin: bool) -> tuple[int, dict]:
    """Create the booking a body asks for and return the 201 answer (without manage_url)."""
    req = booking_request(data, get_settings().business_timezone, now())
    return 201, created_json(create_booking(req, now()).booking, admin=admin)


@bp.get("/booking/bookings/<public_id>")
def get_booking(public_id: str):
    """Show a booking by its uid (or integer id with an admin token)."""
    admin = _caller_is_admin()
    return jsonify(booking_json(_booking_or_404(public_id, admin), admin=admin))


@bp.post("/booking/bookings/<public_id>/cancel")
@limiter.limit(configured("API_WRITE_RATE_LIMIT"), methods=["POST"])
def cancel(public_id: str):
    """Cancel a booking; cancelling again answers the same cancelled booking."""
    reason, admin = cancel_reason(json_object(allow_empty=True)), _caller_is_admin()
    booking = _booking_or_404(public_id, admin)
    cancelled = cancel_booking(booking.id, reason, now())
    return jsonify(cancelled_json(cancelled, admin=admin))


@bp.get("/booking/health")
def health():
    """Report whether the service, its database and its queue are up."""
    body, status = health_report()
    return jsonify(body), status


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.get("/docs")
def docs():
    """Show the API reference for people, rendered from the OpenAPI document."""
    return render_template("api/docs.html", spec=openapi_document())
