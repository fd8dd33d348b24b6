#!/bin/bash
# Runs schakel-bench against two schakeld instances on one PostgreSQL
# deployment (docs/operations.md, "Several instances"), the way
# docs/performance.md measures them against one.
#
#   tools/bench/measure-instances.sh BIN DEPLOYMENT SCENARIOS CONCURRENCY [SECONDS]
#
# DEPLOYMENT: an initialised and seeded PostgreSQL deployment (measure.sh
# makes SQLCipher ones only). Its copy DEPLOYMENT.second is made when it
# does not exist yet, as a secondary instance. The instances listen on
# 127.0.0.1:27443 and :27444; the client's connections go round both.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 BIN DEPLOYMENT SCENARIOS CONCURRENCY [SECONDS]" >&2
  exit 2
fi
B=$1 D=$2 S=$3 C=$4 T=${5:-5}
D2="$D.second"
if [ ! -d "$D2" ]; then
  cp -a "$D" "$D2"
  printf '\ninstance { secondary: true }\n' >> "$D2/schakel.conf"
fi
L1=$(mktemp) L2=$(mktemp)
"$B/schakeld" --deployment "$D" --listen 127.0.0.1:27443 --web-listen off >"$L1" 2>&1 &
P1=$!
"$B/schakeld" --deployment "$D2" --listen 127.0.0.1:27444 --web-listen off >"$L2" 2>&1 &
P2=$!
trap 'kill $P1 $P2 2>/dev/null; wait $P1 $P2 2>/dev/null; rm -f "$L1" "$L2"' EXIT
for _ in $(seq 1 500); do
  grep -q listening "$L1" && grep -q listening "$L2" && break
  sleep 0.01
done
"$B/schakel-bench" --server 127.0.0.1:27443,127.0.0.1:27444 --identity "$D/users/regisseur" \
  --peer-identity "$D/users/partner-woej" --scenario "$S" --concurrency "$C" --seconds "$T"
