"""The nginx and Caddy site files are valid configurations that keep /metrics and tokens private."""
import re

from tests.deploy.tools import DEPLOY, require_tool, run

NGINX_SITE = DEPLOY / "nginx" / "booking.conf"
CADDY_SITE = DEPLOY / "caddy" / "booking.caddy"


def test_nginx_accepts_the_site_file(tmp_path):
    nginx = require_tool("nginx")
    openssl = require_tool("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
               "-subj", "/CN=booking.example.com", "-keyout", str(key), "-out", str(cert))
    assert made.returncode == 0, made.stderr
    site = (NGINX_SITE.read_text()
            .replace("/etc/letsencrypt/live/booking.example.com/fullchain.pem", str(cert))
            .replace("/etc/letsencrypt/live/booking.example.com/privkey.pem", str(key))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n")
    result = run(nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


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
