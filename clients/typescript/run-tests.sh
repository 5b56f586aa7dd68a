#!/usr/bin/env bash
# Builds the client and runs its tests (node --test) against the real Java server jar. Without node/npm the tests
# are skipped with a loud message locally and fail under CI=true.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  msg="node and npm are needed to test clients/typescript (Node.js 20 or newer)"
  if [ "${CI:-}" = "true" ]; then echo "FAILED: $msg" >&2; exit 1; fi
  printf '\n!!!!!!!!\n!!! SKIPPED the TypeScript client tests: %s\n!!!!!!!!\n\n' "$msg" >&2
  exit 0
fi
if [ ! -f "${ORCHESTRA4J_SERVER_JAR:-}" ]; then
  echo "FAILED: the server jar '${ORCHESTRA4J_SERVER_JAR:-}' does not exist; build the server module first" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
npm test
