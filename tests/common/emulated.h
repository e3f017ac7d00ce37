/*
 * emulated.h — sizes for heavy tests: the full one natively, a smaller one
 * under an emulator.
 *
 * A cross build (CMAKE_CROSSCOMPILING) runs its tests under qemu-user,
 * 10 to 50 times slower than natively; tests/CMakeLists.txt then defines
 * JC_TEST_EMULATED. A heavy test keeps every case it checks and only
 * draws fewer random inputs (or repetitions) there, so the target's suite
 * fits the CI budget while the host keeps the full sizes.
 *
 *     enum { N = TEST_SIZE(100003, 10007) };
 */
#ifndef JC_TESTS_COMMON_EMULATED_H
#define JC_TESTS_COMMON_EMULATED_H

#ifdef JC_TEST_EMULATED
#define TEST_SIZE(native, emulated) (emulated)
#else
#define TEST_SIZE(native, emulated) (native)
#endif

#endif /* JC_TESTS_COMMON_EMULATED_H */
