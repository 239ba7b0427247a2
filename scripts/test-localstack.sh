#!/usr/bin/env bash
# make test-localstack: the AWS conformance suite against LocalStack's own runtime, started here without
# Docker (emulator/localstack/start.sh) and stopped at the end, pass or fail; the test starts a moto for
# DynamoDB. IT=<Class#method> runs part of it (the smoke run does).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
trap 'emulator/stop.sh > /dev/null 2>&1 || true' EXIT
localstack="$(emulator/localstack/start.sh)"
echo "test-localstack: LocalStack on $localstack"
RR_LOCALSTACK_URL="$localstack" \
  ${MVN:-mvn -B} -q verify -pl conformance -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test="${IT:-LocalStackConformanceIT}"
report="conformance/target/failsafe-reports/TEST-org.rapidsrivers.hosts.LocalStackConformanceIT.xml"
summary=$(sed -n 's/.*<testsuite [^>]*tests="\([0-9]*\)"[^>]*errors="\([0-9]*\)"[^>]*skipped="\([0-9]*\)"[^>]*failures="\([0-9]*\)".*/\1 tests, \2 errors, \3 skipped, \4 failed/p' "$report" | head -n 1)
echo "test-localstack: $summary"
case "$summary" in
  *" 0 errors, 0 skipped, 0 failed") ;;
  *) echo "test-localstack: the suite must run whole on LocalStack, nothing skipped" >&2; exit 1 ;;
esac
