"""knead's exceptions (bind_errors.cpp): the hierarchy, their attributes, and the translation of
every C++ exception the core can throw."""

from __future__ import annotations

import pickle

import pytest

import knead
from knead import _core

SUBCLASSES = [knead.LoadError, knead.ParseError, knead.PatientError, knead.LogicError]


def test_the_hierarchy() -> None:
    assert issubclass(knead.Error, Exception)
    assert not issubclass(knead.Error, (RuntimeError, ValueError, TypeError))
    for cls in SUBCLASSES:
        assert issubclass(cls, knead.Error), cls
        assert cls.__module__ == "knead._core"
        assert cls.__doc__
    assert knead.logic.LogicError is knead.LogicError


def test_class_defaults_let_python_code_raise_them() -> None:
    with pytest.raises(knead.Error) as info:
        raise knead.PatientError("raised from Python")
    e = info.value
    assert (e.code, e.index, e.field) == (None, None, None)
    assert list(knead.LoadError("x").diagnostics) == []
    assert knead.ParseError("x").diagnostic is None
    logic_error = knead.LogicError("x")
    assert (logic_error.type, logic_error.value, logic_error.kind, logic_error.pointer) == (None, None, None, "")


def test_a_knead_error() -> None:
    with pytest.raises(knead.Error, match="^a knead error$") as info:
        _core._raise_for_test("error")
    assert type(info.value) is knead.Error
    assert info.value.code == "test.error"


def test_load_error_carries_every_diagnostic() -> None:
    with pytest.raises(knead.LoadError) as info:
        _core._raise_for_test("load")
    e = info.value
    assert e.code == "check.type"
    assert isinstance(e.diagnostics, knead.DiagnosticList)
    assert [str(d) for d in e.diagnostics] == ["f.json:3:5: error: 'x' must be a string [/rules/0/x]"] * 2


def test_parse_error_carries_its_diagnostic() -> None:
    with pytest.raises(knead.ParseError) as info:
        _core._raise_for_test("parse")
    e = info.value
    assert e.code == "check.type"
    assert (e.diagnostic.file, e.diagnostic.line, e.diagnostic.column) == ("f.json", 3, 5)
    assert [d.code for d in e.diagnostics] == ["check.type"]


def test_patient_error_names_the_field() -> None:
    with pytest.raises(knead.PatientError, match="out of range") as info:
        _core._raise_for_test("patient")
    assert (info.value.code, info.value.field) == ("patient.range", "pain.intensity")


def test_logic_error_carries_the_jsonlogic_error_value() -> None:
    with pytest.raises(knead.LogicError) as info:
        _core._raise_for_test("logic")
    e = info.value
    assert e.code == "logic.thrown"
    assert e.type == "Custom"
    assert e.value == {"type": "Custom", "detail": 1}
    assert e.kind == "thrown"
    assert e.pointer == "/x"
    with pytest.raises(knead.LogicError) as info:
        _core._raise_for_test("logic_value")
    assert (info.value.type, info.value.value, info.value.pointer) == (None, 42, "")


@pytest.mark.parametrize(("kind", "message"), [("std", "a standard exception"), ("out_of_range", "an index")])
def test_other_standard_exceptions_become_knead_errors(kind: str, message: str) -> None:
    with pytest.raises(knead.Error, match=message) as info:
        _core._raise_for_test(kind)
    assert type(info.value) is knead.Error
    assert info.value.code == "internal"


def test_out_of_memory_is_memory_error() -> None:
    with pytest.raises(MemoryError):
        _core._raise_for_test("bad_alloc")


def test_a_failed_conversion_in_the_glue_is_type_error() -> None:
    with pytest.raises(TypeError, match="cannot convert"):
        _core._raise_for_test("cast")


def test_pybind11s_own_errors_pass_through() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        _core._raise_for_test("nothing")


def test_errors_pickle_with_their_attributes() -> None:
    with pytest.raises(knead.LoadError) as info:
        _core._raise_for_test("load")
    clone = pickle.loads(pickle.dumps(info.value))
    assert type(clone) is knead.LoadError
    assert str(clone) == str(info.value)
    assert clone.code == "check.type"
    assert [str(d) for d in clone.diagnostics] == [str(d) for d in info.value.diagnostics]
    with pytest.raises(knead.LogicError) as logic_info:
        _core._raise_for_test("logic")
    logic_clone = pickle.loads(pickle.dumps(logic_info.value))
    assert (logic_clone.type, logic_clone.value) == ("Custom", {"type": "Custom", "detail": 1})
