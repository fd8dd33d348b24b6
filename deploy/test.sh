#!/usr/bin/env bash
# Installs what schakel needs, builds it and runs the whole test suite, then
# a 60-second smoke run of the request fuzzer and a 30-second one of the
# HTTPS port's fuzzer (a separate clang build that
# compiles only the fuzz target and what it links).
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh --tests
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"

CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCHAKEL_FUZZ=ON >/dev/null
cmake --build build-fuzz --target fuzz_requests fuzz_http -j"$(nproc)"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
# New inputs go to the temporary corpus; tests/fuzz/corpus is read only.
# A crash stops the run with a non-zero exit and leaves crash-* here: add it
# to tests/fuzz/corpus once fixed.
build-fuzz/bin/fuzz_requests -max_total_time=60 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$corpus" tests/fuzz/corpus
# And what a client sends to the HTTPS port, before any handler runs.
http_corpus="$(mktemp -d)"
trap 'rm -rf "$corpus" "$http_corpus"' EXIT
build-fuzz/bin/fuzz_http -max_total_time=30 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$http_corpus" tests/fuzz/corpus-http
