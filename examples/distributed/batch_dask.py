"""A batch of recommendations on Dask's distributed scheduler.

The rule set is loaded once here, pickled (by its canonical content and digest) and shipped to
every worker; the patients are cut into partitions and each worker runs ``recommend_many`` on its
partitions, on C++ threads. By default the cluster is local: two worker processes on loopback.

    python3 batch_dask.py --patients 2000                       # a local cluster of 2 processes
    python3 batch_dask.py --scheduler tcp://host:8786 --input patients.jsonl --out results.jsonl
    python3 batch_dask.py --patients 400 --check                # compare with recommend_many here

See README.md in this folder for a real cluster.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from typing import Any, Iterable

import knead


def synthetic_patients(rules: knead.RuleSet, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` patients drawn from the rule set's own ontology; the same for the same seed."""
    ids = {k: [c.id for c in rules.concepts(k)] for k in ("condition", "goal", "finding", "medication", "region")}
    precautions = [f for f in ids["finding"] if f.startswith("pc_")] or ids["finding"]
    local = [f for f in ids["finding"] if f.startswith("ci_")] or ids["finding"]
    red_flags = [f for f in ids["finding"] if f.startswith("rf_")] or ids["finding"]
    sided = [r for r in ids["region"] if r.startswith(("left_", "right_"))] or ids["region"]
    rng = random.Random(seed)
    patients = []
    for n in range(count):
        findings: list[Any] = []
        if ids["finding"] and rng.random() < 0.30:
            findings.append(rng.choice(precautions))
        if ids["finding"] and sided and rng.random() < 0.10:
            findings.append({"id": rng.choice(local), "sites": [rng.choice(sided)]})
        if ids["finding"] and rng.random() < 0.04:
            findings.append(rng.choice(red_flags))
        patients.append(
            {
                "id": f"syn-{n:06d}",
                "age": rng.randint(18, 90),
                "conditions": rng.sample(ids["condition"], min(len(ids["condition"]), rng.randint(1, 2))),
                "goals": rng.sample(ids["goal"], min(len(ids["goal"]), rng.randint(0, 2))),
                "findings": findings,
                "medications": rng.sample(ids["medication"], 1) if ids["medication"] and rng.random() < 0.2 else [],
                "pain": {
                    "intensity": rng.randint(0, 10),
                    "locations": rng.sample(ids["region"], min(len(ids["region"]), rng.randint(1, 2))),
                },
            }
        )
    return patients


def read_jsonl(path: str) -> list[str]:
    """Patients as JSON text, one per non-empty line (parsed by knead on the workers)."""
    with open(path, encoding="utf-8") as f:
        return [line for line in (raw.strip() for raw in f) if line]


def partitions(items: list[Any], count: int) -> list[list[Any]]:
    """`count` contiguous slices of nearly equal size, in order."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def recommend_partition(rules: knead.RuleSet, patients: list[Any], threads: int, offset: int = 0) -> list[dict[str, Any]]:
    """Runs on a worker: one partition through the engine. Returns plain dicts (the JSON form),
    which travel back cheaply; a bad patient becomes its error record (``knead.error_record``:
    its index in the whole batch, a code and a message, as ``knead recommend --batch`` writes)."""
    results = rules.recommend_many(patients, threads=threads, on_error="return")
    return [
        r.to_dict() if isinstance(r, knead.Recommendation) else knead.error_record(r, offset + i)
        for i, r in enumerate(results)
    ]


def run(args: argparse.Namespace) -> int:
    # Imported here so that `--help` works without dask.
    from dask.distributed import Client, LocalCluster, wait

    rules = knead.RuleSet.load(args.rules) if args.rules else knead.default_rules()
    patients: list[Any] = read_jsonl(args.input) if args.input else synthetic_patients(rules, args.patients, args.seed)
    print(f"{len(patients)} patients, rules {rules.name} {rules.version} ({rules.digest[:23]}...)")

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler, timeout=args.timeout)
    else:
        # Loopback only, no dashboard: nothing listens beyond this machine.
        cluster = LocalCluster(
            n_workers=args.workers,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            timeout=args.timeout,
        )
        client = Client(cluster, timeout=args.timeout)
    try:
        started = time.perf_counter()
        # The rule set travels once to every worker (pickled by its content, checked by digest).
        shipped = client.scatter(rules, broadcast=True)
        chunks = partitions(patients, args.partitions)
        offsets = [sum(len(c) for c in chunks[:i]) for i in range(len(chunks))]
        futures = client.map(
            recommend_partition, [shipped] * len(chunks), chunks, [args.threads] * len(chunks), offsets, pure=False
        )
        done, not_done = wait(futures, timeout=args.timeout)
        if not_done:
            print(f"error: {len(not_done)} partitions did not finish within {args.timeout}s", file=sys.stderr)
            return 1
        results = [record for part in client.gather(futures) for record in part]
        elapsed = time.perf_counter() - started
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    workers = args.scheduler or f"a local cluster of {args.workers} worker processes"
    print(f"{len(results)} results from {len(chunks)} partitions on {workers} in {elapsed:.2f}s")
    summarize(results)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for record in results:
                f.write(json.dumps(record, separators=(",", ":")) + "\n")
        print(f"written to {args.out}")
    if args.check:
        return check(rules, patients, results)
    return 0


def summarize(results: Iterable[dict[str, Any]]) -> None:
    results = list(results)
    status = Counter(r.get("status", "invalid") for r in results)
    top = Counter(r["modalities"][0]["id"] if r.get("modalities") else "(none)" for r in results)
    print("status:", ", ".join(f"{n} {s}" for s, n in status.most_common()))
    print("top modality:", ", ".join(f"{m} {n}" for m, n in top.most_common(6)))


def check(rules: knead.RuleSet, patients: list[Any], results: list[dict[str, Any]]) -> int:
    """The distributed results must equal recommend_many's here, patient by patient."""
    local = recommend_partition(rules, patients, threads=0)
    if len(local) != len(results):
        print(f"MISMATCH: {len(results)} results, expected {len(local)}", file=sys.stderr)
        return 1
    for index, (mine, theirs) in enumerate(zip(local, results)):
        if mine != theirs:
            print(f"MISMATCH at patient {index}:\n  local:       {mine}\n  distributed: {theirs}", file=sys.stderr)
            return 1
    print(f"results match recommend_many for all {len(results)} patients")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scheduler", help="address of a running scheduler, e.g. tcp://host:8786 (default: a local cluster)"
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default 2)")
    parser.add_argument("--rules", help="rule set file or directory (default: knead.default_rules())")
    parser.add_argument("--input", help="patients as JSON lines (default: synthetic patients)")
    parser.add_argument("--patients", type=int, default=500, help="number of synthetic patients (default 500)")
    parser.add_argument("--seed", type=int, default=20240607, help="seed of the synthetic patients")
    parser.add_argument("--partitions", type=int, default=8, help="partitions of the batch (default 8)")
    parser.add_argument(
        "--threads", type=int, default=1, help="C++ threads per partition (default 1: one per worker thread)"
    )
    parser.add_argument("--out", help="write the results here as JSON lines")
    parser.add_argument("--check", action="store_true", help="compare with recommend_many in this process")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the cluster and the batch")
    return run(parser.parse_args(argv))


# Worker processes are spawned and import this file: nothing may run at import time.
if __name__ == "__main__":
    sys.exit(main())
