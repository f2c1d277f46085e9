#!/usr/bin/env bash
# Times the `smarter` command-line tool against smarter-mock on this machine with hyperfine:
#   smarter version --client   start and exit, no request (the floor)
#   smarter version            start, one request (cli/version/), print
#   smarter get chatbots       start, the generation probe, the listing, a table
# A measurement, not a test: it prints figures (and bench/results/cli.md) and never fails on them.
#
#   bench/cli.sh                              builds the release preset's smarter and smarter-mock
#   SMARTER_CLI_BUILD_DIR=DIR bench/cli.sh    measures the binaries of an existing build in DIR
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "Installing: hyperfine"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hyperfine >/dev/null
fi

build_dir=${SMARTER_CLI_BUILD_DIR:-}
if [ -z "$build_dir" ]; then
  build_dir=build/release
  cmake --preset release >/dev/null
  cmake --build --preset release --target smarter-cli smarter-mock
fi
smarter=$build_dir/smarter
[ -x "$smarter" ] && [ -x "$build_dir/smarter-mock" ] || { echo "no smarter or smarter-mock in $build_dir" >&2; exit 1; }

# The fake platform on a free port; its banner says where and with which key.
work=$(mktemp -d)
"$build_dir/smarter-mock" --port 0 >"$work/banner" 2>&1 &
mock=$!
trap 'kill $mock 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q '^SMARTER_API_KEY=' "$work/banner" && break
  sleep 0.05
done
SMARTER_BASE_URL=$(sed -n 's/^SMARTER_BASE_URL=//p' "$work/banner")
SMARTER_API_KEY=$(sed -n 's/^SMARTER_API_KEY=//p' "$work/banner")
[ -n "$SMARTER_API_KEY" ] || { cat "$work/banner" >&2; exit 1; }
# A private HOME: no ~/.smarter/config.yaml of the user's in the way.
export SMARTER_BASE_URL SMARTER_API_KEY HOME=$work

echo "smarter: $(file -b "$smarter" | cut -d, -f1-2); $(nproc) CPUs; fake platform at $SMARTER_BASE_URL"
mkdir -p bench/results
hyperfine --shell=none --warmup 20 --runs 300 --export-markdown bench/results/cli.md \
  -n "smarter version --client" "$smarter version --client" \
  -n "smarter version" "$smarter version" \
  -n "smarter get chatbots" "$smarter get chatbots"
