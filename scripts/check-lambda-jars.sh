#!/usr/bin/env bash
# Checks each Lambda jar: at most 20 MB, and nothing of the shell or the embedded backend inside.
set -euo pipefail
limit=$((20 * 1024 * 1024))
status=0
for jar in "$@"; do
  size=$(stat -c %s "$jar")
  forbidden=$(unzip -Z1 "$jar" | grep -cE '^(org/sqlite/|org/jline/|picocli/|org/rapidsrivers/(embedded|hosts|cli|service|scenario)/)' || true)
  printf '%-60s %6.1f MB  forbidden classes: %s\n' "$jar" "$(echo "$size / 1048576" | bc -l)" "$forbidden"
  if [ "$size" -gt "$limit" ] || [ "$forbidden" -ne 0 ]; then
    status=1
  fi
done
exit $status
