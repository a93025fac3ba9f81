#!/bin/sh
# Install the Debian packages libtouchpoint needs to build and test, if missing.
set -eu
# Library and C tests.
pkgs="meson ninja-build gcc g++ pkg-config python3 libcjson-dev libcunit1-dev libsuitesparse-dev"
# Python and Ruby bindings, their tests and the example notebook.
pkgs="$pkgs swig python3-dev python3-pytest python3-numpy python3-pandas ruby ruby-dev ruby-minitest"
pkgs="$pkgs jupyter-nbconvert python3-nbconvert python3-ipykernel"
pkgs="$pkgs python3-dask python3-distributed python3-tqdm"
# The browser test of the HTML report: headless Chromium driven over DevTools.
pkgs="$pkgs chromium python3-websocket"
# Reliability gates: valgrind, the ABI check (abidw/abidiff), the fuzz build (clang + libFuzzer).
pkgs="$pkgs valgrind abigail-tools clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing
