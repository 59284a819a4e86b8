#!/usr/bin/env bash
# Runs a command with the project's pinned Node (dev/image/node: the Node of the function images) first on PATH, so
# `node`, the npm tools' `#!/usr/bin/env node` and every process they spawn with process.execPath run on it:
#   npm run node24 -- npx ava test/unit
#   npm run node24 -- npx tsx bench/cold-start.ts 7
# Installs that Node first if it is not there yet (npm ci in dev/image/node, a few seconds).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/node"
if [ ! -x "${dir}/node_modules/.bin/node" ]; then
  npm ci --prefix "${dir}" --no-audit --no-fund >&2
fi
if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
export PATH="${dir}/node_modules/.bin:${PATH}"
exec "$@"
