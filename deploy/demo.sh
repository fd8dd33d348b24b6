#!/usr/bin/env bash
# Installs what schakel needs, builds it, creates a local demo deployment in
# ./demo if there is none, and runs schakeld in the foreground on 127.0.0.1.
# Safe to run again: packages, build and deployment are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

demo="$PWD/demo"
if [ ! -f "$demo/schakel.conf" ]; then
  build/bin/schakel-admin init "$demo" --demo
fi
# The web console as built (schakeld serves DIR/web).
if [ -f build/web/index.html ]; then
  rm -rf "$demo/web" && cp -r build/web "$demo/web"
fi
exec build/bin/schakeld --deployment "$demo" --listen "${SCHAKEL_LISTEN:-127.0.0.1:7443}"
