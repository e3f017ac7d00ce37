/*
 * runner.h — starting a built program (the daemon) from a test.
 *
 * A cross build runs its tests under an emulator (qemu-user), and the
 * emulated test cannot exec a target binary by itself: there is no
 * binfmt_misc in a container, so the kernel sees a foreign ELF. CMake hands
 * such tests the emulator's command words in $JITCALC_TEST_RUNNER
 * (jc_test_runner_env, tests/CMakeLists.txt; e.g. "qemu-aarch64 -L /");
 * natively it is unset and the program runs as is.
 */
#ifndef JC_TESTS_COMMON_RUNNER_H
#define JC_TESTS_COMMON_RUNNER_H

/* execv(argv[0], argv), through $JITCALC_TEST_RUNNER when it is set.
 * Returns only when the exec failed. Safe between fork and exec in a
 * threaded test: it allocates nothing. */
void runner_exec(const char *const *argv);

#endif /* JC_TESTS_COMMON_RUNNER_H */
