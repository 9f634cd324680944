#!/usr/bin/env bash
# SEC-29: a bounded schemathesis run against the API (make fuzz; part of .ci/run).
#
# A scratch SQLite database is migrated and seeded with the tiny demo county, a server is started on
# loopback (a free port), and every API operation is fuzzed with a county-admin token and then with a
# community-staff token: a fixed seed and a fixed number of examples per operation (positive and negative
# data), so two runs send the same requests. Any server error (5xx) or response that does not match the
# OpenAPI schema fails. The coverage phase (every boundary of every constraint, about 3,000 cases per
# token) is left out to stay under 5 minutes on two cores; run it by hand with FUZZ_PHASES=coverage.
#
# No operation is excluded. With these two roles the administrators' routes (create or deactivate users,
# unlock, audit log) answer 403, so no account is changed; a push only enqueues background tasks (no
# worker runs here); reveals are audited in the scratch database and may be throttled (429, documented).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
EXAMPLES=${FUZZ_EXAMPLES:-25}
PHASES=${FUZZ_PHASES:-examples,fuzzing}
SEED=${FUZZ_SEED:-22}

work=$(mktemp -d /tmp/jobcircle-fuzz.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# FUZZ_DATABASE_URL: an empty database to use instead of the scratch SQLite file (e.g. PostgreSQL, by hand).
export DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0 DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite:///$work/fuzz.sqlite3}"
export ALLOWED_HOSTS=127.0.0.1 JOBCIRCLE_PUBLIC_HOSTS=
$PY manage.py migrate -v0 2>>"$work/setup.log"
$PY manage.py seed_demo --scale tiny --seed 2 >/dev/null 2>>"$work/setup.log"
county_token=$($PY manage.py issue_token county_admin --name fuzz 2>>"$work/setup.log")
community_token=$($PY manage.py issue_token community_staff --name fuzz 2>>"$work/setup.log")

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$PY manage.py runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server=$!
$PY - "$port" <<'PY' || { echo "the server did not start; its log:"; cat "$work/server.log"; exit 1; }
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/openapi.json", timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit(1)
PY

status=0
for who in county community; do
  token_var="${who}_token"
  echo "== schemathesis as $who =="
  .venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer ${!token_var}" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$EXAMPLES" --seed "$SEED" --workers 1 --no-shrink \
    --phases "$PHASES" --suppress-health-check all \
    --generation-database none --request-timeout 30 --warnings off || status=1
done
if [ "$status" != 0 ]; then
  echo "== last lines of the server log =="
  tail -n 60 "$work/server.log"
fi
exit "$status"
