#!/usr/bin/env bash
# Stops the emulator that emulator/start.sh started.
set -euo pipefail
state="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.emulator"
if [ -f "$state/pid" ] && kill "$(cat "$state/pid")" 2>/dev/null; then
  echo "emulator: stopped"
else
  echo "emulator: not running"
fi
rm -f "$state/pid" "$state/url"
