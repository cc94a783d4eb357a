#!/usr/bin/env python3
"""Builds knead's wheel, installs it into a fresh virtual environment and tests the install.

    test_wheel.py --source SRC --build BUILD --work DIR [--no-notebook]

The wheel is built by setup.py from BUILD (an existing CMake build with Python on, so nothing is
compiled twice), offline: `pip wheel --no-build-isolation --no-index`. The virtual environment
sees Debian's packages (--system-site-packages: pytest, pandas, dask). The tests then run from
DIR with no PYTHONPATH and no KNEAD_RULES, so they can only import the installed package and
its packaged rules; a test checks that `knead` was imported from the environment.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys


def run(cmd, **kwargs) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, type=pathlib.Path)
    parser.add_argument("--build", required=True, type=pathlib.Path)
    parser.add_argument("--work", required=True, type=pathlib.Path)
    parser.add_argument("--no-notebook", action="store_true")
    args = parser.parse_args()
    source, build, work = args.source.resolve(), args.build.resolve(), args.work.resolve()

    shutil.rmtree(work, ignore_errors=True)
    (work / "dist").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KNEAD_RULES", "PIP_INDEX_URL")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")

    # 1. The wheel, from this build; setuptools' own files go to the work directory.
    run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
         "-w", work / "dist", source],
        env={**env, "KNEAD_CMAKE_BUILD_DIR": str(build)}, cwd=work)
    wheels = sorted((work / "dist").glob("knead-*.whl"))
    if len(wheels) != 1:
        print(f"expected one wheel in {work / 'dist'}, found {wheels}")
        return 1

    # 2. A fresh environment with Debian's packages visible, and the wheel installed into it.
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", venv])
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--no-index", "--no-deps", wheels[0]], env=env, cwd=work)

    # 3. The Python tests against the installed package (nothing of the build tree on the path).
    test_env = {**env, "KNEAD_SOURCE_DIR": str(source), "KNEAD_EXPECT_INSTALLED": str(venv)}
    run([python, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "-q", source / "bindings" / "python" / "tests"],
        env=test_env, cwd=work)

    # 4. The notebook, with the environment's interpreter as its kernel.
    if not args.no_notebook:
        run([python, source / "bindings" / "python" / "scripts" / "run_notebook.py",
             source / "examples" / "notebooks" / "tour.ipynb", "--workdir", work / "notebook", "--timeout", "300"],
            env=test_env, cwd=source)
    print(f"installed wheel {wheels[0].name} passed its tests in {venv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
