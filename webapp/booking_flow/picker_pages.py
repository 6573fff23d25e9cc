"""The picker as pages show it: its state from the URL, its template context, the chosen time."""
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

from flask import abort, url_for
from flask_babel import gettext as _

from webapp.clock import now
from webapp.models.host import CLIENT_CHOOSES
from webapp.public.picker import (
    BadPickerInput,
    PickerState,
    build_view,
    first_month_with_times,
    parse_start,
    parse_state,
)
from webapp.scheduling import get_zone
from webapp.services.hosts import hosts_of
from webapp.services.settings import get_settings

#: what werkzeug leaves unescaped in a query (https://url.spec.whatwg.org/#percent-encoded-bytes)
URL_SAFE = "!$'()*,/:;?@"
#: the part of a picker page htmx swaps when a day or a month is chosen
PICKER_FRAGMENT = "public/_picker_swap.html"


def picker_state_or_400(args, service, default_tz: str) -> PickerState:
    """Parse the picker's parameters from `args`, or answer 400 with the reason."""
    try:
        return parse_state(args, service, default_tz, now())
    except BadPickerInput as exc:
        abort(400, description=str(exc))


def picker_context(service, state: PickerState, *, calendar: str, chosen: str,
                   url_values: dict, exclude_booking_id: int | None = None, offer_hosts: bool = False,
                   **extra) -> dict:
    """Return what the picker templates need, with links to the `calendar` and `chosen` endpoints.

    `url_values` are the arguments both endpoints take besides the picker's own (a service
    key, a manage token, a booking id); `exclude_booking_id` is the booking being moved,
    whose own time counts as free; `offer_hosts` shows the host choice (a new booking, not a move).
    """
    view = build_view(service, state, now(), exclude_booking_id=exclude_booking_id)
    chosen_href = links_to(chosen, url_values)
    chosen_params = {"tz": state.tz, "duration": state.duration,
                     **({"hours": state.hours} if state.hours else {}),
                     **({"host": state.host.slug} if state.host else {})}
    later = None if view.open_days else first_month_with_times(
        service, state, now(), view, exclude_booking_id=exclude_booking_id)
    return dict(
        service=service, state=state, view=view, first_open_month=later,
        picker_href=links_to(calendar, url_values),
        time_href=lambda slot: chosen_href({"start": slot.start.isoformat(), **chosen_params}),
        host_choices=host_choices(service) if offer_hosts else [],
        **extra,
    )


def links_to(endpoint: str, url_values: dict):
    """Return params -> the URL of `endpoint` with `params` as its query, as url_for builds it.

    url_for runs once; each link only encodes its query (a month page has ~40 links, and
    url_for with query arguments costs ~15 µs each).
    """
    base = url_for(endpoint, **url_values)
    glue = "&" if "?" in base else "?"

    def href(params: dict) -> str:
        query = "&".join(_query_pair(name, str(value)) for name, value in params.items() if value is not None)
        return f"{base}{glue}{query}" if query else base
    return href


@lru_cache(maxsize=4096)
def _query_pair(name: str, value: str) -> str:
    """Return `name=value` encoded as werkzeug's url_for does (most pairs repeat on every link)."""
    return urlencode([(name, value)], safe=URL_SAFE)


def host_choices(service) -> list:
    """Return the hosts a client may choose between for `service` (none: no choice to show).

    Only a `client_chooses` type with more than one host offers a choice ("Anyone" besides).
    """
    if service.assignment != CLIENT_CHOOSES:
        return []
    hosts = hosts_of(service)
    return hosts if len(hosts) > 1 else []


def chosen_start_or_400(value: str | None) -> datetime:
    """Parse the chosen slot's start (a hidden field or a link parameter), or answer 400."""
    try:
        return parse_start(value or "")
    except ValueError:
        abort(400, description=_("The chosen time is not valid. Please choose the time again."))


def chosen_time(service, fields) -> tuple[datetime, PickerState]:
    """Return the chosen start and the picker state on its day, or answer 400.

    `fields` is any form with `start`, `tz` and `duration` fields (the booking form's hidden
    ones) and optionally `host` (the chosen host's slug).
    """
    start = chosen_start_or_400(fields.start.data)
    host = getattr(fields, "host", None)
    try:  # BadPickerInput is a ValueError, as is an unknown zone
        day = start.astimezone(get_zone(fields.tz.data)).date().isoformat()
        state = parse_state({"tz": fields.tz.data, "duration": fields.duration.data, "day": day,
                             "host": host.data if host is not None else None},
                            service, get_settings().business_timezone, now())
    except BadPickerInput as exc:
        abort(400, description=str(exc))
    except ValueError:
        abort(400, description=_("The chosen time is not valid. Please choose the time again."))
    return start, state
