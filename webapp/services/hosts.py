"""Hosts: the default host, finding hosts, who gives a service type, and saving both.

The UI (admin host pages, `/with/<slug>`, the public host picker) calls these; the engine's
per-host inputs are loaded by `services/availability`.
"""
import re
import unicodedata

from flask_babel import gettext as _

from webapp.extensions import db
from webapp.mail.language import N_
from webapp.models import Host, ServiceType
from webapp.models.host import ASSIGNMENT_MODES, COLLECTIVE
from webapp.scheduling import is_valid_zone
from webapp.services.availability import hosts_giving
from webapp.services.errors import NotFound, ValidationFailed
from webapp.services.settings import get_settings
from webapp.services.validation import FieldErrors

DEFAULT_HOST_NAME = "Default host"
INVALID = "Please correct the highlighted fields."


def slugify(name: str) -> str:
    """Return a URL-safe slug of a name ("Ada Lovelace" -> "ada-lovelace"), never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "host"


def default_host() -> Host | None:
    """Return the default host (the one today's single calendar became), if there is one."""
    return db.session.scalar(db.select(Host).where(Host.is_default))


def ensure_default_host() -> Host:
    """Return the default host, creating it from the settings when there is none (no commit)."""
    host = default_host()
    if host is None:
        settings = get_settings()
        name = settings.business_name or settings.admin_email or DEFAULT_HOST_NAME
        # no email of its own: the business is the host, so notices go to ADMIN_EMAIL and
        # invites come from FROM_EMAIL exactly as before hosts existed
        host = Host(slug=slugify(name), name=name, is_default=True, active=True, priority=0,
                    email="", timezone=settings.business_timezone)
        db.session.add(host)
        db.session.flush()
    return host


def all_hosts() -> list[Host]:
    """Return every host, active or not, the default first, then by name (the admin's list)."""
    return list(db.session.scalars(db.select(Host).order_by(Host.is_default.desc(), Host.name, Host.id)))


def public_hosts() -> list[Host]:
    """Return the active hosts clients may see and choose, by name (one query)."""
    return list(db.session.scalars(db.select(Host).where(Host.active).order_by(Host.name, Host.id)))


def find_host(key: str | int | None) -> Host | None:
    """Return the active host with this slug (or id), or None."""
    if isinstance(key, int) and not isinstance(key, bool):
        condition = Host.id == key
    elif isinstance(key, str) and key:
        condition = Host.slug == key
    else:
        return None
    return db.session.scalar(db.select(Host).where(condition, Host.active))


def hosts_of(service: ServiceType) -> list[Host]:
    """Return the active hosts who give `service`: those listed, else the default host."""
    return hosts_giving([service])[service.key]


def services_given_by(host: Host, services: list[ServiceType]) -> list[ServiceType]:
    """Return those of `services` that `host` gives, in the given order (one query)."""
    giving = hosts_giving(services)
    return [service for service in services if host.id in {h.id for h in giving[service.key]}]


def host_for_service(service: ServiceType, key: str | int | None) -> Host:
    """Return the host a client named for `service`; raise ValidationFailed if they cannot be chosen."""
    host = find_host(key)
    if host is None or host.id not in {h.id for h in hosts_of(service)}:
        raise ValidationFailed(_(INVALID), {"host": _("This host does not offer this service.")})
    if service.assignment == COLLECTIVE:
        raise ValidationFailed(_(INVALID), {"host": _("This service meets with all its hosts together.")})
    return host


def save_host(*, name: str, email: str, timezone: str, slug: str | None = None,
              photo_url: str | None = None, active: bool = True, priority: int = 0,
              admin_user_id: int | None = None, host_id: int | None = None) -> Host:
    """Create (or change) a host; raise ValidationFailed for bad fields or a slug in use."""
    errors = FieldErrors()
    name = errors.text("name", name, required=True, max_length=120)
    # the default host may stay without an email: it is the business (notices to ADMIN_EMAIL)
    keeps_no_email = not (email or "").strip() and host_id is not None and _get_host(host_id).is_default
    email = "" if keeps_no_email else errors.email("email", email)
    photo_url = errors.text("photo_url", photo_url, required=False, max_length=500)
    if photo_url and not photo_url.startswith(("https://", "http://")):
        errors["photo_url"] = N_("Give a web address (https://...).")
    if not (isinstance(timezone, str) and is_valid_zone(timezone)):
        errors["timezone"] = N_("Unknown time zone; use an IANA name such as Europe/Rome.")
    slug = slugify(slug or name or "")
    taken = db.session.scalar(db.select(Host.id).where(Host.slug == slug))
    if taken is not None and taken != host_id:
        errors["slug"] = N_("Another host uses this address.")
    linked = db.session.scalar(db.select(Host.id).where(Host.admin_user_id == admin_user_id)) \
        if admin_user_id is not None else None
    if linked is not None and linked != host_id:
        errors["admin_user_id"] = N_("This login belongs to another host.")
    if errors:
        raise ValidationFailed(INVALID, dict(errors))
    host = _get_host(host_id) if host_id is not None else Host(is_default=False)
    host.name, host.email, host.timezone, host.slug, host.photo_url = name, email, timezone, slug, photo_url
    host.active, host.priority, host.admin_user_id = active, priority, admin_user_id
    db.session.add(host)
    db.session.commit()
    return host


def set_service_hosts(service_key: str, host_ids: list[int], assignment: str) -> ServiceType:
    """List who gives a service type and how bookings are assigned; raise ValidationFailed/NotFound."""
    service = db.session.scalar(db.select(ServiceType).where(ServiceType.key == service_key))
    if service is None:
        raise NotFound("No such service type.")
    if assignment not in ASSIGNMENT_MODES:
        raise ValidationFailed(INVALID, {"assignment": f"Choose one of: {', '.join(ASSIGNMENT_MODES)}."})
    hosts = list(db.session.scalars(db.select(Host).where(Host.id.in_(host_ids)).order_by(Host.id)))
    if len(hosts) != len(set(host_ids)):
        raise ValidationFailed(INVALID, {"hosts": N_("Choose hosts from the list.")})
    service.hosts, service.assignment = hosts, assignment
    db.session.commit()
    return service


def _get_host(host_id: int) -> Host:
    """Return the host with this id or raise NotFound."""
    host = db.session.get(Host, host_id)
    if host is None:
        raise NotFound("No such host.")
    return host
