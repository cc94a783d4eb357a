"""Python objects to JSON and back (convert.hpp): what is accepted, and hostile input that must
raise a clean exception rather than crash the interpreter."""

from __future__ import annotations

import collections
import json
import sys
import types

import pytest

import knead
from conftest import nest

apply = knead.logic.apply


# ---- accepted values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -1,
        2**63 - 1,
        -(2**63),
        2**64 - 1,
        1.5,
        -0.0,
        1e308,
        "",
        "naïve ☕ 𝄞",
        [],
        {},
        [1, [2, [3, {"a": None}]]],
        {"nested": {"list": [True, "x", 2.25]}},
    ],
)
def test_values_round_trip(value: object) -> None:
    out = apply({"var": "v"}, {"v": value})
    assert out == value
    assert type(out) is type(value)


def test_tuples_become_lists_and_mappings_objects() -> None:
    assert apply({"var": "v"}, {"v": (1, (2, 3))}) == [1, [2, 3]]
    proxy = types.MappingProxyType({"a": 1})
    assert apply({"var": "v"}, {"v": proxy}) == {"a": 1}
    assert apply({"var": "v"}, collections.OrderedDict(v=collections.Counter(x=2))) == {"x": 2}


def test_bool_stays_bool_and_int_subclasses_are_ints() -> None:
    import enum

    class Level(enum.IntEnum):
        HIGH = 3

    assert apply({"var": "v"}, {"v": Level.HIGH}) == 3
    assert apply({"===": [{"var": "v"}, True]}, {"v": True}) is True
    assert apply({"===": [{"var": "v"}, 1]}, {"v": True}) is False


def test_int_like_objects_with_index() -> None:
    class Index:
        def __index__(self) -> int:
            return 7

    assert apply({"var": "v"}, {"v": Index()}) == 7
    numpy = pytest.importorskip("numpy")
    assert apply({"+": [{"var": "a"}, {"var": "b"}]}, {"a": numpy.int64(2), "b": numpy.float64(0.5)}) == 2.5


def test_dict_key_order_is_kept_on_output(mini: knead.RuleSet) -> None:
    keys = list(mini.recommend({}).to_dict())
    assert keys[:3] == ["patient", "ruleset", "status"]


# ---- refused values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (b"bytes", TypeError, "bytes are not JSON"),
        (bytearray(b"x"), TypeError, "bytes are not JSON"),
        ({1, 2}, TypeError, "object of type set is not JSON serializable"),
        (object(), TypeError, "object of type object is not JSON serializable"),
        (1 + 2j, TypeError, "complex"),
        ({1: "a"}, TypeError, "keys must be str, not int"),
        ({("a",): 1}, TypeError, "keys must be str, not tuple"),
        (float("nan"), ValueError, "NaN and infinities are not allowed"),
        (float("inf"), ValueError, "not a JSON number"),
        (-float("inf"), ValueError, "not a JSON number"),
        (2**64, ValueError, "does not fit in 64 bits"),
        (-(2**63) - 1, ValueError, "does not fit in 64 bits"),
        (10**400, ValueError, "does not fit in 64 bits"),
    ],
)
def test_values_that_are_not_json(value: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        apply({"var": "v"}, {"v": value})


def test_errors_name_where_the_value_stood(mini: knead.RuleSet) -> None:
    with pytest.raises(knead.PatientError, match=r'^patient\["pain"\]\["intensity"\]: nan'):
        mini.recommend({"pain": {"intensity": float("nan")}})
    with pytest.raises(knead.PatientError, match=r'^patient\["findings"\]\[1\]\["sites"\]: object of type set'):
        mini.recommend({"findings": ["x", {"id": "y", "sites": {"knee"}}]})
    with pytest.raises(TypeError, match=r'^data\["a\\"b"\]: bytes'):
        apply({"var": "x"}, {'a"b': b""})


def test_lone_surrogates_are_a_unicode_error() -> None:
    with pytest.raises(UnicodeEncodeError):
        apply({"var": "v"}, {"v": "\udc80"})
    with pytest.raises(UnicodeEncodeError):
        apply({"var": "v"}, {"\udc80": 1})


def test_nesting_up_to_the_patient_limit_is_accepted(mini: knead.RuleSet) -> None:
    # 128 levels in all, as for JSON text: the patient object is the first.
    deep = {"clinic": nest(127)}
    assert mini.recommend(deep).status == "ok"
    assert mini.recommend(json.dumps(deep)).status == "ok"


def test_deeper_patients_raise_cleanly(mini: knead.RuleSet) -> None:
    deep = {"clinic": nest(128)}
    # The path keeps its first six and last eight steps.
    where = r'^patient\["clinic"\](\[0\]){5}\.\.\.(\[0\]){8}: '
    with pytest.raises(knead.PatientError, match=where + "nesting deeper than the limit of 128 levels"):
        mini.recommend(deep)
    with pytest.raises(knead.ParseError) as info:
        mini.recommend(json.dumps(deep))
    assert info.value.code == "limit.depth"


def test_hostile_nesting_never_crashes(mini: knead.RuleSet) -> None:
    very_deep = nest(100_000)
    with pytest.raises(knead.PatientError, match="nesting deeper"):
        mini.recommend({"clinic": very_deep})
    with pytest.raises(ValueError, match="nesting deeper"):
        apply(very_deep, None)
    with pytest.raises(ValueError, match="nesting deeper"):
        apply({"var": "x"}, very_deep)
    with pytest.raises(knead.ParseError):
        mini.recommend("[" * 100_000 + "]" * 100_000)
    with pytest.raises(knead.LoadError):
        knead.RuleSet.parse("[" * 100_000 + "]" * 100_000)


def test_self_referencing_containers_are_refused(mini: knead.RuleSet) -> None:
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        apply({"var": "v"}, {"v": loop})
    cyclic: dict = {}
    cyclic["self"] = cyclic
    with pytest.raises(knead.PatientError, match="nesting deeper"):
        mini.recommend(cyclic)


def test_a_list_mutated_during_conversion_is_safe() -> None:
    items: list = []

    class Shrinks:
        def __index__(self) -> int:
            items.clear()
            return 1

    items.extend([Shrinks(), 2, 3])
    # The list empties itself while converted: the conversion stops at its new end.
    assert apply({"var": "v"}, {"v": items}) == [1]


def test_a_dict_mutated_during_conversion_is_safe() -> None:
    data: dict = {}

    class Clears:
        def __index__(self) -> int:
            data.clear()  # frees the other values while the conversion walks the dict
            return 1

    data.update(a=Clears(), b=["x" * 100], c={"d": 2})
    converted = apply({"var": ""}, data)
    # Whatever was converted before the dict emptied itself is kept; nothing freed is read.
    assert converted["a"] == 1 and set(converted) <= {"a", "b", "c"}


def test_a_broken_mapping_propagates_its_error() -> None:
    class Broken(collections.abc.Mapping):
        def __getitem__(self, key: str) -> int:
            raise KeyError(key)

        def __iter__(self):  # type: ignore[no-untyped-def]
            raise RuntimeError("cannot iterate")

        def __len__(self) -> int:
            return 1

    with pytest.raises(RuntimeError, match="cannot iterate"):
        apply({"var": "v"}, {"v": Broken()})


def test_a_mapping_whose_items_are_not_pairs() -> None:
    class Odd(collections.abc.Mapping):
        def __getitem__(self, key: str) -> int:
            return 1

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(["a"])

        def __len__(self) -> int:
            return 1

        def items(self):  # type: ignore[no-untyped-def,override]
            return [("a", 1, 2)]

    with pytest.raises(TypeError, match=r"must yield \(key, value\) pairs"):
        apply({"var": "v"}, {"v": Odd()})


def test_huge_documents_still_convert() -> None:
    big = {"xs": list(range(200_000)), "s": "x" * 1_000_000}
    assert apply({"var": "s"}, big) == big["s"]
    assert sys.getrefcount(big) >= 2


def test_patient_conversion_failures_are_patient_errors(mini: knead.RuleSet) -> None:
    for patient, code in [({"age": float("nan")}, "patient.value"), ({"pain": b"x"}, "patient.type"),
                          ({"id": "\udc80"}, "patient.value"), ({1: "a"}, "patient.type")]:
        with pytest.raises(knead.PatientError) as info:
            mini.recommend(patient)
        assert info.value.code == code
        assert isinstance(info.value, knead.Error)
        assert not isinstance(info.value, (ValueError, TypeError))
