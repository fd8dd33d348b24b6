#!/usr/bin/env bash
# Backup, restore and key rotation times on a seeded deployment.
#
#   tools/durability/timings.sh BIN_DIR WORK_DIR [SIGNALS]
#
# BIN_DIR holds schakeld and schakel-admin (build/bin); WORK_DIR is emptied
# and used for a demo deployment seeded with SIGNALS signals (default
# 100,000), a quarter as many residents and a tenth as many handovers. The
# backup is taken while schakeld serves; the rotation runs on the stopped
# deployment; the restore writes a new deployment, which is then verified.
# Prints one line of figures (times in milliseconds).
set -euo pipefail

bin=$(cd "$1" && pwd)
work=$2
signals=${3:-100000}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
dep=$work/deployment

now_ms() { date +%s%3N; }
# Runs a command quietly (its output in WORK/<name>.log); prints its time.
timed() {
  local name=$1
  shift
  local start
  start=$(now_ms)
  "$@" >"$work/$name.log" 2>&1 || { echo "$name failed; see $work/$name.log" >&2; exit 1; }
  echo $(($(now_ms) - start))
}

"$bin/schakel-admin" init "$dep" --demo >"$work/init.log"
seed_ms=$(timed seed "$bin/schakel-admin" seed --deployment "$dep" \
  --residents $((signals / 4)) --signals "$signals" --handovers $((signals / 10)))
db_bytes=$(stat -c %s "$dep/schakel.db")

# Served while the backup is taken: the backup records itself through the API.
"$bin/schakeld" --deployment "$dep" --listen 127.0.0.1:0 >"$work/banner" 2>"$work/schakeld.log" &
pid=$!
start_ms=$(now_ms)
for _ in $(seq 1 200); do
  grep -q "listening on" "$work/banner" 2>/dev/null && break
  sleep 0.05
done
start_ms=$(($(now_ms) - start_ms))
address=$(sed -n 's/^schakeld listening on //p' "$work/banner" | head -1)
[ -n "$address" ] || { echo "schakeld did not start; see $work/schakeld.log" >&2; kill $pid; exit 1; }
backup_ms=$(timed backup "$bin/schakel-admin" backup --deployment "$dep" --to "$work/backup.bin" \
  --server "$address" --identity "$dep/users/admin")
kill -TERM $pid
wait $pid || true
backup_bytes=$(stat -c %s "$work/backup.bin")

rotate_ms=$(timed rotate "$bin/schakel-admin" key rotate --deployment "$dep")
restore_ms=$(timed restore "$bin/schakel-admin" restore --from "$work/backup.bin" \
  --deployment "$work/restored" --kek-file "$dep/demo-passphrase")
verify_ms=$(timed verify "$bin/schakel-admin" audit verify --deployment "$work/restored")

echo "durability signals=$signals db_mib=$((db_bytes / 1048576)) seed_ms=$seed_ms" \
  "start_ms=$start_ms backup_ms=$backup_ms backup_mib=$((backup_bytes / 1048576))" \
  "rotate_ms=$rotate_ms restore_ms=$restore_ms verify_restored_ms=$verify_ms"
