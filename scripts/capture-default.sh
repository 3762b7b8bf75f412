#!/usr/bin/env bash
# Capture this machine's slab caches as the simulator's default boot image (run as root on a
# Linux 6.18 machine; the file name carries the kernel release and CPU count). Then point
# source/workload/default-capture.ts at the new file and run the tests (test/workload/boot-capture.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
out="source/workload/captures/linux-$(uname -r)-$(nproc --all)cpu.json"
node dist/cli.js --capture "$out"
