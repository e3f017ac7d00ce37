#!/usr/bin/python3
"""report.py — merges the JSON of bench_engines, bench_peers and
numexpr_bench.py into results/engines_side_by_side.json, prints one markdown
table per size (ns per row, × the C loop timed in the same process as that
engine) and the compile/setup table, and draws the PNG chart with gnuplot.

Usage: report.py RESULTS_DIR   (reads engines.json, peers.json, numexpr.json)
"""
import json
import os
import re
import shutil
import subprocess
import sys

EXPRS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "filter", "sum"]
NAMES = {"jitcalc-none": "jitcalc interp", "jitcalc-sse2": "jitcalc sse2",
         "jitcalc-avx2": "jitcalc avx2", "jitcalc-avx512": "jitcalc avx512",
         # jitcalc again, inside bench_peers: same process and buffers as the peers
         "jitcalc-peers": "jitcalc (peers' run)"}


def load(path):
    """Rows of one result file; [] when the program did not run."""
    try:
        text = open(path).read()
    except OSError:
        return []
    # bench_engines prints C's nan/inf for a failed engine: not JSON.
    text = re.sub(r":\s*-?nan", ":null", text)
    text = re.sub(r":\s*-?inf", ":null", text)
    return json.loads(text).get("rows", [])


def main():
    out_dir = sys.argv[1]
    rows = []
    for f in ("engines.json", "peers.json", "numexpr.json"):
        rows += load(os.path.join(out_dir, f))
    runs = [r for r in rows if "rows" in r and "engine" in r]
    setups = [r for r in rows if "compile_cold_ns" in r]
    for r in setups:  # bench_engines' compile rows name no engine
        r.setdefault("engine", "jitcalc")
    engines = []
    for r in runs:
        if r["engine"] not in engines:
            engines.append(r["engine"])
    sizes = sorted({r["rows"] for r in runs})
    with open(os.path.join(out_dir, "engines_side_by_side.json"), "w") as f:
        json.dump({"runs": runs, "setup": setups}, f, indent=1)

    md = []
    for n in sizes:
        md.append(f"\n### {n:,} rows: ns per row (× the C loop timed in the same process)\n")
        cells = {(r["expr"], r["engine"]): r for r in runs if r["rows"] == n}
        md.append("| expr | C loop | " + " | ".join(NAMES.get(e, e) for e in engines) + " |")
        md.append("|---|---|" + "---|" * len(engines))
        for x in EXPRS:
            c = next((r["c_ns_per_row"] for r in runs
                      if r["rows"] == n and r["expr"] == x and r["engine"].startswith("jitcalc")),
                     None)
            line = [x, f"{c:.3f}" if c else "–"]
            for e in engines:
                r = cells.get((x, e))
                ns = r and r.get("ns_per_row")
                if not r:
                    line.append("–")
                elif ns is None or ns < 0:
                    line.append("failed" if r.get("failed") else "wrong")
                else:
                    line.append(f"{ns:.3f} ({ns / r['c_ns_per_row']:.2f}×)")
            md.append("| " + " | ".join(line) + " |")

    # Compile / setup latency, cold; jitcalc's cache hit too.
    setup_eng = []
    for r in setups:
        if r["engine"] not in setup_eng:
            setup_eng.append(r["engine"])
    md.append("\n### Compile / setup latency, cold (median µs)\n")
    hdr = ["expr"] + [("jitcalc cold" if e == "jitcalc" else e) for e in setup_eng]
    has_hit = any("compile_hit_ns" in r for r in setups)
    if has_hit:
        hdr.insert(2, "jitcalc cache hit")
    ratio_to = [e for e in ("tcc", "gccjit", "llvm") if e in setup_eng and "jitcalc" in setup_eng]
    hdr += [f"{e} / jitcalc cold" for e in ratio_to]
    md.append("| " + " | ".join(hdr) + " |")
    md.append("|" + "---|" * len(hdr))
    for x in EXPRS:
        by = {r["engine"]: r for r in setups if r["expr"] == x}
        line = [x]
        for e in setup_eng:
            v = by.get(e, {}).get("compile_cold_ns")
            line.append(f"{v / 1000:.1f}" if v and v > 0 else "–")
            if e == "jitcalc" and has_hit:
                h = by.get(e, {}).get("compile_hit_ns")
                line.append(f"{h / 1000:.2f}" if h else "–")
        for e in ratio_to:
            j, p = by.get("jitcalc", {}).get("compile_cold_ns"), by.get(e, {}).get("compile_cold_ns")
            line.append(f"{p / j:.0f}×" if j and p and j > 0 and p > 0 else "–")
        md.append("| " + " | ".join(line) + " |")
    text = "\n".join(md) + "\n"
    print(text)
    open(os.path.join(out_dir, "engines_side_by_side.md"), "w").write(text)

    # The chart: one panel per size, ns per row (log scale), bars per engine.
    if not shutil.which("gnuplot"):
        print("gnuplot not found (apt-get install gnuplot-nox): no PNG chart")
        return 0
    plot_eng = [e for e in engines]
    for old in os.listdir(out_dir):  # panels of sizes from an earlier run
        if old.startswith("ns_per_row_") and old.endswith(".dat"):
            os.remove(os.path.join(out_dir, old))
    for n in sizes:
        cells = {(r["expr"], r["engine"]): r for r in runs if r["rows"] == n}
        with open(os.path.join(out_dir, f"ns_per_row_{n}.dat"), "w") as f:
            f.write("expr\tC_loop\t" + "\t".join(NAMES.get(e, e).replace(" ", "_") for e in plot_eng) + "\n")
            for x in EXPRS:
                c = next((r["c_ns_per_row"] for r in runs if r["rows"] == n and r["expr"] == x
                          and r["engine"].startswith("jitcalc")), None)
                vals = [f"{c:.4f}" if c else "?"]
                for e in plot_eng:
                    r = cells.get((x, e))
                    ns = r and r.get("ns_per_row")
                    vals.append(f"{ns:.4f}" if ns and ns > 0 else "?")
                f.write(x + "\t" + "\t".join(vals) + "\n")
    ncol = len(plot_eng) + 1
    gp = [f"set terminal pngcairo size 1500,{420 * len(sizes)} font ',10'",
          f"set output '{os.path.join(out_dir, 'engines.png')}'",
          f"set multiplot layout {len(sizes)},1",
          "set termoption noenhanced", "set style data histogram", "set style histogram clustered gap 1",
          "set style fill solid 0.9 border -1", "set boxwidth 0.9",
          "set logscale y", "set ylabel 'ns per row (log)'", "set grid ytics",
          "set key outside right top vertical", "set datafile missing '?'",
          "set yrange [0.05:*]"]
    # one colour per series (gnuplot's own cycle repeats after eight)
    palette = ["#000000", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b", "#e6550d",
               "#a63603", "#31a354", "#756bb1", "#fdae6b", "#fd8d3c", "#bdbdbd", "#636363"]
    gp.append("colors = '" + " ".join(palette[:ncol]) + "'")
    for n in sizes:
        gp.append(f"set title '{n:,} rows, single thread unless marked (median; lower is better)'")
        gp.append(f"plot for [i=2:{ncol + 1}] '{os.path.join(out_dir, f'ns_per_row_{n}.dat')}' "
                  "using i:xtic(1) title columnhead(i) lc rgb word(colors, i - 1)")
    gp.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(gp), text=True, check=True)
    print(f"chart: {os.path.join(out_dir, 'engines.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
