"""`flask` commands for operators."""
import logging
import sys
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from werkzeug.serving import make_server

from webapp.embed.demo import start_demo
from webapp.extensions import db
from webapp.mail.language import LANGUAGES
from webapp.models import ServiceType
from webapp.outbox import run_sweep, runner
from webapp.services.defaults import load_defaults


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when no service type exists yet.")
def seed_demo(if_empty: bool) -> None:
    """Load the default service types and weekly availability where missing."""
    if if_empty and db.session.scalar(db.select(ServiceType.id).limit(1)) is not None:
        click.echo("service types already configured; nothing loaded")
        return
    added = load_defaults()
    click.echo("\n".join(f"added {item}" for item in added) or "defaults already present")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, envvar="PORT",
              help="Port of the site (environment: PORT).")
@click.option("--demo-port", type=int, envvar="DEMO_PORT",
              help="Port of the widget demo page (environment: DEMO_PORT)  [default: PORT + 1,"
                   " or a free one if that is taken]")
def serve(host: str, port: int, demo_port: int | None) -> None:
    """Serve the site for one machine, with the widget demo on a second origin."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    app = current_app._get_current_object()
    try:  # bind before announcing anything: a taken port is a message, not a traceback
        server = make_server(host, port, app, threaded=True)
    except (OSError, SystemExit) as exc:  # werkzeug prints why it cannot bind, then exits
        reason = f" ({exc.strerror})" if isinstance(exc, OSError) else ""
        raise click.ClickException(
            f"cannot serve on {host}:{port}{reason}. Choose another port: "
            "`make run PORT=8000` or `flask --app wsgi serve --port 8000`.") from None
    runner(app).start()  # without REDIS_URL: jobs and the sweep run in this process
    site = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    click.echo(f"StudiocentOS Booking on {site}  (Ctrl-C stops it)")
    click.echo(demo_announcement(site, port + 1 if demo_port is None else demo_port))
    if not app.config.get("MAIL_SERVER") and not app.config.get("SENDGRID_API_KEY"):
        click.echo(f"Emails are written to {app.config['MAIL_DIR']}/ (no mail server configured)")
    server.serve_forever()  # returns on Ctrl-C


def demo_announcement(site: str, port: int) -> str:
    """Start the widget demo for `site` on `port` (or a free one); say where, or why not."""
    try:
        url = start_demo(site, port)
    except OSError as exc:
        return f"Widget demo skipped: no port to serve it on ({exc.strerror})."
    taken = "" if urlsplit(url).port == port else f"  (port {port} is taken; DEMO_PORT chooses another)"
    return f"Widget demo on a partner origin: {url}{taken}"


@click.command("create-api-token")
@click.argument("name")
def create_api_token_command(name: str) -> None:
    """Create an admin API token called NAME and print it (it is shown only this once)."""
    from webapp.services.api_tokens import create_api_token

    try:
        token = create_api_token(name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    click.echo(token)


@click.group("api-token")
def api_token_group() -> None:
    """List and revoke admin API tokens (create one with `create-api-token NAME`)."""


@api_token_group.command("list")
def list_api_tokens_command() -> None:
    """Print every token: id, name, created, last used, revoked (never the token itself)."""
    from webapp.services.api_tokens import list_api_tokens

    tokens = list_api_tokens()
    if not tokens:
        click.echo("no API tokens")
    for record in tokens:
        state = f"revoked {_when(record.revoked_at)}" if record.revoked_at else "live"
        click.echo(f"{record.id}\t{record.name}\tcreated {_when(record.created_at)}"
                   f"\tlast used {_when(record.last_used_at)}\t{state}")


@api_token_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**63 - 1))
def revoke_api_token_command(token_id: int) -> None:
    """Revoke the token with id TOKEN_ID (see `api-token list`); calls with it get 401 at once."""
    from webapp.clock import now
    from webapp.services.api_tokens import revoke_api_token

    record = revoke_api_token(token_id, now())
    if record is None:
        raise click.ClickException(f"no API token with id {token_id}")
    click.echo(f"revoked API token {record.id} ({record.name}) at {_when(record.revoked_at)}")


def _when(moment) -> str:
    """Format an optional instant for the token list."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


@click.command("create-admin")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@click.option("--role", type=click.Choice(["admin", "host"]), default=None,
              help="host: the login sees only its linked host's calendar (a new account: admin).")
@click.option("--language", type=click.Choice(LANGUAGES), default=None,
              help="The admin pages' language for this account (default: the business's).")
def create_admin_command(email: str, password_stdin: bool, role: str | None, language: str | None) -> None:
    """Create an admin who logs in with EMAIL (or set a new password for an existing one)."""
    from webapp.services.admin_accounts import create_admin
    from webapp.services.errors import ValidationFailed

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else \
        click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        _admin, created = create_admin(email, password, role, language)
    except ValidationFailed as exc:
        raise click.ClickException(" ".join(exc.fields.values())) from None
    click.echo(f"{'created' if created else 'updated'} admin {email}")


@click.command("sign-out-everywhere")
@click.argument("email", required=False)
def sign_out_everywhere_command(email: str | None) -> None:
    """End every session of the admin EMAIL (of every admin without EMAIL); they log in again."""
    from webapp.services.admin_accounts import end_every_admins_sessions, end_sessions, find_admin

    if email is None:
        click.echo(f"ended the sessions of {end_every_admins_sessions()} admin(s)")
        return
    admin = find_admin(email)
    if admin is None:
        raise click.BadParameter("no admin has this email", param_hint="EMAIL")
    end_sessions(admin)
    click.echo(f"ended every session of {admin.email}")


@click.command("rotate-token-keys")
def rotate_token_keys_command() -> None:
    """Re-encrypt stored OAuth tokens with the newest key in TOKEN_ENCRYPTION_KEYS."""
    from webapp.services.integrations import rotate_token_keys

    try:
        changed = rotate_token_keys()
    except ValueError as exc:  # a stored token matches none of the configured keys
        raise click.ClickException(str(exc)) from None
    click.echo(f"re-encrypted the tokens of {changed} integration(s) with the newest key")


@click.command("sweep")
def sweep_command() -> None:
    """Run the outbox sweep once (worker.py and `flask serve` run it every minute)."""
    result = run_sweep()
    click.echo(f"completed {result['completed']} bookings; queued {result['enqueued']} messages")


@click.command("check-deploy")
@click.option("--web-processes", type=int, envvar="WEB_CONCURRENCY",
              help="Web processes per host (environment: WEB_CONCURRENCY)  [default: 2]")
def check_deploy_command(web_processes: int | None) -> None:
    """Report every unsafe or missing production setting; exit 1 if any is an error."""
    import os

    from webapp.deploy_checks import ASSUMED_WEB_PROCESSES, check_deploy, has_errors, render

    findings = check_deploy(current_app.config, environ=os.environ,
                            web_processes=web_processes or ASSUMED_WEB_PROCESSES)
    click.echo(render(findings))
    if has_errors(findings):
        sys.exit(1)


@click.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The JSON file to write ('-' for standard output).")
def export_command(output: str) -> None:
    """Export service types, rules, blocked dates, settings and bookings as JSON (no admins)."""
    import json

    from webapp.clock import now
    from webapp.services.backup import TABLES, export_data

    document = export_data(now())
    with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as stream:
        json.dump(document, stream, ensure_ascii=False, indent=1)
        stream.write("\n")
    if output != "-":
        counts = _counts_text({name: len(document[name]) for name in TABLES})
        click.echo(f"exported {counts} to {output} (it holds clients' personal data: keep it safe)")


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_command(file) -> None:
    """Import an export into this empty, migrated database (refused otherwise)."""
    import json

    from webapp.services.backup import ImportRefused, import_data

    try:
        counts = import_data(json.load(file))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{file.name} is not JSON ({exc.msg}, line {exc.lineno}).") from None
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"imported {_counts_text(counts)}")
    click.echo("Admins and API tokens are not in exports: `flask create-admin` makes one.")


def _counts_text(counts: dict[str, int]) -> str:
    """Return "3 service_types, 12 bookings, ..." for an export's or import's row counts."""
    return ", ".join(f"{count} {name}" for name, count in counts.items())


def register(app: Flask) -> None:
    """Attach the commands to `app`."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(create_api_token_command)
    app.cli.add_command(api_token_group)
    app.cli.add_command(rotate_token_keys_command)
    app.cli.add_command(sign_out_everywhere_command)
    app.cli.add_command(sweep_command)
    app.cli.add_command(check_deploy_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
