"""knead.Patient.from_fhir and RuleSet.recommend on FHIR input."""

import json
import pathlib

import pytest

import knead

EXAMPLES = pathlib.Path(__file__).resolve().parents[3] / "examples" / "fhir"


def load(name):
    return json.loads((EXAMPLES / name).read_text())


def test_from_fhir_reads_a_bundle():
    rules = knead.default_rules()
    p = knead.Patient.from_fhir(load("fibromyalgia_bundle.json"), rules=rules, as_of="2026-12-01")
    assert p.id == "syn-0001"
    assert p.document["age"] == 58
    assert p.document["sex"] == "female"
    assert p.document["pain"] == {"intensity": 7}
    assert p.document["labs"] == {"platelets": 230}
    assert p.unresolved == []


def test_from_fhir_lists_what_it_could_not_read():
    p = knead.Patient.from_fhir(json.dumps(load("cellulitis_knee_bundle.json")), rules=knead.default_rules())
    assert [u["input"] for u in p.unresolved] == ["Almond oil"]
    assert "unresolved" in repr(p)


def test_from_fhir_refuses_what_is_not_fhir():
    with pytest.raises(knead.PatientError, match="FHIR input"):
        knead.Patient.from_fhir([1, 2])
    with pytest.raises(knead.PatientError, match="as_of"):
        knead.Patient.from_fhir(load("fibromyalgia_bundle.json"), as_of="yesterday")


def test_recommend_takes_a_bundle_a_request_or_a_patient():
    rules = knead.default_rules()
    bundle = load("fibromyalgia_bundle.json")
    from_bundle = rules.recommend(bundle)
    from_patient = rules.recommend(knead.Patient.from_fhir(bundle, rules=rules))
    assert from_bundle.to_dict() == from_patient.to_dict()
    assert from_bundle.patient == "syn-0001"
    request = rules.recommend(load("patient_view_request.json"))
    assert request.patient == "syn-0003"
    many = rules.recommend_many([bundle, load("patient_view_request.json")])
    assert [r.patient for r in many] == ["syn-0001", "syn-0003"]
