#!/usr/bin/env bash
# SEC-31: fail CI on known vulnerabilities in the pinned Python and npm dependencies.
# When a vulnerability service cannot be reached, say so loudly instead of pretending the audit passed.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

py_out=$(.venv/bin/pip-audit -r requirements/base.txt --progress-spinner off 2>&1); py_rc=$?
if [ $py_rc -ne 0 ] && ! grep -q "could not be audited" <<<"$py_out"; then
  echo "$py_out"; echo "pip-audit: vulnerable dependencies (see above)"; status=1
elif grep -q "could not be audited" <<<"$py_out"; then
  echo "WARNING pip-audit: the vulnerability service is unreachable from here; Python dependencies NOT audited"
else
  echo "pip-audit: no known vulnerabilities"
fi

if [ -f package-lock.json ]; then
  npm_out=$(npm audit --omit=dev --audit-level=high 2>&1); npm_rc=$?
  if grep -q "audit endpoint returned an error" <<<"$npm_out"; then
    echo "WARNING npm audit: the registry's audit endpoint is unavailable here; npm dependencies NOT audited"
  elif [ $npm_rc -ne 0 ]; then
    echo "$npm_out"; echo "npm audit: vulnerable dependencies (see above)"; status=1
  else
    echo "npm audit: no known high or critical vulnerabilities"
  fi
fi
exit $status
