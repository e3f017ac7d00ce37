# aarch64-linux-gnu.cmake — cross-compile jitcalc for 64-bit Arm Linux with
# Debian 12's cross GCC and the :arm64 multiarch -dev packages; ctest runs
# the tests under qemu-aarch64. scripts/cross-test.sh aarch64 installs all of
# it and uses this file:
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# See docs/porting.md.
set(JC_CROSS_TRIPLET aarch64-linux-gnu)
set(JC_CROSS_PROCESSOR aarch64)
set(JC_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-linux-gnu.cmake)
