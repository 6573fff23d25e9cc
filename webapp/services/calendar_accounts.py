"""Busy times through the connected Google and Microsoft accounts (the meeting providers' OAuth grants)."""
from datetime import datetime

from flask import current_app

from webapp.calendars.busy import BusyOptions
from webapp.calendars.fetch import SourceError
from webapp.calendars.freebusy import google_busy, graph_busy
from webapp.meetings import ProviderAuthError, ProviderError
from webapp.meetings.registry import provider_info
from webapp.meetings.transport import ApiClient, bearer
from webapp.services.integration_tokens import IntegrationTokens

#: source kind -> the meeting provider whose connected account it reads through
PROVIDER_OF_KIND = {"google": "google_meet", "microsoft": "teams"}


def read_account_busy(kind: str, calendars: list[str], start: datetime, end: datetime, now: datetime,
                      options: BusyOptions, timeout: int) -> list:
    """Return the busy intervals of a Google or Microsoft source (network; raises SourceError)."""
    post = _poster(PROVIDER_OF_KIND[kind], now, timeout)
    if kind == "google":
        return google_busy(post, calendars, start, end)
    return graph_busy(post, calendars, start, end, options)


def _poster(provider_key: str, now: datetime, timeout: int):
    """Return `post(path, body)` through the provider's connected account, refreshing a dead token once."""
    info = provider_info(provider_key)
    tokens = IntegrationTokens(provider_key, now)
    base_url = current_app.config.get(info.base_url_setting) or info.default_base_url
    client = ApiClient(base_url, bearer(tokens), name=info.name, timeout=(min(5, timeout), timeout))

    def post(path: str, body: dict) -> dict:
        """POST one JSON body; a 401 refreshes the token and tries once more."""
        try:
            try:
                return client.call("POST", path, json=body) or {}
            except ProviderAuthError:
                if tokens.refreshed:
                    raise
                tokens.refresh()
                return client.call("POST", path, json=body) or {}
        except ProviderError as exc:
            raise SourceError(exc.message) from exc
    return post
