#!/usr/bin/env bash
# Runs every Python benchmark (bench/py_*.py) against the installed oxarray
# package. Build it in release mode first:
#   cd crates/6-python && maturin develop --release
# Usage: bash bench/run_python.sh [python]   (default: target/py-venv/bin/python)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PY=${1:-../target/py-venv/bin/python}
for b in py_overhead.py py_midsize.py py_exchange.py py_compute.py py_matmul.py py_sort.py py_files.py; do
    echo
    "$PY" "$b"
done
