#!/usr/bin/env bash
# The project's test command: builds everything and runs every test project (what CI runs).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Agora.sln -c Release
dotnet test Agora.sln -c Release --no-build "$@"
