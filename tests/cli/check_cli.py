#!/usr/bin/python3
"""Runs the knead binary once (or twice) and checks its exit code, stdout and stderr exactly.

usage: check_cli.py KNEAD [checks...] -- ARGS...

checks:
  --exit N              the exit code must be N (default 0)
  --stdout RE           stdout must match RE (re.search, multiline); repeatable
  --no-stdout RE        stdout must not match RE; repeatable
  --stdout-last RE      the last line of stdout must match RE in full
  --stdout-empty        stdout must be empty
  --stderr RE           stderr must match RE; repeatable
  --stderr-empty        stderr must be empty
  --stderr-lines N      stderr must be exactly N lines (one-line errors: no stack trace)
  --stdin FILE          feed FILE on stdin (default: empty stdin)
  --env NAME=VALUE      set an environment variable (KNEAD_RULES is unset unless given)
  --twice               run twice and require byte-identical stdout
"""

import argparse
import os
import re
import subprocess
import sys


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("check_cli.py: missing '--' before the knead arguments")
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("knead")
    parser.add_argument("--exit", type=int, default=0)
    parser.add_argument("--stdout", action="append", default=[])
    parser.add_argument("--no-stdout", action="append", default=[])
    parser.add_argument("--stdout-last")
    parser.add_argument("--stdout-empty", action="store_true")
    parser.add_argument("--stderr", action="append", default=[])
    parser.add_argument("--stderr-empty", action="store_true")
    parser.add_argument("--stderr-lines", type=int)
    parser.add_argument("--stdin")
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--twice", action="store_true")
    opts = parser.parse_args(argv[:split])
    args = argv[split + 1:]

    env = dict(os.environ)
    env.pop("KNEAD_RULES", None)
    for item in opts.env:
        name, _, value = item.partition("=")
        env[name] = value

    def run():
        stdin = open(opts.stdin, "rb") if opts.stdin else subprocess.DEVNULL
        try:
            return subprocess.run([opts.knead] + args, stdin=stdin, capture_output=True, env=env, timeout=120)
        finally:
            if opts.stdin:
                stdin.close()

    result = run()
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    problems = []

    if result.returncode != opts.exit:
        problems.append(f"exit code {result.returncode}, expected {opts.exit}")
    for pattern in opts.stdout:
        if not re.search(pattern, out, re.M):
            problems.append(f"stdout does not match {pattern!r}")
    for pattern in opts.no_stdout:
        if re.search(pattern, out, re.M):
            problems.append(f"stdout matches {pattern!r}, which it must not")
    if opts.stdout_last is not None:
        lines = out.rstrip("\n").split("\n")
        if not out.endswith("\n") or not re.fullmatch(opts.stdout_last, lines[-1]):
            problems.append(f"last line of stdout {lines[-1]!r} does not match {opts.stdout_last!r}")
    if opts.stdout_empty and out:
        problems.append("stdout is not empty")
    for pattern in opts.stderr:
        if not re.search(pattern, err, re.M):
            problems.append(f"stderr does not match {pattern!r}")
    if opts.stderr_empty and err:
        problems.append("stderr is not empty")
    if opts.stderr_lines is not None:
        count = len(err.splitlines())
        if count != opts.stderr_lines or (err and not err.endswith("\n")):
            problems.append(f"stderr has {count} lines, expected {opts.stderr_lines}")
    if "Traceback" in err or "terminate called" in err or "Aborted" in err:
        problems.append("stderr shows a crash")
    if opts.twice:
        again = run()
        if again.stdout != result.stdout:
            problems.append("the second run's stdout differs from the first")

    if problems:
        print("command:", " ".join([opts.knead] + args))
        print("--- stdout ---\n" + out[:4000])
        print("--- stderr ---\n" + err[:4000])
        for p in problems:
            print("FAILED:", p)
        sys.exit(1)
    print("ok:", " ".join(args))


if __name__ == "__main__":
    main()
