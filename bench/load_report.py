#!/usr/bin/python3
"""load_report.py — the daemon-load part of scripts/bench.sh: reads what
bench/load printed for each jitcalcd run (jitcalcd-*.txt: its `JSON {...}`
line) and the CSV of each redis-benchmark run (redis-ping-cN-pP.csv) from
RAW_DIR, and writes RESULTS_DIR/load.json and RESULTS_DIR/load.md: one
markdown table (also printed) with redis's PING beside jitcalcd at the same
connections and pipeline depth, the ceiling for request handling on this
machine, measured in the same run.

Usage: load_report.py RAW_DIR RESULTS_DIR
"""
import csv
import glob
import json
import os
import re
import sys

MIXES = {"small": "small (`a*b+c`, 16 rows)", "cold": "cold (a new expression each)",
         "large": "large (base64 columns)", "json": "json (JSON-array columns)",
         "PING_INLINE": "PING (inline)", "PING_MBULK": "PING (RESP)"}


def jitcalcd_rows(raw):
    rows = []
    for path in sorted(glob.glob(os.path.join(raw, "jitcalcd-*.txt"))):
        for line in open(path):
            if line.startswith("JSON "):
                row = json.loads(line[5:])
                row["server"] = "jitcalcd"
                rows.append(row)
    return rows


def redis_rows(raw):
    rows = []
    for path in sorted(glob.glob(os.path.join(raw, "redis-ping-c*-p*.csv"))):
        conns, depth = map(int, re.search(r"-c(\d+)-p(\d+)\.csv$", path).groups())
        for r in csv.DictReader(open(path)):
            rows.append({"server": "redis", "mix": r["test"], "connections": conns,
                         "pipeline": depth, "rps": float(r["rps"]),
                         "p50_us": float(r["p50_latency_ms"]) * 1000,
                         "p99_us": float(r["p99_latency_ms"]) * 1000})
    return rows


def cell(v, fmt):
    return fmt.format(v) if v is not None else "–"


def table(rows):
    """The markdown lines: same shapes side by side, jitcalcd first."""
    order = list(MIXES)
    rows = sorted(rows, key=lambda r: (r["mix"] in ("large", "json"), -r["pipeline"],
                                       r["connections"], r["server"] != "jitcalcd",
                                       order.index(r["mix"]) if r["mix"] in order else 99))
    md = ["### The daemon under load (redis PING: the ceiling, same machine, same run)", "",
          "| server | requests | connections × in flight | requests/s | p50 µs | p99 µs "
          "| p99.9 µs | request MB/s |",
          "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| {r['server']} | {MIXES.get(r['mix'], r['mix'])} | "
                  f"{r['connections']} × {r['pipeline']} | {r['rps']:,.0f} | "
                  f"{cell(r.get('p50_us'), '{:.0f}')} | {cell(r.get('p99_us'), '{:.0f}')} | "
                  f"{cell(r.get('p999_us'), '{:.0f}')} | {cell(r.get('request_mb_s'), '{:.1f}')} |")
    md.append("")
    # jitcalcd's small requests as a share of redis's PING at the same shape.
    for j in (r for r in rows if r["server"] == "jitcalcd" and r["mix"] == "small"):
        pings = [r for r in rows if r["server"] == "redis" and
                 (r["connections"], r["pipeline"]) == (j["connections"], j["pipeline"])]
        best = max(pings, key=lambda r: r["rps"], default=None)
        if best and best["rps"] > 0:
            md.append(f"jitcalcd small at {j['connections']} × {j['pipeline']}: "
                      f"{100 * j['rps'] / best['rps']:.0f}% of redis {best['mix']}")
    if not any(r["server"] == "redis" for r in rows):
        md.append("redis: skipped (not measured in this run)")
    return md


def main():
    raw, out_dir = sys.argv[1], sys.argv[2]
    rows = jitcalcd_rows(raw) + redis_rows(raw)
    with open(os.path.join(out_dir, "load.json"), "w") as f:
        json.dump({"rows": rows}, f, indent=1)
    text = "\n".join(table(rows)) + "\n" if rows else f"no load results in {raw}\n"
    print(text, end="")
    with open(os.path.join(out_dir, "load.md"), "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
