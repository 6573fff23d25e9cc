"""Production readiness: which settings are unsafe or missing (pure: configuration in, findings out).

`flask --app wsgi check-deploy` prints the findings of the running configuration. When the
app refuses to start at all, `python -m webapp.deploy_checks` reports on the environment
without creating it.
"""
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import config as app_config
from webapp.meetings.oauth_tokens import TokenCipher
from webapp.scheduling import is_valid_zone

ERROR = "error"
WARNING = "warning"
#: shortest acceptable server key (characters): secrets.token_urlsafe(32) gives 43
MIN_KEY_LENGTH = 32
OAUTH_PROVIDERS = ("GOOGLE", "ZOOM", "MICROSOFT")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
#: web processes assumed when WEB_CONCURRENCY is unset (gunicorn.conf.py starts several)
ASSUMED_WEB_PROCESSES = 2


@dataclass(frozen=True)
class Finding:
    """One unsafe or missing setting: how bad, which environment variable, what to do."""

    level: str
    setting: str
    message: str


@dataclass(frozen=True)
class Deployment:
    """What the configuration does not say: how many web processes, the raw environment."""

    web_processes: int = 1
    environ: Mapping[str, str] = field(default_factory=dict)


Check = Callable[[Mapping, Deployment], Iterable[Finding]]


def _is_https(url: str | None) -> bool:
    """Return True for an https:// URL."""
    return urlsplit(url or "").scheme == "https"


def check_environment(config: Mapping, deployment: Deployment) -> Iterable[Finding]:
    """APP_ENV must be production (it turns on the start-up checks); no debug mode; a real zone."""
    if config.get("ENV_NAME") != "production":
        yield Finding(ERROR, "APP_ENV", f"is {config.get('ENV_NAME')!r}: set APP_ENV=production "
                                        "(it turns on the start-up checks)")
    if config.get("DEBUG"):
        yield Finding(ERROR, "FLASK_DEBUG", "debug mode is on: it shows tracebacks to visitors; "
                                            "unset FLASK_DEBUG")
    if not is_valid_zone(config.get("BOOKING_TIMEZONE") or ""):
        yield Finding(ERROR, "BOOKING_TIMEZONE", f"{config.get('BOOKING_TIMEZONE')!r} is not an "
                                                 "IANA zone name such as Europe/Rome")


def check_keys(config: Mapping, deployment: Deployment) -> Iterable[Finding]:
    """SECRET_KEY (and MANAGE_TOKEN_KEY when set) must be long random values."""
    secret = config.get("SECRET_KEY") or ""
    if secret in ("", app_config.DEV_SECRET_KEY):
        yield Finding(ERROR, "SECRET_KEY", "is the development default: anyone can forge sessions "
                                           "and manage links; set a long random value")
    elif len(secret) < MIN_KEY_LENGTH:
        yield Finding(ERROR, "SECRET_KEY", f"is {len(secret)} characters: use at least "
                                           f"{MIN_KEY_LENGTH} random ones")
    manage_key = config.get("MANAGE_TOKEN_KEY")
    if manage_key and len(manage_key) < MIN_KEY_LENGTH:
        yield Finding(ERROR, "MANAGE_TOKEN_KEY", f"is {len(manage_key)} characters: use at least "
                                                 f"{MIN_KEY_LENGTH} random ones")


def check_urls(config: Mapping, deployment: Deployment) -> Iterable[Finding]:
    """BASE_URL is the public https address; session cookies travel only over HTTPS."""
    base_url = config.get("BASE_URL") or ""
    host = urlsplit(base_url).hostname or ""
    if host in LOCAL_HOSTS or host.startswith("127."):
        yield Finding(ERROR, "BASE_URL", f"{base_url!r} points at this machine: links in emails "
                                         "would not open; set the public https address")
    elif not _is_https(base_url):
        yield Finding(ERROR, "BASE_URL", f"{base_url!r} is not https: manage links would travel "
                                         "in clear")
    if not config.get("SESSION_COOKIE_SECURE"):
        yield Finding(ERROR, "SESSION_COOKIE_SECURE", "is false: the admin session cookie may be "
                                                      "sent over plain HTTP; set it to true")
    if not config.get("TRUSTED_PROXIES"):
        yield Finding(WARNING, "TRUSTED_PROXIES", "is 0: behind Caddy or nginx set it to 1, or "
                                                  "rate limits count the proxy's address instead "
                                                  "of each client's")


def check_scale(config: Mapping, deployment: Deployment) -> Iterable[Finding]:
    """Several web processes need shared jobs and rate limits; SQLite serves one host."""
    processes = deployment.web_processes
    if (config.get("SQLALCHEMY_DATABASE_URI") or "").startswith("sqlite"):
        yield Finding(WARNING, "DATABASE_URL", "is SQLite: fine on one host (back it up with "
                                               "`.backup`), but several hosts need PostgreSQL")
    if not config.get("REDIS_URL") and processes > 1:
        yield Finding(WARNING, "REDIS_URL", f"is unset: each of the {processes} web processes "
                                            "sends emails and runs the sweep itself; set REDIS_URL "
                                            "and run worker.py")
    if not config.get("RATELIMIT_ENABLED", True):
        yield Finding(WARNING, "RATELIMIT_ENABLED", "is false: nothing slows down password "
                                                    "guessing or booking floods")
    elif (config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory") and processes > 1:
        yield Finding(WARNING, "RATELIMIT_STORAGE_URI", f"is memory: each of the {processes} web "
                                                        "processes counts on its own, so limits are "
                                                        f"{processes} times looser; use Redis")


def check_mail(config: Mapping, deployment: Deployment) -> Iterable[Finding]:
    """Emails must reach people: a mail service, a real sender, an address for the business."""
    if not config.get("SENDGRID_API_KEY") and not config.get("MAIL_SERVER"):
        yield Finding(ERROR, "SMTP_HOST", "no mail service (SMTP_HOST or SENDGRID_API_KEY): emails "
                                          "are only written to files in MAIL_DIR, clients get none")
    elif (config.get("MAIL_SERVER") and config.get("MAIL_USERNAME")
          and not config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL")):
        yield Finding(ERROR, "MAIL_USE_TLS", "SMTP without TLS or SSL: the password and every "
                                             "email travel in clear")
    if config.get("FROM_EMAIL") in ("", None, "noreply@studiocentos.it"):
        yield Finding(WARNING, "FROM_EMAIL", "is the product's default address: mail from a "
                                             "domain you do not own is marked as spam")
    if not config.get("ADMIN_EMAIL"):
        yield Finding(WARNING, "ADMIN_EMAIL", "is unset: nobody hears of new bookings, and clients "
                                              "inside the cancellation window see no contact")


def check_integrations(config: Mapping, deployment: Deployment) -> Iterable[Finding]:
    """OAuth clients need their secret, https callbacks and keys to encrypt stored tokens."""
    configured = [p for p in OAUTH_PROVIDERS if config.get(f"{p}_CLIENT_ID")]
    keys = config.get("TOKEN_ENCRYPTION_KEYS")
    if configured and not keys:
        yield Finding(ERROR, "TOKEN_ENCRYPTION_KEYS", f"is unset while {', '.join(configured)} "
                                                      "OAuth is configured: stored tokens cannot "
                                                      "be encrypted")
    if keys:
        try:
            TokenCipher.from_setting(keys)
        except ValueError:
            yield Finding(ERROR, "TOKEN_ENCRYPTION_KEYS", "is not a comma-separated list of Fernet "
                                                          "keys")
    for provider in configured:
        if not config.get(f"{provider}_CLIENT_SECRET"):
            yield Finding(ERROR, f"{provider}_CLIENT_SECRET", f"is unset while {provider}_CLIENT_ID "
                                                              "is set: connecting will fail")
        redirect = config.get(f"{provider}_REDIRECT_URI")
        if redirect and not _is_https(redirect):
            yield Finding(ERROR, f"{provider}_REDIRECT_URI", f"{redirect!r} is not https")
    if not _is_https(config.get("JITSI_BASE_URL") or "https://meet.jit.si"):
        yield Finding(WARNING, "JITSI_BASE_URL", "is not https: browsers refuse camera access")
    plain = [origin for origin in config.get("EMBED_ALLOWED_ORIGINS") or [] if not _is_https(origin)]
    if plain:
        yield Finding(WARNING, "EMBED_ALLOWED_ORIGINS", f"{', '.join(plain)}: not https, so a "
                                                        "network attacker could frame the widget")


CHECKS: tuple[Check, ...] = (check_environment, check_keys, check_urls, check_scale, check_mail,
                             check_integrations)


def check_deploy(config: Mapping, *, web_processes: int = 1,
                 environ: Mapping[str, str] | None = None) -> list[Finding]:
    """Return every finding about `config`, errors first."""
    deployment = Deployment(web_processes=web_processes, environ=environ or {})
    findings = [finding for check in CHECKS for finding in check(config, deployment)]
    return sorted(findings, key=lambda finding: finding.level != ERROR)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return True when any finding is an error (the deployment is unsafe)."""
    return any(finding.level == ERROR for finding in findings)


def render(findings: list[Finding]) -> str:
    """Return the findings as lines for a terminal, with a closing summary."""
    lines = [f"{finding.level:<8} {finding.setting}: {finding.message}" for finding in findings]
    errors = sum(finding.level == ERROR for finding in findings)
    warnings = len(findings) - errors
    summary = "ready for production" if not findings else f"{errors} error(s), {warnings} warning(s)"
    return "\n".join([*lines, summary])


def main() -> int:
    """Report on the environment without creating the app (for when it refuses to start)."""
    processes = int(os.environ.get("WEB_CONCURRENCY") or ASSUMED_WEB_PROCESSES)
    findings = check_deploy(app_config.from_env(), web_processes=processes, environ=os.environ)
    print(render(findings))
    return 1 if has_errors(findings) else 0


if __name__ == "__main__":
    sys.exit(main())
