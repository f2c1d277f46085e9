#!/usr/bin/env bash
# Builds the benchmarks in release mode and runs the upload/download memory benchmark:
# a 1 GiB sparse file up to a fake server in another process and back, bytes checked, client
# peak RSS printed against a baseline. Extra arguments go to the benchmark, e.g. --size-mib 256.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${SMARTER_BENCH_BUILD_DIR:-build/bench}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMARTER_BUILD_BENCH=ON \
  -DSMARTER_BUILD_TESTS=OFF -DSMARTER_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build_dir" -j "${SMARTER_BENCH_JOBS:-2}" --target bench_upload_memory bench_files_server bench_request_overhead

echo "== upload/download memory benchmark"
"$build_dir/bench/bench_upload_memory" "$@"

echo "== request overhead benchmark (client vs bare transport, and connection reuse)"
"$build_dir/bench/bench_request_overhead" "${SMARTER_BENCH_REQUESTS:-2000}"
