"""Builds the Python package `knead` with setuptools, driving CMake for the extension module.

The pure-Python files come from bindings/python/knead/, the extension module `knead._core` from
the CMake target `knead_python`, and the default rules (rules/*.json) are copied into
knead/rules so that an installed package finds them.

Environment:
    KNEAD_CMAKE_BUILD_DIR  an existing CMake build directory configured with
                           -DKNEAD_BUILD_PYTHON=ON for this interpreter: reused instead of a
                           fresh build (CI builds the wheel from its build this way)
    CMAKE_BUILD_PARALLEL_LEVEL  jobs for the build (default 2)
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = pathlib.Path(__file__).resolve().parent


def version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(knead\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", text).group(1)


class CMakeBuild(build_ext):
    """Builds knead._core with CMake and copies it where setuptools expects the extension."""

    def build_extension(self, ext: Extension) -> None:
        reuse = os.environ.get("KNEAD_CMAKE_BUILD_DIR")
        if reuse:
            build_dir = pathlib.Path(reuse).resolve()
            if not (build_dir / "CMakeCache.txt").is_file():
                raise SystemExit(f"KNEAD_CMAKE_BUILD_DIR={reuse}: not a CMake build directory")
        else:
            build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
            subprocess.run(
                ["cmake", "-S", str(ROOT), "-B", str(build_dir),
                 "-DCMAKE_BUILD_TYPE=Release", "-DKNEAD_BUILD_PYTHON=ON",
                 "-DKNEAD_BUILD_TESTS=OFF", "-DKNEAD_BUILD_EXAMPLES=OFF", "-DKNEAD_BUILD_BENCH=OFF",
                 "-DKNEAD_INSTALL=OFF", f"-DPython_EXECUTABLE={sys.executable}"],
                check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "knead_python", "-j", jobs], check=True)
        built = sorted((build_dir / "python" / "knead").glob("_core*.so"))
        if not built:
            raise SystemExit(f"the CMake build in {build_dir} made no knead/_core*.so")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


class BuildPyWithRules(build_py):
    """Copies the default rules and their JSON Schemas into the package (knead/rules)."""

    def run(self) -> None:
        super().run()
        rules = pathlib.Path(self.build_lib) / "knead" / "rules"
        rules.mkdir(parents=True, exist_ok=True)
        for source in sorted((ROOT / "rules").glob("*.json")):
            shutil.copy2(source, rules / source.name)


setup(
    version=version(),
    packages=["knead"],
    package_dir={"knead": "bindings/python/knead"},
    package_data={"knead": ["py.typed", "*.pyi"]},
    ext_modules=[Extension("knead._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithRules},
    zip_safe=False,
)
