#!/usr/bin/env bash
# Installs LocalStack's own runtime into .venv-localstack (every version pinned in requirements.txt), with
# a Python of 3.13 or newer found on the machine, unless it is there already; one line says what is
# missing when there is no such Python. emulator/localstack/start.sh and make test call it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$here/.venv-localstack"

# A Python of 3.13 or newer: on the PATH, or one pyenv installed (the machine image has 3.13).
find_python() {
  local candidate
  for candidate in python3.14 python3.13 python3 \
      "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3 /root/.pyenv/versions/3.1[3-9]*/bin/python3 \
      /usr/local/bin/python3.1[3-9] /usr/bin/python3.1[3-9]; do
    if command -v "$candidate" > /dev/null 2>&1 \
        && "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 13) else 1)' 2> /dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x "$venv/bin/python" ] || [ "$here/emulator/localstack/requirements.txt" -nt "$venv/.installed" ]; then
  python=$(find_python) || {
    echo "localstack: needs a Python of 3.13 or newer with its venv module (localstack-core 2026.3 imports warnings.deprecated, new in 3.13); none found on the PATH or in ~/.pyenv" >&2
    exit 1
  }
  echo "localstack: installing its runtime into $venv with $python (first use)" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/emulator/localstack/requirements.txt" >&2
  touch "$venv/.installed"
fi
