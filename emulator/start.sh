#!/usr/bin/env bash
# Starts the emulator (moto's server from .venv, DynamoDB's conditions made atomic by emulator/moto-server)
# in the background on a free 127.0.0.1 port, unless it is already running, and prints its endpoint URL as
# the last line. make emulator-stop stops it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$here/.emulator"
moto="$here/emulator/moto-server"
mkdir -p "$state"
if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
  cat "$state/url"
  exit 0
fi
if [ ! -x "$here/.venv/bin/moto_server" ]; then
  echo "emulator: moto is missing from $here/.venv; run make emulator (it installs .venv first)" >&2
  exit 1
fi
# port 0: the system picks a free port and moto says which, so nothing can take it in between
nohup "$moto" -H 127.0.0.1 -p 0 > "$state/moto.log" 2>&1 < /dev/null &
echo $! > "$state/pid"
for _ in $(seq 1 100); do
  url=$(sed -n 's|.*Running on \(http://127\.0\.0\.1:[0-9]*\).*|\1|p' "$state/moto.log" | head -n 1)
  if [ -n "$url" ] && "$here/.venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('$url/moto-api/', timeout=1)" 2>/dev/null; then
    echo "$url" > "$state/url"
    echo "emulator: moto server (pid $(cat "$state/pid")) on $url; stop it with make emulator-stop" >&2
    echo "$url"
    exit 0
  fi
  sleep 0.1
done
echo "emulator: moto server did not start; see $state/moto.log" >&2
exit 1
