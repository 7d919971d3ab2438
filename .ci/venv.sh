# Sourced by .ci/till and .ci/test: make .venv when it is missing, and refresh it when
# pyproject.toml changed since the last install (a stamp holds the file's hash).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))." >&2
    echo "Set PYTHON=/path/to/python3.11 or install it first." >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "Creating the virtual environment in $venv ..." >&2
    "$python" -m venv "$venv" || {
        echo "Could not create a virtual environment: on Debian/Ubuntu run 'apt-get install python3-venv'." >&2
        exit 1
    }
fi
stamp="$venv/.duka-installed"
want="$(sha256sum "$repo/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing dependencies into $venv (first run takes a few minutes) ..." >&2
    log="$venv/install.log"
    if ! { "$venv/bin/python" -m pip install --upgrade pip &&
           "$venv/bin/python" -m pip install -e "$repo[dev]"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "Installing the dependencies failed; the whole log is in $log." >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi
cd "$repo"
