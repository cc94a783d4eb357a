"""Rule sets stacked on one another: RuleSet.load([base, overlay])."""

from __future__ import annotations

import pathlib

import pytest

import knead


@pytest.fixture(scope="module")
def overlay_dir(source_dir: pathlib.Path) -> pathlib.Path:
    return source_dir / "tests" / "data" / "overlay"


def test_load_a_list_stacks_the_rule_sets(overlay_dir: pathlib.Path) -> None:
    stack = knead.RuleSet.load([overlay_dir / "base.json", str(overlay_dir / "clinic.json")])
    ids = {r.id for r in stack.rules}
    assert "headache.craniosacral" in ids   # added by the clinic
    assert "gout.swedish" not in ids        # disabled by the clinic
    assert stack.name == "clinic-extra"
    assert [layer["name"] for layer in stack.layers] == ["overlay-base", "clinic-extra"]
    assert all(layer["digest"].startswith("sha256:") for layer in stack.layers)

    rec = stack.recommend({"conditions": ["tension_headache"]})
    assert rec.modalities[0].id == "craniosacral"
    assert [layer["name"] for layer in rec.ruleset["layers"]] == ["overlay-base", "clinic-extra"]
    assert [layer["name"] for layer in rec.to_dict()["ruleset"]["layers"]] == ["overlay-base", "clinic-extra"]


def test_a_reused_id_without_replaces_is_an_error(overlay_dir: pathlib.Path) -> None:
    with pytest.raises(knead.LoadError) as caught:
        knead.RuleSet.load([overlay_dir / "base.json", overlay_dir / "accidental.json"])
    assert [d.code for d in caught.value.diagnostics] == ["check.duplicate_id"]


def test_an_empty_list_is_rejected() -> None:
    with pytest.raises(ValueError):
        knead.RuleSet.load([])
