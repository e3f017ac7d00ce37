#!/usr/bin/env python3
"""Runs bench_peers several times at one size and prints, per expression,
the median over the runs of jitcalc's ns per row divided by the better of
libgccjit's and LLVM's, with the range: single runs of 1,000 rows scatter
by tens of percent, the median of several is the figure to quote.

usage: medians.py BENCH_PEERS [--runs N] [--sizes ROWS] [--offset B] [--smoke]
(--smoke: bench_peers' own, one sample a figure; for the test suite)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

COMPILERS = ("gccjit", "llvm")


def one_run(binary, rows, offset, smoke):
    """{expr: jitcalc / better compiler peer} of one bench_peers run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "peers.json")
        cmd = [binary, "--sizes", str(rows), "--offset", str(offset), "--json", out]
        subprocess.run(cmd + (["--smoke"] if smoke else []), check=True,
                       stdout=subprocess.DEVNULL)
        with open(out) as f:
            rows_ = [r for r in json.load(f)["rows"] if "ns_per_row" in r and r["ok"]]
    mine, best = {}, {}
    for r in rows_:
        if r["engine"] == "jitcalc-peers":
            mine[r["expr"]] = r["ns_per_row"]
        elif r["engine"] in COMPILERS:
            best[r["expr"]] = min(best.get(r["expr"], float("inf")), r["ns_per_row"])
    return {e: mine[e] / best[e] for e in mine if e in best}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", type=int, default=1000)
    ap.add_argument("--offset", type=int, default=16)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    runs = []
    for k in range(a.runs):
        runs.append(one_run(a.binary, a.sizes, a.offset, a.smoke))
        print(f"run {k + 1}/{a.runs} done", file=sys.stderr)
    exprs = [e for e in runs[0] if all(e in r for r in runs)]
    if not exprs:
        sys.exit("medians.py: no expression has jitcalc and a compiler peer in every run")
    print(f"| {a.sizes:,} rows, offset {a.offset} | " + " | ".join(exprs) + " |")
    print("|---" * (len(exprs) + 1) + "|")
    med = [statistics.median(r[e] for r in runs) for e in exprs]
    lo = [min(r[e] for r in runs) for e in exprs]
    hi = [max(r[e] for r in runs) for e in exprs]
    print(f"| jitcalc / better peer, median of {a.runs} | "
          + " | ".join(f"{m:.2f}" for m in med) + " |")
    print("| range | " + " | ".join(f"{x:.2f}–{y:.2f}" for x, y in zip(lo, hi)) + " |")


if __name__ == "__main__":
    main()
