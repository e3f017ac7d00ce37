#!/usr/bin/python3
"""numpy_math.py - numpy's column of issue 12's table (math_bench.c prints
the rest): E6 and one row per transcendental function, ns per row, single
thread, on the same data as math_bench (the same generator and seeds:
uniform in (0, 1), except pow: a in (0, 2), b in (-4, 4)).

Run with Debian's interpreter and numpy (apt-get install python3-numpy):
    /usr/bin/python3 bench/numpy_math.py [--quick] [--sizes N,N] [--samples K]
Each figure is the median of several samples in CPU time of this thread
(as math_bench: other processes on a busy machine count less); every call
allocates its result, as numpy code does.
"""
import argparse
import os
import sys
import time

# One thread: the C figures are single-threaded too (numpy's ufuncs are,
# but a BLAS-backed build may start threads at import).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

MASK = (1 << 64) - 1
LCG_A = 6364136223846793005
LCG_C = 1442695040888963407


def column(n, seed, lo, hi):
    """math_bench.c's column(): s = s * A + C (mod 2^64) per value, then
    ((s >> 11) + 0.5) * 2^-53 scaled to (lo, hi). Built by doubling: the
    next k states are A^k * (the first k) + C * (A^k - 1) / (A - 1)."""
    s = np.empty(max(n, 1), dtype=np.uint64)
    s[0] = (seed * LCG_A + LCG_C) & MASK
    k, ak, ck = 1, LCG_A, LCG_C  # step of k: s -> ak * s + ck
    with np.errstate(over="ignore"):
        while k < n:
            m = min(k, n - k)
            s[k:k + m] = s[:m] * np.uint64(ak) + np.uint64(ck)
            ak, ck = (ak * ak) & MASK, (ck * ak + ck) & MASK
            k += m
    u = ((s[:n] >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
    return lo + (hi - lo) * u


ROWS = [
    ("E6", lambda a, b, c: np.exp(-a) * np.sin(b) + np.log(c + 1)),
    ("exp", lambda a, b, c: np.exp(a)),
    ("expm1", lambda a, b, c: np.expm1(a)),
    ("ln", lambda a, b, c: np.log(a)),
    ("log10", lambda a, b, c: np.log10(a)),
    ("log2", lambda a, b, c: np.log2(a)),
    ("log1p", lambda a, b, c: np.log1p(a)),
    ("sin", lambda a, b, c: np.sin(a)),
    ("cos", lambda a, b, c: np.cos(a)),
    ("tan", lambda a, b, c: np.tan(a)),
    ("asin", lambda a, b, c: np.arcsin(a)),
    ("acos", lambda a, b, c: np.arccos(a)),
    ("atan", lambda a, b, c: np.arctan(a)),
    ("sinh", lambda a, b, c: np.sinh(a)),
    ("cosh", lambda a, b, c: np.cosh(a)),
    ("tanh", lambda a, b, c: np.tanh(a)),
    ("cbrt", lambda a, b, c: np.cbrt(a)),
    ("atan2", lambda a, b, c: np.arctan2(a, b)),
    ("pow", lambda a, b, c: np.power(a, b)),
    ("hypot", lambda a, b, c: np.hypot(a, b)),
]


def reps_for(n):
    """As math_bench.c: about 20 ms per sample."""
    return 1 if n >= 1000000 else 2000000 // (n + 100) + 1


def time_row(fn, a, b, c, samples):
    n = len(a)
    reps = reps_for(n)
    fn(a, b, c)  # warm-up
    s = []
    for _ in range(samples):
        t0 = time.thread_time_ns()
        for _ in range(reps):
            fn(a, b, c)
        s.append((time.thread_time_ns() - t0) / reps / n)
    s.sort()
    return s[len(s) // 2]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1000 and 20000 rows")
    p.add_argument("--sizes", default="100000,10000000")
    p.add_argument("--samples", type=int, default=0)
    args = p.parse_args()
    sizes = [1000, 20000] if args.quick else [int(x) for x in args.sizes.split(",")]

    try:
        from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
        simd = " ".join(f for f in __cpu_dispatch__ if __cpu_features__.get(f))
    except ImportError:
        simd = "unknown"
    print(f"numpy {np.__version__} on Python {sys.version.split()[0]}; "
          f"SIMD dispatch available: {simd or 'none'}")
    print("ns per row (thread CPU time), single thread; same columns as math_bench.\n")
    print("| expr | rows | numpy |\n|---|---:|---:|")
    for n in sizes:
        samples = args.samples or (3 if n >= 1000000 else 7)
        for name, fn in ROWS:
            alo, ahi, blo, bhi = (0, 2, -4, 4) if name == "pow" else (0, 1, 0, 1)
            a, b, c = column(n, 1, alo, ahi), column(n, 2, blo, bhi), column(n, 3, 0, 1)
            print(f"| {name} | {n} | {time_row(fn, a, b, c, samples):.2f} |", flush=True)


if __name__ == "__main__":
    main()
