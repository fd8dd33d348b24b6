#!/usr/bin/env bash
# Installs every Debian 12 package that schakel's build and tools need, with
# --tests also what only the test suite needs, and the web console's Node.js
# (deploy/install-node.sh).
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  build-essential cmake pkg-config tzdata
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler
  libsqlcipher-dev libssl-dev libpq-dev
  libabsl-dev libicu-dev
  libboost-dev curl python3
  libcurl4-openssl-dev python3-aiosmtpd
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev
)

# --tests (--browser, its former name, still works): also what only the test
# suite needs: Debian's Chromium for the console's browser stories, and a
# PostgreSQL 15 server for the second store engine's tests, which start a
# cluster of their own (tests/support/postgres.h). The demo needs neither.
case "${1:-}" in
  "") ;;
  --tests | --browser)
    packages+=(chromium fonts-dejavu-core postgresql-15 postgresql-client-15)
    ;;
  *)
    echo "install-deps: unknown option '$1' (the one option is --tests)" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: installed ${missing[*]}"
fi

# The web console's Node.js, pinned, from the npm registry.
echo "install-deps: Node.js for the web console in $(bash "$(dirname "$0")/install-node.sh")"
