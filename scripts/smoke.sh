#!/usr/bin/env bash
# Runs every make target the README and docs/ name, once, at a small size where it is a benchmark, and
# checks what each prints: make test ends with it, so a target that breaks fails the build. Each line
# `smoke <check> <target>...` below runs one check covering those targets (make test itself is what
# runs this, after make lint); DocumentedTargetsTest fails when a target the docs name is on no such line.
# SMOKE_ONLY="bench scenario" runs only the checks of those targets.
set -uo pipefail
# each target runs as a user runs it, from a shell: not as a sub-make of make test, whose flags (-j, -w)
# would print "Entering directory" lines into the output a check reads
unset MAKEFLAGS MFLAGS MAKELEVEL
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
work="$(mktemp -d)"
export RR_DATA_DIR="$work/data"
logs="$work/logs"
mkdir -p "$logs"
failed=()
total_start=$(date +%s)

cleanup() {
  emulator/stop.sh > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# expect <log> <text>...: every text must be in the log
expect() {
  local log="$1"; shift
  for text in "$@"; do
    if ! grep -qF -- "$text" "$log"; then
      echo "    missing from its output: $text"
      return 1
    fi
  done
}

# smoke <function> <target>...: runs the function, its output in a log, and says how long it took
smoke() {
  local check="$1"; shift
  local target="$*"
  if [ -n "${SMOKE_ONLY:-}" ]; then
    local wanted=no t
    for t in "$@"; do [[ " $SMOKE_ONLY " == *" $t "* ]] && wanted=yes; done
    [ "$wanted" = yes ] || return
  fi
  local log="$logs/$1.log" start end
  start=$(date +%s)
  if "$check" "$log" > "$log.why" 2>&1; then
    end=$(date +%s)
    printf 'smoke: make %-16s ok (%ds)\n' "$target" $((end - start))
  else
    end=$(date +%s)
    printf 'smoke: make %-16s FAILED (%ds)\n' "$target" $((end - start))
    cat "$log.why"
    echo "    last lines of its output:"
    tail -n 25 "$log" 2>/dev/null | sed 's/^/    | /'
    failed+=("$target")
  fi
}

check_build() { make -s build > "$1" 2>&1 && test -f cli/target/rr.jar; }
check_package() { make -s package > "$1" 2>&1 && expect "$1" "lambda.jar"; }

answers() { .venv/bin/python -c "import urllib.request; urllib.request.urlopen('$1/moto-api/', timeout=2)" 2> /dev/null; }

# the shell on the embedded backend, fed a session on standard input; a built tree starts it without Maven
check_run() {
  printf 'advertise Smoke\ntopics\nexit\n' | make -s run > "$1" 2>&1 \
    && expect "$1" 'cmd> topics' '["Smoke"]' && ! grep -q 'mvn' "$1"
}

# make example runs make install first: the greeter builds against the installed toolkit and answers on a stage
# (make install again, as a user runs it: with the sources and javadoc a service's author reads in the IDE)
check_example() {
  local repo
  repo="$(sed -n 's/.*-Dmaven\.repo\.local=\([^ ]*\).*/\1/p' .mvn/maven.config 2> /dev/null)"
  repo="${repo:-$HOME/.m2/repository}"
  rm -f target/installed
  make -s example > "$1" 2>&1 && expect "$1" "example: greeted Ann" "example: greeted Bo" \
    "example: a project made from the archetype built, passed its test and joined the scenario" \
    && for artifact in core service-api service-testing; do
         ls "$repo/org/rapidsrivers/$artifact/0.1.0-SNAPSHOT/$artifact-0.1.0-SNAPSHOT-sources.jar" \
            "$repo/org/rapidsrivers/$artifact/0.1.0-SNAPSHOT/$artifact-0.1.0-SNAPSHOT-javadoc.jar" >> "$1" || return 1
       done
}

check_scenario() { make -s scenario > "$1" 2>&1 && expect "$1" "ok: the bundle holds the five expected offers"; }

check_bench() {
  make -s bench BENCH_ARGS="--events 500 --rivers 3 --latency-seconds 1" > "$1" 2>&1 \
    && expect "$1" '"backend":"embedded"' '"lost":0' '"duplicated":0'
}

check_bench_aws() {
  make -s bench-aws BENCH_ARGS="--events 300 --rivers 3 --latency-seconds 1" > "$1" 2>&1 \
    && expect "$1" '"backend":"aws"' '"lost":0' '"e2e_speedup_vs_naive"'
}

check_bench_status() {
  make -s bench-status STATUS_RIVERS=5 > "$1" 2>&1 && expect "$1" '"rivers":5' '"status_median_ms"'
}

check_bench_archive() {
  make -s bench-archive ARCHIVE_EVENTS=20000 > "$1" 2>&1 && expect "$1" 'trace of a 10-event chain' 'events/s' 'rr archive --by-type'
}

check_bench_coldstart() {
  make -s bench-coldstart COLDSTART_RUNS=1 > "$1" 2>&1 && expect "$1" 'fanout_url-connection_ms' 'control_crt_ms' 'service_url-connection_ms'
}

# make emulator starts one that answers on the URL it prints; after make emulator-stop it answers no more
check_emulator() {
  local url
  url=$(make -s emulator 2> "$1") && echo "$url" >> "$1" && answers "$url" \
    && make -s emulator-stop >> "$1" 2>&1 && ! answers "$url"
}

check_run_aws_local() {
  printf 'send Smoke here\nsubscribe smoke Smoke\nlistsubs smoke\nexit\n' | make -s run-aws-local > "$1" 2>&1 \
    && expect "$1" 'subscribed smoke to Smoke' '["Smoke"]'
  local status=$?
  make -s emulator-stop > /dev/null 2>&1
  return $status
}

# make deploy then make deploy-services on the emulator, and a sixth service of one's own deployed from the
# jar of the project the archetype made, the offers scenario on the deployed services (the
# host runs their mappings; no rr service process; the engine's window 5 s, as every function's setting
# comes from the environment, since moto beside the shell's tests can take more than the default 2 s to
# bring location's offers), then make remove FORCE=1: no stack of the stage is left
check_deploy() {
  local url rr
  url=$(emulator/start.sh 2> /dev/null) || return 1
  rr="./rr --backend aws --emulator --endpoint-url $url --stage smoke"
  make -s deploy STAGE=smoke ENDPOINT="$url" EMULATOR=1 > "$1" 2>&1 \
    && expect "$1" "stack rr-smoke-infrastructure: created" "stack rr-smoke-planes: created" \
    && make -s deploy-services STAGE=smoke ENDPOINT="$url" EMULATOR=1 >> "$1" 2>&1 \
    && expect "$1" "stack rr-smoke-service-location: created" "stack rr-smoke-service-offer-engine: created" \
         "service offer-engine consumes [Offer, ViewPage], publishes [OfferBundle, OfferBundleAmended]" \
    && own_service_jar >> "$1" 2>&1 && own="$(tail -1 "$1")" \
    && $rr deploy --service weather --jar "$own" >> "$1" 2>&1 \
    && expect "$1" "stack rr-smoke-service-weather: created" "run it (an emulator has no Lambda): ./rr --backend aws" \
         "--host-planes --service-jar $own shell" \
    && RR_SET_WINDOW=5s $rr --host-planes --service-jar "$own" scenario offers --no-services >> "$1" 2>&1 \
    && expect "$1" "ok: the bundle holds the five expected offers, and 1 more: weather weather" \
    && make -s remove STAGE=smoke ENDPOINT="$url" EMULATOR=1 FORCE=1 >> "$1" 2>&1 \
    && expect "$1" "stack rr-smoke-service-brand: deleted" "stack rr-smoke-planes: deleted" \
         "stack rr-smoke-infrastructure: deleted" "deletion scheduled" \
    && $rr remove >> "$1" 2>&1 \
    && expect "$1" "stack rr-smoke-planes: not there" "stack rr-smoke-infrastructure: not there" \
    && no_stack_left "$url" smoke >> "$1" 2>&1
  local status=$?
  emulator/stop.sh > /dev/null 2>&1
  return $status
}

# the jar of a service of one's own, made from the archetype (make example leaves it; else it is made now)
own_service_jar() {
  local jar="$here/target/own-service/weather/target/weather-1.0.0-SNAPSHOT.jar"
  if [ -f "$jar" ]; then echo "$jar"; else scripts/own-service.sh; fi
}

# no_stack_left <endpoint> <stage>: CloudFormation lists no stack of the stage that is not deleted
no_stack_left() {
  "$here/.venv/bin/python" - "$1" "$2" <<'PY'
import os, sys, boto3
cfn = boto3.client("cloudformation", endpoint_url=sys.argv[1], region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
left = [s["StackName"] for page in cfn.get_paginator("list_stacks").paginate() for s in page["StackSummaries"]
        if s["StackName"].startswith("rr-" + sys.argv[2] + "-") and s["StackStatus"] != "DELETE_COMPLETE"]
print("stacks of the stage left:", left or "none")
sys.exit(1 if left else 0)
PY
}

# one test of the suite on LocalStack's runtime, to show the target works (make test ran it whole)
check_test_localstack() {
  make -s test-localstack IT='LocalStackConformanceIT#subscribingMakesTheRiverAndItsTopicsAreKeptSorted' > "$1" 2>&1 \
    && expect "$1" "test-localstack: 1 tests, 0 errors, 0 skipped, 0 failed"
}

smoke check_build            build
smoke check_package          package
smoke check_run              run
smoke check_example          install example
smoke check_scenario         scenario
smoke check_bench            bench
smoke check_bench_aws        bench-aws
smoke check_bench_status     bench-status
smoke check_bench_coldstart  bench-coldstart
smoke check_bench_archive    bench-archive
smoke check_emulator         emulator emulator-stop
smoke check_run_aws_local    run-aws-local
smoke check_deploy           deploy deploy-services remove
smoke check_test_localstack  test-localstack

printf 'smoke: %d s in all\n' $(( $(date +%s) - total_start ))
if [ ${#failed[@]} -gt 0 ]; then
  echo "smoke: these documented make targets failed: ${failed[*]}"
  exit 1
fi
