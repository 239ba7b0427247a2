#!/usr/bin/env bash
# Starts LocalStack's own runtime without Docker on a free 127.0.0.1 port, unless it is running already,
# and prints its URL as the last line; emulator/stop.sh stops it. It serves Kinesis (installing the npm
# package kinesis-local by itself on first use), SNS, SQS, KMS, CloudFormation, CloudWatch, IAM, STS and
# Logs. Not DynamoDB: LocalStack runs DynamoDB Local for it, whose licence is the vendor's own and not an
# open-source one, so this project does not lay it out; DynamoDB comes from moto (AWS_ENDPOINT_URL_DYNAMODB).
# The runtime lives in .venv-localstack, made on first use with a Python of 3.13 or newer found here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="$here/.emulator"
venv="$here/.venv-localstack"
mkdir -p "$state"
if [ -f "$state/localstack.pid" ] && kill -0 "$(cat "$state/localstack.pid")" 2>/dev/null; then
  cat "$state/localstack.url"
  exit 0
fi

"$here/emulator/localstack/install.sh"
if ! command -v node > /dev/null 2>&1; then
  echo "localstack: needs Node.js for its Kinesis (kinesis-local from npm); none found" >&2
  exit 1
fi

port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
root="$state/localstack-fs"
mkdir -p "$root"
GATEWAY_LISTEN="127.0.0.1:$port" OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$root" DISABLE_EVENTS=1 DNS_ADDRESS=0 \
  SKIP_SSL_CERT_DOWNLOAD=1 LOCALSTACK_TELEMETRY_DISABLED=1 \
  SERVICES=kinesis,sns,sqs,kms,cloudformation,cloudwatch,sts,iam,logs \
  setsid nohup "$venv/bin/python" -m localstack.runtime.main > "$state/localstack.log" 2>&1 < /dev/null &
echo $! > "$state/localstack.pid"
url="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  if "$venv/bin/python" -c "import urllib.request,json,sys; h=json.load(urllib.request.urlopen('$url/_localstack/health', timeout=1)); sys.exit(0 if h['services']['kinesis'] in ('available','running') else 1)" 2>/dev/null; then
    echo "$url" > "$state/localstack.url"
    echo "localstack: LocalStack's runtime (pid $(cat "$state/localstack.pid")) on $url, no Docker; stop it with make emulator-stop" >&2
    echo "$url"
    exit 0
  fi
  if ! kill -0 "$(cat "$state/localstack.pid")" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
echo "localstack: did not start; see $state/localstack.log" >&2
tail -n 5 "$state/localstack.log" >&2 || true
exit 1
