#!/usr/bin/env bash
# SparseLoCo vs DiLoCo vs data-parallel at config `small` (4 peers, H = 15), on tinyshakespeare when the shared data
# folder is there, else on the built-in corpus. Runs as many rounds as fit in BUDGET_S seconds (default 600): one
# SparseLoCo round is timed first (the three methods cost about the same per round; 30 s are kept for start-up).
# Usage: bench/sparseloco/compare.sh [extra `agora experiment compare` options]
# Env: BUDGET_S (600), ROUNDS (skip the calibration), OUT (.agora/sparseloco-compare), THREADS (all cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUDGET_S=${BUDGET_S:-600}
OUT=${OUT:-.agora/sparseloco-compare}
THREADS=${THREADS:-$(nproc)}
DATA=()
for candidate in ../shared/data/tinyshakespeare.txt /work/shared/data/tinyshakespeare.txt; do
  if [[ -f $candidate ]]; then DATA=(--data "$candidate"); break; fi
done

mkdir -p "$OUT"
dotnet build src/Agora.Cli -c Release -v quiet -nologo >/dev/null
agora() { dotnet src/Agora.Cli/bin/Release/net10.0/agora.dll "$@"; }
common=(experiment compare --config small --peers 4 --inner-steps 15 --threads "$THREADS" "${DATA[@]}")

if [[ -z ${ROUNDS:-} ]]; then
  # Time one SparseLoCo round from the CSV's seconds column (training only, without start-up and tokenizer training).
  agora "${common[@]}" --rounds 1 --methods sparseloco --out "$OUT/calibration" "$@" >/dev/null
  round_s=$(awk -F, '$1 == "sparseloco" && $2 == 1 { print $7 }' "$OUT/calibration/compare.csv")
  ROUNDS=$(echo "r = ($BUDGET_S - 30) / (3 * $round_s); if (r < 1) 1 else r / 1" | bc)
  echo "one round took ${round_s}s; running $ROUNDS rounds per method"
fi

agora "${common[@]}" --rounds "$ROUNDS" --out "$OUT" "$@" | tee "$OUT/run.log"
awk -F, 'NR > 1 { last[$1] = $6 } END {
  gap = (last["sparseloco"] - last["diloco"]) / last["diloco"] * 100
  printf "sparseloco %.4f vs diloco %.4f held-out loss: %+.2f%% (target within 3%%)\n", last["sparseloco"], last["diloco"], gap
}' "$OUT/compare.csv"
