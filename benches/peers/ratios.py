#!/usr/bin/env python3
"""Prints the peers medians (row x engine) and the ratios against kisum-access, as Markdown.

Usage, in benches/peers after `cargo bench --bench peers -- ...`: python3 ratios.py [TARGET_DIR]
Per-iteration time of a sample = total / iterations (as ../table.py); the median is over samples.
For min / median / max per engine: python3 ../table.py peers_ROW target
"""
import json
import pathlib
import statistics
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target") / "criterion"
ROWS = ["allow", "deny", "bu-allow", "bu-deny"]
ENGINES = ["kisum", "kisum-decision", "cedar-action-group", "cedar-per-grant", "casbin-cached", "casbin", "baseline-bit"]
# The ratios compare the engines' yes/no answers: `kisum` (a bool, like every other engine's row).
RIVALS = ["cedar-action-group", "cedar-per-grant", "casbin-cached", "casbin"]


def fmt(ns):
    return f"{ns * 1000:.0f} ps" if ns < 1 else (f"{ns:.2f} ns" if ns < 1000 else f"{ns / 1000:.2f} µs")


def median(row, engine):
    data = json.loads((root / f"peers_{row}" / engine / "new" / "sample.json").read_text())
    return statistics.median(t / n for t, n in zip(data["times"], data["iters"]))


med = {(r, e): median(r, e) for r in ROWS for e in ENGINES}
print("| row | " + " | ".join(ENGINES) + " |")
print("| --- |" + " ---: |" * len(ENGINES))
for r in ROWS:
    print(f"| {r} | " + " | ".join(fmt(med[r, e]) for e in ENGINES) + " |")
print()
print("| row | cedar-action-group / kisum | cedar-per-grant / kisum | casbin-cached / kisum | casbin / kisum | kisum / baseline-bit |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for r in ROWS:
    k = med[r, "kisum"]
    cells = [f"{med[r, e] / k:,.0f}x" for e in RIVALS] + [f"{k / med[r, 'baseline-bit']:.1f}x"]
    print(f"| {r} | " + " | ".join(cells) + " |")
