"""A partner's page on a second origin, for trying the widget on one machine."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flask import current_app, render_template


def partner_page(booking_origin: str) -> bytes:
    """Render the demo partner page that embeds the widget from `booking_origin`."""
    return render_template("embed/demo_partner.html", booking_origin=booking_origin).encode()


class PageServer(ThreadingHTTPServer):
    """A server of one page; `page` may be set after it starts."""

    daemon_threads = True
    page = b""


class _PageHandler(BaseHTTPRequestHandler):
    """Answer GET / with the server's page."""

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        """Send the page (only `/`; anything else is 404)."""
        found = self.path.split("?")[0] in ("/", "/index.html")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.server.page if found else b"not found")

    def log_message(self, format, *args) -> None:  # noqa: A002
        """Stay quiet: the demo must not drown the app's log."""


def serve_page(page: bytes, host: str = "127.0.0.1", port: int = 0) -> PageServer:
    """Serve `page` on host:port in a daemon thread; return the server (port 0 = any)."""
    server = PageServer((host, port), _PageHandler)
    server.page = page
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_demo(site_origin: str, port: int) -> str:
    """Serve the demo partner page embedding from `site_origin`; return its URL.

    It is served on http://localhost:`port`, or on a free port when that one is taken (the
    URL says which); OSError only when no port at all can be had.
    """
    page = partner_page(site_origin)
    try:
        server = serve_page(page, "127.0.0.1", port)
    except OSError:  # taken: the demo is a convenience, any port will do
        server = serve_page(page, "127.0.0.1", 0)
    origin = f"http://localhost:{server.server_port}"
    config = current_app.config
    if config["ENV_NAME"] != "production" and not config["EMBED_ALLOWED_ORIGINS"]:
        # Out of the box on a laptop the demo must work; an admin's saved list still wins.
        config["EMBED_ALLOWED_ORIGINS"] = [origin]
    return origin + "/"
