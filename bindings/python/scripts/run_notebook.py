"""Runs a notebook headlessly and fails if any cell raises (the ctest test `python.notebook`).

    /usr/bin/python3 run_notebook.py examples/notebooks/tour.ipynb --workdir build/notebook

The kernel is this very interpreter (sys.executable), through a kernel spec written into the work
directory, so the notebook sees the same packages and PYTHONPATH as the test. The notebook in the
repository must carry no outputs; the executed copy is written to the work directory.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL_NAME = "knead-python3"


def write_kernel_spec(workdir: pathlib.Path) -> pathlib.Path:
    """A kernel spec for sys.executable under <workdir>/jupyter/kernels/; returns the data dir."""
    data_dir = workdir / "jupyter"
    spec_dir = data_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        # Frozen modules off: ipykernel's debugger otherwise warns on every start.
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({sys.executable})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return data_dir


def check_committed_without_outputs(nb: nbformat.NotebookNode, path: pathlib.Path) -> list[str]:
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"{path}: cell {index} has outputs; clear them before committing")
        if cell.get("execution_count") is not None:
            problems.append(f"{path}: cell {index} has an execution count; clear it before committing")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=pathlib.Path)
    parser.add_argument("--workdir", type=pathlib.Path, required=True, help="where the kernel runs and writes")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    problems = check_committed_without_outputs(nb, args.notebook)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    data_dir = write_kernel_spec(workdir)
    # Our spec first; the kernel's runtime files and IPython's profile stay in the work directory.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_dir), os.environ.get("JUPYTER_PATH")]))
    os.environ["JUPYTER_RUNTIME_DIR"] = str(workdir / "runtime")
    os.environ["IPYTHONDIR"] = str(workdir / "ipython")
    os.environ.setdefault("MPLBACKEND", "Agg")
    # The kernel runs in the work directory: relative PYTHONPATH entries must not change meaning.
    if os.environ.get("PYTHONPATH"):
        entries = os.environ["PYTHONPATH"].split(os.pathsep)
        os.environ["PYTHONPATH"] = os.pathsep.join(str(pathlib.Path(e).resolve()) for e in entries if e)

    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(workdir)}},
    )
    executed = workdir / args.notebook.name.replace(".ipynb", ".executed.ipynb")
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"{args.notebook}: a cell failed:\n{error}", file=sys.stderr)
        return 1
    finally:
        nbformat.write(nb, executed)
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"{args.notebook}: {cells} code cells ran without error (executed copy: {executed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
