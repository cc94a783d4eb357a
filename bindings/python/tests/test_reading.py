"""Reading what clinics send, from Python: status review, interpreted, unresolved, questions."""

from __future__ import annotations

import pytest

import knead


def test_status_is_a_string_enum() -> None:
    assert [s.value for s in knead.Status] == ["ok", "review", "refer", "error"]
    assert knead.Status.review == "review"
    assert str(knead.Status.refer) == "refer"


def test_words_brands_and_doses_are_read_and_listed(default_rules: knead.RuleSet) -> None:
    rec = default_rules.recommend(
        {"medications": ["Eliquis 5 mg twice daily"], "pain": {"locations": ["lower back"]}}
    )
    assert rec.status == knead.Status.ok
    assert [(i.field, i.id, i.by) for i in rec.interpreted] == [
        ("medications[0]", "apixaban", "dose"),
        ("pain.locations[0]", "low_back", "synonym"),
    ]
    assert "deep_tissue" in [x.id for x in rec.excluded]
    assert rec.to_dict()["interpreted"][0]["input"] == "Eliquis 5 mg twice daily"


def test_unreadable_input_is_review_capped_at_light(default_rules: knead.RuleSet) -> None:
    rec = default_rules.recommend({"finding": ["rf_cauda_equina"], "conditions": ["chronic_low_back_pain"]})
    assert rec.status == knead.Status.review
    (u,) = rec.unresolved
    assert (u.field, u.problem, u.nearest) == ("finding", "unknown_key", "findings")
    assert all(m.pressure == "light" for m in rec.modalities)
    assert "Could not read" in rec._repr_html_()
    assert "#9a6700" in rec._repr_html_()  # the review badge


def test_strict_makes_unreadable_input_an_error(default_rules: knead.RuleSet) -> None:
    with pytest.raises(knead.PatientError) as info:
        default_rules.recommend({"finding": ["rf_cauda_equina"]}, strict=True)
    assert info.value.field == "finding"
    with pytest.raises(knead.PatientError):
        default_rules.recommend_many([{"medications": ["unknownium"]}], strict=True)


def test_a_platelet_count_per_microlitre_is_rejected_with_the_unit(default_rules: knead.RuleSet) -> None:
    with pytest.raises(knead.PatientError, match=r"10\^9/L") as info:
        default_rules.recommend({"labs": {"platelets": 35000}})
    assert info.value.field == "labs.platelets"


def test_to_frame_lists_unresolved_fields_and_questions(default_rules: knead.RuleSet) -> None:
    pytest.importorskip("pandas")
    results = default_rules.recommend_many([{"finding": []}, {"conditions": ["fibromyalgia"]}])
    frame = knead.to_frame(results)  # long: one row per patient and item
    unresolved = frame[frame["kind"] == "unresolved"]
    assert list(unresolved["index"]) == [0]
    assert list(unresolved["id"]) == ["finding"]
    assert bool(frame[frame["index"] == 0]["review"].all())
    assert frame[(frame["index"] == 1) & frame["kind"].isin(["unresolved", "question"])].empty
    summary = knead.summary_frame(results)  # wide: one row per patient
    assert summary.iloc[0]["unresolved"] == ["finding"]
    assert summary.iloc[1]["unresolved"] == []
    assert summary.iloc[1]["questions"] == []
