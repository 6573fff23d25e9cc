"""The connected Google and Microsoft accounts (the meeting providers' OAuth grants) as calendar clients."""
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
    call = account_client(kind, now, timeout)

    def post(path: str, body: dict) -> dict:
        """POST one JSON body through the account."""
        return call("POST", path, json=body) or {}
    if kind == "google":
        return google_busy(post, calendars, start, end)
    return graph_busy(post, calendars, start, end, options)


def account_client(kind: str, now: datetime, timeout: int):
    """Return `call(method, path, **options)` through the kind's connected account.

    A 401 refreshes the token and tries once more; failures raise SourceError with the status.
    """
    info = provider_info(PROVIDER_OF_KIND[kind])
    tokens = IntegrationTokens(info.key, now)
    base_url = current_app.config.get(info.base_url_setting) or info.default_base_url
    client = ApiClient(base_url, bearer(tokens), name=info.name, timeout=(min(5, timeout), timeout))

    def call(method: str, path: str, **options) -> dict | None:
        """Send one request; a dead token is refreshed once."""
        try:
            try:
                return client.call(method, path, **options)
            except ProviderAuthError:
                if tokens.refreshed:
                    raise
                tokens.refresh()
                return client.call(method, path, **options)
        except ProviderError as exc:
            raise SourceError(exc.message, exc.status) from exc
    return call
