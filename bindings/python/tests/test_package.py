"""The package as a whole (module.cpp, knead/__init__.py, knead/_core.pyi): what it exports, and
that the hand-written stubs match the extension module."""

from __future__ import annotations

import ast
import inspect
import pathlib

import knead
from knead import _core

PACKAGE = pathlib.Path(knead.__file__).parent


def test_version() -> None:
    assert knead.__version__ == _core.__version__
    assert knead.__version__.count(".") == 2


def test_all_is_curated_and_complete() -> None:
    assert len(knead.__all__) == len(set(knead.__all__))
    for name in knead.__all__:
        assert hasattr(knead, name), name
    public_core = {n for n in dir(_core) if not n.startswith("_")}
    assert public_core - {"logic"} <= set(knead.__all__)


def test_docstrings() -> None:
    assert knead.__doc__ and _core.__doc__
    for name in knead.__all__:
        obj = getattr(knead, name)
        if inspect.isclass(obj) or callable(obj):
            assert obj.__doc__, name


def test_typing_files_ship() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_core.pyi").exists()


def _stub() -> ast.Module:
    return ast.parse((PACKAGE / "_core.pyi").read_text(encoding="utf-8"))


def _stub_names(module: ast.Module) -> dict[str, set[str] | None]:
    """Top-level names of the stub; for classes, their public members."""
    names: dict[str, set[str] | None] = {}
    for node in module.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {
                n.name if isinstance(n, (ast.FunctionDef, ast.ClassDef)) else n.target.id  # type: ignore[union-attr]
                for n in node.body
                if isinstance(n, (ast.FunctionDef, ast.AnnAssign, ast.ClassDef))
            }
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = None
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = None
    return names


def test_the_stubs_declare_every_public_name_of_the_module() -> None:
    stub = _stub_names(_stub())
    for name in dir(_core):
        if name.startswith("__") or name in {"_raise_for_test", "_rule_set_from_pickle"}:
            continue
        assert name in stub, f"_core.{name} is missing from _core.pyi"


def test_the_stubs_declare_every_public_member_of_each_class() -> None:
    stub = _stub_names(_stub())
    for name in dir(_core):
        cls = getattr(_core, name)
        if name.startswith("_") or not inspect.isclass(cls) or issubclass(cls, BaseException):
            continue
        declared = stub[name]
        assert declared is not None, name
        runtime = {m for m in vars(cls) if not m.startswith("_")}
        assert runtime <= declared, f"{name}: {sorted(runtime - declared)} missing from the stubs"
        for member in declared:
            if not member.startswith("__"):
                assert hasattr(cls, member), f"{name}.{member} is in the stubs but not in the module"


def test_the_stubs_declare_the_exception_attributes() -> None:
    stub = _stub_names(_stub())
    for cls in (knead.Error, knead.LoadError, knead.ParseError, knead.PatientError, knead.LogicError):
        declared = stub[cls.__name__]
        assert declared is not None
        own = {m for m in vars(cls) if not m.startswith("_")}
        assert own <= declared, f"{cls.__name__}: {sorted(own - declared)}"


def test_the_stubs_parse_as_valid_python_and_mention_the_logic_submodule() -> None:
    stub = _stub_names(_stub())
    assert "logic" in stub and "_LogicModule" in stub
    assert {"apply", "Program"} <= (stub["_LogicModule"] or set())
