"""Which URLs a webhook may go to: http(s) only and, unless allowed, only public addresses.

A server that POSTs to any URL an admin types can be pointed at the machine itself or the
private network behind it (SSRF), so in production every address the host resolves to must
be public. The check runs when an endpoint is saved and again before each delivery (DNS
may change in between).
"""
import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
SCHEMES = ("http", "https")

#: getaddrinfo's signature: (host, port, ...) -> [(family, type, proto, canonname, sockaddr)]
Resolver = Callable[..., list]


class UrlRefused(ValueError):
    """The URL may not receive webhooks; `retryable` when only the lookup failed (DNS may recover)."""

    def __init__(self, message: str, *, retryable: bool = False):
        super().__init__(message)
        self.message, self.retryable = message, retryable


def check_url(url: str, *, allow_private: bool, resolve: Resolver = socket.getaddrinfo) -> None:
    """Raise UrlRefused unless `url` is an http(s) URL whose host resolves only to allowed addresses."""
    parts = urlsplit(url.strip())
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"Use an address of at most {MAX_URL_LENGTH} characters.")
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise UrlRefused("Use an http:// or https:// address with a host name.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("Leave the user name and password out of the address.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise UrlRefused("The port in the address is not valid.") from exc
    if allow_private:
        return
    for address in _addresses(parts.hostname, port, resolve):
        if not is_public(address):
            raise UrlRefused(f"{parts.hostname} resolves to {address}, a loopback, link-local or "
                             "private address; webhooks may only go to public addresses.")


def _addresses(host: str, port: int, resolve: Resolver) -> list[str]:
    """Return every address `host` resolves to (refusing a host that resolves to none)."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UrlRefused(f"The host {host} could not be found.", retryable=True) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UrlRefused(f"The host {host} could not be found.", retryable=True)
    return addresses


def is_public(address: str) -> bool:
    """Return True for a globally routable unicast address (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone index
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
