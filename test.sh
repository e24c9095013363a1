#!/usr/bin/env bash
# The project's test command (what CI runs): builds everything and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"

# Prerequisites beyond the .NET 10 SDK: Node.js/npm (the local S3 server of the artifact-store tests) and Chromium
# (the dashboard's browser test drives Debian's /usr/bin/chromium). Installed here when this runs as root with apt-get
# (as on CI); otherwise named, with the command that installs them.
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "error: the tests need ${missing[*]}, which this machine lacks" >&2
    echo "hint: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x tests/shared-infra/node_modules/.bin/s3rver ]; then
  npm ci --prefix tests/shared-infra --no-audit --no-fund
fi

dotnet build Agora.sln -c Release

# Run the tests, keep their output, and close with one summary line over all test projects.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Agora.sln -c Release --no-build "$@" 2>&1 | tee "$log" || status=$?
awk '/(Passed|Failed)! +- +Failed: /{ gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
