"""deploy/prometheus/alerts.yml: valid rules, on metrics /metrics really serves."""
import re
import shutil
import subprocess

import pytest
import yaml

from tests.deploy.tools import DEPLOY
from tests.services import REDIS_URL, require

RULES = DEPLOY / "prometheus" / "alerts.yml"
RULE_TESTS = DEPLOY / "prometheus" / "alerts.test.yml"
#: metrics that Prometheus itself provides
PROMETHEUS_OWN = {"up"}


def rules() -> list[dict]:
    """Return every rule of the file."""
    return [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


def served_metric_names(client) -> set[str]:
    """Return every series name /metrics can serve (histograms with their suffixes)."""
    text = client.get("/metrics").get_data(as_text=True)
    names = set()
    for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE):
        names.add(name)
        if kind == "histogram":
            names.update(f"{name}{suffix}" for suffix in ("_bucket", "_sum", "_count"))
    return names


def test_the_documented_alerts_are_there():
    names = {rule["alert"] for rule in rules()}
    assert {"BookingOutboxBacklog", "BookingWorkerMissing", "BookingHighErrorRate"} <= names
    assert all(rule["annotations"]["summary"] and rule["labels"]["severity"] for rule in rules())


def test_every_expression_uses_metrics_the_app_serves(app):
    require(REDIS_URL, "Redis")  # the worker metrics are served only with REDIS_URL
    app.config["REDIS_URL"] = REDIS_URL
    served = served_metric_names(app.test_client())
    for rule in rules():
        used = set(re.findall(r"\b(booking_[a-z_]+)\b", rule["expr"]))
        assert used, rule["alert"]
        assert used <= served | PROMETHEUS_OWN, (rule["alert"], used - served)


@pytest.mark.parametrize("command", [("check", "rules", str(RULES)), ("test", "rules", str(RULE_TESTS))])
def test_promtool_accepts_the_rules_and_their_unit_tests(command):
    promtool = shutil.which("promtool")
    if not promtool:
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    result = subprocess.run([promtool, *command], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
