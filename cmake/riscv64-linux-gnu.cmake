# riscv64-linux-gnu.cmake — cross-compile jitcalc for RV64GC Linux with
# Debian 12's cross GCC; ctest runs the tests under qemu-riscv64.
# Debian 12 has no riscv64 packages, so the target's libraries come from a
# sysroot that scripts/cross-test.sh riscv64 unpacks from Debian's riscv64
# archive (JC_CROSS_SYSROOT); without one, only the multiarch layout is
# tried, which finds no riscv64 libraries on Debian 12:
#   cmake -S . -B build-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-linux-gnu.cmake \
#         -DJC_CROSS_SYSROOT=$HOME/.cache/jitcalc/sysroot-riscv64
# See docs/porting.md.
set(JC_CROSS_TRIPLET riscv64-linux-gnu)
set(JC_CROSS_PROCESSOR riscv64)
set(JC_CROSS_QEMU qemu-riscv64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-linux-gnu.cmake)
