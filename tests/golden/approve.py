#!/usr/bin/env python3
"""Checks a command's output against an approved file, or approves it.

    approve.py [--approve] [--exit N[,N...]] APPROVED_FILE -- COMMAND [ARGS...]

Runs COMMAND (from the current directory), then compares its standard output byte for byte with
APPROVED_FILE; on a difference prints a unified diff and fails. With --approve, or with the
environment variable KNEAD_APPROVE=1, writes the output to APPROVED_FILE instead. So one command
re-approves every approved file after an intended change of output:

    KNEAD_APPROVE=1 ctest --test-dir build/dev -L approved
"""
import difflib
import os
import subprocess
import sys


def main(argv):
    approve = os.environ.get("KNEAD_APPROVE") == "1"
    expected_exits = {0}
    args = list(argv)
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--approve":
            approve = True
        elif flag == "--exit":
            expected_exits = {int(n) for n in args.pop(0).split(",")}
        else:
            print(f"approve.py: unknown option {flag}", file=sys.stderr)
            return 2
    if len(args) < 3 or args[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    approved, command = args[0], args[2:]
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if run.returncode not in expected_exits:
        sys.stderr.write(run.stderr.decode("utf-8", "replace"))
        print(f"exit code {run.returncode}, expected {sorted(expected_exits)}: {' '.join(command)}", file=sys.stderr)
        return 1
    if approve:
        with open(approved, "wb") as out:
            out.write(run.stdout)
        print(f"approved {approved}")
        return 0
    try:
        with open(approved, "rb") as f:
            want = f.read()
    except FileNotFoundError:
        print(f"{approved} does not exist; approve it with KNEAD_APPROVE=1", file=sys.stderr)
        return 1
    if want == run.stdout:
        return 0
    diff = difflib.unified_diff(want.decode("utf-8", "replace").splitlines(True),
                                run.stdout.decode("utf-8", "replace").splitlines(True),
                                fromfile=approved, tofile="received")
    sys.stdout.writelines(diff)
    print(f"\n{approved} differs from the output of: {' '.join(command)}\n"
          "If the change is intended, re-approve: KNEAD_APPROVE=1 ctest --test-dir <build> -L approved")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
