#!/usr/bin/env bash
# The project's test command (what CI runs): builds everything and runs every test project.
# The S3 artifact-store tests start a local s3rver (npm); it is installed here on first use.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x tests/shared-infra/node_modules/.bin/s3rver ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "test.sh: npm is needed to install the local S3 server for the artifact-store tests (apt-get install -y nodejs npm)" >&2
    exit 1
  fi
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
