#!/usr/bin/env bash
# Says how many tests the last make test skipped, and why, from every module's surefire and failsafe
# reports; where every test must run (RR_EVERY_TEST=1, as CI sets) any skip fails the run, naming the test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
found=$(find . -path ./.git -prune -o \( -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' \) -print 2>/dev/null)
skips=$( [ -z "$found" ] || python3 - $found <<'PY'
import sys, xml.etree.ElementTree as ET
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        continue
    for case in root.iter('testcase'):
        skipped = case.find('skipped')
        if skipped is not None:
            why = (skipped.get('message') or skipped.text or 'no reason given').strip().splitlines()[0]
            print(f"{case.get('classname')}.{case.get('name')}: {why}")
PY
)
count=$(printf '%s' "$skips" | grep -c . || true)
if [ "$count" -eq 0 ]; then
  echo "tests skipped: none"
  exit 0
fi
echo "tests skipped: $count"
printf '%s\n' "$skips" | sed 's/^/  /'
if [ "${RR_EVERY_TEST:-}" = 1 ]; then
  echo "every test must run here (RR_EVERY_TEST=1): a skipped test is a failure" >&2
  exit 1
fi
