"""knead.Recommendation and its parts (bind_recommendation.cpp)."""

from __future__ import annotations

import json

import pytest

import knead
from conftest import (
    ANTICOAGULATED,
    FIBRO_SLEEP,
    MINI_PATIENTS,
    PLAIN_RULE_FAILS,
    RED_FLAG,
    SAFETY_RULE_FAILS,
    UNKNOWN_IDS,
)


@pytest.fixture(scope="module")
def fibro(mini: knead.RuleSet) -> knead.Recommendation:
    return mini.recommend(FIBRO_SLEEP)


def test_identity_and_status(fibro: knead.Recommendation, mini: knead.RuleSet) -> None:
    assert fibro.patient == "p-fibro"
    assert fibro.ruleset == {"name": "mini", "version": "2.0.1", "digest": mini.digest,
                             "layers": [{"name": "mini", "version": "2.0.1", "digest": mini.layers[0]["digest"]}]}
    assert fibro.status == "ok"
    assert fibro.fired == ["z.fibro.sleep", "a.general.walking", "n.flare.sites"]
    assert fibro.top_modality == "swedish"


def test_modalities_best_first(fibro: knead.Recommendation) -> None:
    assert [m.id for m in fibro.modalities] == ["swedish", "hot_stone"]
    swedish = fibro.modalities[0]
    assert isinstance(swedish, knead.RecommendedModality)
    assert swedish.label == "Swedish massage"
    assert swedish.score == 3
    assert swedish.pressure == "light"
    assert swedish.duration_min == 60
    assert swedish.because == ["z.fibro.sleep"]
    assert swedish.notes == ["slow strokes"]
    (caution,) = swedish.cautions
    assert isinstance(caution, knead.Caution)
    assert caution.reason == "keep the whole session gentle"
    assert caution.pressure_max == "light"
    assert caution.target == "massage"
    assert caution.because == ["z.fibro.sleep"]
    assert repr(caution) == "<Caution 'keep the whole session gentle'>"
    hot_stone = fibro.modalities[1]
    assert hot_stone.duration_min is None
    assert hot_stone.pressure == "light"  # its default, medium, capped by the caution
    assert repr(swedish) == "<RecommendedModality swedish pressure=light score=3.0>"


def test_self_care_regions_and_plan(fibro: knead.Recommendation) -> None:
    assert [s.id for s in fibro.self_care] == ["sleep_hygiene", "walking"]
    sleep = fibro.self_care[0]
    assert (sleep.label, sleep.instructions, sleep.because, sleep.notes) == (
        "Sleep hygiene",
        "Keep a regular bedtime.",
        ["z.fibro.sleep"],
        ["wind down"],
    )
    assert sleep.cautions == []
    assert repr(sleep) == "<RecommendedSelfCare sleep_hygiene>"
    regions = {a.id: a for a in fibro.avoid_regions}
    assert set(regions) == {"left_knee", "neck"}
    assert regions["left_knee"].level == "contraindicated"
    assert regions["left_knee"].label == "Left knee"
    assert regions["left_knee"].reason == "inflamed joint"
    assert regions["left_knee"].because == ["n.flare.sites"]
    assert regions["neck"].level == "caution"
    assert repr(regions["neck"]) == "<AvoidedRegion neck caution>"
    plan = fibro.plan
    assert isinstance(plan, knead.Plan)
    assert (plan.duration_min, plan.sessions_per_week, plan.weeks, plan.because) == (45, 1, 6, "z.fibro.sleep")
    assert repr(plan) == "<Plan duration_min=45 sessions_per_week=1 weeks=6>"
    assert fibro.referrals == [] and fibro.excluded == []
    assert [c.reason for c in fibro.cautions] == ["keep the whole session gentle"]
    assert fibro.errors == [] and fibro.warnings == []


def test_exclusions_contraindicated_and_declined(mini: knead.RuleSet) -> None:
    rec = mini.recommend(ANTICOAGULATED)
    excluded = {x.id: x for x in rec.excluded}
    assert set(excluded) == {"deep_tissue", "hot_stone"}
    assert excluded["deep_tissue"].reason == "bleeding and bruising risk"
    assert excluded["deep_tissue"].because == ["m.anticoagulant.deep"]
    assert excluded["deep_tissue"].label == "Deep tissue massage"
    assert excluded["hot_stone"].because == []
    assert rec.modalities == [] and rec.top_modality is None
    assert repr(excluded["hot_stone"]) == "<ExcludedItem hot_stone>"
    assert rec.plan is None


def test_an_urgent_referral_stops_treatment(mini: knead.RuleSet) -> None:
    rec = mini.recommend(RED_FLAG)
    assert rec.status == "refer"
    assert rec.modalities == [] and rec.self_care == []
    (referral,) = rec.referrals
    assert isinstance(referral, knead.Referral)
    assert (referral.to, referral.urgency) == ("emergency_department", "emergency")
    assert referral.reason == "suspected cauda equina syndrome"
    assert referral.because == ["r.redflag.cauda_equina"]
    assert repr(referral) == "<Referral to=emergency_department emergency>"


def test_a_failing_safety_rule_fails_closed(mini: knead.RuleSet) -> None:
    rec = mini.recommend(SAFETY_RULE_FAILS)
    assert rec.status == "error"
    assert rec.modalities == [] and rec.self_care == []
    (error,) = rec.errors
    assert isinstance(error, knead.RuleError)
    assert (error.rule, error.code) == ("s.clinic.safety", "logic.nan")
    assert "division by zero" in error.message
    assert repr(error) == "<RuleError s.clinic.safety logic.nan>"


def test_a_failing_plain_rule_is_reported_but_does_not_stop(mini: knead.RuleSet) -> None:
    rec = mini.recommend(PLAIN_RULE_FAILS)
    assert rec.status == "ok"
    assert [e.rule for e in rec.errors] == ["e.clinic.score"]
    assert rec.modalities


def test_unknown_ids_are_unresolved_with_the_nearest_id(mini: knead.RuleSet) -> None:
    rec = mini.recommend(UNKNOWN_IDS)
    assert [(u.input, u.nearest) for u in rec.unresolved] == [("fibromyalgiaa", "fibromyalgia")]
    assert "b.back.deep" in rec.fired  # the ICD-10-CM code maps to low_back_pain


def test_cautions_carry_a_pressure_cap(default_rules: knead.RuleSet) -> None:
    rec = default_rules.recommend({"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]})
    cautions = [c for m in rec.modalities for c in m.cautions] + list(rec.cautions)
    if not cautions:
        pytest.skip("the default rules give no caution for this patient")
    c = cautions[0]
    assert isinstance(c, knead.Caution)
    assert c.reason and c.because
    assert c.pressure_max in (None, "light", "medium", "firm")
    assert isinstance(c.target, str)
    assert repr(c).startswith("<Caution ")


@pytest.mark.parametrize("index", range(len(MINI_PATIENTS)))
def test_to_dict_is_the_json_form(mini: knead.RuleSet, index: int) -> None:
    rec = mini.recommend(MINI_PATIENTS[index])
    as_dict = rec.to_dict()
    assert as_dict == json.loads(rec.to_json())
    assert list(as_dict) == list(json.loads(rec.to_json()))  # key order too
    assert as_dict["status"] == rec.status
    assert [m["id"] for m in as_dict["modalities"]] == [m.id for m in rec.modalities]
    assert "trace" not in as_dict


def test_to_json_is_byte_identical_and_indentable(mini: knead.RuleSet) -> None:
    one = mini.recommend(FIBRO_SLEEP).to_json(indent=-1)
    assert "\n" not in one
    assert one == mini.recommend(FIBRO_SLEEP).to_json(indent=-1)
    assert mini.recommend(FIBRO_SLEEP).to_json().startswith('{\n  "patient": "p-fibro"')
    assert json.loads(mini.recommend(FIBRO_SLEEP).to_json(indent=4)) == json.loads(one)


def test_to_text_quotes_rule_titles_and_evidence(fibro: knead.Recommendation) -> None:
    text = fibro.to_text()
    assert "Patient p-fibro" in text
    assert "Swedish massage" in text
    assert "Gentle Swedish massage for sleep in fibromyalgia" in text
    assert "LI14" in text


def test_to_cds_hooks_gives_cards(mini: knead.RuleSet) -> None:
    cards = mini.recommend(RED_FLAG).to_cds_hooks()["cards"]
    assert cards
    assert {"summary", "indicator", "detail", "source"} <= set(cards[0])
    assert any(card["indicator"] == "critical" for card in cards)
    assert all(len(card["summary"]) < 140 for card in cards)


def test_explain_without_a_trace_evaluates_again(mini: knead.RuleSet, fibro: knead.Recommendation) -> None:
    assert fibro.trace is None
    text = fibro.explain()
    assert text.startswith("Patient p-fibro: 3 of 8 rules fired")
    assert "fired  z.fibro.sleep - Gentle Swedish massage for sleep in fibromyalgia" in text
    assert "-      b.back.deep" in text
    assert 'false: {"condition":"low_back_pain"}' in text
    assert "b_rules.json:" in text
    assert fibro.trace is None  # explaining does not change the result
    assert mini.recommend(FIBRO_SLEEP, explain=True).explain() == text


def test_explain_shows_rules_that_failed(mini: knead.RuleSet) -> None:
    text = mini.recommend(SAFETY_RULE_FAILS).explain()
    assert "ERROR  s.clinic.safety" in text
    assert "division by zero" in text


def test_trace_when_explained(mini: knead.RuleSet) -> None:
    rec = mini.recommend(FIBRO_SLEEP, explain=True)
    trace = rec.trace
    assert trace is not None
    assert [t.rule for t in trace] == [r.id for r in mini.rules]
    first = trace[0]
    assert isinstance(first, knead.RuleTrace)
    assert first.fired and first.title == "Gentle Swedish massage for sleep in fibromyalgia"
    assert first.failed_pointer == "" and first.failed_clause is None and first.error == ""
    back = next(t for t in trace if t.rule == "b.back.deep")
    assert not back.fired
    assert back.failed_clause == {"condition": "low_back_pain"}
    assert back.failed_pointer == "/rules/3/when"
    assert back.failed_location.file.endswith("b_rules.json") and back.failed_location.line > 0
    assert repr(back) == "<RuleTrace b.back.deep not fired>"
    assert rec.to_dict()["trace"][3]["failed_clause"]["clause"] == {"condition": "low_back_pain"}


def test_equality_and_repr(mini: knead.RuleSet, fibro: knead.Recommendation) -> None:
    assert mini.recommend(FIBRO_SLEEP) == fibro
    assert mini.recommend(RED_FLAG) != fibro
    assert fibro != "p-fibro"
    assert repr(fibro) == "<Recommendation patient='p-fibro' status='ok' top='swedish' modalities=2 fired=3>"
    assert repr(mini.recommend(RED_FLAG)).startswith("<Recommendation patient='p-redflag' status='refer' modalities=0")
    with pytest.raises(TypeError):
        hash(fibro)


def test_parts_outlive_their_recommendation(mini: knead.RuleSet) -> None:
    modalities = mini.recommend(FIBRO_SLEEP).modalities
    plan = mini.recommend(FIBRO_SLEEP).plan
    cautions = mini.recommend(FIBRO_SLEEP).modalities[0].cautions
    import gc

    gc.collect()
    assert modalities[0].id == "swedish"
    assert plan is not None and plan.weeks == 6
    assert [(c.reason, c.because) for c in cautions] == [("keep the whole session gentle", ["z.fibro.sleep"])]


def test_recommendations_are_read_only(fibro: knead.Recommendation) -> None:
    with pytest.raises(AttributeError):
        fibro.status = "refer"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        fibro.modalities[0].pressure = "firm"  # type: ignore[misc]
