#!/usr/bin/env bash
# Record the C reference model's counters (slabinfo figures, buddy free pages, SLUB_STATS) for
# the bench workloads W1–W4, as test/fixtures/ref-counters.jsonl. The engine must reproduce
# them exactly (test/engine/reference.test.ts). Needs cc and ../shared/bench/ref/ref.c.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c11 -o "$tmp/ref-bench" ../shared/bench/ref/ref.c
"$tmp/ref-bench" -v W1 W2 W3 W4 2>test/fixtures/ref-counters.jsonl >/dev/null
wc -l test/fixtures/ref-counters.jsonl
