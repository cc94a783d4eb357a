"""RuleSet.recommend and RuleSet.recommend_many (bind_engine.cpp)."""

from __future__ import annotations

import json
import threading
import time

import pytest

import knead
from conftest import ANTICOAGULATED, FIBRO_SLEEP, MINI_PATIENTS, RED_FLAG, UNKNOWN_IDS


# ---- one patient -----------------------------------------------------------------------------


def test_recommend_takes_a_dict_or_its_json_text(mini: knead.RuleSet) -> None:
    from_dict = mini.recommend(FIBRO_SLEEP)
    from_text = mini.recommend(json.dumps(FIBRO_SLEEP))
    assert isinstance(from_dict, knead.Recommendation)
    assert from_dict.to_dict() == from_text.to_dict()
    assert from_dict.status == "ok"
    assert from_dict.modalities[0].id == "swedish"


def test_recommend_the_spec_example_with_the_default_rules(default_rules: knead.RuleSet) -> None:
    rec = default_rules.recommend({"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]})
    assert rec.status == "ok"
    assert rec.modalities, "the default rules recommend something for fibromyalgia with sleep problems"
    assert rec.ruleset["digest"] == default_rules.digest


def test_recommend_an_empty_patient_uses_the_default_goals(mini: knead.RuleSet) -> None:
    rec = mini.recommend({})
    assert rec.status == "ok"
    assert any("default goals" in w for w in rec.warnings)
    assert mini.recommend("{}").to_dict() == rec.to_dict()


def test_strict_mode_makes_unknown_ids_errors(mini: knead.RuleSet) -> None:
    rec = mini.recommend(UNKNOWN_IDS)
    assert rec.status == knead.Status.review
    assert [u.field for u in rec.unresolved] == ["conditions[0]"]
    with pytest.raises(knead.PatientError) as info:
        mini.recommend(UNKNOWN_IDS, strict=True)
    assert info.value.field.startswith("conditions[0]")
    assert "fibromyalgia" in str(info.value)


def test_options_are_keyword_only(mini: knead.RuleSet) -> None:
    with pytest.raises(TypeError):
        mini.recommend(FIBRO_SLEEP, True)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("patient", "field"),
    [
        ({"pain": {"intensity": 12}}, "pain.intensity"),
        ({"age": -3}, "age"),
        ({"conditions": "fibromyalgia"}, "conditions"),
        ({"conditions": [3]}, "conditions[0]"),
        ({"preferences": {"pressure": "crushing"}}, "preferences.pressure"),
        ('{"pain": {"flare": "yes"}}', "pain.flare"),
        ("[1, 2]", ""),
    ],
)
def test_a_malformed_patient_raises_patient_error_naming_the_field(
    mini: knead.RuleSet, patient: object, field: str
) -> None:
    with pytest.raises(knead.PatientError) as info:
        mini.recommend(patient)  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.code.startswith("patient.")
    assert info.value.index is None


def test_malformed_json_text_raises_parse_error_with_its_location(mini: knead.RuleSet) -> None:
    with pytest.raises(knead.ParseError) as info:
        mini.recommend('{"id": "p1",\n "conditions": [}')
    e = info.value
    assert e.code == "parse.syntax"
    assert e.diagnostic.line == 2
    assert e.diagnostic.file == "<patient>"
    assert [str(d) for d in e.diagnostics] == [str(e.diagnostic)]


@pytest.mark.parametrize("patient", [None, 42, ["conditions"], b'{"id": "x"}', object()])
def test_a_patient_must_be_a_dict_or_a_json_string(mini: knead.RuleSet, patient: object) -> None:
    with pytest.raises(knead.PatientError, match="a patient must be a dict or a JSON string") as info:
        mini.recommend(patient)  # type: ignore[arg-type]
    assert info.value.code == "patient.type"


def test_a_clinic_field_is_reachable_from_rules(mini: knead.RuleSet) -> None:
    assert "s.clinic.safety" in mini.recommend({"clinic": {"safety_divisor": 100}}).fired
    assert "s.clinic.safety" not in mini.recommend({"clinic": {"safety_divisor": 1}}).fired


# ---- many patients ---------------------------------------------------------------------------


@pytest.mark.parametrize("threads", [0, 1, 2, 7, 10_000])
def test_recommend_many_equals_recommend_in_order(mini: knead.RuleSet, threads: int) -> None:
    patients = MINI_PATIENTS * 5
    results = mini.recommend_many(patients, threads=threads)
    assert isinstance(results, knead.ResultList) and isinstance(results, list)
    assert [r.to_dict() for r in results] == [mini.recommend(p).to_dict() for p in patients]


def test_recommend_many_takes_any_iterable_of_dicts_and_strings(mini: knead.RuleSet) -> None:
    mixed = (json.dumps(p) if i % 2 else p for i, p in enumerate(MINI_PATIENTS))
    results = mini.recommend_many(mixed)
    assert [r.patient for r in results] == [p["id"] for p in MINI_PATIENTS]
    assert mini.recommend_many([]) == []


def test_recommend_many_with_explain_and_strict(mini: knead.RuleSet) -> None:
    results = mini.recommend_many([FIBRO_SLEEP, RED_FLAG], explain=True)
    assert all(r.trace is not None and len(r.trace) == len(mini) for r in results)
    with pytest.raises(knead.PatientError):
        mini.recommend_many([FIBRO_SLEEP, UNKNOWN_IDS], strict=True)


def test_recommend_many_raises_the_first_bad_patients_error_with_its_index(mini: knead.RuleSet) -> None:
    patients = [FIBRO_SLEEP, {"pain": {"intensity": 11}}, RED_FLAG, "{oops"]
    with pytest.raises(knead.PatientError) as info:
        mini.recommend_many(patients, threads=2)
    assert info.value.index == 1
    assert str(info.value).startswith("patients[1]: ")
    assert info.value.field == "pain.intensity"


def test_recommend_many_raises_conversion_errors_naming_the_patient(mini: knead.RuleSet) -> None:
    with pytest.raises(knead.PatientError, match=r"patients\[1\]\[\"pain\"\]: bytes") as info:
        mini.recommend_many([FIBRO_SLEEP, {"pain": b"x"}])
    assert info.value.index == 1
    with pytest.raises(knead.PatientError, match=r"patients\[2\]: a patient must be"):
        mini.recommend_many([FIBRO_SLEEP, RED_FLAG, 7])


def test_recommend_many_can_return_errors_in_place(mini: knead.RuleSet) -> None:
    patients = [FIBRO_SLEEP, {"pain": {"intensity": 11}}, "{oops", {"x": float("nan")}, 7, RED_FLAG]
    results = mini.recommend_many(patients, on_error="return")
    assert len(results) == len(patients)
    assert isinstance(results[0], knead.Recommendation)
    assert isinstance(results[1], knead.PatientError) and results[1].index == 1
    assert isinstance(results[2], knead.ParseError) and results[2].index == 2
    # Conversion failures are patient errors too, not ValueError or TypeError.
    assert isinstance(results[3], knead.PatientError) and results[3].index == 3
    assert results[3].code == "patient.value" and not isinstance(results[3], ValueError)
    assert isinstance(results[4], knead.PatientError) and results[4].index == 4
    assert results[4].code == "patient.type" and not isinstance(results[4], TypeError)
    assert results[5].status == "refer"
    assert str(results[1]).startswith("patients[1]: ")


def test_recommend_many_checks_its_arguments(mini: knead.RuleSet) -> None:
    with pytest.raises(ValueError, match="on_error"):
        mini.recommend_many([FIBRO_SLEEP], on_error="ignore")
    for not_a_batch in (json.dumps(FIBRO_SLEEP), FIBRO_SLEEP, b"[]"):
        with pytest.raises(TypeError, match="iterable of patients"):
            mini.recommend_many(not_a_batch)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mini.recommend_many(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mini.recommend_many([FIBRO_SLEEP], threads=-1)


def test_recommend_many_releases_the_gil(default_rules: knead.RuleSet) -> None:
    """Another Python thread keeps running while a batch is evaluated in C++."""
    patients = [json.dumps({"conditions": ["fibromyalgia", "low_back_pain"], "findings": ["pc_anticoagulant"]})] * 4000
    ticks = 0
    running = True

    def spin() -> None:
        nonlocal ticks
        while running:
            ticks += 1

    default_rules.recommend_many(patients[:100], threads=1)  # warm up
    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        time.sleep(0.05)
        before = ticks
        started = time.perf_counter()
        default_rules.recommend_many(patients, threads=1)
        elapsed = time.perf_counter() - started
        during = ticks - before
    finally:
        running = False
        spinner.join()
    # With the GIL held for the whole call, the spinner could not count at all meanwhile.
    assert elapsed > 0
    assert during > 1000, f"only {during} ticks in {elapsed:.3f}s"


def test_recommend_results_keep_the_patient_for_explain(mini: knead.RuleSet) -> None:
    results = mini.recommend_many([ANTICOAGULATED])
    assert "m.anticoagulant.deep" in results[0].explain()


@pytest.mark.parametrize("as_text", [True, False])
def test_ctrl_c_stops_recommend_many_promptly(mini: knead.RuleSet, as_text: bool) -> None:
    import _thread

    # The batch converts a chunk of patients (holding the GIL) while the C++ threads compute the
    # one before; the signal is seen in either phase.
    patients = [json.dumps(FIBRO_SLEEP) if as_text else FIBRO_SLEEP] * 300_000
    fired: list[float] = []

    def interrupt() -> None:
        fired.append(time.monotonic())
        _thread.interrupt_main()

    timer = threading.Timer(0.2, interrupt)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            mini.recommend_many(patients, threads=2, explain=True)
    finally:
        timer.cancel()
    assert fired, "the batch ended before the interrupt"
    assert time.monotonic() - fired[0] < 5
