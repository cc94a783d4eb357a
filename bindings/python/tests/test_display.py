"""Notebook display and DataFrames (knead/_display.py)."""

from __future__ import annotations

import pathlib
import sys

import pytest

import knead
from knead import _display
from conftest import ANTICOAGULATED, FIBRO_SLEEP, MINI_PATIENTS, RED_FLAG, SAFETY_RULE_FAILS, UNKNOWN_IDS


def test_a_recommendation_shows_as_tables(mini: knead.RuleSet) -> None:
    html = mini.recommend(FIBRO_SLEEP)._repr_html_()
    assert "<table" in html
    assert "Patient p-fibro" in html
    assert "Swedish massage" in html and "(swedish)" in html
    assert "Areas to avoid" in html and "left_knee" in html
    assert "Self-care" in html and "Keep a regular bedtime." in html
    assert "Plan</b>: 45 min, 1 a week, for 6 weeks" in html


def test_every_section_of_a_recommendation(mini: knead.RuleSet) -> None:
    assert "Refer" in mini.recommend(RED_FLAG)._repr_html_()
    excluded = mini.recommend(ANTICOAGULATED)._repr_html_()
    assert "Do not use" in excluded and "bleeding and bruising risk" in excluded
    failed = mini.recommend(SAFETY_RULE_FAILS)._repr_html_()
    assert "rule s.clinic.safety failed" in failed
    assert "Warnings" in mini.recommend(UNKNOWN_IDS)._repr_html_()
    nothing = knead.RuleSet.parse('{"ruleset": "empty"}').recommend({})._repr_html_()
    assert "No massage modality is suggested" in nothing


def test_html_is_escaped(mini: knead.RuleSet) -> None:
    html = mini.recommend({"id": "<script>alert(1)</script>"})._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_batch_shows_as_one_table(mini: knead.RuleSet) -> None:
    results = mini.recommend_many(MINI_PATIENTS + [{"pain": {"intensity": 11}}], on_error="return")
    html = results._repr_html_()
    assert f"{len(results)} results" in html
    assert "1 error" in html and "1 invalid" in html and "1 refer" in html
    assert html.count("<tr>") == len(results) + 1
    assert "PatientError" in html


def test_long_tables_are_cut(mini: knead.RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_display, "MAX_ROWS", 3)
    html = mini.recommend_many([FIBRO_SLEEP] * 10)._repr_html_()
    assert html.count("<tr>") == 4
    assert "... and 7 more" in html


def test_a_list_with_foreign_items_still_shows(mini: knead.RuleSet) -> None:
    html = knead.ResultList([mini.recommend(FIBRO_SLEEP), 42])._repr_html_()
    assert "42" in html


def test_diagnostics_show_as_a_table(broken_rules: pathlib.Path) -> None:
    found = knead.validate(broken_rules)
    html = found._repr_html_()
    assert "error(s)" in html and "check.unknown_concept" in html and "/rules/0/then/recommend/0/modality" in html
    assert found[0]._repr_html_().count("<tr>") == 2
    assert "No problems found" in knead.DiagnosticList()._repr_html_()


def test_a_case_report_and_a_rule_set_show(
    mini: knead.RuleSet, mini_cases_dir: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    html = knead.test(mini, mini_cases_dir)._repr_html_()
    assert "1 passed, 1 failed" in html and "modalities_include" in html and "r.redflag.cauda_equina" in html
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    broken = knead.test(mini, [tmp_path / "broken.json"])._repr_html_()
    assert "parse." in broken
    rules_html = mini._repr_html_()
    assert "mini" in rules_html and "z.fibro.sleep" in rules_html and mini.digest in rules_html


def test_summary_frame_one_row_per_patient(mini: knead.RuleSet) -> None:
    pandas = pytest.importorskip("pandas")
    results = mini.recommend_many(MINI_PATIENTS + [7], on_error="return")
    frame = knead.summary_frame(results)
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == [
        "id",
        "status",
        "top_modality",
        "pressure",
        "modalities",
        "excluded",
        "self_care",
        "avoid_regions",
        "referrals",
        "warnings",
        "unresolved",
        "questions",
        "fired",
        "error",
    ]
    assert len(frame) == len(MINI_PATIENTS) + 1
    first = frame.iloc[0]
    assert (first["id"], first["status"], first["top_modality"], first["pressure"]) == (
        "p-fibro",
        "ok",
        "swedish",
        "light",
    )
    assert first["modalities"] == ["swedish", "hot_stone"]
    assert frame.iloc[1]["referrals"] == ["emergency_department:emergency"]
    assert frame.iloc[2]["excluded"] == ["deep_tissue", "hot_stone"]
    assert frame.iloc[-1]["status"] == "invalid" and "PatientError" in frame.iloc[-1]["error"]
    assert results.summary_frame().equals(frame)


def test_summary_frame_takes_dicts_too(mini: knead.RuleSet) -> None:
    pytest.importorskip("pandas")
    results = mini.recommend_many(MINI_PATIENTS)
    assert knead.summary_frame([r.to_dict() for r in results]).equals(knead.summary_frame(results))
    assert knead.summary_frame([]).empty
    with pytest.raises(TypeError, match="expected a Recommendation"):
        knead.summary_frame([42])


def test_to_frame_without_pandas(mini: knead.RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="knead.to_frame needs pandas"):
        knead.to_frame(mini.recommend_many([FIBRO_SLEEP]))
