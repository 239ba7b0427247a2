#!/usr/bin/env bash
# Stops the emulators that emulator/start.sh, emulator/start-sns-sqs.sh and emulator/localstack/start.sh
# started (LocalStack with the processes it started, such as its Kinesis).
set -euo pipefail
state="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.emulator"
for name in pid sns-sqs.pid localstack.pid; do
  if [ -f "$state/$name" ]; then
    pid="$(cat "$state/$name")"
    if [ "$name" = localstack.pid ]; then
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      echo "emulator: stopped localstack"
    elif kill "$pid" 2>/dev/null; then
      echo "emulator: stopped ${name%.pid}" | sed 's/stopped pid/stopped moto/'
    fi
  fi
  rm -f "$state/$name"
done
rm -f "$state/url" "$state/sns-sqs.url" "$state/localstack.url"
