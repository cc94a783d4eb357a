"""knead.to_frame (long format), recommend_many on a DataFrame, and error records (_frames.py)."""

from __future__ import annotations

import json
import math
import os
import subprocess

import pytest

import knead
from conftest import ANTICOAGULATED, FIBRO_SLEEP, MINI_PATIENTS, RED_FLAG

pandas = pytest.importorskip("pandas")

BAD_INTENSITY = {"id": "p-bad", "pain": {"intensity": 12}}


def test_to_frame_one_row_per_patient_and_item(mini: knead.RuleSet) -> None:
    results = mini.recommend_many([FIBRO_SLEEP, RED_FLAG, BAD_INTENSITY], on_error="return")
    frame = knead.to_frame(results)
    assert list(frame.columns) == list(knead._frames.FRAME_COLUMNS)
    assert {c: str(t) for c, t in frame.dtypes.items()} == knead._frames.FRAME_COLUMNS

    fibro = frame[frame["index"] == 0]
    modalities = fibro[fibro.kind == "modality"]
    assert list(modalities["id"]) == ["swedish", "hot_stone"]
    assert list(modalities["rank"]) == [0, 1]
    assert modalities.iloc[0].pressure == "light" and modalities.iloc[0].score > 0
    assert (fibro.patient == "p-fibro").all() and (fibro.status == "ok").all()
    # Provenance on every row of a result.
    assert (fibro.ruleset == mini.name).all() and (fibro.ruleset_digest == mini.digest).all()
    assert (fibro.ruleset_version == mini.version).all()

    red = frame[frame["index"] == 1]
    assert set(red.status) == {"refer"}
    referral = red[red.kind == "referral"].iloc[0]
    assert (referral["id"], referral["urgency"]) == ("emergency_department", "emergency")
    assert "modality" not in set(red.kind)

    bad = frame[frame["index"] == 2]
    assert len(bad) == 1
    row = bad.iloc[0]
    assert (row.kind, row.status, row.error_code) == ("error", "invalid", "patient.range")
    assert row.error_message == "patient.pain.intensity: must be a number from 0 to 10, got 12"
    assert not row.review and pandas.isna(row.ruleset)
    assert results.to_frame().equals(frame)


def test_to_frame_takes_dicts_and_error_records(mini: knead.RuleSet) -> None:
    results = mini.recommend_many(MINI_PATIENTS + [BAD_INTENSITY], on_error="return")
    as_dicts = [r.to_dict() if isinstance(r, knead.Recommendation) else knead.error_record(r) for r in results]
    assert knead.to_frame(as_dicts).equals(knead.to_frame(results))
    assert knead.to_frame([]).empty
    with pytest.raises(TypeError, match="expected a Recommendation"):
        knead.to_frame([42])


def test_a_result_without_items_keeps_its_row(mini: knead.RuleSet) -> None:
    result = {"patient": "p-empty", "status": "ok", "ruleset": {"name": "x", "version": "1", "digest": "d"}}
    frame = knead.to_frame([result])
    assert list(frame.kind) == ["none"] and frame.iloc[0].patient == "p-empty"


def test_recommend_many_takes_a_data_frame_and_nan_means_missing(mini: knead.RuleSet) -> None:
    frame = pandas.DataFrame(
        [
            {"id": "p-fibro", "conditions": FIBRO_SLEEP["conditions"], "goals": FIBRO_SLEEP["goals"],
             "age": 40, "pain.intensity": 5.0},
            {"id": "p-warfarin", "conditions": ANTICOAGULATED["conditions"], "goals": None,
             "age": math.nan, "pain.intensity": math.nan},
        ]
    )
    assert knead.patients_from_frame(frame)[1] == {"id": "p-warfarin", "conditions": ["low_back_pain"]}
    assert knead.patients_from_frame(frame)[0]["pain"] == {"intensity": 5.0}
    assert isinstance(knead.patients_from_frame(frame)[0]["age"], int)
    results = mini.recommend_many(frame)
    expected = mini.recommend_many(knead.patients_from_frame(frame))
    assert [r.to_json() for r in results] == [r.to_json() for r in expected]
    # pandas' own missing markers too, in a nullable column.
    nullable = pandas.DataFrame({"id": ["a", "b"], "age": pandas.array([30, None], dtype="Int64")})
    assert knead.patients_from_frame(nullable) == [{"id": "a", "age": 30}, {"id": "b"}]
    assert len(mini.recommend_many(nullable)) == 2


def test_error_record_is_the_one_the_command_line_writes(mini_dir, tmp_path) -> None:
    patients = [FIBRO_SLEEP, BAD_INTENSITY, 7, {"conditions": "fibromyalgia"}]
    results = knead.RuleSet.load(mini_dir).recommend_many(patients, on_error="return")
    records = [knead.error_record(r) for r in results if isinstance(r, Exception)]
    assert [r["index"] for r in records] == [1, 2, 3]
    assert records[0]["error"] == {
        "code": "patient.range",
        "message": "patient.pain.intensity: must be a number from 0 to 10, got 12",
    }
    cli = os.environ.get("KNEAD_CLI")
    if not cli:
        pytest.skip("KNEAD_CLI (the knead command) not given")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(p) + "\n" for p in patients), encoding="utf-8")
    done = subprocess.run([cli, "recommend", "--rules", str(mini_dir), "--batch", str(batch)],
                          capture_output=True, text=True, check=False)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    from_cli = [line for line in lines if "error" in line and "status" not in line]
    assert [r["line"] - 1 for r in from_cli] == [r["index"] for r in records]
    assert [r["error"]["code"] for r in from_cli] == [r["error"]["code"] for r in records]
    # The same message for the same patient object (7 is a JSON number on the command line but
    # a Python int here, so the wording of that one differs).
    objects = [i for i, r in enumerate(records) if isinstance(patients[r["index"]], dict)]
    assert objects == [0, 2]
    assert [from_cli[i]["error"] for i in objects] == [records[i]["error"] for i in objects]
