#!/usr/bin/python3
"""numexpr_bench.py — numexpr (Debian python3-numexpr) on issue 8's
expressions, one thread and all threads, beside the same hand-written C
loops (bench/c_loops.c, loaded through ctypes from bench_c_loops_shared) timed
in this same process for the ratios. Same data as bench_engines: the same
generator and seeds, values in (0,1).

numexpr's fastest documented way: an expression compiled once
(necompiler.NumExpr, the object evaluate() caches) called with a
preallocated out= for columns; the filter and the aggregate are numexpr
reductions. Setup = that compile, cold (numexpr's own cache bypassed).

Run with Debian's /usr/bin/python3:
  numexpr_bench.py --lib build/bench/peers/libbench_c_loops_shared.so
                   [--quick | --smoke] [--sizes N,...] [--json FILE]
"""
import argparse
import ctypes
import json
import math
import statistics
import sys
import time

SAMPLES = 7
MAX_REL_ERR = 1e-9


def columns(n, seed):
    """bench_engines' LCG, vectorised: s_{i+L} = A^L s_i + C_L (mod 2^64)."""
    import numpy as np
    A, C, M = 6364136223846793005, 1442695040888963407, 1 << 64
    states = np.empty(max(n, 1), dtype=np.uint64)
    states[0] = (seed * A + C) % M
    have, a_l, c_l = 1, A, C  # (a_l, c_l) advance one state by `have`
    with np.errstate(over="ignore"):
        while have < n:
            take = min(have, n - have)
            states[have:have + take] = states[:take] * np.uint64(a_l) + np.uint64(c_l)
            a_l, c_l = (a_l * a_l) % M, (c_l * a_l + c_l) % M
            have += take
    states = states[:n]
    return ((states >> np.uint64(11)).astype(np.float64) + 0.5) / 9007199254740992.0


class Cols(ctypes.Structure):
    _fields_ = [("a", ctypes.c_void_p), ("b", ctypes.c_void_p), ("c", ctypes.c_void_p),
                ("out", ctypes.c_void_p), ("n", ctypes.c_size_t)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--sizes")
    ap.add_argument("--json")
    args = ap.parse_args()
    try:
        import numpy as np
        import numexpr as ne
        from numexpr import necompiler
    except ImportError as e:
        print(f"peer numexpr: skipped ({e}; apt-get install python3-numexpr)")
        if args.json:
            json.dump({"rows": [], "skipped": str(e)}, open(args.json, "w"))
        return 0

    lib = ctypes.CDLL(args.lib)
    for f in ("c_e1", "c_e2", "c_e3", "c_e4", "c_e5", "c_e6", "c_e7"):
        getattr(lib, f).restype = None
    lib.c_filter.restype = lib.c_sum.restype = ctypes.c_double
    poly = (ctypes.c_double * 11).in_dll(lib, "bench_poly")
    e7 = "(" * 9 + repr(poly[0]) + "".join(
        f"*a + {poly[d]!r}" + (")" if d < 10 else "") for d in range(1, 11))
    exprs = [
        ("E1", "a + b", "c_e1", False),
        ("E2", "a*b + c", "c_e2", False),
        ("E3", "sqrt(a*a + b*b)", "c_e3", False),
        ("E4", "(a - b) / (a + b + 1)", "c_e4", False),
        ("E5", "where(a > b, a - b, b - a)", "c_e5", False),
        ("E6", "exp(-a) * sin(b) + log(c + 1)", "c_e6", False),
        ("E7", e7, "c_e7", False),
        ("filter", "sum(where((a > 0.5) & (b < 0.2), 1, 0))", "c_filter", True),
        ("sum", "sum(a*b)", "c_sum", True),
    ]
    sizes = [1000, 100000, 10000000]
    if args.quick:
        sizes = [1000, 20000]
    if args.smoke:
        sizes = [1000, 20011]
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    samples = 1 if args.smoke else SAMPLES
    all_threads = ne.detect_number_of_cores()
    threads = [("numexpr-1t", 1), (f"numexpr-{all_threads}t", all_threads)]

    def reps_for(n):
        return 1 if args.smoke else (1 if n >= 1000000 else 20000000 // (n + 1000) + 1)

    def timed(fn, n):
        reps, s = reps_for(n), []
        for _ in range(samples):
            t0 = time.perf_counter_ns()
            for _ in range(reps):
                fn()
            s.append((time.perf_counter_ns() - t0) / reps / n)
        return statistics.median(s)

    rows = []
    print(f"numexpr {ne.__version__}, VML: {ne.get_vml_version()}, cores: {all_threads}")
    # Setup latency: compile cold (NumExpr itself has no cache).
    print("\n### numexpr compile, cold (median µs)\n\n| expr | numexpr |\n|---|---|")
    for name, text, _, _ in exprs:
        names = necompiler.getExprNames(text, {})[0]
        sig = [(x, np.float64) for x in names]
        s = []
        for _ in range(1 if args.smoke else 201):
            t0 = time.perf_counter_ns()
            necompiler.NumExpr(text, signature=sig)
            s.append(time.perf_counter_ns() - t0)
        setup = statistics.median(s)
        print(f"| {name} | {setup / 1000:.1f} |")
        rows.append({"expr": name, "engine": "numexpr", "compile_cold_ns": setup})

    for n in sizes:
        cols = {"a": columns(n, 1), "b": columns(n, 2), "c": columns(n, 3)}
        ref_out, out = np.empty(n), np.empty(n)
        k = Cols(cols["a"].ctypes.data, cols["b"].ctypes.data, cols["c"].ctypes.data,
                 ref_out.ctypes.data, n)
        kp = ctypes.byref(k)
        print(f"\n### {n} rows: ns per row (× the C loop via ctypes, same process)\n")
        print("| expr | C loop | " + " | ".join(e for e, _ in threads) +
              " | max rel. error vs C |\n|---|---|" + "---|" * len(threads) + "---|")
        for name, text, cfn, reduce in exprs:
            c_fn = getattr(lib, cfn)
            c_ns = timed(lambda: c_fn(kp), n)
            names = necompiler.getExprNames(text, {})[0]
            nex = necompiler.NumExpr(text, signature=[(x, np.float64) for x in names])
            ins = [cols[x] for x in names]
            if reduce:
                run = lambda: nex(*ins, ex_uses_vml=False)
            else:
                run = lambda: nex(*ins, out=out, ex_uses_vml=False)
            cells, worst = [], 0.0
            for eng, t in threads:
                ne.set_num_threads(t)
                if reduce:
                    ref, got = c_fn(kp), float(run())
                    err = abs(got - ref) / (abs(ref) if abs(ref) > 1e-300 else 1)
                else:
                    c_fn(kp)
                    run()
                    den = np.where(np.abs(ref_out) > 1e-300, np.abs(ref_out), 1.0)
                    err = float(np.max(np.abs(out - ref_out) / den)) if n else 0.0
                if math.isnan(err):
                    err = math.inf
                ok = err <= MAX_REL_ERR
                ns = timed(run, n) if ok else None
                worst = max(worst, err)
                cells.append(f"{ns:.3f} ({ns / c_ns:.2f}×)" if ok else "wrong")
                if not ok:
                    print(f"{eng} {name}: WRONG (rel. error {err:.2e}), not timed", file=sys.stderr)
                rows.append({"expr": name, "rows": n, "engine": eng, "threads": t,
                             "ns_per_row": ns if ok else -1.0, "c_ns_per_row": c_ns,
                             "max_rel_err": err if err != math.inf else 1.0, "ok": ok,
                             "failed": False})
            print(f"| {name} | {c_ns:.3f} | " + " | ".join(cells) + f" | {worst:.1e} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows}, f, indent=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
