"""Wire the outbox into a Flask app: the after-commit hooks and the app's runner."""
from flask import Flask

from webapp.outbox.dispatch import EXTENSION, register_session_hooks
from webapp.outbox.runners import EmbeddedRunner, create_runner


def init_app(app: Flask) -> None:
    """Enqueue outbox rows after commit on `app`'s runner; the embedded one starts at the first request."""
    register_session_hooks()
    runner = app.extensions[EXTENSION] = create_runner(app)
    # under TESTING the embedded runner stays idle unless the test asks (JOBS_AUTOSTART)
    if isinstance(runner, EmbeddedRunner) and runner.autostart:
        app.before_request(runner.start)
