#!/usr/bin/env bash
# The system packages `make test` needs, installed where missing (Debian/Ubuntu).
#
#   scripts/system-deps.sh            # install what is missing (needs root), or say what is
#   scripts/system-deps.sh --dry-run  # print the missing packages, one line, install nothing
#
# python3-venv   make's virtual environment (.venv)
# postgresql     the search tests' throwaway server (scripts/test-postgres.sh)
# chromium, chromium-driver   the browser tests of the notebooks (selenium)
# fonts-noto-cjk the Korean text in the notebooks' figures
#
# Each probe looks at what the tests use: PATH for programs, fc-list for the
# font, PG_LIB (default /usr/lib/postgresql) for Debian's PostgreSQL programs,
# and `$PYTHON -m venv` (default python3) unless .venv already exists.
# As root with apt-get: one `apt-get update`, one `apt-get install`. Otherwise one
# line on stderr naming the missing packages and the command that installs them,
# and exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."

dry_run=0
case "${1:-}" in
"") ;;
--dry-run) dry_run=1 ;;
*) echo "usage: $0 [--dry-run]" >&2; exit 2 ;;
esac

PYTHON=${PYTHON:-python3}
PG_LIB=${PG_LIB:-/usr/lib/postgresql}

has_venv() {
    [[ -x .venv/bin/python ]] && return 0
    local probe ok=1
    probe="$(mktemp -d)"
    "$PYTHON" -m venv "$probe/venv" >/dev/null 2>&1 && ok=0
    rm -rf "$probe"
    return "$ok"
}

has_postgres() {
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
    local b
    for b in "$PG_LIB"/*/bin; do
        [[ -x "$b/initdb" && -x "$b/pg_ctl" ]] && return 0
    done
    return 1
}

has_cjk_font() {   # grep reads every line: with -q, fc-list could die of SIGPIPE (pipefail)
    fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null
}

need=()
has_venv || need+=(python3-venv)
has_postgres || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
has_cjk_font || need+=(fonts-noto-cjk)

if [[ $dry_run -eq 1 ]]; then
    echo "${need[*]}"
    exit 0
fi
[[ ${#need[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "missing system packages: ${need[*]}; install them as root" \
        "(apt-get install ${need[*]}) or run make test as root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
