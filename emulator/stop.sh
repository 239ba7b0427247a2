#!/usr/bin/env bash
# Stops the emulators that emulator/start.sh and emulator/start-sns-sqs.sh started.
set -euo pipefail
state="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.emulator"
for name in pid sns-sqs.pid; do
  if [ -f "$state/$name" ] && kill "$(cat "$state/$name")" 2>/dev/null; then
    echo "emulator: stopped ${name%.pid}" | sed 's/stopped pid/stopped moto/'
  fi
  rm -f "$state/$name"
done
rm -f "$state/url" "$state/sns-sqs.url"
