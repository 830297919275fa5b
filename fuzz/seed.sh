#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs taken from the oxarray-io test
# fixtures (files written by NumPy and by the `safetensors` package, see
# crates/2-io/tests/fixtures/gen_fixtures.py). The corpus folders are build
# output (git-ignored): libFuzzer adds the inputs it finds to them.
# Usage, from the repository root: bash fuzz/seed.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fx="$root/crates/2-io/tests/fixtures"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{npy_header,npz,safetensors_header,csv,image}
cp "$fx"/*.npy "$corpus/npy_header/"
cp "$fx"/*.npz "$corpus/npz/"
cp "$fx"/*.safetensors "$corpus/safetensors_header/"
cp "$fx"/images/*.png "$fx"/images/*.jpg "$corpus/image/"
# The csv target reads its options from the first byte (bit 0: no header,
# bit 1: float32, bit 2: missing markers, bit 3: ';' delimiter, high nibble:
# stream chunk rows), so each CSV fixture is seeded with a few option bytes.
for f in "$fx"/csv/*.csv "$fx"/csv/*.tsv; do
    name="$(basename "$f")"
    for flags in 00 01 06 08 38; do
        { printf "\\x$flags"; cat "$f"; } > "$corpus/csv/${flags}_$name"
    done
done
echo "seeded: $(ls "$corpus/npy_header" | wc -l) npy, $(ls "$corpus/npz" | wc -l) npz," \
    "$(ls "$corpus/safetensors_header" | wc -l) safetensors, $(ls "$corpus/csv" | wc -l) csv, $(ls "$corpus/image" | wc -l) image"
