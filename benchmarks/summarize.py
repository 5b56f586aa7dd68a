#!/usr/bin/env python3
"""Summarizes JMH JSON results: median and mean +- error per benchmark, and the marginal per-step cost
(T100 - T10) / 90 for every benchmark measured at both pipeline lengths (see Workloads.java).

Usage: python3 benchmarks/summarize.py results/a.json [results/b.json ...]
Several files are pooled: the median is taken over the measured iterations of all of them."""
import json
import statistics
import sys
from collections import defaultdict

SHORT, LONG = "10", "100"


def key(entry):
    name = entry["benchmark"].removeprefix("dev.orchestra4j.benchmarks.")
    params = entry.get("params", {})
    shown = ",".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "steps")
    return name, shown, params.get("steps")


def main(paths):
    runs = defaultdict(list)
    bytes_per_op = {}
    for path in paths:
        with open(path) as f:
            for entry in json.load(f):
                metric = entry["primaryMetric"]
                iterations = [x for fork in metric["rawData"] for x in fork]
                runs[key(entry)].append((float(metric["score"]), float(metric["scoreError"]), iterations))
                allocation = entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
                if allocation:
                    bytes_per_op[key(entry)] = float(allocation["score"])

    print("| benchmark | params | steps | median µs | mean µs ± error (per file) | B/op (-prof gc) |")
    print("|---|---|---|---|---|---|")
    medians = {}
    for (name, shown, steps), results in sorted(runs.items()):
        median = statistics.median(x for _, _, its in results for x in its)
        medians[(name, shown, steps)] = median
        means = " / ".join(f"{s:.3g} ± {e:.2g}" for s, e, _ in results)
        allocation = bytes_per_op.get((name, shown, steps))
        allocated = f"{allocation:.0f}" if allocation is not None else ""
        print(f"| {name} | {shown} | {steps or ''} | {median:.3g} | {means} | {allocated} |")

    print()
    print("| benchmark | params | T10 µs | T100 µs | marginal µs/step | fixed µs/run |")
    print("|---|---|---|---|---|---|")
    for (name, shown, steps), t10 in sorted(medians.items()):
        t100 = medians.get((name, shown, LONG))
        if steps != SHORT or t100 is None:
            continue
        marginal = (t100 - t10) / (int(LONG) - int(SHORT))
        fixed = t10 - marginal * int(SHORT)
        print(f"| {name} | {shown} | {t10:.3g} | {t100:.3g} | {marginal:.3g} | {fixed:.3g} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
