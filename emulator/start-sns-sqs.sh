#!/usr/bin/env bash
# Starts fauxqs, the SNS+SQS emulator the AWS benchmark uses, on a free 127.0.0.1 port (installing it
# into emulator/sns-sqs/node_modules the first time), and prints its URL as the last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$here/.emulator"
app="$here/emulator/sns-sqs"
mkdir -p "$state"
if [ -f "$state/sns-sqs.pid" ] && kill -0 "$(cat "$state/sns-sqs.pid")" 2>/dev/null; then
  cat "$state/sns-sqs.url"
  exit 0
fi
if [ ! -d "$app/node_modules/fauxqs" ]; then
  (cd "$app" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cd "$app"
# a plain background command: $! is node itself, and nothing keeps the caller's output pipe open
nohup node start.mjs "$port" > "$state/sns-sqs.log" 2>&1 < /dev/null &
echo $! > "$state/sns-sqs.pid"
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if node -e "require('http').get('$url/health', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"; then
    echo "$url" > "$state/sns-sqs.url"
    echo "emulator: fauxqs (SNS+SQS, pid $(cat "$state/sns-sqs.pid")) on $url" >&2
    echo "$url"
    exit 0
  fi
  sleep 0.1
done
echo "emulator: fauxqs did not start; see $state/sns-sqs.log" >&2
exit 1
