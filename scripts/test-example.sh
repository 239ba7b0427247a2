#!/usr/bin/env bash
# make example: builds examples/greeter, a Maven project of its own, against the toolkit installed in the
# local Maven repository (make install) and runs its unit tests; then runs it on a fresh embedded stage
# twice, as rr service --jar and through its own one-line main (the stage from the environment), sends
# a page view to each and checks the greeting, and stops each with SIGTERM: exit 0 and "handled 1". Then a
# project made from the archetype, as the README says (scripts/own-service.sh), joins the offers scenario as
# a sixth service: its offer in the bundle.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
MVN="${MVN:-mvn -B}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "example: $*" >&2; exit 1; }

$MVN -q -f examples/greeter/pom.xml package || fail "examples/greeter did not build against the installed toolkit (make install puts it in ~/.m2)"
jar=examples/greeter/target/greeter-1.0.0.jar
# a service on the embedded backend carries no AWS SDK and no plane handler: its runtime dependencies say so
tree="$($MVN -q -f examples/greeter/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:tree -Dscope=runtime -DoutputFile=/dev/stdout)"
echo "$tree" | grep -q "org.rapidsrivers:hosts:" || fail "the greeter's runtime has no org.rapidsrivers:hosts: $tree"
if echo "$tree" | grep -qE "software\.amazon\.awssdk|org\.rapidsrivers:(aws|hosts-aws|control-plane-function|data-plane-function):"; then
  fail "the greeter, on the embedded backend only, carries the AWS side at run time: $(echo "$tree" | grep -E 'awssdk|rapidsrivers:(aws|hosts-aws)' | head -3)"
fi
echo "example: runtime of the greeter: $(echo "$tree" | grep -c ':jar:') artifacts, none of the AWS SDK"
export RR_DATA_DIR="$work/data" RR_STAGE=dev

listed="$(./rr service --jar "$jar" --list)"
[ "$listed" = greeter ] || fail "rr service --jar $jar --list printed '$listed', not greeter"
./rr subscribe watcher Greeting > /dev/null

# run_greeter <expected greeting> <user> <command...>: starts it, greets, stops it
run_greeter() {
  local expected="$1" user="$2"; shift 2
  local err="$work/greeter.err"
  "$@" > "$work/greeter.out" 2> "$err" &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "service greeter started" "$err" && break
    kill -0 "$pid" 2> /dev/null || { cat "$err" >&2; fail "the greeter ended before it started: $*"; }
    sleep 0.1
  done
  grep -q "service greeter started" "$err" || fail "the greeter did not start within 60 s: $*"
  ./rr send ViewPage example "{\"user\":\"$user\"}" > /dev/null
  ./rr readfrom watcher --wait 20 > "$work/greeting.json"
  grep -qF "\"text\" : \"$expected\"" "$work/greeting.json" || grep -qF "\"text\": \"$expected\"" "$work/greeting.json" \
    || { cat "$work/greeting.json" >&2; fail "no Greeting '$expected' from: $*"; }
  kill -TERM "$pid"
  local status=0
  wait "$pid" || status=$?
  pid=""
  [ "$status" = 0 ] || { cat "$err" >&2; fail "stopped by SIGTERM it exited $status, not 0: $*"; }
  grep -q "service greeter stopped: handled 1," "$err" || { cat "$err" >&2; fail "no 'stopped: handled 1' line: $*"; }
  echo "example: greeted $user ('$expected') and stopped cleanly: $*"
}

run_greeter "Hi, Ann" Ann ./rr service --jar "$jar" greeter --set salutation=Hi
RR_SET_SALUTATION=Welcome run_greeter "Welcome, Bo" Bo "$java" -cp "$jar:examples/greeter/target/lib/*" org.example.greeter.Greeter

# a sixth service of one's own, in a project the archetype made: run as a process, its offer in the bundle
own="$(scripts/own-service.sh)" || fail "the project made from the archetype did not build (scripts/own-service.sh)"
./rr service --jar "$own" weather > "$work/weather.out" 2> "$work/weather.err" &
pid=$!
for _ in $(seq 1 600); do
  grep -q "service weather started" "$work/weather.err" && break
  kill -0 "$pid" 2> /dev/null || { cat "$work/weather.err" >&2; fail "the archetype's service ended before it started"; }
  sleep 0.1
done
./rr scenario offers > "$work/scenario.out" 2>&1 || { cat "$work/scenario.out" >&2; fail "the scenario failed beside the archetype's service"; }
grep -q "and 1 more: weather weather" "$work/scenario.out" || { cat "$work/scenario.out" >&2; fail "no offer of the archetype's service in the bundle"; }
kill -TERM "$pid"; wait "$pid" || fail "the archetype's service, stopped by SIGTERM, did not exit 0"
pid=""
echo "example: a project made from the archetype built, passed its test and joined the scenario: its offer in the bundle"
