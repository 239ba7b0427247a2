#!/usr/bin/env bash
# Runs a command with LocalStack's own runtime up (no Docker) and named in RR_LOCALSTACK_URL, then stops it,
# pass or fail: make test runs the Maven build this way, so the conformance suite runs on LocalStack too.
# Where LocalStack cannot start here (no Python 3.13, no Node.js), one line says why and the command runs
# without it: its LocalStack tests are then reported skipped, with that reason.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if url=$("$here/emulator/localstack/start.sh"); then
  trap '"$here/emulator/stop.sh" > /dev/null 2>&1 || true' EXIT
  export RR_LOCALSTACK_URL="$url"
else
  echo "with-localstack: LocalStack did not start (the line above says why); its conformance tests will be skipped" >&2
fi
"$@"
