"""Shared fixtures of knead's Python tests.

The tests run against the package built into ``<build>/python`` (ctest sets ``PYTHONPATH``), read
the source tree's ``rules/`` (``KNEAD_RULES``) and a small rule set of their own in ``data/mini``
whose every rule has a known purpose (see its rule ids).
"""

from __future__ import annotations

import os
import pathlib

import pytest

import knead

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE / "data"
SOURCE_DIR = pathlib.Path(os.environ.get("KNEAD_SOURCE_DIR", HERE.parents[2]))


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    return SOURCE_DIR


@pytest.fixture(scope="session")
def mini_dir() -> pathlib.Path:
    return DATA / "mini"


@pytest.fixture(scope="session")
def mini_cases_dir() -> pathlib.Path:
    return DATA / "mini_cases"


@pytest.fixture(scope="session")
def mini(mini_dir: pathlib.Path) -> knead.RuleSet:
    """The test rule set: 8 rules, listed in an order that is not their ids' order."""
    return knead.RuleSet.load(mini_dir)


@pytest.fixture(scope="session")
def default_rules() -> knead.RuleSet:
    return knead.default_rules()


@pytest.fixture()
def broken_rules(tmp_path: pathlib.Path) -> pathlib.Path:
    """A rule file with two errors: an unknown modality (with a near miss) and a bad pressure."""
    path = tmp_path / "broken.json"
    path.write_text(
        """{
  "ruleset": "broken",
  "version": "0.0.1",
  "concepts": {
    "modalities": [
      {"id": "massage", "label": "Massage", "pressure": "medium"},
      {"id": "swedish", "label": "Swedish", "is_a": ["massage"]}
    ]
  },
  "rules": [
    {"id": "r1", "title": "one", "when": true,
     "then": {"recommend": [{"modality": "swedsh", "weight": 1}]},
     "evidence": {"grade": "low", "source": "x"}},
    {"id": "r2", "title": "two",
     "then": {"recommend": [{"modality": "swedish", "weight": 1, "pressure": "hard"}]},
     "evidence": {"grade": "low", "source": "x"}}
  ]
}
""",
        encoding="utf-8",
    )
    return path


# Patients of the mini rule set, by what they exercise.
FIBRO_SLEEP = {
    "id": "p-fibro",
    "conditions": ["fibromyalgia"],
    "goals": ["improve_sleep_reduce_anxiety"],
    "findings": [{"id": "ci_inflamed_joint_flare", "sites": ["left_knee"]}],
}
RED_FLAG = {"id": "p-redflag", "findings": ["rf_cauda_equina"], "conditions": ["low_back_pain"]}
ANTICOAGULATED = {
    "id": "p-warfarin",
    "conditions": ["low_back_pain"],
    "medications": ["warfarin"],
    "preferences": {"declined": ["hot_stone"]},
}
SAFETY_RULE_FAILS = {"id": "p-safety-error", "clinic": {"safety_divisor": 0}}
PLAIN_RULE_FAILS = {"id": "p-rule-error", "clinic": {"divisor": 0}}
UNKNOWN_IDS = {"id": "p-unknown", "conditions": ["fibromyalgiaa", {"system": "icd10cm", "code": "M54.50"}]}

def nest(depth: int, leaf: object = 1) -> object:
    """`leaf` inside `depth` lists."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


MINI_PATIENTS = [FIBRO_SLEEP, RED_FLAG, ANTICOAGULATED, SAFETY_RULE_FAILS, PLAIN_RULE_FAILS, UNKNOWN_IDS]
