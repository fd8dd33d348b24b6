#!/bin/bash
# Runs schakel-bench against a fresh schakeld on a seeded deployment, the way
# docs/performance.md measures.
#
#   tools/bench/measure.sh BIN DEPLOYMENT SCENARIOS CONCURRENCY [SECONDS]
#
# BIN: the build's bin directory. DEPLOYMENT: created and seeded with
# 100,000 signals when it does not exist yet. SCENARIOS and CONCURRENCY as
# schakel-bench takes them (e.g. create-signal,get-signal and 1,8,64).
# The server listens on 127.0.0.1:27443 and is stopped at the end.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 BIN DEPLOYMENT SCENARIOS CONCURRENCY [SECONDS]" >&2
  exit 2
fi
B=$1 D=$2 S=$3 C=$4 T=${5:-5}
if [ ! -d "$D" ]; then
  "$B/schakel-admin" init "$D" --demo >/dev/null
  "$B/schakel-admin" seed --deployment "$D" --residents 20000 --signals 100000 \
    --handovers 10000 --trajectories 2000 >/dev/null
fi
LOG=$(mktemp)
"$B/schakeld" --deployment "$D" --listen 127.0.0.1:27443 >"$LOG" 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null; wait $SP 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 500); do
  grep -q listening "$LOG" && break
  sleep 0.01
done
"$B/schakel-bench" --server 127.0.0.1:27443 --identity "$D/users/regisseur" \
  --peer-identity "$D/users/partner-woej" --scenario "$S" --concurrency "$C" \
  --seconds "$T" --server-pid "$SP"
