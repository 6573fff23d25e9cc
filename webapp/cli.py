"""`flask` commands for operators."""
import click
from flask import Flask

from webapp.extensions import db
from webapp.models import ServiceType
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
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the site for one machine (threaded development server)."""
    from flask import current_app

    from webapp.queue import runner

    runner(current_app).start()  # without REDIS_URL: jobs and the sweep run in this process
    click.echo(f"StudiocentOS Booking on http://{host}:{port}  (Ctrl-C stops it)")
    current_app.run(host=host, port=port, threaded=True, use_reloader=False)


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


def register(app: Flask) -> None:
    """Attach the commands to `app`."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
    app.cli.add_command(create_api_token_command)
