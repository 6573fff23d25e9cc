"""The nginx and Caddy site files are valid configurations that keep /metrics and tokens private."""
import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.deploy.tools import DEPLOY, ROOT, free_port, require_tool, run, wait_until

NGINX_SITE = DEPLOY / "nginx" / "booking.conf"
CADDY_SITE = DEPLOY / "caddy" / "booking.caddy"


def nginx_config(tmp_path: Path, site: str) -> Path:
    """Write a main nginx.conf around `site` with a self-signed certificate; return its path."""
    openssl = require_tool("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
               "-subj", "/CN=booking.example.com", "-keyout", str(key), "-out", str(cert))
    assert made.returncode == 0, made.stderr
    (tmp_path / "site.conf").write_text(
        site.replace("/etc/letsencrypt/live/booking.example.com/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/booking.example.com/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/"))
    temp = "".join(f"{kind}_temp_path {tmp_path}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    user = "user root;\n" if os.geteuid() == 0 else ""  # pytest's tmp_path is private to us
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
                    f"events {{}}\nhttp {{\n{mime}\n{temp}include {tmp_path}/site.conf;\n}}\n")
    return conf


def test_nginx_accepts_the_site_file(tmp_path):
    nginx = require_tool("nginx")
    conf = nginx_config(tmp_path, NGINX_SITE.read_text())
    result = run(nginx, "-t", "-p", str(tmp_path), "-c", str(conf))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture
def nginx_in_front(gunicorn, tmp_path):
    """nginx with the site file on free loopback ports, in front of the test's gunicorn."""
    nginx = require_tool("nginx")
    http_port, https_port = free_port(), free_port()
    site = NGINX_SITE.read_text()
    site = re.sub(r"^\s*listen \[::\]:.*$", "", site, flags=re.MULTILINE)
    site = (site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
            .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{gunicorn.port};")
            .replace("/opt/booking/static/", f"{ROOT}/static/"))
    conf = nginx_config(tmp_path, site)
    process = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"])
    try:
        with httpx.Client(base_url=f"https://127.0.0.1:{https_port}", verify=False, timeout=10,
                          headers={"Host": "booking.example.com"}) as client:
            def serving() -> bool:
                """Return True once nginx answers (fail if it exited)."""
                assert process.poll() is None, (tmp_path / "error.log").read_text()
                try:
                    return client.get("/api/v1/booking/health").status_code == 200
                except httpx.TransportError:
                    return False
            wait_until(serving, "nginx to answer", seconds=30)
            yield client, http_port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_nginx_serves_static_files_compressed_and_cached(nginx_in_front, gunicorn):
    client, _ = nginx_in_front
    css = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200 and "--" in css.text  # decoded CSS
    assert css.headers["Content-Encoding"] == "gzip"
    assert css.headers["Cache-Control"] == "public, max-age=86400"
    assert "max-age=31536000" in css.headers["Strict-Transport-Security"]
    assert "/static/" not in gunicorn.settled_access_log()  # nginx served it from disk


def test_nginx_hides_metrics_and_refuses_big_bodies(nginx_in_front, gunicorn):
    client, _ = nginx_in_front
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics/anything").status_code == 404
    too_big = client.post("/api/v1/booking/bookings", content=b"x" * (2 * 1024 * 1024),
                          headers={"Content-Type": "application/json"})
    assert too_big.status_code == 413
    app_log = gunicorn.settled_access_log()  # neither request reached the app
    assert "/metrics" not in app_log and "POST" not in app_log


def test_nginx_redirects_http_and_forwards_a_request_id(nginx_in_front, gunicorn):
    client, http_port = nginx_in_front
    plain = httpx.get(f"http://127.0.0.1:{http_port}/book/consultation",
                      headers={"Host": "booking.example.com"})
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://booking.example.com/book/consultation"
    page = client.get("/")
    assert page.status_code == 200 and "max-age=31536000" in page.headers["Strict-Transport-Security"]
    line = re.compile(r'^127\.0\.0\.0 "GET /" 200 \d+ \d+ms "[0-9a-f]{32}"$', re.MULTILINE)
    assert line.search(gunicorn.settled_access_log())


def test_caddy_accepts_the_site_file():
    caddy = require_tool("caddy")
    result = run(caddy, "validate", "--adapter", "caddyfile", "--config", str(CADDY_SITE))
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
    assert "not formatted" not in result.stderr  # `caddy fmt` would leave it unchanged


def test_both_proxies_deny_metrics_serve_static_and_log_no_token():
    nginx, caddy = NGINX_SITE.read_text(), CADDY_SITE.read_text()
    assert "location = /metrics { return 404; }" in nginx
    assert "@metrics path /metrics /metrics/*" in caddy and "respond @metrics 404" in caddy
    assert re.search(r"location \^~ /static/ \{\s+alias /opt/booking/static/;", nginx)
    assert "handle /static/*" in caddy
    assert "Cache-Control" in nginx and "Cache-Control" in caddy
    assert "access_log off;" in nginx and not re.search(r"^\s*log\b", caddy, re.MULTILINE)
    # The one proxy hop the app trusts (TRUSTED_PROXIES=1) overwrites X-Forwarded-For.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert "client_max_body_size 1m;" in nginx and "max_size 1MB" in caddy
