"""`flask` commands for operators."""
import click
from flask import Flask

from webapp.services.defaults import load_defaults


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the default service types and weekly availability where missing."""
    added = load_defaults()
    click.echo("\n".join(f"added {item}" for item in added) or "defaults already present")


def register(app: Flask) -> None:
    """Attach the commands to `app`."""
    app.cli.add_command(seed_demo)
