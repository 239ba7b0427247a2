#!/usr/bin/env bash
# Checks each Lambda jar: at most 20 MB, and nothing of the shell or the embedded backend inside; a plane's
# holds no service API either, the service function's runtime (SERVICE_RUNTIME=1) holds it and no more.
set -euo pipefail
limit=$((20 * 1024 * 1024))
status=0
for jar in "$@"; do
  size=$(stat -c %s "$jar")
  if [ -n "${SERVICE_RUNTIME:-}" ]; then
    pattern='^(org/sqlite/|org/jline/|picocli/|org/rapidsrivers/(embedded|hosts|cli|scenario|offers|control|data)/)'
  else
    pattern='^(org/sqlite/|org/jline/|picocli/|org/rapidsrivers/(embedded|hosts|cli|service|scenario)/)'
  fi
  forbidden=$(unzip -Z1 "$jar" | grep -cE "$pattern" || true)
  printf '%-60s %6.1f MB  forbidden classes: %s\n' "$jar" "$(echo "$size / 1048576" | bc -l)" "$forbidden"
  if [ "$size" -gt "$limit" ] || [ "$forbidden" -ne 0 ]; then
    status=1
  fi
done
exit $status
