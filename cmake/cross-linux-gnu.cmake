# cross-linux-gnu.cmake — the common half of jitcalc's cross toolchain files.
# Not a toolchain file itself: cmake/<triplet>.cmake sets JC_CROSS_TRIPLET,
# JC_CROSS_PROCESSOR and JC_CROSS_QEMU, then includes this file.
#
# Two layouts of the target's libraries are supported:
#  - Debian multiarch (arm64): `dpkg --add-architecture arm64` and the
#    -dev:arm64 packages put headers in /usr/include[/<triplet>], libraries
#    and .pc files in /usr/lib/<triplet>. The cross GCC searches those by
#    itself; pkg-config must only be told to read the target's .pc files.
#  - A sysroot (riscv64: Debian 12 has no riscv64 packages, so
#    scripts/cross-test.sh unpacks Debian's riscv64 .debs into a directory):
#    JC_CROSS_SYSROOT=<dir> (cache variable or environment) switches to it.
#
# Tests run under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR, which
# add_test() prepends to every target it runs. qemu's -L gives the guest's
# root for the ELF interpreter and libraries; a path missing under it falls
# back to the host's, which is where multiarch puts the arm64 libraries.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${JC_CROSS_PROCESSOR})
# Debian's multiarch directory name; CMake would detect it from the compiler,
# but find_library needs it before the first try_compile too.
set(CMAKE_LIBRARY_ARCHITECTURE ${JC_CROSS_TRIPLET})

if(NOT DEFINED JC_CROSS_SYSROOT AND DEFINED ENV{JC_CROSS_SYSROOT})
  set(JC_CROSS_SYSROOT $ENV{JC_CROSS_SYSROOT})
endif()
# try_compile projects re-read this file: hand them the choice.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES JC_CROSS_SYSROOT)

# GCC only: the stencils are GCC's code, and Debian's cross GCC knows the
# multiarch paths. `-DCMAKE_C_COMPILER=...` on the command line still wins.
if(NOT CMAKE_C_COMPILER)
  find_program(JC_CROSS_GCC NAMES ${JC_CROSS_TRIPLET}-gcc-12 ${JC_CROSS_TRIPLET}-gcc
               NO_CMAKE_FIND_ROOT_PATH)
  if(NOT JC_CROSS_GCC)
    message(FATAL_ERROR "${JC_CROSS_TRIPLET}-gcc not found: "
      "apt-get install gcc-${JC_CROSS_TRIPLET} (or run scripts/cross-test.sh)")
  endif()
  set(CMAKE_C_COMPILER ${JC_CROSS_GCC})
endif()

if(JC_CROSS_SYSROOT)
  # Everything the target links comes from the sysroot; the cross GCC adds
  # its multiarch subdirectories (usr/lib/<triplet>) under it by itself.
  set(CMAKE_SYSROOT ${JC_CROSS_SYSROOT})
  set(CMAKE_FIND_ROOT_PATH ${JC_CROSS_SYSROOT})
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
  set(ENV{PKG_CONFIG_SYSROOT_DIR} ${JC_CROSS_SYSROOT})
  set(ENV{PKG_CONFIG_LIBDIR}
      "${JC_CROSS_SYSROOT}/usr/lib/${JC_CROSS_TRIPLET}/pkgconfig:${JC_CROSS_SYSROOT}/usr/share/pkgconfig")
  set(jc_qemu_root ${JC_CROSS_SYSROOT})
  # The cross GCC searches its own libc6-dev-<arch>-cross copy
  # (/usr/<triplet>/include, /usr/<triplet>/lib) before the sysroot. That
  # glibc (2.36) is older than the sysroot's, whose libraries then fail to
  # link (undefined __isoc23_strtol@GLIBC_2.38): take headers, start files
  # and libc from the sysroot only, GCC's own headers first.
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                  OUTPUT_VARIABLE jc_gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(jc_sr_lib ${JC_CROSS_SYSROOT}/usr/lib/${JC_CROSS_TRIPLET})
  set(CMAKE_C_FLAGS_INIT
      "-nostdinc -isystem ${jc_gcc_include} -isystem ${JC_CROSS_SYSROOT}/usr/include/${JC_CROSS_TRIPLET} -isystem ${JC_CROSS_SYSROOT}/usr/include")
  foreach(kind EXE SHARED MODULE)
    set(CMAKE_${kind}_LINKER_FLAGS_INIT "-B${jc_sr_lib}/ -L${jc_sr_lib}")
  endforeach()
else()
  # Multiarch: the target's files live beside the host's, under <triplet>
  # directories, where CMAKE_LIBRARY_ARCHITECTURE steers find_library
  # (/usr/lib/<triplet>, never /usr/lib/x86_64-linux-gnu).
  unset(ENV{PKG_CONFIG_SYSROOT_DIR})
  # Only the target's .pc files: a host .pc would hand the linker x86-64
  # libraries (and the configure step would seem to succeed).
  set(ENV{PKG_CONFIG_LIBDIR}
      "/usr/lib/${JC_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
  # qemu's root: with the multiarch libc6:<arch> installed, the guest's
  # loader (/lib/ld-linux-*.so.1) and libc are the host's multiarch ones,
  # so no -L. Pointing -L at /usr/<triplet> (libc6-*-cross) would pair that
  # copy's loader with the multiarch libc.so.6 of another build, and
  # threads then hang (seen with 2.36-8cross1 against 2.36-9+deb12u14).
  if(EXISTS /usr/lib/${JC_CROSS_TRIPLET}/libc.so.6)
    set(jc_qemu_root /)
  else()
    set(jc_qemu_root /usr/${JC_CROSS_TRIPLET})
  endif()
endif()
# Programs (pkg-config, sh, the host tools) always come from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_PATH} "")

find_program(JC_CROSS_QEMU_PATH ${JC_CROSS_QEMU} NO_CMAKE_FIND_ROOT_PATH)
if(JC_CROSS_QEMU_PATH)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${JC_CROSS_QEMU_PATH} -L ${jc_qemu_root})
else()
  # Still builds; ctest then cannot run the target's programs.
  message(WARNING "${JC_CROSS_QEMU} not found (apt-get install qemu-user): "
                  "tests cannot run")
endif()
