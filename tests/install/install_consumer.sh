#!/bin/sh
# Installs the build into a temporary prefix and builds a consumer two ways.
set -eu
build=$1
consumer=$2
cmake=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
"$cmake" -S "$consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
"$cmake" --build "$tmp/cmake-build" >/dev/null
LD_LIBRARY_PATH="$tmp/prefix/lib:$tmp/prefix/lib/$(ls "$tmp/prefix/lib" | grep -m1 linux-gnu || true)" \
    "$tmp/cmake-build/consumer" | grep -q '^0.1.0 1025$' || { echo "find_package consumer failed"; exit 1; }
pcdir=$(dirname "$(find "$tmp/prefix" -name jitcalc.pc | head -n1)")
libdir=$(dirname "$pcdir")
PKG_CONFIG_PATH="$pcdir" cc -o "$tmp/pc-consumer" "$consumer/consumer.c" \
    $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs jitcalc)
LD_LIBRARY_PATH="$libdir" "$tmp/pc-consumer" | grep -q '^0.1.0 1025$' || { echo "pkg-config consumer failed"; exit 1; }
echo "1 passed, 0 failed"
