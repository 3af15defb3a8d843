#!/usr/bin/env bash
# Installs the front-end packages pinned by web/package-lock.json (chart.js,
# playwright-core) into web/node_modules with `npm ci`, when they are missing
# or older than the lock file.  The report's headless-browser test needs them
# (make test runs this); building allot does not (the chart library is
# committed in lib/answers/assets/report_assets.h, see docs/report.md).
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ] && [ -d node_modules/playwright-core ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "web-deps.sh: npm is missing: run scripts/deps.sh" >&2
  exit 1
fi
echo "web-deps.sh: npm ci in web/" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
