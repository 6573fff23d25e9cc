"""Rate limits read from the configuration when a request needs them, and the keys they count."""
from collections.abc import Callable

from flask import Response, current_app, request
from flask_babel import lazy_gettext as _l

from webapp.extensions import limiter
from webapp.services.validation import address_key

#: the answer when one email address has been booked for too often
TOO_MANY_FOR_ADDRESS = _l("Too many bookings were made for this email address recently. "
                          "Please try again later, or contact us.")


def configured(name: str) -> Callable[[], str]:
    """Return a Flask-Limiter limit provider for config key `name` (see config.RATE_LIMITS)."""
    return lambda: current_app.config[name]


def token_lookup_limit():
    """Return the decorator limiting every page opened by a booking token, on one counter.

    Manage pages, the confirmation page and the widget's confirmation all count against
    MANAGE_LOOKUP_RATE_LIMIT together, so trying tokens on several pages gains nothing.
    """
    return limiter.shared_limit(configured("MANAGE_LOOKUP_RATE_LIMIT"), scope="token-lookup")


def posted_field(name: str):
    """Return field `name` of the posted form or JSON object (None when absent).

    A JSON body is never form data: its request's form is not worked out (a parser per request).
    """
    if not request.is_json:
        return request.form.get(name)
    body = request.get_json(silent=True)
    return body.get(name) if isinstance(body, dict) else None


def _recipient_key() -> str:
    """Count bookings by the client email they are made for, however it is spelled."""
    return address_key(posted_field("client_email"))


def _booked(response: Response) -> bool:
    """Tell whether a booking post made a booking (the site and widget redirect, the API creates)."""
    return response.status_code in (201, 303)


def booking_limits(view):
    """Limit a view that books, whatever the channel (site, widget, API).

    Every booking post from one client address counts against BOOKING_RATE_LIMIT on one
    counter; bookings made for one client email count against BOOKING_PER_RECIPIENT_LIMIT
    (only those made: a refused attempt cannot lock someone else's address out).
    """
    view = limiter.shared_limit(configured("BOOKING_PER_RECIPIENT_LIMIT"), scope="booking-recipient",
                                key_func=_recipient_key, methods=["POST"], deduct_when=_booked,
                                error_message=lambda: str(TOO_MANY_FOR_ADDRESS))(view)
    return limiter.shared_limit(configured("BOOKING_RATE_LIMIT"), scope="booking",
                                methods=["POST"])(view)
