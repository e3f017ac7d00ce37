#!/bin/sh
# cross-test.sh — cross-builds jitcalc for another architecture with Debian's
# cross GCC and runs the test suite under qemu-user.
#
#   scripts/cross-test.sh aarch64|riscv64 [ctest arguments...]
#
# aarch64: the target's libraries are Debian 12's own :arm64 packages
#   (multiarch). As root the script installs what is missing (adding the
#   arm64 architecture to dpkg); otherwise it prints the commands to run and
#   fails, like scripts/deps.sh.
# riscv64: Debian 12 has no riscv64 packages, so the libraries come from
#   Debian 13's riscv64 archive, unpacked into a sysroot (downloaded once,
#   no root needed; JITCALC_RISCV64_SYSROOT sets where). If that cannot be
#   had, the script compiles the sources that need no library, says so, and
#   exits 77 (nothing was tested).
#
# Builds into build-<arch> (JITCALC_CROSS_BUILD_DIR overrides). Exit status:
# 0 all tests passed, 1 a step failed, 2 usage, 77 riscv64 partial build.
# See docs/porting.md.
set -eu
cd "$(dirname "$0")/.."

usage() {
    echo "usage: scripts/cross-test.sh aarch64|riscv64 [ctest arguments...]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
arch=$1
shift
case $arch in
aarch64) triplet=aarch64-linux-gnu debarch=arm64 ;;
riscv64) triplet=riscv64-linux-gnu debarch=riscv64 ;;
*) usage ;;
esac
build=${JITCALC_CROSS_BUILD_DIR:-build-$arch}
jobs=$(nproc)
libs="libuv1-dev libjansson-dev libcmocka-dev libsleef-dev libxxhash-dev \
libmpfr-dev libedit-dev"

say() { echo "cross-test[$arch]: $*" >&2; }
now() { date +%s; }
installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Host tools. No recommends: gcc-<triplet> recommends libc6-dev-<arch>-cross,
# which multiarch (aarch64) and the sysroot (riscv64) do not need.
host_pkgs="cmake make gcc pkg-config gcc-$triplet qemu-user"
target_pkgs=""
if [ "$arch" = aarch64 ]; then
    target_pkgs="libc6-dev:$debarch"
    for p in $libs; do target_pkgs="$target_pkgs $p:$debarch"; done
fi
missing=""
for p in $host_pkgs $target_pkgs; do
    installed "$p" || missing="$missing $p"
done
need_arch=""
if [ -n "$target_pkgs" ] && ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
    need_arch=$debarch
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        say "missing Debian packages:$missing"
        [ -z "$need_arch" ] || echo "run: sudo dpkg --add-architecture $need_arch" >&2
        echo "run: sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
        exit 1
    fi
    t0=$(now)
    [ -z "$need_arch" ] || dpkg --add-architecture "$need_arch"
    say "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    say "packages installed in $(($(now) - t0)) s"
fi

# riscv64: a sysroot of Debian 13's riscv64 -dev packages, unpacked (not
# installed: dpkg cannot hold a riscv64 libc6 2.41 beside the host's 2.36).
# Apt resolves the dependencies against an empty package database of its
# own, in a private directory; nothing of the host's apt state changes.
make_sysroot() {
    sysroot=$1
    pkgs="libc6-dev $libs"
    stamp="$sysroot/.jitcalc-packages"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pkgs" ]; then
        return 0
    fi
    t0=$(now)
    work=$(mktemp -d)
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
    : >"$work/status"
    set -- -o Dir::Etc::sourcelist="$work/sources.list" \
        -o Dir::Etc::sourceparts=/nonexistent -o Dir::State::lists="$work/lists" \
        -o Dir::State::status="$work/status" -o Dir::Cache="$work/cache" \
        -o APT::Architecture=riscv64 -o APT::Architectures=riscv64 \
        -o Debug::NoLocking=1 -o Acquire::Languages=none \
        -o APT::Sandbox::User="$(id -un)"
    ok=""
    # trixie first; `stable` is the same release under its other name (a
    # mirror that serves a stale trixie index still serves stable's).
    for suite in trixie stable; do
        echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
            >"$work/sources.list"
        rm -rf "$work/lists"/*
        mkdir -p "$work/lists/partial"
        # apt-get update exits 0 on some failed indexes: read its errors
        if apt-get "$@" update >"$work/log" 2>&1 && ! grep -q '^E:' "$work/log"; then
            # shellcheck disable=SC2086
            if apt-get "$@" install --download-only -y -qq --no-install-recommends \
                $pkgs >>"$work/log" 2>&1; then
                ok=$suite
                break
            fi
        fi
    done
    if [ -z "$ok" ]; then
        say "could not download Debian's riscv64 packages:"
        grep -E '^(E|W|Err)[:0-9]' "$work/log" | head -5 >&2 || true
        rm -rf "$work"
        return 1
    fi
    rm -rf "$sysroot"
    mkdir -p "$sysroot"
    n=0
    for deb in "$work"/cache/archives/*.deb; do
        dpkg-deb -x "$deb" "$sysroot"
        n=$((n + 1))
    done
    # Debian 13 is merged-/usr: base-files (not unpacked here) makes /lib.
    [ -e "$sysroot/lib" ] || ln -s usr/lib "$sysroot/lib"
    echo "$pkgs" >"$stamp"
    say "sysroot from Debian $ok riscv64 ($n packages) in $(($(now) - t0)) s: $sysroot"
    rm -rf "$work"
}

# What builds with no library at all (util/, parser/), when riscv64 has no
# sysroot: proof that the code compiles for the target, not a test run.
partial_build() {
    out="$build/partial"
    mkdir -p "$out"
    n=0
    for src in util/*.c parser/*.c; do
        "$triplet-gcc" -std=gnu11 -O2 -Wall -Wextra -Werror -ffp-contract=off \
            -fno-math-errno -I. -Iinclude -c "$src" -o "$out/$(basename "$src" .c).o"
        n=$((n + 1))
    done
    say "PARTIAL: compiled $n sources of util/ and parser/ for $arch into $out;"
    say "PARTIAL: the library needs SLEEF (and the tests cmocka), which Debian 12"
    say "PARTIAL: does not have for riscv64: nothing was linked and no test ran."
    exit 77
}

config="-DCMAKE_TOOLCHAIN_FILE=$PWD/cmake/$triplet.cmake"
if [ "$arch" = riscv64 ]; then
    sysroot=${JITCALC_RISCV64_SYSROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/jitcalc/sysroot-riscv64}
    make_sysroot "$sysroot" || partial_build
    config="$config -DJC_CROSS_SYSROOT=$sysroot"
fi

t0=$(now)
# The benchmarks measure the host, and -march=native means nothing to a
# cross compiler: not built here.
# shellcheck disable=SC2086
cmake -S . -B "$build" $config -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DJITCALC_WERROR=ON -DJITCALC_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs"
t1=$(now)
say "configured and built in $((t1 - t0)) s"
status=0
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@" || status=$?
say "tests ran in $(($(now) - t1)) s under qemu-$arch"
exit $status
