#!/usr/bin/env python3
"""Prints the issue #11 performance scorecard (one Markdown row per target) from ONE JMH JSON result file.

Usage: python3 benchmarks/scorecard.py benchmarks/results/<run>.json

Times are medians of the measured iterations; ratios divide Orchestra4j's median by its peer's or floor's median
from the same file. Auxiliary counters (StorageCostBench, SessionHeapBench) are JMH totals over the measured
iterations and are only ever divided by one another."""
import json
import statistics
import sys

P = "dev.orchestra4j.benchmarks."


def load(path):
    rows = {}
    for entry in json.load(open(path)):
        name = entry["benchmark"].removeprefix(P)
        params = tuple(sorted(entry.get("params", {}).items()))
        metric = entry["primaryMetric"]
        its = [x for fork in metric["rawData"] for x in fork]
        aux = {k: v["score"] for k, v in entry.get("secondaryMetrics", {}).items()}
        rows[(name, params)] = {"median": statistics.median(its), "unit": metric["scoreUnit"], "aux": aux}
    return rows


def get(rows, name, **params):
    want = tuple(sorted((k, str(v)) for k, v in params.items()))
    for (n, p), row in rows.items():
        if n == name and all(item in p for item in want):
            return row
    return None


def fmt(x):
    return "—" if x is None else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}")


def main(path):
    rows = load(path)
    out = []

    def med(name, **p):
        row = get(rows, name, **p)
        return None if row is None else row["median"]

    def aux(name, counter, **p):
        row = get(rows, name, **p)
        return None if row is None else row["aux"].get(counter)

    def cpu(name, **p):
        """CPU µs per operation of the benchmark thread (CpuTime counters), or None."""
        row = get(rows, name, **p)
        if row is None or not row["aux"].get("ops"):
            return None
        return row["aux"]["cpuNanos"] / row["aux"]["ops"] / 1000

    def ratio(a, b):
        return None if a is None or b is None or b == 0 else a / b

    def row(target, ours, peer, r, goal, met):
        verdict = "—" if met is None else ("**met**" if met else "**not met**")
        out.append(f"| {target} | {ours} | {peer} | {fmt(r)}× | {goal} | {verdict} |")

    # 1. marginal per step
    o = [med("orchestra4j.Orchestra4jCycleBench.run", steps=s) for s in (10, 100)]
    ac = [med("agentic.AgenticCycleBench.invoke", steps=s) for s in (10, 100)]
    ap = [med("agentic.AgenticPipelineBench.invoke", steps=s) for s in (10, 100)]
    marg = lambda t: None if None in t else (t[1] - t[0]) / 90
    mo, mac, map_ = marg(o), marg(ac), marg(ap)
    r = ratio(mo, mac)
    row("pipeline marginal per step, µs ((T100 − T10)/90, two-node cycle)", fmt(mo),
        f"agentic loop {fmt(mac)}; agentic sequence {fmt(map_)} ({fmt(ratio(mo, map_))}×)", r, "≤ 1.0×",
        None if r is None else r <= 1.0)
    co = [cpu("orchestra4j.Orchestra4jCycleBench.run", steps=s) for s in (10, 100)]
    cac = [cpu("agentic.AgenticCycleBench.invoke", steps=s) for s in (10, 100)]
    cap = [cpu("agentic.AgenticPipelineBench.invoke", steps=s) for s in (10, 100)]
    cmo, cmac, cmap = marg(co), marg(cac), marg(cap)
    r = ratio(cmo, cmac)
    row("… the same in CPU time of the benchmark thread, µs/step", fmt(cmo),
        f"agentic loop {fmt(cmac)}; agentic sequence {fmt(cmap)} ({fmt(ratio(cmo, cmap))}×)", r, "≤ 1.0×",
        None if r is None else r <= 1.0)
    # 2. whole 10-step run from a platform thread
    o10 = med("orchestra4j.Orchestra4jPipelineBench.run", steps=10)
    a10 = med("agentic.AgenticPipelineBench.invoke", steps=10)
    r = ratio(o10, a10)
    row("whole 10-step `Orchestra.run` from a platform thread, µs", fmt(o10), f"agentic 10-step invoke {fmt(a10)}",
        r, "≤ 3×", None if r is None else r <= 3)
    c10, ca10 = cpu("orchestra4j.Orchestra4jPipelineBench.run", steps=10), cpu("agentic.AgenticPipelineBench.invoke", steps=10)
    r = ratio(c10, ca10)
    row("… the same in CPU time of the calling thread, µs", fmt(c10), f"agentic {fmt(ca10)}", r, "≤ 3×",
        None if r is None else r <= 3)
    # 3. fan-out
    for width, goal in ((10, 1.2), (1000, 1.5)):
        of = med("orchestra4j.Orchestra4jFanOutBench.run", width=width)
        vt = med("baseline.BaselineFanOutBench.virtualThreadJoin", width=width)
        ag = med("agentic.AgenticFanOutBench.virtualThreads", width=width)
        r = ratio(of, vt)
        row(f"fan-out/fan-in of {width:,}, µs", fmt(of),
            f"raw virtual-thread join {fmt(vt)}; agentic parallel {fmt(ag)}", r, f"≤ {goal}×",
            None if r is None else r <= goal)
    # 4. checkpoint every step
    cn = med("orchestra4j.CheckpointBench.run", backend="none")
    cm = med("orchestra4j.CheckpointBench.run", backend="memory")
    ccn, ccm = cpu("orchestra4j.CheckpointBench.run", backend="none"), cpu("orchestra4j.CheckpointBench.run", backend="memory")
    cf = med("orchestra4j.CheckpointBench.run", backend="file")
    cnf = med("orchestra4j.CheckpointBench.run", backend="file-nofsync")
    r = ratio(cm, cn)
    row("checkpoint after every step, in-memory backend, µs (10 steps, 1 KB state)", fmt(cm),
        f"no state manager {fmt(cn)}", r, "≤ 1.5×", None if r is None else r <= 1.5)
    r2 = ratio(ccm, ccn)
    row("… the same in CPU time of the calling thread, µs", fmt(ccm), f"no state manager {fmt(ccn)}", r2, "≤ 1.5×",
        None if r2 is None else r2 <= 1.5)
    floor = med("baseline.CheckpointFloorBench.jacksonJournal")
    if floor is not None and cn is not None:
        # no engine can do better than its own run plus Jackson-encoding each step's output: the goal's reach
        rf = ratio(cn + floor, cn)
        row("… floor: the run without a state manager + Jackson-encoding only each step's 1 KB entry "
            "(CheckpointFloorBench), µs", fmt(cn + floor), f"no state manager {fmt(cn)}; encoding alone {fmt(floor)}",
            rf, "≤ 1.5×", None if rf is None else rf <= 1.5)
    row("checkpoint after every step, file backend, µs", f"{fmt(cf)} (no fsync: {fmt(cnf)})",
        f"no state manager {fmt(cn)}", ratio(cf, cn), "(SPEC §9: ≤ 2×)", None if cf is None else ratio(cf, cn) <= 2)
    # 5. bytes per step
    per = {}
    for s in (10, 1000):
        b, st = aux("orchestra4j.StorageCostBench.run", "bytes", backend="memory", steps=s), aux(
            "orchestra4j.StorageCostBench.run", "steps", backend="memory", steps=s)
        per[s] = None if not st else b / st
    r = ratio(per[1000], per[10])
    row("bytes written per step (journal + snapshots), 10 → 1,000 steps", f"{fmt(per[10])} → {fmt(per[1000])} B",
        "", r, "flat (≤ 1.25×)", None if r is None else r <= 1.25)
    # 6. fsyncs per committed step
    f = {}
    for s in (10, 1000):
        fs = aux("orchestra4j.StorageCostBench.run", "fsyncs", backend="file", steps=s)
        st = aux("orchestra4j.StorageCostBench.run", "steps", backend="file", steps=s)
        ap_ = aux("orchestra4j.StorageCostBench.run", "appends", backend="file", steps=s)
        f[s] = None if not st else (fs / (st / s), ap_ / (st / s))  # per run
    if None not in f.values():
        marginal = (f[1000][0] - f[10][0]) / 990
        row("file backend fsyncs per committed step", f"{marginal:.3f} per extra step "
            f"({f[10][0]:.1f} per 10-step run, {f[1000][0]:.0f} per 1,000-step run; "
            f"{f[1000][1]:.0f} journal appends)", "", None, "1 per committed step", abs(marginal - 1) < 0.05)
    # 7. 10,000 concurrent sessions
    # SessionsBench runs with the JVM's default heap, SessionsSizedHeapBench with -Xms4g -Xmx4g -XX:+AlwaysPreTouch
    for bench, heap in (("SessionsBench", "default heap"), ("SessionsSizedHeapBench", "heap 4 GB, pre-touched")):
        vt = med(f"orchestra4j.{bench}.virtualThreads")
        for variant in ("orchestra4jPerThread", "orchestra4jStart"):
            ms = med(f"orchestra4j.{bench}.{variant}")
            if ms is None:
                continue
            r = ratio(ms, 500.0)
            row(f"10,000 concurrent sessions × 10 steps × 50 ms, wall ms ({variant}, {heap})", fmt(ms),
                f"ideal 500; raw virtual threads {fmt(vt)} ({fmt(ratio(vt, 500.0))}×)", r, "≤ 1.3× ideal",
                None if r is None else r <= 1.3)
    # the memory floor: raw virtual threads holding what a session holds, at the default heap (no engine)
    for live in (4096, 8192):
        ms = med("baseline.SessionsFloorBench.virtualThreadsHolding", liveBytes=live)
        if ms is None:
            continue
        r = ratio(ms, 500.0)
        row(f"… floor: 10,000 raw virtual threads each holding {live // 1024} KB and dropping 1.6 KB per step "
            f"(SessionsFloorBench, default heap), wall ms", fmt(ms), "ideal 500", r, "≤ 1.3× ideal",
            None if r is None else r <= 1.3)
    # 8. heap per session
    for kind, goal, ok in (("suspended", "≤ 3.5 KB", lambda x: x <= 3.5 * 1024),
                           ("finished", "0", lambda x: x < 64)):
        hb = aux("orchestra4j.SessionHeapBench.run", "heapBytes", kind=kind)
        n = aux("orchestra4j.SessionHeapBench.run", "sessions", kind=kind)
        kept = aux("orchestra4j.SessionHeapBench.run", "kept", kind=kind)
        per_session = None if not n else hb / n
        row(f"heap per {kind} session (10,000 in one instance)",
            "—" if per_session is None else f"{per_session:,.0f} B (instance holds {fmt(kept and kept / (n / 10000))})",
            "", None, goal, None if per_session is None else ok(per_session))

    print("| target (issue #11) | Orchestra4j | peer / floor, same run | ratio | goal | verdict |")
    print("|---|---|---|---|---|---|")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
