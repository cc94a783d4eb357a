#!/usr/bin/python3
"""knead recommend --batch: one output line per non-blank input line, in input order, error
records for bad lines, the same bytes whatever the number of threads, through stdout, --out or
stdin.

usage: check_batch.py KNEAD PATIENTS.jsonl MIXED.jsonl WORK_DIR
"""

import json
import os
import subprocess
import sys

knead, patients, mixed, work = sys.argv[1:5]
env = dict(os.environ)
env.pop("KNEAD_RULES", None)
problems = []


def run(*args, stdin=None):
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        return subprocess.run([knead, "recommend", *args], stdin=f, capture_output=True, env=env, timeout=300)


def check(condition, message):
    if not condition:
        problems.append(message)


def records(output):
    return [json.loads(line) for line in output.decode().splitlines()]


# The shipped example: 20 lines, line 15 is malformed.
with open(patients, encoding="utf-8") as f:
    lines = f.read().splitlines()
one = run("--batch", patients, "-j", "1")
four = run("--batch", patients, "-j", "4")
check(one.returncode == 1, f"a batch with a bad line exits with 1, got {one.returncode}")
check(one.stderr == b"", f"stderr is quiet when it is not a terminal: {one.stderr!r}")
check(one.stdout == four.stdout, "-j 1 and -j 4 give different bytes")
out = records(one.stdout)
check(len(out) == len(lines), f"{len(lines)} input lines gave {len(out)} output lines")
for number, (line, record) in enumerate(zip(lines, out), start=1):
    try:
        expected_id = json.loads(line)["id"]
    except ValueError:
        check(record == {"line": number, "error": record.get("error")}, f"line {number}: not an error record: {record}")
        check(record.get("error", {}).get("code") == "parse.syntax", f"line {number}: wrong code: {record}")
        check(set(record.get("error", {})) == {"code", "message"}, f"line {number}: error keys: {record}")
        continue
    check(record.get("patient") == expected_id, f"line {number}: expected patient {expected_id}, got {record}")
    check(record.get("status") in ("ok", "refer", "error"), f"line {number}: no status")
bad = [r for r in out if "error" in r and "line" in r]
check(len(bad) == 1 and bad[0]["line"] == 15, f"exactly line 15 is bad: {bad}")

# --out writes the same bytes to a file; stdin works as input.
target = os.path.join(work, "batch-out.jsonl")
os.makedirs(work, exist_ok=True)
to_file = run("--batch", patients, "--out", target, "-j", "2")
check(to_file.returncode == 1 and to_file.stdout == b"", "--out: exit 1 and nothing on stdout")
with open(target, "rb") as f:
    check(f.read() == one.stdout, "--out wrote different bytes")
piped = run("--batch", "-", stdin=patients)
check(piped.stdout == one.stdout, "--batch - (stdin) gave different bytes")

# Blank lines are skipped; CRLF endings are accepted; each kind of bad line gets its record.
mixed_run = run("--batch", mixed, "-j", "3")
check(mixed_run.returncode == 1, f"mixed: exit 1, got {mixed_run.returncode}")
got = records(mixed_run.stdout)
summary = [(r.get("patient"), r.get("line"), r.get("error", {}).get("code")) for r in got]
expected = [("m-1", None, None), (None, 3, "patient.range"), (None, 5, "parse.syntax"), ("m-6", None, None),
            (None, 7, "patient.type"), ("m-8", None, None)]
check(summary == expected, f"mixed: {summary} != {expected}")
if len(got) == 6:
    check(got[3]["status"] == "review" and any("fibromyalgia" in u["message"] for u in got[3]["unresolved"]),
          "mixed: the unknown id is unresolved, status review")
    check(got[5]["status"] == "refer", "mixed: the red flag refers")
strict = run("--batch", mixed, "--strict")
strict_codes = [r.get("error", {}).get("code") for r in records(strict.stdout)]
check(strict_codes[3] == "patient.unresolved", f"--strict: unknown id is an error record: {strict_codes}")
refer = run("--batch", mixed, "--fail-on-refer")
check(refer.returncode == 1, "--fail-on-refer: exit 1")
only_good = os.path.join(work, "batch-good.jsonl")
with open(only_good, "w", encoding="utf-8") as f:
    f.write('{"id": "g-1", "conditions": ["fibromyalgia"]}\n\n{"id": "g-2", "findings": ["rf_saddle_anaesthesia"]}\n')
good = run("--batch", only_good)
check(good.returncode == 0, f"all lines good: exit 0, got {good.returncode}")
good_refer = run("--batch", only_good, "--fail-on-refer")
check(good_refer.returncode == 1, f"a refer with --fail-on-refer: exit 1, got {good_refer.returncode}")
empty = os.path.join(work, "batch-empty.jsonl")
open(empty, "w").close()
nothing = run("--batch", empty)
check(nothing.returncode == 0 and nothing.stdout == b"", "an empty batch: exit 0, no output")

# A batch far longer than one read: lines cut by the reads, blank lines and CRLF endings keep
# their numbers, whatever the number of threads, from a file and from a pipe.
long_batch = os.path.join(work, "batch-long.jsonl")
expected_long = []
with open(long_batch, "wb") as f:
    for number in range(1, 6001):
        if number % 97 == 0:
            f.write(b"  \r\n")
            continue
        if number % 89 == 0:
            f.write(b'{"id": "bad-%d", "pain": {"intensity": 42}}\r\n' % number)
            expected_long.append(("line", number))
            continue
        padding = "x" * (number % 700)  # lines of uneven length, so reads end mid-line
        f.write(json.dumps({"id": f"p-{number}", "conditions": ["fibromyalgia"], "name": padding}).encode() + b"\n")
        expected_long.append(("patient", f"p-{number}"))
    f.write(b'{"id": "last", "conditions": ["fibromyalgia"]}')  # no final newline
    expected_long.append(("patient", "last"))
long_one = run("--batch", long_batch, "-j", "1")
with open(long_batch, "rb") as f:
    piped_long = subprocess.run([knead, "recommend", "--batch", "-", "-j", "2"], input=f.read(), capture_output=True,
                                env=env, timeout=300)
for args, result in ((["-j", "1"], long_one), (["-j", "3"], run("--batch", long_batch, "-j", "3")),
                     (["-j", "2", "< file"], run("--batch", "-", "-j", "2", stdin=long_batch)),
                     (["-j", "2", "| pipe"], piped_long)):
    check(result.stdout == long_one.stdout, f"long batch {args}: different bytes from -j 1")
got_long = [("line", r["line"]) if "line" in r else ("patient", r.get("patient")) for r in records(long_one.stdout)]
check(got_long == expected_long, f"long batch: {len(got_long)} records, first difference at "
      f"{next((i for i, (a, b) in enumerate(zip(got_long, expected_long)) if a != b), None)}")

if problems:
    for p in problems:
        print("FAILED:", p)
    sys.exit(1)
print("ok: batch")
