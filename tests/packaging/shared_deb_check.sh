#!/bin/sh
# The shared library as users get it, without touching the system:
#  1. configures the `deb` preset (shared, Release, testkit, prefix /usr) into WORK/build, builds
#     it and runs `cpack -G DEB`;
#  2. checks the three packages' contents and Depends;
#  3. installs them with `dpkg -i` into the scratch root WORK/root, whose package database is a
#     copy of this machine's, so dpkg checks every Depends against real Debian packages;
#  4. builds tests/packaging/consumer against WORK/root/usr with find_package, runs its programs,
#     and checks pkg-config and the packaged smarter-mock;
#  5. reconfigures the same tree for a custom prefix, installs it there and runs bin/smarter-mock
#     with no LD_LIBRARY_PATH (its install RPATH must find libsmarter_testkit.so).
# Usage: shared_deb_check.sh SOURCE_DIR WORK_DIR CXX_COMPILER
set -eu
src=$1
work=$2
cxx=$3
build="$work/build"
root="$work/root"

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# ---- 1. build and package. -O0: this checks packaging, not code, and halves the build time.
cmake -S "$src" --preset deb -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_CXX_FLAGS_RELEASE=-O0 >/dev/null
cmake --build "$build"
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[ -n "$version" ] || fail "no CPACK_PACKAGE_VERSION in CPackConfig.cmake"
soversion=$(echo "$version" | cut -d. -f1-2)
arch=$(dpkg --print-architecture)
runtime="$build/packages/libsmarter${soversion}_${version}-1_${arch}.deb"
dev="$build/packages/libsmarter-dev_${version}-1_${arch}.deb"
testkit="$build/packages/smarter-testkit_${version}-1_${arch}.deb"
cli="$build/packages/smarter-cli_${version}-1_${arch}.deb"
for deb in "$runtime" "$dev" "$testkit" "$cli"; do
  [ -f "$deb" ] || fail "cpack did not make $deb (made: $(ls "$build/packages"))"
done

# ---- 2. contents and dependencies
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
contains() { dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "$2" || fail "$(basename "$1") lacks $2"; }
lacks() { ! dpkg-deb -c "$1" | awk '{print $6}' | grep -q "$2" || fail "$(basename "$1") has $2"; }
contains "$runtime" "./usr/lib/$multiarch/libsmarter.so.${soversion}"
contains "$runtime" "./usr/lib/$multiarch/libsmarter.so.${version}"
lacks "$runtime" "^./usr/include/"
lacks "$runtime" "^./usr/lib/$multiarch/libsmarter.so$"
contains "$dev" "./usr/include/smarter/client.hpp"
contains "$dev" "./usr/include/smarter/version.hpp"
contains "$dev" "./usr/lib/$multiarch/libsmarter.so"
contains "$dev" "./usr/lib/$multiarch/cmake/smarter/smarterConfig.cmake"
contains "$dev" "./usr/lib/$multiarch/pkgconfig/smarter.pc"
lacks "$dev" "testkit"
contains "$testkit" "./usr/bin/smarter-mock"
contains "$testkit" "./usr/include/smarter/testkit/fake_server.hpp"
contains "$testkit" "./usr/lib/$multiarch/libsmarter_testkit.so.${version}"
contains "$cli" "./usr/bin/smarter"
depends() { dpkg-deb -f "$1" Depends; }
echo "$(basename "$runtime") Depends: $(depends "$runtime")"
echo "$(basename "$dev") Depends: $(depends "$dev")"
echo "$(basename "$testkit") Depends: $(depends "$testkit")"
echo "$(basename "$cli") Depends: $(depends "$cli")"
depends "$cli" | grep -q "libsmarter${soversion} (= ${version}-1)" || fail "smarter-cli does not depend on its exact runtime"
depends "$runtime" | grep -q "libcurl4" || fail "the runtime package does not depend on libcurl4"
depends "$dev" | grep -q "libsmarter${soversion} (= ${version}-1)" || fail "-dev does not depend on its exact runtime"
depends "$dev" | grep -q "nlohmann-json3-dev" || fail "-dev does not depend on nlohmann-json3-dev"
! depends "$dev" | grep -q "libcurl4-openssl-dev" || fail "shared -dev needlessly depends on libcurl4-openssl-dev"

# ---- 3. dpkg -i into a scratch root. dpkg needs its database (status, updates/, info/); a copy
# of this machine's status (its fully installed packages only, so no pending trigger or
# half-configured package makes dpkg run another package's scripts) makes dpkg check the Depends
# for real (no --force-depends), and an empty file list per installed package keeps dpkg from
# warning that each one is missing.
# The postinst (ldconfig) runs chrooted into the scratch root, so it gets /bin/sh, its loader and
# libc, and the static ldconfig; chroot needs root, so as another user the packages are only
# unpacked (files installed and registered, postinst not run). dpkg would log to the machine's
# /var/log/dpkg.log even with --root, hence --log.
rm -rf "$root"
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info" "$root/var/log" "$root/etc"
awk 'BEGIN { RS = ""; ORS = "\n\n" } /\nStatus: install ok installed\n/' /var/lib/dpkg/status |
  grep -v '^Triggers-' > "$root/var/lib/dpkg/status"
dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package}\n' | awk '$1 == "ii" {print $2}' | while read -r package; do
  : > "$root/var/lib/dpkg/info/$package.list"
done
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$root/bin" "$root/sbin"
  cp -L /bin/sh "$root/bin/sh"
  cp -L "$(command -v ldconfig || echo /sbin/ldconfig)" "$root/sbin/ldconfig"
  for lib in $(ldd /bin/sh | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-not-root -i "$runtime" "$dev" "$testkit" "$cli"
  state="install ok installed"
else
  echo "not root: dpkg --unpack only (maintainer scripts need chroot)"
  dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-not-root --unpack "$runtime" "$dev" "$testkit"
  state="install ok unpacked"
fi
for package in "libsmarter${soversion}" libsmarter-dev smarter-testkit; do
  got=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$package")
  [ "$got" = "$state" ] || fail "$package is '$got' in the scratch root, expected '$state'"
done
if [ "$(id -u)" -eq 0 ]; then
  [ -f "$root/etc/ld.so.cache" ] || fail "the postinst's ldconfig did not run in the scratch root"
fi
# Debian policy: no RPATH in a binary installed into the system's own directories.
! readelf -d "$root/usr/bin/smarter-mock" | grep -qE 'RPATH|RUNPATH' || fail "the packaged smarter-mock has an RPATH"

# ---- 4. consumers of the installed packages. A shared libsmarter's CMake package must not look
# for its private dependencies (libcurl, fmt, yaml-cpp; cpp-httplib through pkg-config for the
# testkit): they are hidden from the consumer's configure, which fails if the package asks.
cmake -DPREFIX="$root/usr" -DSOURCE_DIR="$src/tests/packaging/consumer" -DBINARY_DIR="$work/consumer" \
  -DGENERATOR=Ninja -DCXX_COMPILER="$cxx" \
  "-DCONFIGURE_ARGS=-DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON;-DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON;-DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON;-DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON" \
  -P "$src/tests/packaging/run_consumer.cmake"
# smarter.pc of a shared library requires nlohmann_json only (no Requires.private either, which
# pkg-config would read for --cflags).
requires=$(PKG_CONFIG_PATH="$root/usr/lib/$multiarch/pkgconfig" pkg-config --print-requires --print-requires-private smarter)
[ "$requires" = "nlohmann_json" ] || fail "shared smarter.pc requires: $requires"
sh "$src/tests/packaging/pkg_config_check.sh" "$root/usr" "$cxx"
LD_LIBRARY_PATH="$root/usr/lib/$multiarch" "$root/usr/bin/smarter-mock" --help | grep -q "usage: smarter-mock" ||
  fail "the packaged smarter-mock does not run"
LD_LIBRARY_PATH="$root/usr/lib/$multiarch" "$root/usr/bin/smarter" version --client | grep -q "Client version" ||
  fail "the packaged smarter tool does not run"

# ---- 5. a shared install into a custom prefix: bin/smarter-mock finds lib/ through its RPATH
prefix="$work/prefix"
rm -rf "$prefix"
cmake -S "$src" -B "$build" -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build"
cmake --install "$build" >/dev/null
env -u LD_LIBRARY_PATH "$prefix/bin/smarter-mock" --help | grep -q "usage: smarter-mock" ||
  fail "$prefix/bin/smarter-mock does not start (install RPATH)"
sh "$src/tests/packaging/pkg_config_check.sh" "$prefix" "$cxx"
echo "shared_deb_check: packages, dpkg install, consumers and custom-prefix install ok"
