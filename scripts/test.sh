#!/usr/bin/env bash
# Every check the project runs, in the order that fails fastest:
#   1. formatting          cargo fmt --check
#   2. lints               cargo clippy --workspace --all-targets --all-features -- -D warnings,
#                          and every closure handed to simd::dispatch is #[inline(always)]
#   3. tests               cargo test --workspace --all-features (unit, integration, doc, README)
#   4. unsafe under valgrind: the test binaries of the modules with `unsafe`
#      code (core's buffer module, the interop crate) with --leak-check=full
#   5. Python tests        maturin build into target/py-venv, then pytest crates/6-python/tests
#
# On a fresh Debian/Ubuntu machine run as root it installs what is missing
# (a C toolchain, valgrind, Rust with rustfmt and clippy). Environment:
#   OXARRAY_SKIP_VALGRIND=1   skip step 4 (quick local iterations)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

apt_updated=0
apt_install() {
    command -v apt-get >/dev/null || { echo "error: $* missing and no apt-get to install it" >&2; return 1; }
    if [ "$apt_updated" -eq 0 ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_tools() {
    command -v cc >/dev/null || apt_install build-essential
    if ! command -v cargo >/dev/null; then
        [ -x "$HOME/.cargo/bin/cargo" ] || {
            command -v curl >/dev/null || apt_install curl ca-certificates
            curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
        }
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    if command -v rustup >/dev/null; then
        cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
        cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
    fi
    if [ "${OXARRAY_SKIP_VALGRIND:-0}" != 1 ]; then
        command -v valgrind >/dev/null || apt_install valgrind
    fi
}

# Paths of the test executables of the workspace test build (step 3: same
# profile and features, so nothing is rebuilt) whose source path matches the
# extended regex $1. Building one package alone would unify features
# differently and recompile its dependencies.
test_binaries() {
    cargo test --workspace --all-features --no-run --message-format=json 2>/dev/null |
        grep -E "\"src_path\":\"[^\"]*($1)\"" |
        grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | grep .
}

# Invalid reads/writes, uses of uninitialised memory, double frees and
# definite or indirect leaks fail the run. "Possibly lost" blocks are not
# errors: the test harness's thread handles end up there at exit.
run_valgrind() {
    local bin=$1
    shift
    echo "valgrind $(basename "$bin") $*"
    valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-possibly-lost=no "$bin" --test-threads=2 "$@"
}

valgrind_checks() {
    # Same profile and features as step 3, so these binaries are already built.
    local bins bin
    bins=$(test_binaries 'crates/1-core/src/lib\.rs')
    for bin in $bins; do
        run_valgrind "$bin" buffer::
    done
    bins=$(test_binaries 'crates/4-interop/(src/lib|tests/[^"/]*)\.rs')
    for bin in $bins; do
        run_valgrind "$bin"
    done
}

python_tests() {
    # Build the Python package into a virtual environment and run its tests
    # against the reference libraries (NumPy, JAX; PyTorch when installed).
    if [ ! -d crates/6-python/tests ]; then
        echo "no Python package yet (crates/6-python): skipped"
        return 0
    fi
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    local venv=$PWD/target/py-venv
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check maturin pytest
    if [ -f crates/6-python/requirements-test.txt ]; then
        "$venv/bin/pip" install -q --disable-pip-version-check -r crates/6-python/requirements-test.txt
    fi
    (cd crates/6-python && VIRTUAL_ENV=$venv "$venv/bin/maturin" develop -q --release)
    "$venv/bin/python" -m pytest -q crates/6-python/tests
}

# A closure handed to `simd::dispatch`/`dispatch_wide` must be marked
# `#[inline(always)]`: otherwise LLVM may compile it out of line, for the
# baseline target (SSE2), and the loop silently loses its vector width —
# as the reductions and the scaler loops once did.
# Prints `file:line` of every unmarked one (simd.rs's own tests excepted).
dispatch_closures_inlined() {
    local bad
    bad=$(git ls-files '*.rs' | grep -v '^crates/0-kernels/src/simd\.rs$' | xargs perl -0777 -ne '
        while (/dispatch(?:_wide)?\(\s*(?:move\s*)?\|/g) {
            my $line = 1 + (substr($_, 0, pos($_)) =~ tr/\n//);
            print "$ARGV:$line\n";
        }')
    if [ -n "$bad" ]; then
        echo "error: closures passed to simd::dispatch without #[inline(always)]:" >&2
        echo "$bad" >&2
        return 1
    fi
}

start=$SECONDS
ensure_tools
step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings
dispatch_closures_inlined
step "cargo test"
cargo test --workspace --all-features
if [ "${OXARRAY_SKIP_VALGRIND:-0}" != 1 ]; then
    step "unsafe code under valgrind"
    valgrind_checks
fi
step "Python tests"
python_tests
printf '\nall checks passed in %ss\n' "$((SECONDS - start))"
