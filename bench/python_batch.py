"""Batch throughput from Python: RuleSet.recommend_many (C++ threads, GIL released) against a
Python loop of RuleSet.recommend, on the same patients.

    KNEAD_BENCH_WORKLOAD=DIR PYTHONPATH=build/ci/python /usr/bin/python3 bench/python_batch.py
    PYTHONPATH=build/ci/python /usr/bin/python3 bench/python_batch.py --patients FILE.jsonl --rules rules/ --repeat 5

The patients are one JSON object a line: --patients FILE, or else patients.jsonl of the peer
benchmark's workload in the folder $KNEAD_BENCH_WORKLOAD names (the other benchmarks read it
there too; docs/performance.md). One of the two is required. With the workload's 10,000 patients
and the default rules, some ids the default rules do not know become warnings in the results,
and the few patients that knead rejects (e.g. a pressure named "deep") become errors in place
(on_error="return"). Each timing is the best of --repeat runs; a run is the call, which
includes converting the Python dicts (or JSON strings, with --text), and then freeing its results
(with a garbage collection: a loop that keeps exceptions makes reference cycles, which would
otherwise be freed during some later, unrelated timing). The results of both ways are checked
to be equal.

Beside the wall-clock rate it prints the CPU time per patient (all threads of the process) and a
bound for idle cores (patients over the busiest thread's CPU time): on a machine whose cores are
busy with other work, threads cannot speed up the wall clock, and the CPU times still show what
each way costs. The load average is printed for the same reason.
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
    """One run: wall-clock seconds of the call and of freeing its results, CPU seconds of the
    process, and CPU seconds of its busiest thread. No run can take less wall-clock time than
    its busiest thread's CPU time, even on idle cores: for one thread that bound is what idle
    cores would give, for several it is the best they could give."""

    def __init__(self, call: float, free: float, cpu: float, busiest: float) -> None:
        self.call, self.free, self.cpu, self.busiest = call, free, cpu, busiest
        self.wall = call + free


def best_of(repeat: int, run: Callable[[], list[Any]]) -> tuple[Timing, list[str]]:
    """The run with the best wall-clock time of `repeat`, and the comparable form of its results."""
    best, kept = Timing(float("inf"), 0.0, 0.0, 0.0), []
    for _ in range(repeat):
        gc.collect()  # nothing of earlier runs is left to free
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
        cpu += time.process_time() - free_cpu
        for tid, t in thread_cpu().items():
            threads[tid] = threads.get(tid, 0.0) + t - freeing.get(tid, 0.0)
        if call + free < best.wall:
            best, kept = Timing(call, free, cpu, max(threads.values(), default=cpu)), comparables
    return best, kept


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
    print(f"rules {rules.name} {rules.version}: {len(rules)} rules; {cores} cores; best of {args.repeat}")

    rules.recommend_many(patients[:200], threads=args.threads, on_error="return")  # warm up

    load_before = os.getloadavg()[0]
    loop, looped = best_of(args.repeat, lambda: recommend_each(rules, patients))
    many, batched = best_of(
        args.repeat, lambda: rules.recommend_many(patients, threads=args.threads, on_error="return")
    )
    one, single = best_of(args.repeat, lambda: rules.recommend_many(patients, threads=1, on_error="return"))

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
        f" {'CPU us':>7} {'idle-core bound/s':>18}"
    )
    label = f"recommend_many, threads={args.threads}" + (" (all cores)" if args.threads == 0 else "")
    for name, t in (("Python loop of recommend", loop), ("recommend_many, threads=1", one), (label, many)):
        idle = f"{n / t.busiest:18,.0f}" if t.busiest > 0 else f"{'-':>18}"
        print(
            f"{name:{width}} {n / t.wall:11,.0f} {t.call / n * 1e6:8.1f} {t.free / n * 1e6:8.1f}"
            f" {t.cpu / n * 1e6:7.1f} {idle}"
        )
    print(f"speedup of recommend_many over the loop: {loop.wall / many.wall:.2f}x", end="")
    if loop.busiest > 0 and many.busiest > 0:
        print(f" (on idle cores at most {loop.busiest / many.busiest:.2f}x, bounded by the busiest threads' CPU time)")
    else:
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
