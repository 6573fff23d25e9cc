"""Production refuses to start unsafe: unknown APP_ENV, weak or public SECRET_KEY, debug mode."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import ConfigError, create_app

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k3Y-" + "x7" * 20
SQLITE = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}


def start_wsgi(**env: str) -> subprocess.CompletedProcess:
    """Import `wsgi` (what gunicorn loads) in a fresh process with `env`; return the run."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "APP_ENV", "FLASK_DEBUG", "REDIS_URL")}
    environment.update(DATABASE_URL="sqlite://", **env)
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("spelling", ["Production", "PRODUCTION", " production "])
def test_production_in_any_case_refuses_the_public_development_key(monkeypatch, spelling):
    monkeypatch.setenv("APP_ENV", spelling)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(SQLITE)


def test_a_real_server_process_refuses_to_start_as_Production_without_a_key():
    run = start_wsgi(APP_ENV="Production")
    assert run.returncode != 0 and "SECRET_KEY" in run.stderr


@pytest.mark.parametrize("name", ["prod", "staging", "", "produzione"])
def test_an_unknown_environment_is_refused_naming_the_allowed_ones(name):
    with pytest.raises(ConfigError, match="development, test, production"):
        create_app({**SQLITE, "ENV_NAME": name})


@pytest.mark.parametrize("key", ["a", "x" * 31, "dev-only-insecure-secret-key", "test-secret-key",
                                 "CHANGEME"])
def test_short_or_well_known_keys_are_refused_in_production(key):
    with pytest.raises(ConfigError, match="at least 32 characters"):
        create_app({**SQLITE, "ENV_NAME": "production", "SECRET_KEY": key})


def test_debug_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="Debug"):
        create_app({**SQLITE, "ENV_NAME": "production", "SECRET_KEY": STRONG_KEY})
    monkeypatch.delenv("FLASK_DEBUG")
    with pytest.raises(ConfigError, match="Debug"):
        create_app({**SQLITE, "ENV_NAME": "production", "SECRET_KEY": STRONG_KEY, "DEBUG": True})


def test_a_real_server_process_refuses_debug_in_production():
    run = start_wsgi(APP_ENV="production", SECRET_KEY=STRONG_KEY, FLASK_DEBUG="1")
    assert run.returncode != 0 and "Debug mode" in run.stderr


def test_a_safe_production_starts_and_development_keeps_its_conveniences(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app({**SQLITE, "ENV_NAME": "Development"}).config["ENV_NAME"] == "development"
    monkeypatch.delenv("FLASK_DEBUG")
    app = create_app({**SQLITE, "ENV_NAME": "PRODUCTION", "SECRET_KEY": STRONG_KEY})
    assert app.config["ENV_NAME"] == "production"
