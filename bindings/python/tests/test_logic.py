"""knead.logic (bind_logic.cpp, knead/logic.py): JsonLogic on its own, checked against the shared
conformance suites through the Python conversions."""

from __future__ import annotations

import json
import math
import os
import pathlib
from typing import Any, Iterator

import pytest

import knead
from knead import logic
from conftest import SOURCE_DIR

CONFORMANCE = pathlib.Path(
    os.environ.get("KNEAD_CONFORMANCE_DIR", SOURCE_DIR.parent / "shared" / "conformance" / "jsonlogic")
)


def test_apply_the_spec_example() -> None:
    assert knead.logic.apply({"+": [1, 2]}, None) == 3
    assert logic.apply({"+": [1, 2]}) == 3


def test_apply_reads_data() -> None:
    data = {"pain": {"intensity": 7}, "conditions": ["fibromyalgia"]}
    assert logic.apply({">=": [{"var": "pain.intensity"}, 7]}, data) is True
    assert logic.apply({"in": ["fibromyalgia", {"var": "conditions"}]}, data) is True
    assert logic.apply({"cat": ["a", {"var": "missing"}, 1.5]}, data) == "a1.5"
    assert logic.apply({"map": [[1, 2], {"*": [{"var": ""}, 2]}]}) == [2, 4]


def test_a_rule_that_is_a_plain_value_is_itself() -> None:
    assert logic.apply("fibromyalgia") == "fibromyalgia"
    assert logic.apply([1, {"+": [1, 1]}]) == [1, 2]


@pytest.mark.parametrize(
    ("rule", "error_type", "kind", "code"),
    [
        ({"/": [1, 0]}, "NaN", "nan", "logic.nan"),
        ({"+": ["abc", 1]}, "NaN", "nan", "logic.nan"),
        ({"throw": "Oops"}, "Oops", "thrown", "logic.thrown"),
        ({"no_such_op": [1]}, None, "unknown_operator", "logic.unknown_operator"),
    ],
)
def test_errors_raise_logic_error(rule: Any, error_type: str | None, kind: str, code: str) -> None:
    with pytest.raises(knead.LogicError) as info:
        logic.apply(rule, None)
    e = info.value
    assert isinstance(e, knead.Error)
    assert (e.kind, e.code) == (kind, code)
    if error_type is not None:
        assert e.type == error_type
        assert e.value == {"type": error_type}


def test_unknown_operators_suggest_the_nearest() -> None:
    with pytest.raises(knead.LogicError, match="did you mean 'substr'"):
        logic.apply({"subtsr": ["abc", 1]})


def test_a_thrown_non_string_is_the_value() -> None:
    with pytest.raises(knead.LogicError) as info:
        logic.apply({"throw": 42})
    assert info.value.type is None
    assert info.value.value == 42


def test_try_catches() -> None:
    assert logic.apply({"try": [{"throw": "Oops"}, {"val": "type"}]}) == "Oops"


def test_limits_raise_logic_error() -> None:
    deep: Any = 1
    for _ in range(200):
        deep = {"!": [deep]}
    with pytest.raises(knead.LogicError) as info:
        logic.apply(deep)
    assert (info.value.kind, info.value.code) == ("limit", "limit.depth")


def test_evaluation_is_bounded() -> None:
    big = "x" * (9 * 1024 * 1024)
    with pytest.raises(knead.LogicError) as info:
        logic.apply({"cat": [{"var": "s"}, {"var": "s"}]}, {"s": big})
    assert (info.value.kind, info.value.code) == ("limit", "limit.size")


def test_program_compiles_once_and_evaluates_many_times() -> None:
    program = logic.Program({"<": [1, {"var": "x"}, 10]})
    assert program.test({"x": 5}) is True
    assert program.test({"x": 50}) is False
    assert program.evaluate({"x": 5}) is True
    assert logic.Program({"var": "x"}).evaluate() is None
    assert logic.Program({"+": [1, 2]}).test() is True
    assert repr(program) == "<knead.logic.Program>"


def test_program_errors() -> None:
    with pytest.raises(knead.LogicError) as info:
        logic.Program({"nope": []})
    assert info.value.kind == "unknown_operator"
    program = logic.Program({"/": [{"var": "x"}, 0]})
    with pytest.raises(knead.LogicError):
        program.evaluate({"x": 1})
    with pytest.raises(TypeError):
        program.evaluate({"x": b"1"})
    with pytest.raises(TypeError):
        logic.Program({"var": {1, 2}})


def test_logic_module_exports() -> None:
    assert logic.__all__ == ["apply", "Program", "LogicError"]
    assert logic.Program is knead._core.logic.Program


# ---- the shared conformance suites -------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value (3 == 3.0), but booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _cases() -> Iterator[Any]:
    index = CONFORMANCE / "index.json"
    if not index.exists():
        return
    for name in json.loads(index.read_text(encoding="utf-8")):
        suite = json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))
        for number, case in enumerate(suite):
            if isinstance(case, dict):
                yield pytest.param(case, id=f"{name}#{number}")


CASES = list(_cases())


@pytest.mark.skipif(not CASES, reason=f"no conformance suites at {CONFORMANCE}")
def test_the_conformance_suites_are_there() -> None:
    assert len(CASES) > 500


@pytest.mark.parametrize("case", CASES)
def test_conformance(case: dict[str, Any]) -> None:
    data = case.get("data")
    if "error" in case:
        with pytest.raises(knead.LogicError) as info:
            logic.apply(case["rule"], data)
        assert _same(info.value.value, case["error"]), info.value.value
    else:
        result = logic.apply(case["rule"], data)
        assert _same(result, case["result"]), (case.get("description"), result)
        assert logic.Program(case["rule"]).test(data) == _truthy(result)


def _truthy(value: Any) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, (list, str)):
        return len(value) > 0
    if isinstance(value, dict):
        return True
    return bool(value)
