"""One webhook delivery: check the address again, sign, POST with a short timeout, judge the answer."""
import socket
from dataclasses import dataclass

import requests

from webapp.webhooks.addresses import Resolver, UrlRefused, check_url
from webapp.webhooks.signing import SIGNATURE_HEADER, signature_header

#: (connect, read) seconds: a slow receiver must not hold a worker
TIMEOUT = (3.0, 10.0)
USER_AGENT = "StudiocentOS-Booking-Webhooks/1"


class DeliveryError(Exception):
    """The delivery failed; `retryable` says whether trying later can help, `status` the HTTP code."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.message, self.retryable, self.status = message, retryable, status


@dataclass(frozen=True)
class Delivery:
    """What to send where: the endpoint's URL and secret, the event's id and type, the exact body."""

    url: str
    secret: str
    event_id: str
    event_type: str
    body: bytes


def deliver(delivery: Delivery, *, timestamp: int, allow_private: bool,
            resolve: Resolver = socket.getaddrinfo) -> int:
    """POST the event signed at `timestamp` (unix seconds); return the receiver's 2xx status.

    Raises DeliveryError: final for a refused address, retryable for the rest.
    """
    try:
        check_url(delivery.url, allow_private=allow_private, resolve=resolve)
    except UrlRefused as refused:
        raise DeliveryError(refused.message, retryable=refused.retryable) from refused
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "Webhook-Id": delivery.event_id, "Webhook-Event": delivery.event_type,
               SIGNATURE_HEADER: signature_header(delivery.secret, timestamp, delivery.body)}
    with requests.Session() as session:
        session.trust_env = False  # no proxy or .netrc from the environment: the URL is the admin's
        try:
            # no redirects: a redirect could lead to an address the check above refuses
            response = session.post(delivery.url, data=delivery.body, headers=headers,
                                    timeout=TIMEOUT, allow_redirects=False)
        except requests.RequestException as exc:
            raise DeliveryError(f"{type(exc).__name__}: could not reach the receiver",
                                retryable=True) from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code} from the receiver", retryable=True,
                            status=response.status_code)
    return response.status_code
