"""axe-core in the browser tests: check the page a journey is on for serious or critical violations."""
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: true once htmx has finished every request and swap and no transition is running
SETTLED = ("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
           " && document.getAnimations().every((a) => a.playState !== 'running')")
#: the impacts that fail a test (moderate and minor ones are left to review)
FAILING = ("serious", "critical")


def describe(violations: list[dict]) -> str:
    """Return axe's violations as readable lines: rule, impact, help and the first offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"][:3]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def check_page(page: Page | Frame, where: str = "") -> None:
    """Run axe-core on the page (or one frame) as it is now; fail listing every serious or critical violation.

    Skips when node_modules has no axe-core (run `npm ci`). The script is injected once per
    document (a navigation loads a new one); the site's CSP forbids injected scripts, so the
    browser context must bypass CSP: import `browser_context_args` from here into the test module.
    Frames are checked on their own (axe would wait for an axe inside each one).
    """
    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    page.wait_for_function(SETTLED)  # a half-faded loading state would be measured as low contrast
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations'], iframes: false})")
    failing = [violation for violation in result["violations"] if violation["impact"] in FAILING]
    assert not failing, f"axe on {where or page.url}:\n{describe(failing)}"


def browser_in_rome(browser_context_args: dict, locale: str) -> dict:
    """Return context args for a `locale` browser in Rome that lets axe-core be injected."""
    return {**browser_context_args, "locale": locale, "timezone_id": "Europe/Rome", "bypass_csp": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Browser contexts that let axe-core be injected (the site's CSP allows no injected script).

    Import it into a test module to override pytest-playwright's fixture there only.
    """
    return {**browser_context_args, "bypass_csp": True}
