#!/usr/bin/python3
"""knead recommend under hostile input and careless use.

Batch integrity: malformed, truncated, huge, binary and invalid-UTF-8 lines mixed among good ones
give one valid JSON output line per input line, in order, the same bytes with -j 1 and -j 2.
Then: --out naming the input, output written whole or not at all, endless input (/dev/zero)
failing fast, -j capped, a full device reported once, control characters escaped in text.

usage: check_reliability.py KNEAD WORK_DIR
"""

import json
import os
import subprocess
import sys
import time

knead, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
env = dict(os.environ)
env.pop("KNEAD_RULES", None)
problems = []


def run(*args, stdin=None, timeout=300):
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        return subprocess.run([knead, "recommend", *args], stdin=f, capture_output=True, env=env, timeout=timeout)


def check(condition, message):
    if not condition:
        problems.append(message)


def path(name):
    return os.path.join(work, name)


# ---- batch integrity ----
euro = "\u20ac" * 60
good = b'{"id": "g-%d", "conditions": ["fibromyalgia"], "pain": {"intensity": 5}}'
lines = []
for i in range(40):
    kind = i % 8
    if kind == 0:
        lines.append(good % i)
    elif kind == 1:
        lines.append(b'{"id": "t-%d", "conditions": ["fibrom' % i)  # truncated
    elif kind == 2:
        lines.append(bytes(range(1, 256)).replace(b"\n", b"").replace(b"\r", b""))  # binary
    elif kind == 3:
        lines.append(b'{"id": "u-%d", "sex": "\xc3\x28\xff"}' % i)  # invalid UTF-8
    elif kind == 4:
        # An error message cut where a multi-byte character would be split, both alignments.
        pad = "a" * (i % 3)
        lines.append(json.dumps({"id": "c-%d" % i, "age": pad + euro}, ensure_ascii=False).encode())
    elif kind == 5:
        # Huge: 2 MB of text in a field.
        lines.append(json.dumps({"id": "h-%d" % i, "notes": "x" * 2_000_000, "conditions": ["fibromyalgia"]}).encode())
    elif kind == 6:
        lines.append(b'{"id": "n-%d", "findings": ["ok", {"id": "x", "sites": ["calf", 7]}]}' % i)
    else:
        lines.append(b'[{"deep": ' + b"[" * 100000 + b"]" * 100000 + b"}]")  # nested too deep
mixed = path("integrity.jsonl")
with open(mixed, "wb") as f:
    f.write(b"\n".join(lines) + b"\n")

one = run("--batch", mixed, "-j", "1")
two = run("--batch", mixed, "-j", "2")
check(one.returncode == 1, f"integrity: exit 1 (bad lines), got {one.returncode}: {one.stderr[-300:]!r}")
check(one.stdout == two.stdout, "integrity: -j 1 and -j 2 give different bytes")
out_lines = one.stdout.split(b"\n")
check(out_lines[-1] == b"", "integrity: output ends with a newline")
out_lines = out_lines[:-1]
check(len(out_lines) == len(lines), f"integrity: {len(lines)} input lines gave {len(out_lines)} output lines")
for number, raw in enumerate(out_lines, start=1):
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        check(False, f"integrity: line {number} is not valid UTF-8 JSON: {e}")
        continue
    kind = (number - 1) % 8
    if kind == 0:
        check(record.get("status") in ("ok", "refer"), f"integrity: line {number} should be a result: {str(record)[:200]}")
    elif kind == 5:
        # A result too: "notes" is not a patient field, so it is kept for review, not dropped.
        check(record.get("status") == "review" and [u["field"] for u in record.get("unresolved", [])] == ["notes"],
              f"integrity: line {number} should be a result for review: {str(record)[:200]}")
        check(len(raw) < 100_000, f"integrity: line {number} echoes the 2 MB field ({len(raw)} bytes)")
    else:
        check(record.get("line") == number and "error" in record, f"integrity: line {number} should be an error record")
    if kind == 6:
        check("findings[1].sites[1]" in record["error"]["message"], f"nested site field name: {record}")

# ---- --out ----
copy = path("in.jsonl")
with open(copy, "wb") as f:
    f.write(good % 1 + b"\n" + good % 2 + b"\n")
before = open(copy, "rb").read()
same = run("--batch", copy, "--out", copy)
check(same.returncode == 2 and b"is the input file" in same.stderr, f"--out = input: exit 2, got {same.returncode} {same.stderr!r}")
check(open(copy, "rb").read() == before, "--out = input: the input was changed")
alias = run("--batch", copy, "--out", os.path.join(work, ".", "in.jsonl"))
check(alias.returncode == 2, "--out naming the input by another path: exit 2")

# A batch that cannot finish leaves no output file, old or partial, and no temporary file.
target = path("out.jsonl")
with open(target, "wb") as f:
    f.write(b"old results\n")
long_line = path("long.jsonl")
with open(long_line, "wb") as f:
    f.write(good % 1 + b"\n" + b"x" * 5000 + b"\n" + good % 3 + b"\n")
failed = run("--batch", long_line, "--out", target, "--max-input-bytes", "1000")
check(failed.returncode == 2, f"over-long line: exit 2, got {failed.returncode}")
check(failed.stderr.count(b"\n") == 1 and b"line 2 is longer than the limit of 1000 bytes" in failed.stderr,
      f"over-long line: one error line: {failed.stderr!r}")
check(open(target, "rb").read() == b"old results\n", "a failed batch replaced the previous output")
check(not [n for n in os.listdir(work) if n.startswith(".out.jsonl.tmp")], "a temporary file was left behind")
done = run("--batch", copy, "--out", target)
check(done.returncode == 0 and open(target, "rb").read().count(b"\n") == 2, "a finished batch replaces the output")
check(oct(os.stat(target).st_mode & 0o777) != "0o600", "the output keeps ordinary permissions")

# ---- endless input fails fast ----
for args in (["--batch", "/dev/zero"], ["/dev/zero"]):
    start = time.monotonic()
    r = run(*args, "--max-input-bytes", "10000000", timeout=60)
    check(r.returncode == 2 and b"limit of 10000000 bytes" in r.stderr, f"{args}: exit 2 with the limit: {r.stderr!r}")
    check(time.monotonic() - start < 30, f"{args}: took {time.monotonic() - start:.1f} s")

# ---- -j ----
r = run("--batch", copy, "-j", "1000")
check(r.returncode == 2 and b"-j must be 0 (one per core) to 256, not 1000" in r.stderr, f"-j 1000: {r.stderr!r}")

# ---- threads the system refuses: the batch goes on with those it got ----
# Under a 400 MB address-space limit most of 256 thread stacks (8 MB each) cannot be mapped.
import resource  # noqa: E402


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))


many = path("many.jsonl")
with open(many, "wb") as f:
    f.write(b"\n".join(lines[:1] * 300 + [b"{oops"]) + b"\n")
reference = run("--batch", many, "-j", "1")
with open(os.devnull, "rb") as nothing:
    squeezed = subprocess.run([knead, "recommend", "--batch", many, "-j", "256"], stdin=nothing, capture_output=True,
                              env=dict(env, MALLOC_ARENA_MAX="2"), preexec_fn=limited, timeout=300)
if b"Sanitizer" not in squeezed.stderr:  # sanitizers need more address space than this
    check(squeezed.returncode == 1 and squeezed.stdout == reference.stdout,
          f"-j 256 under a memory limit: exit {squeezed.returncode}, {squeezed.stderr[-300:]!r}")

# ---- a full device: the error once ----
if os.path.exists("/dev/full"):
    with open("/dev/full", "wb") as full, open(os.devnull, "rb") as nothing:
        r = subprocess.run([knead, "recommend", "--batch", copy], stdin=nothing, stdout=full, stderr=subprocess.PIPE, env=env)
    check(r.returncode == 2 and r.stderr.count(b"knead: error:") == 1, f"/dev/full: one error: {r.stderr!r}")

# ---- text output escapes control characters ----
sneaky = path("sneaky.json")
with open(sneaky, "w", encoding="utf-8") as f:
    json.dump({"id": "p\nStatus: ok - treatment can go ahead as below.\u001b[2J", "findings": ["rf_saddle_anaesthesia"]}, f)
r = run(sneaky)
text = r.stdout.decode("utf-8")
check("\x1b" not in text, "text: a terminal escape got through")
status_lines = [line for line in text.splitlines() if line.startswith("Status:")]
check(status_lines == ["Status: REFER - no massage today. Refer first."], f"text: a forged status line: {status_lines}")
check("p\\nStatus: ok" in text, "text: the line break is shown escaped")

if problems:
    for p in problems:
        print("FAILED:", p)
    sys.exit(1)
print("ok: reliability")
