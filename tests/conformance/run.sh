#!/usr/bin/env bash
# The `conformance` ctest entry: runs the conformance test binary against Stoplight Prism serving
# OpenAI's published OpenAPI description, a mock that validates every request (400/422 for one
# the description does not allow) and answers from the description's examples.
#
# Usage: tests/conformance/run.sh TEST_BINARY PRISM_DIR [gtest arguments...]
#   Sets up Prism in PRISM_DIR (scripts/conformance-setup), starts it on a free loopback port,
#   waits until it listens, runs TEST_BINARY with SMARTER_PRISM_URL=http://127.0.0.1:PORT and
#   exits with its status. Prism is stopped on every way out; its log is PRISM_DIR/prism.log.
#   Exits 77 (ctest's SKIP_RETURN_CODE) when Node.js is missing.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 TEST_BINARY PRISM_DIR [gtest arguments...]" >&2
  exit 2
fi
binary="$1"
prism_dir="$2"
shift 2
repo="$(cd "$(dirname "$0")/../.." && pwd)"
readonly startup_limit=120   # seconds for Prism to load the 3 MB description and listen

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "conformance: skipped, Node.js is not installed"
  exit 77
fi

status=0
spec="$("$repo/scripts/conformance-setup" "$prism_dir")" || status=$?
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 77 ] && echo "conformance: skipped (see above)"
  exit "$status"
fi

prism="$prism_dir/node_modules/.bin/prism"
log="$prism_dir/prism.log"
prism_pid=

# Stops Prism and waits for it (the EXIT trap calls it).
# shellcheck disable=SC2317
stop_prism() {
  if [ -n "$prism_pid" ] && kill -0 "$prism_pid" 2>/dev/null; then
    kill "$prism_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$prism_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
  fi
  prism_pid=
}
trap stop_prism EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port the kernel reports free; Prism may still lose a race for it, hence the retries below.
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => {
    process.stdout.write(String(s.address().port)); s.close(); });'
}

# Prism says it listens on port $1 (so the port is its own, not another program's) and it does.
listening() {
  grep -q "Prism is listening on http://127.0.0.1:$1" "$log" 2>/dev/null &&
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port=
for attempt in 1 2 3; do
  candidate="$(free_port)"
  "$prism" mock -h 127.0.0.1 -p "$candidate" "$spec" >"$log" 2>&1 &
  prism_pid=$!
  started=$SECONDS
  while kill -0 "$prism_pid" 2>/dev/null && ! listening "$candidate"; do
    if [ $((SECONDS - started)) -ge "$startup_limit" ]; then
      echo "conformance: Prism did not listen on port $candidate within ${startup_limit} s" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
  if kill -0 "$prism_pid" 2>/dev/null; then
    port="$candidate"
    echo "conformance: Prism $(node -e 'process.stdout.write(require(process.argv[1]).version)' \
      "$prism_dir/node_modules/@stoplight/prism-cli/package.json") listening on" \
      "127.0.0.1:$port after $((SECONDS - started)) s (log: $log)"
    break
  fi
  wait "$prism_pid" 2>/dev/null || true
  prism_pid=
  echo "conformance: Prism exited before listening (attempt $attempt):" >&2
  tail -n 20 "$log" >&2
done
if [ -z "$port" ]; then
  exit 1
fi

status=0
SMARTER_PRISM_URL="http://127.0.0.1:$port" "$binary" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  # Its warnings and errors about requests (its findings on its own example answers left out).
  echo "conformance: the last problems in Prism's log ($log):"
  grep -E "✖|⚠" "$log" | grep -v "Violation: response" | tail -n 40 || true
fi
exit "$status"
