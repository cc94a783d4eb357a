"""The package as a whole (module.cpp, knead/__init__.py, knead/_core.pyi): what it exports, and
that the hand-written stubs match the extension module."""

from __future__ import annotations

import ast
import os
import inspect
import pathlib

import pytest

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


def test_an_installed_package_is_the_one_imported_with_its_own_rules() -> None:
    # Set by scripts/test_wheel.py, which runs these tests against a wheel installed into a venv.
    prefix = os.environ.get("KNEAD_EXPECT_INSTALLED")
    if not prefix:
        pytest.skip("run against the build tree (python.wheel runs them against an installed wheel)")
    assert pathlib.Path(knead.__file__).resolve().is_relative_to(pathlib.Path(prefix).resolve())
    assert pathlib.Path(_core.__file__).resolve().parent == PACKAGE.resolve()
    assert pathlib.Path(knead.default_rules_path()).resolve() == (PACKAGE / "rules").resolve()
    assert (PACKAGE / "rules" / "knead.ruleset.schema.json").is_file()
    assert len(knead.default_rules()) > 0


def test_signatures_show_names_and_types() -> None:
    recommend = inspect.signature(knead.RuleSet.recommend)
    assert list(recommend.parameters) == ["self", "patient", "explain", "strict"]
    assert recommend.parameters["explain"].kind is inspect.Parameter.KEYWORD_ONLY
    assert recommend.parameters["explain"].default is False
    assert recommend.return_annotation == "Recommendation"
    many = inspect.signature(knead.RuleSet.recommend_many)
    assert list(many.parameters)[:3] == ["self", "patients", "threads"]
    assert many.parameters["on_error"].default == "raise"
    assert list(inspect.signature(knead.validate).parameters) == ["paths"]
    assert inspect.signature(knead.validate).return_annotation == "DiagnosticList"
    assert list(inspect.signature(knead.RuleSet.load).parameters) == ["path"]
    assert list(inspect.signature(knead.RuleSet.parse).parameters) == ["text", "name"]
    assert "patients" in (knead.RuleSet.recommend_many.__doc__ or "")


def test_rule_set_constructor_loads_a_path(mini_dir: pathlib.Path) -> None:
    assert knead.RuleSet(mini_dir).digest == knead.RuleSet.load(mini_dir).digest
    assert knead.RuleSet(str(mini_dir)).name == "mini"
    with pytest.raises(TypeError):
        knead.RuleSet()  # type: ignore[call-arg]


def test_validate_returns_a_diagnostic_list(broken_rules: pathlib.Path) -> None:
    diagnostics = knead.validate(broken_rules)
    assert isinstance(diagnostics, knead.DiagnosticList) and diagnostics.errors
    assert all(isinstance(d, knead.Diagnostic) for d in diagnostics)
