#!/usr/bin/env bash
# Lighthouse (mobile) on the public pages of `make run`'s server, with the system Chromium.
# Usage: bench/lighthouse.sh [port]   (make lighthouse). Reports: instance/lighthouse/<page>.report.{html,json}
# Fails (exit 1) when a page misses the targets: accessibility and best practices 100,
# SEO and performance >= 95, cumulative layout shift <= 0.05.
set -euo pipefail

PORT="${1:-5057}"
SITE="http://127.0.0.1:${PORT}"
OUT="instance/lighthouse"
LIGHTHOUSE="lighthouse@${LIGHTHOUSE_VERSION:-12.8.2}"  # 12.x runs on Node 18+
CHROME_PATH="${CHROME_PATH:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
[ -n "$CHROME_PATH" ] || { echo "No Chromium found: set CHROME_PATH." >&2; exit 1; }
command -v npx >/dev/null || { echo "npx (Node.js) is needed to run Lighthouse." >&2; exit 1; }
export CHROME_PATH
mkdir -p "$OUT"

# The site as `make run` serves it (SQLite, no Redis), on its own port, with its own
# database: the booking made below must not land in instance/booking.db. Stopped on exit.
export DATABASE_URL="sqlite:///$(pwd)/$OUT/lighthouse.db"
rm -f "$OUT/lighthouse.db"
.venv/bin/flask --app wsgi db upgrade >"$OUT/server.log" 2>&1
.venv/bin/flask --app wsgi seed-demo --if-empty >>"$OUT/server.log" 2>&1
.venv/bin/flask --app wsgi serve --port "$PORT" --demo-port "$((PORT + 1))" >>"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "$SITE/" >/dev/null && break; sleep 0.2; done

# The details page needs a free time: follow the calendar to the first open day and its first time.
first_link() { curl -fs "$SITE$1" | grep -o "$2" | head -1 | sed -e 's/.*href="//' -e 's/"$//' -e 's/&amp;/\&/g'; }
calendar="/book/consultation"
later=$(curl -fs "$SITE$calendar" | grep -o 'href="[^"]*"[^>]*>Go to [^<]*first month' | head -1 | sed -e 's/^href="//' -e 's/".*//' -e 's/&amp;/\&/g' || true)
[ -n "$later" ] && calendar="$later"
day=$(first_link "$calendar" 'class="open[^"]*"><a href="[^"]*"' || true)
details=""
[ -n "$day" ] && details=$(first_link "$day" 'class="time" href="[^"]*"' || true)

# The confirmation and manage pages need a booking: book one through the JSON API on the
# first weekday at least two days ahead, 10:00 Europe/Rome; its manage_url ends in the token.
manage_url=$(python3 - "$SITE" <<'PY'
import datetime, json, sys, urllib.request
day = datetime.date.today() + datetime.timedelta(days=2)
while day.weekday() >= 5:
    day += datetime.timedelta(days=1)
body = {"client_name": "Lighthouse Check", "client_email": "lighthouse@example.com",
        "service_type": "consultation", "title": "Lighthouse check",
        "scheduled_at": f"{day.isoformat()}T10:00:00", "duration_minutes": 30,
        "timezone": "Europe/Rome"}
request = urllib.request.Request(sys.argv[1] + "/api/v1/booking/bookings", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
print(json.load(urllib.request.urlopen(request))["manage_url"])
PY
)
manage="/${manage_url#*://*/}"
confirmation="/booking/${manage_url##*/}"

FAILED=0
run() {  # name path
  echo "Lighthouse: $1 ($2)"
  npx --yes "$LIGHTHOUSE" "$SITE$2" --quiet --form-factor=mobile \
    --chrome-flags="--headless=new --no-sandbox" \
    --output=html --output=json --output-path="$OUT/$1"
  python3 - "$OUT/$1.report.json" <<'PY' || FAILED=1
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
print("   ", " ".join(f"{key}={value}" for key, value in scores.items()), f"CLS={cls:.3f}")
targets = {"accessibility": 100, "best-practices": 100, "seo": 95, "performance": 95}
misses = [f"{key} {scores[key]} < {least}" for key, least in targets.items() if scores[key] < least]
misses += [f"CLS {cls:.3f} > 0.05"] if cls > 0.05 else []
if misses:
    print("    MISSED:", "; ".join(misses))
    sys.exit(1)
PY
}
run home /
run calendar "$calendar"
[ -n "$day" ] && run calendar-day "$day"
[ -n "$details" ] && run details "$details"
run confirmation "$confirmation"
run manage "$manage"
echo "Reports in $OUT/"
exit "$FAILED"
