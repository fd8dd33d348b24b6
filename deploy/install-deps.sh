#!/usr/bin/env bash
# Installs every Debian 12 package that schakel's build, tests and tools need,
# and the web console's Node.js (deploy/install-node.sh).
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  build-essential cmake pkg-config tzdata
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler
  libsqlcipher-dev libssl-dev
  libabsl-dev libicu-dev
  libboost-dev curl python3
  libcurl4-openssl-dev python3-aiosmtpd
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev
)

# --browser: also Debian's Chromium for the console's browser stories (the
# test command needs it; the demo does not).
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium fonts-dejavu-core)
fi

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
