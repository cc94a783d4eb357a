"""knead.test and knead.run_case (bind_cases.cpp): case files."""

from __future__ import annotations

import json
import pathlib

import pytest

import knead

PASSING = {
    "name": "fibromyalgia with sleep problems",
    "patient": {"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]},
    "expect": {"status": "ok", "top_modality": "swedish", "fired_include": ["z.fibro.sleep"]},
}


def test_a_run_of_case_files(mini: knead.RuleSet, mini_cases_dir: pathlib.Path) -> None:
    report = knead.test(mini, [mini_cases_dir])
    assert isinstance(report, knead.CaseReport)
    assert (report.passed, report.failed) == (1, 1)
    assert not report.ok and not report
    assert str(report) == "1 passed, 1 failed"
    assert repr(report) == "<CaseReport 1 passed, 1 failed>"
    assert report.unfired_rules == ["r.redflag.cauda_equina", "n.flare.sites", "e.clinic.score", "s.clinic.safety"]
    assert list(report.diagnostics) == []
    good, bad = report.results
    assert isinstance(good, knead.CaseResult)
    assert good.passed and good and good.failures == [] and good.error == ""
    assert good.name == "fibromyalgia with sleep problems gets gentle Swedish massage"
    assert "z.fibro.sleep" in good.fired
    assert good.location.file.endswith("cases.json") and good.location.line == 2
    assert repr(good).endswith(" passed>")
    assert not bad.passed and repr(bad).endswith(" FAILED>")
    (failure,) = bad.failures
    assert isinstance(failure, knead.CaseFailure)
    assert failure.expectation == "modalities_include"
    assert json.loads(failure.expected) == ["deep_tissue"]
    assert "deep_tissue" not in json.loads(failure.actual)
    assert str(failure) == f"modalities_include: expected {failure.expected}, got {failure.actual}"
    assert repr(failure) == "<CaseFailure modalities_include>"


def test_cases_as_a_single_path_and_rules_as_a_path(mini_dir: pathlib.Path, mini_cases_dir: pathlib.Path) -> None:
    report = knead.test(str(mini_dir), mini_cases_dir / "cases.json")
    assert (report.passed, report.failed) == (1, 1)


def test_unreadable_case_files_are_diagnostics(mini: knead.RuleSet, tmp_path: pathlib.Path) -> None:
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    report = knead.test(mini, [tmp_path / "broken.json"])
    assert len(report.diagnostics) == 1
    assert not report.ok
    assert isinstance(report.diagnostics, knead.DiagnosticList)


def test_a_case_path_that_does_not_exist_is_an_error(mini: knead.RuleSet, tmp_path: pathlib.Path) -> None:
    # Not a run with nothing failed: the call names nothing that can be tested.
    with pytest.raises(FileNotFoundError, match="no such case file"):
        knead.test(mini, "/nonexistent")
    with pytest.raises(FileNotFoundError):
        knead.test(mini, [tmp_path, tmp_path / "missing.json"])


def test_a_rule_set_path_with_a_nul_byte_is_refused(tmp_path: pathlib.Path) -> None:
    with pytest.raises(knead.LoadError) as info:
        knead.RuleSet.load("a\x00b")
    assert info.value.diagnostics[0].code == "io.read"
    assert "NUL byte" in str(info.value)


def test_a_rule_set_that_does_not_load(broken_rules: pathlib.Path, mini_cases_dir: pathlib.Path) -> None:
    with pytest.raises(knead.LoadError):
        knead.test(broken_rules, mini_cases_dir)
    with pytest.raises(TypeError):
        knead.test(None, mini_cases_dir)  # type: ignore[arg-type]


def test_the_shipped_cases_run_against_the_default_rules(
    default_rules: knead.RuleSet, source_dir: pathlib.Path
) -> None:
    cases = source_dir / "tests" / "cases"
    if not cases.is_dir():
        pytest.skip("no shipped case files")
    report = knead.test(default_rules, [cases])
    assert report.results
    assert report.passed + report.failed == len(report.results)
    assert list(report.diagnostics) == []


def test_run_one_case_from_a_dict_or_text(mini: knead.RuleSet) -> None:
    result = knead.run_case(mini, PASSING)
    assert result.passed and result.name == PASSING["name"]
    assert knead.run_case(mini, json.dumps(PASSING)).passed
    failing = dict(PASSING, expect={"status": "refer"})
    result = knead.run_case(mini, failing)
    assert not result.passed
    assert [f.expectation for f in result.failures] == ["status"]


def test_a_malformed_case_or_patient_sets_the_error(mini: knead.RuleSet) -> None:
    no_patient = knead.run_case(mini, {"name": "x", "expect": {}})
    assert not no_patient.passed and no_patient.error
    bad_patient = knead.run_case(mini, {"name": "y", "patient": {"age": -1}, "expect": {}})
    assert not bad_patient.passed and "age" in bad_patient.error


def test_run_case_input_errors(mini: knead.RuleSet) -> None:
    with pytest.raises(knead.ParseError):
        knead.run_case(mini, '{"name": ')
    with pytest.raises(TypeError):
        knead.run_case(mini, {"name": b"x"})


def test_test_is_not_collected_by_pytest() -> None:
    assert knead.test.__test__ is False  # type: ignore[attr-defined]
