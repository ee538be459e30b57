#!/usr/bin/env bash
# The wheel stands alone: build the wheel and the sdist, check their metadata, install
# the wheel with the cli and search extras into a fresh virtual environment outside
# the checkout, and run four commands there, as a user of the package would.
#
#   scripts/test-wheel.sh [PYTHON]   # PYTHON has build and twine (default .venv/bin/python)
#
# Needs the package index (the wheel's dependencies are installed from it). Prints
# the seconds each stage took; exits non-zero at the first stage that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:-.venv/bin/python}
py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")"   # absolute, still the venv's
work=$(mktemp -d "${TMPDIR:-/tmp}/trainlab-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS
stage() { echo "test-wheel: $1 ($((SECONDS - start)) s)"; }

# built from a copy of the checkout's files (tracked, and new ones git does not
# ignore), as a clean clone would be: no build/ or egg-info left in the checkout
mkdir "$work/tree"
git ls-files -z --cached --others --exclude-standard \
    | tar --null --files-from=- --ignore-failed-read -cf - | tar -xf - -C "$work/tree"
"$py" -m build --sdist --wheel --outdir "$work/dist" "$work/tree" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
"$py" -m twine check --strict "$work"/dist/*
stage "built and checked $(cd "$work/dist" && echo *)"

"$py" -c 'import sys; print(sys._base_executable)' >"$work/base"
"$(cat "$work/base")" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
"$work/venv/bin/python" -m pip install -q "$(echo "$work"/dist/*.whl)[cli,search]"
stage "installed the wheel with [cli,search] into a fresh environment"

# from here on: a folder of the user's, no source tree, no PYTHONPATH
mkdir "$work/home"
want=$(find src/trainlab/notebooks/ko -name '*.ipynb' | wc -l)   # what the wheel must carry
learner=$PWD/tests/check/fixtures/book_momentum.py                # a learner's Momentum, the book's way
cd "$work/home"
unset PYTHONPATH
bin="$work/venv/bin"
where=$("$bin/python" -c 'import trainlab; print(trainlab.__file__)')
[[ $where == "$work/venv/"* ]] || { echo "trainlab imported from $where" >&2; exit 1; }

"$bin/trainlab" demo --out demo >demo.log
[[ -s demo/report.html ]] || { echo "trainlab demo wrote no report.html" >&2; exit 1; }
stage "trainlab demo"

"$bin/trainlab" lab --copy-only --lang ko >lab.log
n=$(find trainlab-notebooks -name '*.ipynb' | wc -l)
[[ $n -eq $want ]] || { echo "trainlab lab --copy-only copied $n notebooks, not $want" >&2; exit 1; }
stage "trainlab lab --copy-only --lang ko"

cp "$learner" my_momentum.py
"$bin/trainlab" check my_momentum.py >check.log
stage "trainlab check my_momentum.py"

"$bin/trainlab" tune --trials 2 --epochs 1 --quiet --out tune >tune.log
[[ -s tune/metrics.json ]] || { echo "trainlab tune wrote no metrics.json" >&2; exit 1; }
stage "trainlab tune --trials 2"
