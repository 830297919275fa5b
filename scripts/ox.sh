#!/usr/bin/env bash
# Builds and runs the `ox` command (release build), installing what a fresh
# Debian/Ubuntu machine lacks first (a C toolchain, Rust), as scripts/test.sh
# does. Usage: bash scripts/ox.sh prep        (the README's main job)
#              bash scripts/ox.sh inspect FILE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

if ! command -v cc >/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends build-essential curl ca-certificates >/dev/null
fi
if ! command -v cargo >/dev/null; then
    if [ ! -x "$HOME/.cargo/bin/cargo" ]; then
        command -v curl >/dev/null || {
            as_root apt-get update -qq
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl ca-certificates >/dev/null
        }
        curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    fi
    export PATH="$HOME/.cargo/bin:$PATH"
fi
exec cargo run --release --quiet -p oxarray-cli -- "$@"
