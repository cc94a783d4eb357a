"""Batch throughput from Python: RuleSet.recommend_many (C++ threads, GIL released) against a
Python loop of RuleSet.recommend, on the same patients.

    KNEAD_BENCH_WORKLOAD=DIR PYTHONPATH=build/ci/python /usr/bin/python3 bench/python_batch.py
    PYTHONPATH=build/ci/python /usr/bin/python3 bench/python_batch.py --patients FILE.jsonl --rules rules/ --repeat 5

The patients are one JSON object a line: --patients FILE, or else patients.jsonl of the peer
benchmark's workload in the folder $KNEAD_BENCH_WORKLOAD names (the other benchmarks read it
there too; docs/performance.md). One of the two is required. With the workload's 10,000 patients
and the default rules, some ids the default rules do not know become warnings in the results,
and the few patients that knead rejects (e.g. a pressure named "deep") become errors in place
(on_error="return").

A run is the call, which includes converting the Python dicts (or JSON strings, with --text),
and then freeing its results (with a garbage collection: a loop that keeps exceptions makes
reference cycles, which would otherwise be freed during some later, unrelated timing; the
patients themselves are frozen out of the collections, which would otherwise walk them in every
run). Results hand their C++ objects to a background thread when they are freed; the wait for
that thread is timed apart ("bg free"), not counted in the rate (the caller does not wait for
it), and counted in the CPU time. The three ways run in turn, --repeat times, and each way's
best run counts, so that a change in the machine's load touches them alike. The results of all
three are checked to be equal.

Beside the wall-clock rate it prints the CPU time per patient (all threads of the process) and a
bound for idle cores (patients over the busiest thread's CPU time, or over all the CPU time
spread across the cores, whichever is longer): on a machine whose cores are busy with other
work, threads cannot speed up the wall clock, and the CPU times still show what each way costs.
The load average is printed for the same reason.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pathlib
import sys
import time
from typing import Any, Callable

import knead



def recommend_each(rules: knead.RuleSet, patients: list[Any]) -> list[Any]:
    """The plain Python way: one call per patient, errors kept in place."""
    out: list[Any] = []
    for p in patients:
        try:
            out.append(rules.recommend(p))
        except knead.Error as error:
            out.append(error)
    return out


def comparable(result: Any) -> str:
    if isinstance(result, knead.Recommendation):
        return result.to_json(-1)
    return f"{type(result).__name__}:{getattr(result, 'code', '')}:{getattr(result, 'field', '')}"


def thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each thread of this process (Linux; empty elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out: dict[str, float] = {}
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        out[tid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return out


class Timing:
    """One run: wall-clock seconds of the call, of freeing its results and of then waiting for the
    background thread to free their C++ objects; CPU seconds of the process during the call and
    the freeing, of its busiest thread then, and of the background wait."""

    def __init__(self, call: float, free: float, background: float, cpu: float, busiest: float, bg_cpu: float) -> None:
        self.call, self.free, self.background = call, free, background
        self.cpu, self.busiest, self.bg_cpu = cpu, busiest, bg_cpu
        self.wall = call + free

    def idle_bound(self, cores: int) -> float:
        """The shortest wall-clock time idle cores could give: no less than the busiest thread's
        CPU time, nor than all the CPU time spread over every core."""
        return max(self.busiest, self.cpu / cores)


def timed(run: Callable[[], list[Any]]) -> tuple[Timing, list[str]]:
    """One run, and the comparable form of its results."""
    gc.collect()  # nothing of earlier runs is left to free
    knead._core._wait_for_frees()
    threads = thread_cpu()
    cpu = time.process_time()
    started = time.perf_counter()
    results = run()
    call = time.perf_counter() - started
    cpu = time.process_time() - cpu
    threads = {tid: t - threads.get(tid, 0.0) for tid, t in thread_cpu().items()}
    comparables = [comparable(r) for r in results]  # untimed
    freeing = thread_cpu()
    free_cpu = time.process_time()
    started = time.perf_counter()
    del results
    gc.collect()
    free = time.perf_counter() - started
    free_cpu = time.process_time() - free_cpu
    for tid, t in thread_cpu().items():
        threads[tid] = threads.get(tid, 0.0) + t - freeing.get(tid, 0.0)
    bg_cpu = time.process_time()
    started = time.perf_counter()
    knead._core._wait_for_frees()
    background = time.perf_counter() - started
    bg_cpu = time.process_time() - bg_cpu
    timing = Timing(call, free, background, cpu + free_cpu, max(threads.values(), default=cpu), bg_cpu)
    return timing, comparables


def best_of(repeat: int, runs: list[Callable[[], list[Any]]]) -> list[tuple[Timing, list[str]]]:
    """Each run's best timing of `repeat` (the runs taking turns), with its results."""
    best: list[tuple[Timing, list[str]]] = [(Timing(float("inf"), 0.0, 0.0, 0.0, 0.0, 0.0), [])] * len(runs)
    for _ in range(repeat):
        for i, run in enumerate(runs):
            timing, comparables = timed(run)
            if timing.wall < best[i][0].wall:
                best[i] = (timing, comparables)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--patients", type=pathlib.Path, help="JSONL file of patients (default: $KNEAD_BENCH_WORKLOAD/patients.jsonl)"
    )
    parser.add_argument("--rules", help="rule set file or directory (default: knead.default_rules())")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N patients")
    parser.add_argument("--threads", type=int, default=0, help="threads of recommend_many (default 0: all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts (default 3)")
    parser.add_argument("--text", action="store_true", help="pass patients as JSON strings rather than dicts")
    args = parser.parse_args()

    if args.patients is None:
        workload = os.environ.get("KNEAD_BENCH_WORKLOAD")
        if not workload:
            print("no patients: give --patients FILE.jsonl or set KNEAD_BENCH_WORKLOAD", file=sys.stderr)
            return 2
        args.patients = pathlib.Path(workload) / "patients.jsonl"
    if not args.patients.exists():
        print(f"no patients at {args.patients}; give --patients FILE.jsonl", file=sys.stderr)
        return 2
    lines = [line for line in args.patients.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        lines = lines[: args.limit]
    patients: list[Any] = lines if args.text else [json.loads(line) for line in lines]
    rules = knead.RuleSet.load(args.rules) if args.rules else knead.default_rules()
    n = len(patients)
    cores = os.cpu_count() or 1
    print(f"{n} patients ({'JSON strings' if args.text else 'dicts'}) from {args.patients}")
    print(f"rules {rules.name} {rules.version}: {len(rules)} rules; {cores} cores; best of {args.repeat}, taking turns")

    rules.recommend_many(patients[:200], threads=args.threads, on_error="return")  # warm up
    gc.freeze()  # the patients and rules, never garbage: no collection walks them

    load_before = os.getloadavg()[0]
    (loop, looped), (many, batched), (one, single) = best_of(
        args.repeat,
        [
            lambda: recommend_each(rules, patients),
            lambda: rules.recommend_many(patients, threads=args.threads, on_error="return"),
            lambda: rules.recommend_many(patients, threads=1, on_error="return"),
        ],
    )

    if looped != batched or looped != single:
        print("error: recommend_many and the loop of recommend disagree", file=sys.stderr)
        return 1
    invalid = sum(1 for r in looped if not r.startswith("{"))
    if invalid:
        print(f"{invalid} patients are rejected by knead (e.g. unknown pressure names): errors in place, timed too")

    width = 38
    print(f"load average before timing {load_before:.2f}, after {os.getloadavg()[0]:.2f} (busy cores slow threads)")
    print(
        f"{'per patient, call + freeing results':{width}} {'patients/s':>11} {'call us':>8} {'free us':>8}"
        f" {'CPU us':>7} {'bg free us':>10} {'bg CPU us':>9} {'idle-core bound/s':>18}"
    )
    label = f"recommend_many, threads={args.threads}" + (" (all cores)" if args.threads == 0 else "")
    for name, t in (("Python loop of recommend", loop), ("recommend_many, threads=1", one), (label, many)):
        bound = t.idle_bound(cores)
        idle = f"{n / bound:18,.0f}" if bound > 0 else f"{'-':>18}"
        print(
            f"{name:{width}} {n / t.wall:11,.0f} {t.call / n * 1e6:8.1f} {t.free / n * 1e6:8.1f}"
            f" {t.cpu / n * 1e6:7.1f} {t.background / n * 1e6:10.1f} {t.bg_cpu / n * 1e6:9.1f} {idle}"
        )
    print(f"speedup of recommend_many over the loop: {loop.wall / many.wall:.2f}x", end="")
    if loop.idle_bound(cores) > 0 and many.idle_bound(cores) > 0:
        print(
            f" (on idle cores at most {loop.idle_bound(cores) / many.idle_bound(cores):.2f}x, bounded by the busiest"
            " thread's CPU time and by all the CPU time over every core)"
        )
    else:
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
