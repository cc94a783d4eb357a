"""The library's tables seen from Python (bind_vocabulary.cpp): operators, codes, formats."""
import json
import pathlib

import pytest

import knead

SOURCE = pathlib.Path(__file__).resolve().parents[3]
PATIENTS = SOURCE / "examples" / "patients"


def test_operators_are_the_compilers_table() -> None:
    ops = {op["name"]: op for op in knead.operators()}
    schema = json.loads((SOURCE / "rules" / "knead.ruleset.schema.json").read_text(encoding="utf-8"))
    assert set(ops) == set(schema["$defs"]["operation"]["propertyNames"]["enum"])
    assert ops["pain_location"]["domain"] and not ops["var"]["domain"]
    assert ops["substr"]["min_args"] == 1 and ops["substr"]["max_args"] == 3
    assert ops["cat"]["max_args"] is None


def test_diagnostic_codes_are_sorted_and_known() -> None:
    codes = [c["code"] for c in knead.diagnostic_codes()]
    assert codes == sorted(codes)
    assert "check.unknown_concept" in codes
    assert {c["severity"] for c in knead.diagnostic_codes()} <= {"error", "warning", "note"}


def test_render_uses_the_same_formats_as_the_command() -> None:
    assert knead.formats() == ["text", "json", "cds-hooks"]
    rules = knead.default_rules()
    rec = rules.recommend(json.loads((PATIENTS / "knee_osteoarthritis.json").read_text(encoding="utf-8")))
    assert rec.render() == rec.to_text()
    assert rec.render("json") == rec.to_json() + "\n"
    assert json.loads(rec.render("cds-hooks")) == rec.to_cds_hooks()


def test_render_names_an_unknown_format() -> None:
    rec = knead.default_rules().recommend({"conditions": ["fibromyalgia"]})
    with pytest.raises(ValueError, match="unknown format 'jsn'; did you mean 'json'"):
        rec.render("jsn")
