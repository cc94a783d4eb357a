"""knead.validate, knead.lint, knead.Diagnostic and knead.SourceLocation (bind_diagnostics.cpp)."""

from __future__ import annotations

import pathlib
import pickle

import pytest

import knead


def test_validate_a_good_rule_set(mini_dir: pathlib.Path, source_dir: pathlib.Path) -> None:
    assert knead.validate(mini_dir) == []
    assert [d for d in knead.validate(str(source_dir / "rules")) if d.severity == "error"] == []


def test_validate_reports_every_problem_with_its_location(broken_rules: pathlib.Path) -> None:
    found = knead.validate(broken_rules)
    assert isinstance(found, knead.DiagnosticList)
    assert len(found) >= 2
    assert found.errors == [d for d in found if d.severity == "error"]
    unknown = next(d for d in found if d.code == "check.unknown_concept")
    assert isinstance(unknown, knead.Diagnostic)
    assert unknown.severity == "error" and unknown.is_error
    assert unknown.message == "unknown modality 'swedsh'; did you mean 'swedish'?"
    assert unknown.file == str(broken_rules)
    assert (unknown.line, unknown.column) == (unknown.location.line, unknown.location.column)
    assert unknown.line == 12 and unknown.column > 0
    assert unknown.pointer == "/rules/0/then/recommend/0/modality"
    assert isinstance(unknown.notes, list)
    assert str(unknown) == (
        f"{broken_rules}:{unknown.line}:{unknown.column}: error: {unknown.message} [{unknown.pointer}]"
    )
    assert repr(unknown).startswith("<Diagnostic error check.unknown_concept at ")
    assert unknown.to_dict() == {
        "severity": "error",
        "code": "check.unknown_concept",
        "message": unknown.message,
        "file": str(broken_rules),
        "line": unknown.line,
        "column": unknown.column,
        "pointer": unknown.pointer,
        "notes": unknown.notes,
    }
    pressure = [d for d in found if "hard" in d.message]
    assert pressure and pressure[0].pointer.startswith("/rules/1/then/recommend/0/pressure")


def test_validate_several_paths(broken_rules: pathlib.Path, mini_dir: pathlib.Path) -> None:
    both = knead.validate([mini_dir, str(broken_rules)])
    assert [str(d) for d in both] == [str(d) for d in knead.validate(broken_rules)]
    assert knead.validate([]) == []
    assert knead.validate(p for p in [mini_dir]) == []


def test_validate_never_raises_for_rule_problems(tmp_path: pathlib.Path) -> None:
    missing = knead.validate(tmp_path / "missing.json")
    assert missing and missing[0].code.startswith("io.")
    (tmp_path / "syntax.json").write_text('{"ruleset": "x",,}', encoding="utf-8")
    syntax = knead.validate(tmp_path / "syntax.json")
    assert [d.code for d in syntax] == ["parse.syntax"]
    assert (syntax[0].line, syntax[0].column) == (1, 17)
    (tmp_path / "cycle").mkdir()
    (tmp_path / "cycle" / "a.json").write_text('{"include": ["b.json"]}', encoding="utf-8")
    (tmp_path / "cycle" / "b.json").write_text('{"include": ["a.json"]}', encoding="utf-8")
    assert "load.include_cycle" in [d.code for d in knead.validate(tmp_path / "cycle")]


def test_validate_rejects_what_is_not_a_path() -> None:
    with pytest.raises(TypeError):
        knead.validate(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a path"):
        knead.validate([3])  # type: ignore[list-item]


def test_lint_a_rule_set_or_a_path(mini: knead.RuleSet, mini_dir: pathlib.Path) -> None:
    found = knead.lint(mini)
    assert isinstance(found, knead.DiagnosticList)
    assert found and all(d.severity == "warning" and d.code.startswith("lint.") for d in found)
    assert "lint.no_evidence" in [d.code for d in found]
    no_evidence = next(d for d in found if d.code == "lint.no_evidence")
    assert "b.back.deep" in no_evidence.message
    assert no_evidence.file.endswith("b_rules.json")
    assert [str(d) for d in knead.lint(mini_dir)] == [str(d) for d in found]
    assert found.errors == []


def test_lint_of_a_broken_path_raises(broken_rules: pathlib.Path) -> None:
    with pytest.raises(knead.LoadError):
        knead.lint(broken_rules)
    with pytest.raises(TypeError):
        knead.lint(None)  # type: ignore[arg-type]


def test_diagnostics_of_your_own() -> None:
    where = knead.SourceLocation("rules/x.json", 3, 7, 40)
    d = knead.Diagnostic("warning", "tool.style", "prefer short titles", where, "/rules/0/title", ["see the guide"])
    assert (d.severity, d.code, d.message, d.pointer, d.notes) == (
        "warning",
        "tool.style",
        "prefer short titles",
        "/rules/0/title",
        ["see the guide"],
    )
    assert d.location == where and not d.is_error
    assert str(d) == "rules/x.json:3:7: warning: prefer short titles [/rules/0/title]"
    plain = knead.Diagnostic("error", "x.y", "no location")
    assert plain.location == knead.SourceLocation() and plain.pointer == "" and plain.notes == []
    with pytest.raises(ValueError, match="severity"):
        knead.Diagnostic("fatal", "x", "y")


def test_source_locations() -> None:
    where = knead.SourceLocation("f.json", 2, 5, 17)
    assert (where.file, where.line, where.column, where.offset) == ("f.json", 2, 5, 17)
    assert where.known and not knead.SourceLocation("f.json").known
    assert str(where) == "f.json:2:5"
    assert str(knead.SourceLocation("f.json")) == "f.json"
    assert repr(where) == "<SourceLocation f.json:2:5>"
    assert where.to_dict() == {"file": "f.json", "line": 2, "column": 5, "offset": 17}
    assert where == knead.SourceLocation("f.json", 2, 5, 17)
    assert where != knead.SourceLocation("f.json", 2, 6, 18)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_diagnostics_pickle(broken_rules: pathlib.Path, protocol: int) -> None:
    found = knead.validate(broken_rules)
    clone = pickle.loads(pickle.dumps(found, protocol=protocol))
    assert type(clone) is knead.DiagnosticList
    assert [d.to_dict() for d in clone] == [d.to_dict() for d in found]
    assert [d.location for d in clone] == [d.location for d in found]
    where = knead.SourceLocation("f.json", 1, 2, 3)
    assert pickle.loads(pickle.dumps(where, protocol=protocol)) == where


def test_rule_set_warnings_are_diagnostics(default_rules: knead.RuleSet) -> None:
    assert isinstance(default_rules.warnings, knead.DiagnosticList)
    assert all(isinstance(d, knead.Diagnostic) and d.severity != "error" for d in default_rules.warnings)
