"""Screenshots of the main pages at phone and desktop size, for the README (`make screenshots`)."""
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "screenshots-admin-password"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
#: (client name, service, minutes, weekdays ahead, Rome wall time): a believable week for the admin pages.
BOOKINGS = [("Mario Rossi", "consultation", 30, 2, "10:00"), ("Giulia Bianchi", "demo", 30, 2, "14:30"),
            ("Luca Verdi", "support", 30, 3, "09:30"), ("Anna Neri", "training", 60, 4, "11:00"),
            ("Paolo Russo", "consultation", 30, 4, "15:00")]


def free_port() -> int:
    """A port nobody listens on now, with the next one for the widget demo."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def weekday(ahead: int) -> datetime.date:
    """The `ahead`-th weekday after today (bookings fall on the seeded Mon-Fri hours)."""
    day = datetime.date.today()
    while ahead:
        day += datetime.timedelta(days=1)
        ahead -= day.weekday() < 5
    return day


def book(site: str, name: str, service: str, minutes: int, ahead: int, clock: str) -> dict:
    """Book through the JSON API, as a program would; return the answer."""
    body = {"client_name": name, "client_email": name.lower().replace(" ", ".") + "@example.com",
            "service_type": service, "title": f"{service.title()} with {name}",
            "scheduled_at": f"{weekday(ahead).isoformat()}T{clock}:00", "duration_minutes": minutes,
            "timezone": "Europe/Rome"}
    request = urllib.request.Request(site + "/api/v1/booking/bookings", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as refused:
        sys.exit(f"booking {body['scheduled_at']} refused: {refused.read().decode()}")


def demo_url(workdir: Path) -> str:
    """The widget demo's address, as the server announced it (it moves when its port is taken)."""
    for line in (workdir / "server.log").read_text().splitlines():
        if "Widget demo on a partner origin: " in line:
            return line.split(": ", 1)[1].split()[0]
    sys.exit(f"no widget demo started: see {workdir / 'server.log'}")


def start_site(workdir: Path, port: int) -> subprocess.Popen:
    """Migrate and seed a fresh SQLite database, add an admin and serve it as `make run` does."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'booking.db'}", "MAIL_DIR": str(workdir / "mail")}
    with open(workdir / "server.log", "w") as log:  # the server keeps its own copy of the handle
        for command in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
            subprocess.run(FLASK + command, cwd=ROOT, env=env, stdout=log, stderr=log, check=True)
        subprocess.run(FLASK + ["create-admin", ADMIN_EMAIL, "--password-stdin"], cwd=ROOT, env=env,
                       input=ADMIN_PASSWORD + "\n", text=True, stdout=log, stderr=log, check=True)
        server = subprocess.Popen(FLASK + ["serve", "--port", str(port), "--demo-port", str(port + 1)],
                                  cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/").close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"the site did not start: see {workdir / 'server.log'}")


def shoot(page: Page, name: str, size: str) -> None:
    """Save what the viewport shows (not the full page: small files, the first screen)."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}-{size}.png", full_page=False)
    print(f"  {name}-{size}.png")


def public_pages(page: Page, site: str, size: str, booking: dict) -> None:
    """Home, a calendar with its first free day chosen, the details form, confirmation, manage."""
    page.goto(site + "/")
    shoot(page, "home", size)
    page.goto(site + "/book/consultation")
    later = page.locator("a", has_text="first month")
    if later.count():
        later.first.click()
        page.wait_for_load_state("networkidle")
    page.locator("td.open a").first.click()
    page.locator("a.time").first.wait_for()
    shoot(page, "calendar", size)
    page.goto(site + page.locator("a.time").first.get_attribute("href"))  # not a click: the page is scrolling
    shoot(page, "details", size)
    token = booking["manage_url"].rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{site}/booking/{token}")
    shoot(page, "confirmation", size)
    page.goto(booking["manage_url"].replace(booking["manage_url"].split("/manage")[0], site))
    shoot(page, "manage", size)


def widget_page(page: Page, demo: str, size: str) -> None:
    """The demo partner page with the widget's frame loaded."""
    page.goto(demo)
    page.wait_for_selector("iframe")
    page.wait_for_timeout(1000)  # the frame's own content settles after the partner page
    shoot(page, "widget", size)


def admin_pages(page: Page, site: str, size: str) -> None:
    """Log in, then the dashboard and the week calendar of the seeded bookings."""
    page.goto(site + "/admin/login")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")
    shoot(page, "admin-dashboard", size)
    page.goto(f"{site}/admin/calendar?week={weekday(2).isoformat()}")
    shoot(page, "admin-calendar", size)


def main() -> None:
    """Serve a seeded site on a free port and photograph every main page at both sizes."""
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        server = start_site(Path(workdir), port)
        try:
            booked = [book(site, *booking) for booking in BOOKINGS]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  is_mobile=size == "phone", has_touch=size == "phone",
                                                  locale="en-GB", timezone_id="Europe/Rome")
                    page = context.new_page()
                    public_pages(page, site, size, booked[0])
                    widget_page(page, demo_url(Path(workdir)), size)
                    admin_pages(page, site, size)
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()
    total = sum(path.stat().st_size for path in OUT.glob("*.png"))
    print(f"{OUT.relative_to(ROOT)}/: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
