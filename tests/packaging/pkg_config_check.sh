#!/bin/sh
# Builds and runs a program with only `pkg-config --cflags --libs smarter` against the install tree
# (static or shared: the rpath is the .pc's own libdir, lib/ or lib/<multiarch>/).
set -eu
prefix=$1
cxx=$2
pc_dir=$(dirname "$(find "$prefix" -name smarter.pc | head -n 1)")
export PKG_CONFIG_PATH="$pc_dir"
flags=$(pkg-config --cflags --libs smarter)
echo "pkg-config --cflags --libs smarter: $flags"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/main.cpp" <<'CPP'
#include <cstring>
#include <iostream>
#include <smarter/version.hpp>
int main() {
  std::cout << "smarter " << smarter::version() << "\n";
  return std::strcmp(smarter::version(), SMARTER_VERSION) == 0 ? 0 : 1;
}
CPP
libdir=$(pkg-config --variable=libdir smarter)
# shellcheck disable=SC2086
"$cxx" -std=c++17 -Wall -Wextra -Wpedantic -Werror "$out/main.cpp" -o "$out/app" $flags -Wl,-rpath,"$libdir"
"$out/app"
