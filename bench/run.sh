#!/usr/bin/env bash
# Builds the benchmarks in release mode and runs them; every figure is a ratio against a baseline
# measured in the same run, never a pass/fail time.
#
#   bench/run.sh                 upload/download memory, request overhead (SDK transport baseline)
#                                and the side-by-side overhead benchmark against nginx
#   bench/run.sh --pin           the same with nginx on CPU 0 and the client on CPU 1 (taskset),
#                                for steadier figures on a busy 2-core machine
#   bench/run.sh overhead [--pin] [--runs N] [--plot FILE]
#                                only the side-by-side benchmark, N runs (default 1)
#   bench/run.sh async [--pin] [bench_async flags, e.g. --prompts 1000 --latency-ms 20]
#                                only AsyncSmarter against the synchronous client on 8 and 64
#                                threads (bench/async.cpp): prints its Markdown table; with --pin
#                                the fake servers run on CPU 0 and the client on CPU 1
#
# The side-by-side benchmark writes bench/results/overhead-<run>.json, prints a Markdown table of
# every run's ratios, and plots the median of the runs (gnuplot) to FILE (default
# bench/results/overhead.png). The README's performance section shows that table and
# docs/images/overhead.png, made with: bench/run.sh overhead --pin --runs 3 --plot docs/images/overhead.png
set -euo pipefail
cd "$(dirname "$0")/.."

pin=0
runs=1
plot=bench/results/overhead.png
only=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pin) pin=1 ;;
    --runs) runs=$2; shift ;;
    --plot) plot=$2; shift ;;
    overhead) only=overhead ;;
    async) only=async ;;
    *) args+=("$1") ;;
  esac
  shift
done

need=()
tools=(nginx:nginx-light gnuplot:gnuplot-nox taskset:util-linux)
[ "$only" = async ] && tools=(taskset:util-linux)
for tool in "${tools[@]}"; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

build_dir=${SMARTER_BENCH_BUILD_DIR:-build/bench}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMARTER_BUILD_BENCH=ON \
  -DSMARTER_BUILD_TESTS=OFF -DSMARTER_BUILD_EXAMPLES=OFF >/dev/null
if [ "$only" = async ]; then
  cmake --build "$build_dir" -j "${SMARTER_BENCH_JOBS:-2}" --target bench_async bench_async_server
else
  cmake --build "$build_dir" -j "${SMARTER_BENCH_JOBS:-2}" \
    --target bench_upload_memory bench_files_server bench_request_overhead bench_overhead
fi

client_cpu=()
server_cpu=()
if [ $pin -eq 1 ]; then
  server_cpu=(taskset -c 0)
  client_cpu=(taskset -c 1)
fi

# ---- AsyncSmarter vs the synchronous client; bench_async starts the fake servers itself, in a
# process of their own (pinned to CPU 0 with --pin), and runs every case in a fresh child.
if [ "$only" = async ]; then
  echo "== AsyncSmarter (1 I/O thread) vs Smarter on 8 and 64 threads, fake servers in their own process"
  server_flag=()
  [ $pin -eq 1 ] && server_flag=(--server-cpu 0)
  "${client_cpu[@]}" "$build_dir/bench/bench_async" "${server_flag[@]}" "${args[@]}"
  exit $?
fi

if [ -z "$only" ]; then
  echo "== upload/download memory benchmark"
  "${client_cpu[@]}" "$build_dir/bench/bench_upload_memory" "${args[@]}"
  echo "== request overhead benchmark (client vs bare transport, and connection reuse)"
  "${client_cpu[@]}" "$build_dir/bench/bench_request_overhead" "${SMARTER_BENCH_REQUESTS:-2000}"
fi

# ---- nginx on loopback, answering every POST with a ~1 KB chat completion
work=$(mktemp -d)
trap 'kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
completion=$(python3 - <<'PY'
import json
print(json.dumps({"id": "chatcmpl-bench", "object": "chat.completion", "created": 1742953097,
  "model": "gpt-4o-mini-2024-07-18", "system_fingerprint": "fp_bench", "service_tier": "default",
  "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
    "message": {"role": "assistant", "refusal": None, "annotations": [],
      "content": "Lisbon is mild today: 21 degrees, a light breeze from the Atlantic and clear skies. " * 6}}],
  "usage": {"prompt_tokens": 120, "completion_tokens": 96, "total_tokens": 216,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}}).replace("'", "\\'"))
PY
)
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/body;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location / {
      default_type application/json;
      return 200 '$completion';
    }
  }
}
CONF
"${server_cpu[@]}" nginx -p "$work" -c "$work/nginx.conf" &
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done

mkdir -p bench/results
rm -f bench/results/overhead-*.json
for run in $(seq "$runs"); do
  echo "== side by side with libcurl + nlohmann (run $run of $runs, nginx on 127.0.0.1:$port)"
  "${client_cpu[@]}" "$build_dir/bench/bench_overhead" --url "http://127.0.0.1:$port/" \
    --requests "${SMARTER_BENCH_REQUESTS:-20000}" --json "bench/results/overhead-$run.json"
done

# ---- the table (every run) and the plot (the median of the runs), all ratios against the floor
python3 - "$work/ratios.dat" bench/results/overhead-*.json <<'PY'
import json, statistics, sys
out, files = sys.argv[1], sys.argv[2:]
runs = [json.load(open(f)) for f in sorted(files)]
def ratios(r):
    f = r["floor"]
    return [
        ("request median", "<= 1.10", r["request"]["median"] / f["median"]),
        ("request p99", "<= 1.30", r["request"]["p99"] / f["p99"]),
        ("typed median", "<= 1.20", r["typed"]["median"] / f["median"]),
        ("typed p99", "", r["typed"]["p99"] / f["p99"]),
        ("page decode", "<= 1.20", r["page"]["typed_ms"] / r["page"]["parse_ms"]),
        ("page decode + free", "", r["page"]["typed_life_ms"] / r["page"]["parse_life_ms"]),
        ("page heap after", "<= 1.20", r["page"]["typed_heap"] / r["page"]["parse_heap"]),
        ("page peak RSS", "<= 1.20", r["page"]["typed_peak_rss"] / r["page"]["parse_peak_rss"]),
        ("2-thread throughput", ">= 0.90", r["threads"]["client"] / r["threads"]["raw"]),
    ]
table = [ratios(r) for r in runs]
print("| against the floor | goal | " + " | ".join(f"run {i + 1}" for i in range(len(runs))) + " |")
print("|---|---|" + "---|" * len(runs))
for row in range(len(table[0])):
    name, goal = table[0][row][0], table[0][row][1]
    print(f"| {name} | {goal} | " + " | ".join(f"{t[row][2]:.2f}x" for t in table) + " |")
floor = " / ".join(f'{r["floor"]["median"]:.1f}' for r in runs)
build = " / ".join(f'{r["construct_us"]:.2f}' for r in runs)
print(f"\nfloor median (us): {floor}; client construction (us): {build}")
with open(out, "w") as f:
    for row in range(len(table[0])):
        f.write(f'"{table[0][row][0]}" {statistics.median(t[row][2] for t in table):.3f}\n')
PY
mkdir -p "$(dirname "$plot")"
gnuplot <<PLOT
set terminal pngcairo size 900,420 font ",11" noenhanced
set output "$plot"
set title "smarter-cpp against the floor (raw libcurl + nlohmann = 1.0), median of $runs run(s)"
set style data histograms
set style fill solid 0.7
set boxwidth 0.7
set yrange [0:*]
set offsets 0, 0, 0.15, 0  # headroom above the tallest bar
set ylabel "ratio"
set grid ytics
set xtics rotate by -20
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
plot "$work/ratios.dat" using 2:xtic(1) notitle lc rgb "#3a7bd5"
PLOT
echo "plot: $plot"
