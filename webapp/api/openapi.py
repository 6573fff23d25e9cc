"""The OpenAPI 3.1 description of the API, served as JSON and rendered as the docs page."""
from webapp.meetings import PROVIDER_KEYS
from webapp.version import VERSION

TEXT = {"type": "string"}
OPTIONAL_TEXT = {"type": ["string", "null"]}
UTC_TIME = {"type": ["string", "null"], "description": "UTC instant, ISO 8601 with Z."}
LOCAL_TIME = {"type": "string", "description": "Wall time in the booking's `timezone`, ISO 8601 "
              "without offset, as the seed shows it (e.g. 2025-11-05T09:00:00)."}
PUBLIC_ID = {"type": ["string", "integer"], "description": "Anonymous callers: the booking's private "
             "API credential (a string, the same for `id` and `uid`; keep it secret); callers with "
             "an admin API token get the internal integer id instead."}


def _ref(name: str) -> dict:
    """Return a reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, example: dict | None = None) -> dict:
    """Return a JSON response or request body object."""
    content = {"schema": schema, **({"example": example} if example else {})}
    return {"description": description, "content": {"application/json": content}}


def _errors(*codes: int) -> dict:
    """Return the error responses an operation can give."""
    reasons = {
        400: "Malformed JSON.", 401: "The Authorization header holds no valid API token.",
        404: "No such booking, or not visible to this caller (always the same answer).",
        409: "The time is not free (or no longer), or the booking cannot change now.",
        413: "The body is larger than the server accepts.",
        415: "The body is not JSON (send Content-Type: application/json).",
        422: "A field is invalid; `error.fields` says which and why.",
        429: "Too many requests; retry after the Retry-After header's seconds.",
    }
    return {str(code): _json(_ref("Error"), reasons[code]) for code in codes}


SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message", "fields"],
            "properties": {"code": TEXT, "message": TEXT,
                           "fields": {"type": "object", "additionalProperties": TEXT,
                                      "description": "Field name -> what is wrong with it."}},
        }},
    },
    "AvailabilityRequest": {
        "type": "object", "additionalProperties": False, "required": ["start_date", "end_date"],
        "properties": {
            "start_date": {"type": "string", "description": "A date (YYYY-MM-DD, from the start of "
                           "that day) or an ISO 8601 date-time; without offset it is local to "
                           "`timezone`.", "examples": ["2025-11-05", "2025-11-05T08:30:00"]},
            "end_date": {"type": "string", "description": "A date (the range includes that whole "
                         "day) or an ISO 8601 date-time (exclusive). At most 93 days after the start.",
                         "examples": ["2025-11-12"]},
            "service_type": {"type": ["string", "null"],
                             "description": "A service type key; omit it for every active type."},
            "timezone": {"type": ["string", "null"], "description": "IANA zone of the dates and "
                         "slot times (default: the business zone).", "examples": ["Europe/Rome"]},
            "host": {"type": ["string", "null"], "description": "A host's slug (see "
                     "/booking/hosts): only that host's free times. Omitted: each type's hosts "
                     "combined (any of them free; all of them for collective types)."},
        },
    },
    "Slot": {
        "type": "object", "required": ["datetime", "duration_minutes", "service_type", "available"],
        "properties": {"datetime": {**LOCAL_TIME, "description": "Start, wall time in the "
                                    "request's `timezone`, without offset."},
                       "duration_minutes": {"type": "integer"}, "service_type": TEXT,
                       "available": {"type": "boolean"}},
    },
    "AvailabilityResponse": {
        "type": "object", "required": ["availability", "blocked_dates", "bookings_count"],
        "properties": {
            "availability": {"type": "array", "items": {
                "type": "object", "required": ["date", "slots", "total_available"],
                "properties": {"date": {"type": "string", "format": "date"},
                               "slots": {"type": "array", "items": _ref("Slot")},
                               "total_available": {"type": "integer"}},
            }},
            "blocked_dates": {"type": "array", "items": {"type": "string", "format": "date"},
                              "description": "Days blocked all day for every host considered."},
            "bookings_count": {"type": "integer", "description": "Active bookings in the range."},
            "timezone": TEXT,
        },
    },
    "BookingRequest": {
        "type": "object", "additionalProperties": False,
        "required": ["client_name", "client_email", "service_type", "scheduled_at"],
        "description": "Unknown fields (such as `status` or `id`) are refused with 422.",
        "properties": {
            "client_name": {**TEXT, "description": "At most 200 characters."},
            "client_email": TEXT, "client_phone": OPTIONAL_TEXT, "client_company": OPTIONAL_TEXT,
            "service_type": TEXT,
            "title": {**OPTIONAL_TEXT, "description": "Defaults to the service type's name."},
            "description": OPTIONAL_TEXT,
            "scheduled_at": {"type": "string", "description": "ISO 8601 date-time; without offset "
                             "it is a wall time in `timezone`. A time the clocks skip (DST) is 422; "
                             "a repeated one means the earlier. Must be a free slot (else 409)."},
            "duration_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 9999,
                                 "description": "One of the service type's durations "
                                 "(default: its default duration)."},
            "timezone": {**OPTIONAL_TEXT, "description": "The client's IANA zone (default: the "
                         "business zone)."},
            "meeting_provider": {**OPTIONAL_TEXT, "description": f"{', '.join(PROVIDER_KEYS[:-1])} "
                                 f"or {PROVIDER_KEYS[-1]}, among those connected (default: the "
                                 "configured one)."},
            "client_notes": OPTIONAL_TEXT,
            "host": {**OPTIONAL_TEXT, "description": "A host's slug: book that host (422 if they "
                     "do not give the type, or the type meets with all its hosts). Omitted: a free "
                     "host by round-robin (fewest bookings that week, then priority), or every "
                     "host of a collective type."},
            "locale": {**OPTIONAL_TEXT, "description": "The client's language, `en` or `it`, which "
                       "every email to them uses (default: the request's language: a `lang` query "
                       "parameter, else Accept-Language, else the business default)."},
            "marketing_consent": {"type": ["boolean", "null"], "description": "The client agreed "
                                  "to marketing follow-ups (recorded with the time and the text "
                                  "version); default false."},
        },
    },
    "Host": {
        "type": "object", "required": ["slug", "name", "photo_url", "timezone"],
        "properties": {"slug": TEXT, "name": TEXT, "photo_url": OPTIONAL_TEXT,
                       "timezone": {**TEXT, "description": "IANA zone of the host's hours."}},
    },
    "Hosts": {
        "type": "object", "required": ["hosts"],
        "properties": {"hosts": {"type": "array", "items": _ref("Host")}},
    },
    "Booking": {
        "type": "object",
        "required": ["id", "uid", "client_name", "client_email", "service_type", "title",
                     "scheduled_at", "duration_minutes", "status", "meeting_provider",
                     "meeting_url", "created_at"],
        "properties": {
            "id": PUBLIC_ID, "uid": TEXT, "client_name": TEXT, "client_email": TEXT,
            "client_phone": OPTIONAL_TEXT, "service_type": TEXT, "title": TEXT,
            "scheduled_at": LOCAL_TIME, "scheduled_at_utc": UTC_TIME, "timezone": TEXT,
            "duration_minutes": {"type": "integer"},
            "status": {"enum": ["pending", "confirmed", "cancelled", "completed", "no_show"]},
            "meeting_provider": TEXT, "meeting_url": OPTIONAL_TEXT, "meeting_id": OPTIONAL_TEXT,
            "reminder_sent": {"type": "boolean"}, "cancellation_reason": OPTIONAL_TEXT,
            "cancelled_at": UTC_TIME, "created_at": UTC_TIME,
            "hosts": {"type": "array", "items": _ref("Host"), "description": "Who the client meets."},
            "manage_url": {"type": "string", "description": "Only in the creation answer: the "
                           "client's private link to see, move or cancel the booking."},
        },
    },
    "CancelRequest": {
        "type": "object", "additionalProperties": False,
        "properties": {"cancellation_reason": OPTIONAL_TEXT},
    },
    "Cancelled": {
        "type": "object", "required": ["id", "uid", "status", "cancellation_reason", "cancelled_at"],
        "properties": {"id": PUBLIC_ID, "uid": TEXT, "status": {"enum": ["cancelled"]},
                       "cancellation_reason": OPTIONAL_TEXT, "cancelled_at": UTC_TIME},
    },
    "Health": {
        "type": "object", "required": ["status", "service", "version", "database", "queue"],
        "properties": {"status": {"enum": ["healthy", "degraded", "unhealthy"]},
                       "service": {"const": "booking"}, "version": TEXT,
                       "database": {"enum": ["ok", "unreachable"]},
                       "queue": {"enum": ["ok", "in-process", "unreachable"]},
                       "rate_limits": {"enum": ["ok", "in-process", "fallback"]}},
    },
}

BOOKING_ID = {"name": "public_id", "in": "path", "required": True, "schema": TEXT,
              "description": "The `id` the creator received (anonymous callers); the uid or integer id "
              "with an admin API token. Anything else is 404."}
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                              "pattern": "^[\\x21-\\x7e]+$"},
                   "description": "Repeat the same key with the same body to get the first "
                   "answer again instead of a second booking; another body with it is 422. Keys belong "
                   "to the caller (the admin token, else the client address)."}
SEED_BOOKING = {
    "client_name": "Mario Rossi", "client_email": "mario@example.com",
    "client_phone": "+39 123 456 7890", "client_company": "Acme Inc",
    "service_type": "consultation", "title": "Consulenza StudiocentOS Framework",
    "description": "Vorrei discutere l'integrazione", "scheduled_at": "2025-11-05T09:00:00",
    "duration_minutes": 30, "timezone": "Europe/Rome", "meeting_provider": "google_meet",
    "client_notes": "Preferisco Google Meet",
}
SECURITY = [{}, {"bearer": []}]


def _body(schema: str, example: dict | None = None, *, required: bool = True) -> dict:
    """Return a JSON request body."""
    content = {"schema": _ref(schema), **({"example": example} if example else {})}
    return {"required": required, "content": {"application/json": content}}


PATHS = {
    "/api/v1/booking/calendar/availability": {"post": {
        "operationId": "availability", "tags": ["Public"], "summary": "Get available slots",
        "description": "Free slots per local day of the range, for one or every service type. "
                       "A month costs the same few database queries as a day.",
        "requestBody": _body("AvailabilityRequest", {
            "start_date": "2025-11-05", "end_date": "2025-11-12", "service_type": "consultation",
            "timezone": "Europe/Rome"}),
        "responses": {"200": _json(_ref("AvailabilityResponse"), "Free slots by day."),
                      **_errors(400, 413, 415, 422, 429)},
    }},
    "/api/v1/booking/bookings": {"post": {
        "operationId": "createBooking", "tags": ["Public"], "summary": "Create booking",
        "description": "Books a free slot through the same rules as the website. The answer's "
                       "`id` is the credential that opens the booking through this API (the manage "
                       "token) unless the caller sends an admin API token.",
        "security": SECURITY, "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body("BookingRequest", SEED_BOOKING),
        "responses": {"201": {**_json(_ref("Booking"), "Booked (status pending, or confirmed "
                                      "later). The Location header is the booking's URL."),
                              "headers": {"Location": {"schema": TEXT}}},
                      **_errors(400, 401, 409, 413, 415, 422, 429)},
    }},
    "/api/v1/booking/bookings/{public_id}": {"get": {
        "operationId": "getBooking", "tags": ["Public"], "summary": "Get booking",
        "security": SECURITY, "parameters": [BOOKING_ID],
        "responses": {"200": _json(_ref("Booking"), "The booking."), **_errors(401, 404)},
    }},
    "/api/v1/booking/bookings/{public_id}/cancel": {"post": {
        "operationId": "cancelBooking", "tags": ["Public"], "summary": "Cancel booking",
        "description": "Idempotent: cancelling a cancelled booking answers it unchanged. "
                       "Clients cannot cancel past the self-service cut-off (409); admins can. "
                       "The client and the business are notified once.",
        "security": SECURITY, "parameters": [BOOKING_ID],
        "requestBody": _body("CancelRequest", {"cancellation_reason": "Cliente ha cambiato idea"},
                             required=False),
        "responses": {"200": _json(_ref("Cancelled"), "The cancelled booking."),
                      **_errors(400, 401, 404, 409, 413, 415, 422, 429)},
    }},
    "/api/v1/booking/hosts": {"get": {
        "operationId": "listHosts", "tags": ["Public"], "summary": "List hosts",
        "description": "The active hosts clients can book, public fields only.",
        "responses": {"200": _json(_ref("Hosts"), "The hosts, by name.")},
    }},
    "/api/v1/booking/health": {"get": {
        "operationId": "health", "tags": ["Operations"], "summary": "Health check",
        "responses": {"200": _json(_ref("Health"), "Up (queue may be degraded)."),
                      "503": _json(_ref("Health"), "The database is unreachable.")},
    }},
}


def openapi_document() -> dict:
    """Return the OpenAPI 3.1 document of API v1."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "StudiocentOS Booking API", "version": VERSION,
                 "description": "JSON API v1, compatible with the booking system's documented "
                 "endpoints. Errors are {\"error\": {\"code\", \"message\", \"fields\"}}: codes "
                 "and keys in English, messages in the caller's language (`?lang=en|it`, else "
                 "Accept-Language, else the business default). "
                 "Bodies must be JSON. Browsers may call it from the origins in API_CORS_ORIGINS."},
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description":
                                "Admin API token from `flask --app wsgi create-api-token NAME`."}},
        },
    }
