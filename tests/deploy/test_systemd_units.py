"""The systemd units load cleanly (`systemd-analyze verify`) and their hardening applies."""
import re
import shutil

import pytest

from tests.deploy.tools import DEPLOY, require_tool, run

UNITS = DEPLOY / "systemd"
#: instances checked (the worker is a template: booking-worker@1, @2, ...)
CHECKED = ("booking-web.service", "booking-worker@1.service", "booking-migrate.service")
#: systemd-analyze security's exposure scale: 0 is locked down, 10 is wide open
MAX_EXPOSURE = 2.5


@pytest.fixture
def unit_tree(tmp_path):
    """Copy the units into a temporary tree whose /opt/booking and /etc/booking exist."""
    app, etc = tmp_path / "opt" / "booking", tmp_path / "etc" / "booking"
    (app / ".venv" / "bin").mkdir(parents=True)
    etc.mkdir(parents=True)
    (etc / "booking.env").write_text("APP_ENV=production\n")
    for program in ("gunicorn", "python", "flask"):
        executable = app / ".venv" / "bin" / program
        executable.write_text("#!/bin/sh\n")
        executable.chmod(0o755)
    units = tmp_path / "units"
    shutil.copytree(UNITS, units)
    for unit in units.glob("*.service"):
        text = unit.read_text().replace("/opt/booking", str(app)).replace("/etc/booking", str(etc))
        unit.write_text(text)
    return units


def analyze(units, *args: str):
    """Run systemd-analyze with only `units` (and the system's own units) on the search path."""
    tool = require_tool("systemd-analyze")
    return run(tool, *args, cwd=units, env={"SYSTEMD_UNIT_PATH": f"{units}:", "PATH": "/usr/bin:/bin"})


def test_every_unit_verifies_without_a_warning(unit_tree):
    result = analyze(unit_tree, "verify", *CHECKED)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # unknown keys are only warnings


def test_verify_catches_a_broken_unit(unit_tree):
    """The check can fail: a missing program is an error, an unknown key a warning."""
    unit = unit_tree / "booking-migrate.service"
    unit.write_text(unit.read_text().replace("/flask ", "/no-such-flask ") + "Typo=yes\n")
    result = analyze(unit_tree, "verify", "booking-migrate.service")
    assert result.returncode != 0
    assert "no-such-flask" in result.stderr and "Typo" in result.stderr


@pytest.mark.parametrize("unit", CHECKED)
def test_the_shared_hardening_applies_to_every_unit(unit_tree, unit):
    result = analyze(unit_tree, "security", "--offline=yes", "--no-pager", unit)
    exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert exposure, result.stdout + result.stderr
    assert float(exposure.group(1)) <= MAX_EXPOSURE, result.stdout


def test_the_units_match_how_the_product_runs():
    """Web is gunicorn with a graceful reload; the sweep runs inside worker.py (no timer unit)."""
    web = (UNITS / "booking-web.service").read_text()
    assert "gunicorn --config /opt/booking/deploy/gunicorn.conf.py wsgi:app" in web
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in web
    assert "worker.py" in (UNITS / "booking-worker@.service").read_text()
    assert "SweepTimer" in (DEPLOY.parent / "worker.py").read_text()
    assert not list(UNITS.glob("*.timer"))
    migrate = (UNITS / "booking-migrate.service").read_text()
    assert "Type=oneshot" in migrate and "db upgrade" in migrate
    for unit in UNITS.glob("*.service"):
        assert "EnvironmentFile=/etc/booking/booking.env" in unit.read_text()
        assert "User=booking" in unit.read_text()
