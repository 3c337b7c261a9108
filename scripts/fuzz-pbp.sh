#!/usr/bin/env bash
# libFuzzer on the .pbp loader and inference: builds Tests/Fuzz/pbp_fuzz.c with every Sources/EdgeRuntime/*.c
# under -fsanitize=fuzzer,address,undefined and runs it from the seed corpus Tests/Fuzz/corpus (an f32 and an
# int8 file written by PolicyFormatTests with PBP_WRITE_CORPUS=DIR).
#   scripts/fuzz-pbp.sh [SECONDS]      default 60; new inputs go to a scratch corpus, crashes to ./fuzz-out/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
cc=${CC:-$(command -v clang || echo /opt/swift/usr/bin/clang)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz-out "$work/corpus"
cp Tests/Fuzz/corpus/*.pbp "$work/corpus/"
"$cc" -std=c99 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fuse-ld=lld \
    -I Sources/EdgeRuntime/include Sources/EdgeRuntime/*.c Tests/Fuzz/pbp_fuzz.c -lm -o "$work/pbp_fuzz"
"$work/pbp_fuzz" -max_total_time="$seconds" -max_len=65536 -artifact_prefix=fuzz-out/ -print_final_stats=1 "$work/corpus"
