#!/usr/bin/env python3
"""Prints a Markdown table of per-iteration min / median / max from criterion's samples.

Usage (after `cargo bench --bench NAME -- ...`): python3 benches/table.py GROUP [TARGET_DIR]
Each criterion sample is (iterations, total time); per-iteration time = total / iterations.
The min and max are over samples, so they show the machine's noise, not a confidence interval.
"""
import json
import pathlib
import statistics
import sys

group = sys.argv[1]
root = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "target") / "criterion" / group


def fmt(ns):
    return f"{ns * 1000:.0f} ps" if ns < 1 else (f"{ns:.2f} ns" if ns < 1000 else f"{ns / 1000:.2f} µs")


print("| benchmark | min | median | max |")
print("| --- | ---: | ---: | ---: |")
rows = []
for bench in sorted(root.iterdir()):
    sample = bench / "new" / "sample.json"
    bench_json = bench / "new" / "benchmark.json"
    if not sample.exists():
        continue
    data = json.loads(sample.read_text())
    per_iter = [t / n for t, n in zip(data["times"], data["iters"])]
    title = json.loads(bench_json.read_text())["function_id"] if bench_json.exists() else bench.name
    rows.append((title, min(per_iter), statistics.median(per_iter), max(per_iter)))
order = {name: i for i, name in enumerate(sys.argv[3:])}
for title, lo, med, hi in sorted(rows, key=lambda r: (not r[0].startswith("baseline"), r[0])):
    print(f"| {title} | {fmt(lo)} | {fmt(med)} | {fmt(hi)} |")
