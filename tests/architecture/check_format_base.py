#!/usr/bin/python3
"""scripts/check_format.py BASE checks the lines changed since the branch left BASE, in a
throwaway repository: a line BASE changed after the branch started (the branch still has the line
as it was, badly formatted) is neither reported nor, with --fix, reformatted; the branch's own
lines are.

usage: check_format_base.py SOURCE_DIR WORK_DIR
"""

import os
import shutil
import subprocess
import sys

SOURCE, WORK = sys.argv[1], sys.argv[2]
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message, flush=True)


def git(*args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=WORK, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write(text):
    with open(os.path.join(WORK, "src", "a.cpp"), "w") as f:
        f.write(text)


def run(*args):
    return subprocess.run([sys.executable, os.path.join(WORK, "scripts", "check_format.py"), *args], cwd=WORK,
                          capture_output=True, text=True)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(os.path.join(WORK, "scripts"))
    os.makedirs(os.path.join(WORK, "src"))
    shutil.copy(os.path.join(SOURCE, "scripts", "check_format.py"), os.path.join(WORK, "scripts"))
    shutil.copy(os.path.join(SOURCE, ".clang-format"), WORK)
    git("init", "-q")
    write("int a = 1;\nint b = 2;\nint  old_line  =  3;\n")
    git("add", "-A")
    git("commit", "-q", "-m", "start")
    git("branch", "topic")
    # main, after the branch left it, changes the old badly formatted line.
    write("int a = 1;\nint b = 2;\nint old_line = 4;\n")
    git("commit", "-q", "-am", "main moves on")
    git("checkout", "-q", "topic")
    # The branch: a well formatted line of its own.
    write("int a = 1;\nint topic_line = 5;\nint b = 2;\nint  old_line  =  3;\n")
    git("commit", "-q", "-am", "topic")

    result = run("main")
    check(result.returncode == 0, "main's newer line is not the branch's: exit %d, %s%s"
          % (result.returncode, result.stdout, result.stderr))
    result = run("--fix", "main")
    with open(os.path.join(WORK, "src", "a.cpp")) as f:
        check(f.read() == "int a = 1;\nint topic_line = 5;\nint b = 2;\nint  old_line  =  3;\n",
              "--fix main leaves the line main changed alone")

    # A badly formatted line of the branch's own is reported, and --fix formats it.
    write("int a = 1;\nint  topic_line  =  5;\nint b = 2;\nint  old_line  =  3;\n")
    result = run("main")
    check(result.returncode == 1 and "topic_line" in result.stdout, "the branch's line is reported: exit %d, %s"
          % (result.returncode, result.stdout))
    run("--fix", "main")
    with open(os.path.join(WORK, "src", "a.cpp")) as f:
        check(f.read() == "int a = 1;\nint topic_line = 5;\nint b = 2;\nint  old_line  =  3;\n",
              "--fix main formats the branch's line and only it")

    shutil.rmtree(WORK, ignore_errors=True)
    if FAILURES:
        sys.exit("%d check(s) failed" % len(FAILURES))
    print("ok")


if __name__ == "__main__":
    main()
