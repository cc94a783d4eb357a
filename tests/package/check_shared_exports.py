#!/usr/bin/env python3
"""Builds libknead as a shared library and checks what it exports.

Only knead's API may be in the dynamic symbol table: nothing defined in nlohmann, Boost or a
knead `detail` namespace (those are private copies that would clash with a program's own). The
SONAME carries the 0.x SOVERSION (major.minor), and knead::version() is exported.
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys

# A symbol *defined in* one of these namespaces (not merely taking such a type as a parameter).
FORBIDDEN = re.compile(
    r"^(?:(?:typeinfo|typeinfo name|vtable|VTT|construction vtable|guard variable) for )?"
    r"(?:[\w:<>, *&]+ )?(?:nlohmann|boost)(?:::|\b)"
    r"|^(?:(?:typeinfo|typeinfo name|vtable|guard variable) for )?knead::(?:\w+::)*detail::")
REQUIRED = ["knead::version()", "knead::RuleSet::load(", "knead::Engine::recommend(", "typeinfo for knead::Error"]


def run(cmd, **kw) -> str:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, **kw).stdout


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True, type=pathlib.Path)
    p.add_argument("--soversion", required=True)
    p.add_argument("--cmake", default="cmake")
    a = p.parse_args()
    build = a.work / "build"
    try:
        run([a.cmake, "-S", a.source, "-B", build, "-DBUILD_SHARED_LIBS=ON", "-DCMAKE_BUILD_TYPE=Release",
             "-DKNEAD_BUILD_TESTS=OFF", "-DKNEAD_BUILD_EXAMPLES=OFF", "-DKNEAD_BUILD_PYTHON=OFF",
             "-DKNEAD_BUILD_BENCH=OFF", "-DKNEAD_INSTALL=OFF"])
        run([a.cmake, "--build", build, "--target", "knead", "-j", os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")])
    except subprocess.CalledProcessError as e:
        print(e.stdout, e.stderr)
        return 1
    libraries = sorted(p for p in build.glob("libknead.so.*") if not p.is_symlink())
    if not libraries:
        print(f"no libknead.so.* in {build}")
        return 1
    library = libraries[0]
    problems = []

    dynamic = run(["objdump", "-p", library])
    soname = re.search(r"SONAME\s+(\S+)", dynamic)
    if not soname or soname.group(1) != f"libknead.so.{a.soversion}":
        problems.append(f"SONAME is {soname.group(1) if soname else None}, expected libknead.so.{a.soversion}")

    symbols = [line.split(" ", 2)[2] for line in run(["nm", "-D", "--defined-only", "-C", library]).splitlines()
               if line.count(" ") >= 2]
    leaked = [s for s in symbols if FORBIDDEN.search(s)]
    problems += [f"exported but private: {s}" for s in leaked[:40]]
    if len(leaked) > 40:
        problems.append(f"... and {len(leaked) - 40} more")
    for name in REQUIRED:
        if not any(name in s for s in symbols):
            problems.append(f"not exported: {name}")
    knead_symbols = [s for s in symbols if "knead::" in s]
    print(f"{library.name}: {len(symbols)} exported symbols, {len(knead_symbols)} of knead's API, "
          f"SONAME {soname.group(1) if soname else '?'}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
