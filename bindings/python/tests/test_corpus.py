"""The test corpus the C++ suite reads (tests/README.md), read in place from Python.

- tests/cases/*.json: every case's patient goes through ``RuleSet.recommend`` and each of its
  expectations is checked here, from the Python objects, with the meaning the case runner gives it
  (src/cases/case_runner.cpp); ``knead.run_case`` must agree, and every rule must fire in some case.
- tests/golden/*.approved.*: ``Recommendation.render`` of every example patient, in every format,
  equals the approved file byte for byte, as ``knead recommend --format`` does.
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any, Callable

import pytest

import knead

SOURCE = pathlib.Path(os.environ.get("KNEAD_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
CASES = SOURCE / "tests" / "cases"
GOLDEN = SOURCE / "tests" / "golden"
PATIENTS = SOURCE / "examples" / "patients"
RULES = SOURCE / "rules"


def _cases() -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        for index, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append((path.name, index, case))
    return out


ALL_CASES = _cases()
URGENCY = ["emergency", "same_day", "urgent", "routine"]
PRESSURE = ["light", "medium", "firm"]


@pytest.fixture(scope="module")
def rules() -> knead.RuleSet:
    # The shipped rules from the source tree: the C++ suite runs the cases against the same files.
    return knead.RuleSet.load(RULES)


def _most_urgent(rec: knead.Recommendation) -> knead.Referral | None:
    return min(rec.referrals, key=lambda r: URGENCY.index(r.urgency), default=None)


# What each expectation key compares, as the case runner reads it: key -> (kind, actual value).
def _actual(rec: knead.Recommendation) -> dict[str, tuple[str, Callable[[], Any]]]:
    def referral(field: str, none: Any) -> Callable[[], Any]:
        return lambda: getattr(_most_urgent(rec), field) if rec.referrals else none

    return {
        "status": ("same", lambda: rec.status),
        "modalities_include": ("include", lambda: [m.id for m in rec.modalities]),
        "modalities_exclude": ("exclude", lambda: [m.id for m in rec.modalities]),
        "excluded_include": ("include", lambda: [e.id for e in rec.excluded]),
        "top_modality": ("same", lambda: rec.top_modality),
        "max_pressure": ("max_pressure", lambda: {m.id: m.pressure for m in rec.modalities}),
        "self_care_include": ("include", lambda: [s.id for s in rec.self_care]),
        "self_care_exclude": ("exclude", lambda: [s.id for s in rec.self_care]),
        "avoid_regions_include": ("include", lambda: [r.id for r in rec.avoid_regions]),
        "refer": ("same", referral("urgency", "none")),
        "refer_to": ("same", referral("to", None)),
        "fired_include": ("include", lambda: list(rec.fired)),
        "fired_exclude": ("exclude", lambda: list(rec.fired)),
        "warnings_include": ("substrings", lambda: list(rec.warnings)),
        "unresolved_include": ("include", lambda: [u.field for u in rec.unresolved]),
        "interpreted_include": ("include", lambda: [f"{i.field}={i.id}" for i in rec.interpreted]),
        "questions_include": ("include", lambda: [q.fact for q in rec.questions]),
    }


def _failures(rec: knead.Recommendation, expect: dict[str, Any]) -> list[str]:
    actual = _actual(rec)
    failures = []
    for key, want in expect.items():
        assert key in actual, f"expectation '{key}' is not known to this test; add it to _actual()"
        kind, get = actual[key]
        got = get()
        if kind == "same":
            ok = got == want
        elif kind == "include":
            ok = all(w in got for w in want)
        elif kind == "exclude":
            ok = not any(w in got for w in want)
        elif kind == "max_pressure":
            ok = all(PRESSURE.index(p) <= PRESSURE.index(want) for p in got.values())
        else:  # substrings
            ok = all(any(w in text for text in got) for w in want)
        if not ok:
            failures.append(f"{key}: expected {want!r}, got {got!r}")
    return failures


@pytest.mark.parametrize(("file", "index", "case"), ALL_CASES,
                         ids=[f"{file}#{index}" for file, index, _ in ALL_CASES])
def test_case_file_expectations_hold_from_python(rules: knead.RuleSet, file: str, index: int,
                                                 case: dict[str, Any]) -> None:
    rec = rules.recommend(case["patient"])
    assert _failures(rec, case["expect"]) == [], case["name"]
    # The library's own case runner, reached from Python, reads the case the same way.
    result = knead.run_case(rules, case)
    assert result.passed and result.failures == [] and result.error == "", case["name"]
    assert result.fired == rec.fired


def test_the_corpus_is_there_and_exercises_every_rule(rules: knead.RuleSet) -> None:
    assert len(ALL_CASES) >= 100
    fired = {rule for _, _, case in ALL_CASES for rule in rules.recommend(case["patient"]).fired}
    assert sorted(r.id for r in rules.rules if r.id not in fired) == []
    report = knead.test(rules, [CASES])
    assert (report.passed, report.failed) == (len(ALL_CASES), 0)
    assert report.unfired_rules == []


def test_a_wrong_expectation_is_a_failure_here_too(rules: knead.RuleSet) -> None:
    # The checks above can fail: the first case with its status flipped fails both readers.
    _, _, case = ALL_CASES[0]
    wrong = dict(case, expect={"status": "error" if case["expect"].get("status") != "error" else "ok"})
    rec = rules.recommend(case["patient"])
    assert [f.split(":")[0] for f in _failures(rec, wrong["expect"])] == ["status"]
    assert [f.expectation for f in knead.run_case(rules, wrong).failures] == ["status"]


def _approved_file(patient: str, fmt: str) -> pathlib.Path:
    # As tests/architecture/CMakeLists.txt names them: text -> .txt, json -> .json, X -> .X.json.
    ext = {"text": "txt", "json": "json"}.get(fmt, f"{fmt}.json")
    return GOLDEN / f"{patient}.approved.{ext}"


EXAMPLE_PATIENTS = sorted(p.stem for p in PATIENTS.glob("*.json"))


@pytest.mark.parametrize("fmt", knead.formats())
@pytest.mark.parametrize("patient", EXAMPLE_PATIENTS)
def test_renderings_equal_the_approved_files(rules: knead.RuleSet, patient: str, fmt: str) -> None:
    approved = _approved_file(patient, fmt)
    assert approved.is_file(), f"{approved} is missing: approve it with KNEAD_APPROVE=1 ctest -L approved"
    text = (PATIENTS / f"{patient}.json").read_text(encoding="utf-8")
    rendered = rules.recommend(text).render(fmt)
    assert rendered.encode("utf-8") == approved.read_bytes()


def test_every_approved_rendering_is_checked() -> None:
    approved = {p.name for p in GOLDEN.glob("*.approved.*")}
    checked = {_approved_file(p, f).name for p in EXAMPLE_PATIENTS for f in knead.formats()}
    assert approved == checked
