"""Batch throughput from Python: RuleSet.recommend_many (C++ threads, GIL released) against a
Python loop of RuleSet.recommend, on the same patients.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_batch.py
    PYTHONPATH=build/python /usr/bin/python3 bench/python_batch.py --patients FILE.jsonl --rules rules/ --repeat 5

By default it reads the 10,000 patients of the shared peer workload
(../shared/bench/peers/workload/patients.jsonl, or $KNEAD_BENCH_WORKLOAD/patients.jsonl) with the
default rules; those patients use some ids the default rules do not know, which become warnings
in the results, and the few that knead rejects (e.g. a pressure named "deep") become errors in
place (on_error="return"). Each timing is the best of --repeat runs and includes the conversion
of the Python dicts (or JSON strings, with --text) and freeing the previous run's results. The
results of both ways are checked to be equal.

Beside the wall-clock rate it prints the CPU time per patient (all threads of the process): on a
machine whose cores are busy with other work, threads cannot speed up the wall clock, and the CPU
time still shows what each way costs. The load average is printed for the same reason.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time
from typing import Any, Callable

import knead

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_WORKLOAD = pathlib.Path(
    os.environ.get("KNEAD_BENCH_WORKLOAD", HERE.parent.parent / "shared" / "bench" / "peers" / "workload")
)


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


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, float, Any]:
    """The best wall-clock time of `repeat` runs, the CPU time of that run, and its result."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall = time.perf_counter() - started
        if wall < best:
            best, cpu = wall, time.process_time() - started_cpu
    return best, cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=pathlib.Path, default=DEFAULT_WORKLOAD / "patients.jsonl")
    parser.add_argument("--rules", help="rule set file or directory (default: knead.default_rules())")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N patients")
    parser.add_argument("--threads", type=int, default=0, help="threads of recommend_many (default 0: all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts (default 3)")
    parser.add_argument("--text", action="store_true", help="pass patients as JSON strings rather than dicts")
    args = parser.parse_args()

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
    loop_time, loop_cpu, looped = best_of(args.repeat, lambda: recommend_each(rules, patients))
    many_time, many_cpu, batched = best_of(
        args.repeat, lambda: rules.recommend_many(patients, threads=args.threads, on_error="return")
    )
    one_time, one_cpu, single = best_of(
        args.repeat, lambda: rules.recommend_many(patients, threads=1, on_error="return")
    )

    expected = [comparable(r) for r in looped]
    if expected != [comparable(r) for r in batched] or expected != [comparable(r) for r in single]:
        print("error: recommend_many and the loop of recommend disagree", file=sys.stderr)
        return 1
    invalid = sum(1 for r in looped if not isinstance(r, knead.Recommendation))
    if invalid:
        print(f"{invalid} patients are rejected by knead (e.g. unknown pressure names): errors in place, timed too")

    width = 42
    print(f"load average before timing {load_before:.2f}, after {os.getloadavg()[0]:.2f} (busy cores slow threads)")
    label = f"recommend_many, threads={args.threads}" + (" (all cores)" if args.threads == 0 else "")
    for name, wall, cpu in (
        ("Python loop of recommend", loop_time, loop_cpu),
        ("recommend_many, threads=1", one_time, one_cpu),
        (label, many_time, many_cpu),
    ):
        print(
            f"{name:{width}} {n / wall:12,.0f} patients/s  ({wall:.3f}s; CPU {cpu / n * 1e6:6.1f} us per patient)"
        )
    print(f"speedup of recommend_many over the loop: {loop_time / many_time:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
