"""knead.RuleSet (bind_rule_set.cpp): loading, inspecting, pickling."""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
import pathlib
import pickle

import pytest

import knead
from conftest import MINI_PATIENTS

MINI_RULE_ORDER = [
    "z.fibro.sleep",
    "a.general.walking",
    "m.anticoagulant.deep",
    "b.back.deep",
    "r.redflag.cauda_equina",
    "n.flare.sites",
    "e.clinic.score",
    "s.clinic.safety",
]


# ---- loading ---------------------------------------------------------------------------------


def test_load_directory_reads_every_file_in_name_order(mini: knead.RuleSet, mini_dir: pathlib.Path) -> None:
    assert mini.name == "mini"
    assert mini.version == "2.0.1"
    assert mini.digest.startswith("sha256:") and len(mini.digest) == len("sha256:") + 64
    assert [pathlib.Path(f).name for f in mini.files] == ["a_concepts.json", "b_rules.json"]
    assert len(mini) == 8
    assert [r.id for r in mini.rules] == MINI_RULE_ORDER
    assert mini.default_goals == ["reduce_pain_intensity"]
    assert list(mini.warnings) == []


def test_load_accepts_str_pathlike_and_bytes(mini: knead.RuleSet, mini_dir: pathlib.Path) -> None:
    for path in (str(mini_dir), mini_dir, str(mini_dir).encode()):
        assert knead.RuleSet.load(path).digest == mini.digest


def test_load_a_single_file(default_rules: knead.RuleSet, source_dir: pathlib.Path, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(default_rules.canonical()), encoding="utf-8")
    assert knead.RuleSet.load(path).digest == default_rules.digest


def test_load_rejects_what_is_not_a_path() -> None:
    with pytest.raises(TypeError, match="expected a path"):
        knead.RuleSet.load(42)  # type: ignore[arg-type]


def test_load_of_a_broken_rule_set_raises_load_error_with_every_diagnostic(broken_rules: pathlib.Path) -> None:
    with pytest.raises(knead.LoadError) as info:
        knead.RuleSet.load(broken_rules)
    e = info.value
    assert isinstance(e, knead.Error)
    codes = [d.code for d in e.diagnostics]
    assert len(e.diagnostics) >= 2
    assert "check.unknown_concept" in codes
    assert e.code == e.diagnostics[0].code
    assert all(d.severity == "error" for d in e.diagnostics)
    unknown = next(d for d in e.diagnostics if d.code == "check.unknown_concept")
    assert "did you mean 'swedish'" in unknown.message
    assert unknown.file == str(broken_rules)
    assert unknown.line == 12
    assert unknown.pointer.startswith("/rules/0/then/recommend/0")
    assert "(and" in str(e)


def test_load_of_a_missing_path_raises_load_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(knead.LoadError) as info:
        knead.RuleSet.load(tmp_path / "nowhere.json")
    assert info.value.diagnostics
    assert info.value.diagnostics[0].code.startswith("io.")


def test_parse_text(mini: knead.RuleSet) -> None:
    text = json.dumps(mini.canonical())
    parsed = knead.RuleSet.parse(text, name="inline.json")
    assert parsed.digest == mini.digest
    assert parsed.files == ["inline.json"]
    assert knead.RuleSet.parse(text).files == ["<rules>"]


def test_parse_errors_raise_load_error_with_location() -> None:
    with pytest.raises(knead.LoadError) as info:
        knead.RuleSet.parse('{"ruleset": "x",\n  "rules": [}', name="bad.json")
    d = info.value.diagnostics[0]
    assert d.code == "parse.syntax"
    assert (d.file, d.line) == ("bad.json", 2)
    with pytest.raises(knead.LoadError):
        knead.RuleSet.parse('{"include": ["other.json"]}')


def test_parse_needs_str() -> None:
    with pytest.raises(TypeError):
        knead.RuleSet.parse(None)  # type: ignore[arg-type]


def test_default_rules_and_their_path(default_rules: knead.RuleSet, source_dir: pathlib.Path) -> None:
    assert len(default_rules) > 0
    assert knead.default_rules_path() == knead.RuleSet.default_path()
    if os.environ.get("KNEAD_EXPECT_INSTALLED"):  # an installed wheel: the rules inside it
        expected = pathlib.Path(knead.__file__).parent / "rules"
    else:  # the build tree: the source tree's rules
        expected = source_dir / "rules"
    assert pathlib.Path(knead.default_rules_path()).resolve() == expected.resolve()
    assert knead.default_rules().digest == default_rules.digest == knead.RuleSet.load_default().digest


def test_default_rules_follow_knead_rules(monkeypatch: pytest.MonkeyPatch, mini_dir: pathlib.Path) -> None:
    monkeypatch.setenv("KNEAD_RULES", str(mini_dir))
    assert knead.default_rules().name == "mini"
    monkeypatch.setenv("KNEAD_RULES", str(mini_dir / "missing"))
    with pytest.raises(knead.LoadError):
        knead.default_rules()


def test_default_rules_inside_an_installed_package(
    monkeypatch: pytest.MonkeyPatch, mini_dir: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    # A wheel carries the default rules in knead/rules; they win over the C++ library's paths.
    import shutil

    shutil.copytree(mini_dir, tmp_path / "knead" / "rules")
    monkeypatch.delenv("KNEAD_RULES", raising=False)
    monkeypatch.setattr(knead, "__file__", str(tmp_path / "knead" / "__init__.py"))
    assert knead.default_rules_path() == str(tmp_path / "knead" / "rules")
    assert knead.default_rules().name == "mini"


def test_without_knead_rules_the_library_path_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    if os.environ.get("KNEAD_EXPECT_INSTALLED"):
        pytest.skip("an installed wheel carries its own rules (test_package checks them)")
    monkeypatch.delenv("KNEAD_RULES", raising=False)
    assert knead.default_rules_path() == knead.RuleSet.default_path()


# ---- inspecting ------------------------------------------------------------------------------


def test_rules_as_written(mini: knead.RuleSet) -> None:
    rule = mini.rules[0]
    assert rule.id == "z.fibro.sleep"
    assert rule.title == "Gentle Swedish massage for sleep in fibromyalgia"
    assert rule.description == ""
    assert rule.priority == 10
    assert rule.when == {"and": [{"condition": "fibromyalgia"}, {"goal": "improve_sleep_reduce_anxiety"}]}
    assert rule.modalities == ["swedish"]
    assert rule.evidence == {"grade": "low", "source": "LI14", "note": ""}
    assert rule.tags == ["fibromyalgia"]
    assert rule.pointer == "/rules/0"
    assert rule.location.file.endswith("b_rules.json") and rule.location.line == 6
    assert rule.safety_relevant is True  # its caution
    assert repr(rule) == "<Rule z.fibro.sleep>"
    walking = mini.rules[1]
    assert walking.when is None
    assert walking.safety_relevant is False
    assert mini.rules[2].safety_relevant is True
    assert mini.rules[3].evidence is None


def test_concepts_by_kind(mini: knead.RuleSet) -> None:
    modalities = mini.concepts("modality")
    assert [c.id for c in modalities] == ["deep_tissue", "hot_stone", "massage", "swedish"]
    assert [c.id for c in mini.concepts("modalities")] == [c.id for c in modalities]
    swedish = modalities[3]
    assert swedish.kind == "modality"
    assert swedish.label == "Swedish massage"
    assert swedish.is_a == ["massage"]
    assert swedish.pressure == "medium"
    assert swedish.duration_min == 60
    assert swedish.description == ""
    assert swedish.location.line > 0
    assert repr(swedish) == "<Concept modality swedish>"
    fibro = next(c for c in mini.concepts("condition") if c.id == "fibromyalgia")
    assert fibro.codes == {"icd10cm": ["M79.7"]}
    assert fibro.pressure is None and fibro.duration_min is None
    walking = next(c for c in mini.concepts("self_care") if c.id == "walking")
    assert walking.instructions == "Walk 20 minutes a day."
    for kind in ("condition", "goal", "finding", "medication", "modality", "self_care", "region"):
        assert all(c.kind == kind for c in mini.concepts(kind))


def test_concepts_of_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown concept kind 'drug'"):
        knead.RuleSet.parse('{"ruleset": "x"}').concepts("drug")


def test_canonical_is_a_loadable_document(mini: knead.RuleSet) -> None:
    canonical = mini.canonical()
    assert canonical["ruleset"] == "mini"
    assert sorted(r["id"] for r in canonical["rules"]) == sorted(MINI_RULE_ORDER)
    assert knead.RuleSet.parse(json.dumps(canonical)).digest == mini.digest


def test_repr(mini: knead.RuleSet) -> None:
    assert repr(mini) == f"<RuleSet mini 2.0.1 (8 rules) {mini.digest[:19]}>"


def test_a_rule_set_cannot_be_built_directly() -> None:
    with pytest.raises(TypeError):
        knead.RuleSet()  # type: ignore[call-arg]


# ---- pickling and copying --------------------------------------------------------------------


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip_keeps_digest_order_and_results(mini: knead.RuleSet, protocol: int) -> None:
    clone = pickle.loads(pickle.dumps(mini, protocol=protocol))
    assert isinstance(clone, knead.RuleSet)
    assert clone.digest == mini.digest
    assert (clone.name, clone.version, len(clone)) == (mini.name, mini.version, len(mini))
    assert [r.id for r in clone.rules] == MINI_RULE_ORDER
    assert clone.default_goals == mini.default_goals
    for patient in MINI_PATIENTS:
        assert clone.recommend(patient).to_dict() == mini.recommend(patient).to_dict()


def test_pickle_of_the_default_rules(default_rules: knead.RuleSet) -> None:
    clone = pickle.loads(pickle.dumps(default_rules))
    assert clone.digest == default_rules.digest
    assert [r.id for r in clone.rules] == [r.id for r in default_rules.rules]
    patient = {"conditions": ["fibromyalgia"], "goals": ["improve_sleep_reduce_anxiety"]}
    assert clone.recommend(patient).to_dict() == default_rules.recommend(patient).to_dict()


def test_pickles_by_canonical_content_and_digest(mini: knead.RuleSet) -> None:
    rebuild, (fmt, name, digest, text) = mini.__reduce__()
    assert rebuild is knead._rule_set_from_pickle
    assert (fmt, name, digest) == (1, "mini", mini.digest)
    document = json.loads(text)
    assert [r["id"] for r in document["rules"]] == MINI_RULE_ORDER
    assert rebuild(fmt, name, digest, text).files == ["<pickled rule set>"]


def test_unpickling_checks_the_digest(mini: knead.RuleSet) -> None:
    rebuild, (fmt, name, digest, text) = mini.__reduce__()
    tampered = json.loads(text)
    tampered["rules"][0]["priority"] = 99
    with pytest.raises(knead.Error, match="digest") as info:
        rebuild(fmt, name, digest, json.dumps(tampered).encode())
    assert info.value.code == "python.pickle"


@pytest.mark.parametrize("fmt", [2, "1", None, 2**80, 1.0])
def test_unpickling_rejects_unknown_formats(mini: knead.RuleSet, fmt: object) -> None:
    rebuild, (_, name, digest, text) = mini.__reduce__()
    with pytest.raises(knead.Error, match="format"):
        rebuild(fmt, name, digest, text)


def test_unpickling_invalid_rules_raises_load_error(mini: knead.RuleSet) -> None:
    with pytest.raises(knead.LoadError):
        knead._core._rule_set_from_pickle(1, "mini", mini.digest, b'{"rules": 3}')


def test_copies_are_the_same_immutable_object(mini: knead.RuleSet) -> None:
    assert copy.copy(mini) is mini
    assert copy.deepcopy(mini) is mini
    assert copy.deepcopy([mini])[0] is mini


def _recommend_in_child(rules: knead.RuleSet, patients: list) -> list:
    return [rec.to_dict() for rec in rules.recommend_many(patients, threads=2)]


def test_a_pickled_rule_set_works_in_another_process(mini: knead.RuleSet) -> None:
    # "spawn" starts a fresh interpreter: the rule set can only get there by pickle.
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        remote = pool.apply(_recommend_in_child, (mini, MINI_PATIENTS))
    assert remote == [mini.recommend(p).to_dict() for p in MINI_PATIENTS]
