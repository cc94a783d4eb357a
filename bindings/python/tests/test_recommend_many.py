"""RuleSet.recommend_many on batches larger than one chunk (bind_engine.cpp): patients flow through
the worker pool chunk by chunk, and every result, error record and error raised must be what a
loop of RuleSet.recommend gives, in order."""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Iterator, Mapping

import pytest

import knead
from conftest import ANTICOAGULATED, FIBRO_SLEEP, MINI_PATIENTS, RED_FLAG, nest

# Patients that knead rejects, each in its own way: a value out of range and a wrong type
# (found by the engine's checks, on a worker), malformed JSON text (the parser, on a worker),
# and values that are not JSON at all (found while converting, on the calling thread).
BAD_PATIENTS: list[Any] = [
    {"id": "bad-range", "pain": {"intensity": 11}},
    {"id": "bad-type", "conditions": "fibromyalgia"},
    '{"id": "bad-text", "conditions": [}',
    {"id": "bad-nan", "age": float("nan")},
    {"id": "bad-bytes", "pain": b"x"},
    7,
]


def mixed_batch(n: int) -> list[Any]:
    """n patients: good ones as dicts and as JSON text, with a bad one every 7th."""
    batch: list[Any] = []
    for i in range(n):
        if i % 7 == 3:
            batch.append(BAD_PATIENTS[(i // 7) % len(BAD_PATIENTS)])
            continue
        patient = dict(MINI_PATIENTS[i % len(MINI_PATIENTS)], id=f"p{i}")
        batch.append(json.dumps(patient) if i % 2 else patient)
    return batch


def record(result: object) -> tuple[object, ...]:
    """What a user sees of one result: its JSON form, or the error's type, code, field and message."""
    if isinstance(result, knead.Recommendation):
        return ("result", result.to_json(-1))
    assert isinstance(result, knead.Error), result
    # A batch names the patient by its index where a single call says "patient" or "<patient>".
    message = str(result)
    for _ in range(2):  # "patients[3]: patient.pain.intensity: ..." is "patient.pain.intensity: ..."
        message = re.sub(r"^(patients\[\d+\]|<patient>|patient)(: )?", "", message)
    return (type(result).__name__, result.code, getattr(result, "field", None), message)


def looped(rules: knead.RuleSet, patients: list[Any]) -> list[tuple[object, ...]]:
    out = []
    for patient in patients:
        try:
            out.append(record(rules.recommend(patient)))
        except knead.Error as error:
            out.append(record(error))
    return out


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_results_and_error_records_equal_a_loop_of_recommend(mini: knead.RuleSet, threads: int) -> None:
    patients = mixed_batch(1500)  # several chunks, whatever the number of threads
    results = mini.recommend_many(patients, threads=threads, on_error="return")
    assert len(results) == len(patients)
    assert [record(r) for r in results] == looped(mini, patients)
    for i, r in enumerate(results):
        if isinstance(r, knead.Error):
            assert r.index == i and str(r).startswith(f"patients[{i}]")
        else:
            assert r.patient == f"p{i}"


def test_the_default_rules_give_the_same_results_in_a_batch(default_rules: knead.RuleSet) -> None:
    conditions = ["fibromyalgia", "chronic_low_back_pain", "tension_headache", "not_a_condition"]
    patients = [
        {"id": f"p{i}", "age": 20 + i % 60, "conditions": [conditions[i % 4]], "pain": {"intensity": i % 11}}
        for i in range(600)
    ]
    batched = default_rules.recommend_many(patients, threads=2)
    assert [r.to_json(-1) for r in batched] == [default_rules.recommend(p).to_json(-1) for p in patients]


def test_raise_gives_the_first_bad_patient_in_order_across_chunks(mini: knead.RuleSet) -> None:
    patients: list[Any] = [FIBRO_SLEEP] * 1200
    patients[700] = {"pain": {"intensity": 11}}  # found on a worker
    patients[900] = {"age": float("nan")}  # found while converting, later in the batch
    with pytest.raises(knead.PatientError) as info:
        mini.recommend_many(patients, threads=2)
    assert info.value.index == 700 and info.value.field == "pain.intensity"

    patients[300] = {"x": b"bytes"}  # now a conversion error comes first
    with pytest.raises(knead.PatientError) as info:
        mini.recommend_many(patients, threads=2)
    assert info.value.index == 300 and info.value.code == "patient.type"


def counting(patients: Iterator[Any], seen: list[int]) -> Iterator[Any]:
    for patient in patients:
        seen[0] += 1
        yield patient


def test_raise_stops_reading_at_a_patient_that_cannot_be_converted(mini: knead.RuleSet) -> None:
    seen = [0]
    endless = (FIBRO_SLEEP if i != 5 else {"age": float("inf")} for i in range(100_000))
    with pytest.raises(knead.PatientError) as info:
        mini.recommend_many(counting(endless, seen), threads=2)
    assert info.value.index == 5
    assert seen[0] == 6


def test_an_error_of_the_iterable_itself_passes_through(mini: knead.RuleSet) -> None:
    def broken() -> Iterator[Any]:
        for i in range(1000):
            if i == 400:
                raise RuntimeError("the source failed")
            yield FIBRO_SLEEP

    for on_error in ("raise", "return"):
        with pytest.raises(RuntimeError, match="the source failed"):
            mini.recommend_many(broken(), threads=2, on_error=on_error)
    # The pool is left in order for the next batch.
    assert [r.patient for r in mini.recommend_many([FIBRO_SLEEP, RED_FLAG], threads=2)] == ["p-fibro", "p-redflag"]


def test_batches_from_several_python_threads_at_once(mini: knead.RuleSet) -> None:
    expected = [mini.recommend(p).to_json(-1) for p in MINI_PATIENTS]
    failures: list[str] = []

    def run(threads: int) -> None:
        for _ in range(5):
            results = mini.recommend_many(MINI_PATIENTS * 60, threads=threads)
            if [r.to_json(-1) for r in results] != expected * 60:
                failures.append(f"threads={threads}")

    runners = [threading.Thread(target=run, args=(t,)) for t in (1, 2, 2, 3)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert failures == []


def test_results_outlive_the_batch_and_explain(mini: knead.RuleSet) -> None:
    results = mini.recommend_many([ANTICOAGULATED] * 300, threads=2)
    del mini  # the results hold what they need
    assert all(r.status == results[0].status for r in results)
    assert "m.anticoagulant.deep" in results[-1].explain()


def test_a_batch_inside_the_iterable_of_a_batch(mini: knead.RuleSet) -> None:
    # The inner batches run while the outer one holds the worker pool: they must not wait for it.
    def firsts() -> Iterator[Any]:
        for i in range(300):
            inner = mini.recommend_many([FIBRO_SLEEP, RED_FLAG], threads=2)
            yield dict(FIBRO_SLEEP, id=f"{inner[1].status}-{i}")

    results = mini.recommend_many(firsts(), threads=2)
    assert [r.patient for r in results] == [f"refer-{i}" for i in range(300)]


def test_a_batch_fed_by_another_thread_running_batches(mini: knead.RuleSet) -> None:
    import queue

    fed: queue.Queue[Any] = queue.Queue()

    def feed() -> None:
        for i in range(200):
            fed.put(dict(FIBRO_SLEEP, id=mini.recommend_many([RED_FLAG], threads=2)[0].status + str(i)))
        fed.put(None)

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        results = mini.recommend_many(iter(fed.get, None), threads=2)
    finally:
        feeder.join(timeout=60)
    assert [r.patient for r in results] == [f"refer{i}" for i in range(200)]


def test_explain_is_the_same_whichever_way_the_patient_came(mini: knead.RuleSet) -> None:
    # A result keeps its patient compactly (the text it was read from, or the dict as JSON text)
    # and reads it again to explain: the explanation is the one of the patient as given.
    patient = dict(ANTICOAGULATED, age=70, pain={"intensity": 4, "flare": False})
    expected = mini.recommend(patient, explain=True).explain()
    given = [patient, json.dumps(patient), json.dumps(patient, indent=3)]
    results = [mini.recommend(p) for p in given] + list(mini.recommend_many(given * 100, threads=2))
    patient["medications"] = []  # the caller's dict changes afterwards: the results do not
    patient["age"] = -1
    assert all(r.explain() == expected for r in results)


def test_explain_for_fhir_input_and_ready_made_patients() -> None:
    import pathlib

    rules = knead.default_rules()
    examples = pathlib.Path(__file__).resolve().parents[3] / "examples" / "fhir"
    bundle = json.loads((examples / "cellulitis_knee_bundle.json").read_text())
    ready = knead.Patient.from_fhir(bundle, rules=rules)
    assert ready.unresolved  # entries the engine reports: kept with the patient
    expected = rules.recommend(ready, explain=True).explain()
    for result in [rules.recommend(bundle), rules.recommend(ready), *rules.recommend_many([bundle, ready] * 3)]:
        assert result.unresolved
        assert result.explain() == expected
        assert [repr(u) for u in result.unresolved] == [repr(u) for u in rules.recommend(ready).unresolved]


class _Index:
    """An int-like object (as numpy integers are): converted through __index__."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


class _Pairs(Mapping[str, Any]):
    """A Mapping that is not a dict and names a key twice in items(): the later one counts."""

    def __init__(self, *pairs: tuple[str, Any]) -> None:
        self.pairs = pairs

    def __getitem__(self, key: str) -> Any:
        return dict(self.pairs)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(k for k, _ in self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def items(self) -> Any:  # type: ignore[override]
        return list(self.pairs)


def test_dicts_of_every_json_shape_read_the_same_in_a_batch(mini: knead.RuleSet) -> None:
    # A batch converts a dict to JSON text under the GIL and reads it on its threads: each of these
    # must give what recommend gives for the dict itself, result or error, in order.
    patients: list[Any] = [
        dict(FIBRO_SLEEP, age=44.0),  # a whole float
        dict(FIBRO_SLEEP, age=-0.0),
        dict(FIBRO_SLEEP, age=33.333333333333336, pain={"intensity": 6.5}),
        dict(FIBRO_SLEEP, age=_Index(51)),
        dict(FIBRO_SLEEP, age=True),
        dict(FIBRO_SLEEP, age=2**63 - 1),
        dict(FIBRO_SLEEP, age=2**63),
        dict(FIBRO_SLEEP, age=2**64 - 1),
        dict(FIBRO_SLEEP, age=2**64),  # does not fit: a conversion error
        dict(FIBRO_SLEEP, age=-(2**63)),
        dict(FIBRO_SLEEP, id='quote " backslash \\ tab \t nul \x00 bell \x07 del \x7f'),
        dict(FIBRO_SLEEP, id="ünïcode ✓ 😀 \u2028\u2029"),
        dict(FIBRO_SLEEP, conditions=("fibromyalgia",)),  # a tuple is a list
        dict(FIBRO_SLEEP, pain=_Pairs(("intensity", 9), ("intensity", 3))),  # a Mapping inside a dict
        dict(FIBRO_SLEEP, notes=nest(127)),  # as deep as a patient may be
        dict(FIBRO_SLEEP, notes=nest(128)),  # a level deeper: a conversion error
        dict(FIBRO_SLEEP, notes={"deep": nest(200)}),
        dict(FIBRO_SLEEP, **{"": 1, "a\u00e9": None}),
        {"\ud800": 1},  # a lone surrogate key
        {1: "fibromyalgia"},  # a key that is not a str
        dict(FIBRO_SLEEP, pain={"intensity": float("inf")}),
        dict(FIBRO_SLEEP, goals=[None, True, False, 0, -1, 1.5e300, "", [], {}]),
        {},
    ]
    expected = looped(mini, patients)
    assert any(r[0] == "result" for r in expected) and any(r[0] != "result" for r in expected)
    for threads in (1, 2):
        results = mini.recommend_many(patients * 40, threads=threads, on_error="return")
        assert [record(r) for r in results] == expected * 40
