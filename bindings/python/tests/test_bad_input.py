"""The C++ suite's bad-input fixtures (tests/bad_input/, one per diagnostic code), run from Python:
the same code, location, pointer and message reach Python users."""
import json
import pathlib

import pytest

import knead

SOURCE = pathlib.Path(__file__).resolve().parents[3]
BAD_INPUT = SOURCE / "tests" / "bad_input"
EXPECTED = json.loads((BAD_INPUT / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_fixture_gives_its_code_at_its_location(expected: dict) -> None:
    errors = [d for d in knead.validate(str(BAD_INPUT / expected["file"])) if d.is_error]
    assert errors, expected["file"]
    first = errors[0]
    assert first.code == expected["code"]
    assert (first.line, first.column) == (expected["line"], expected["column"])
    assert first.pointer == expected["pointer"]
    assert expected["message"] in first.message


@pytest.mark.parametrize("expected", [e for e in EXPECTED if e["code"].startswith("check.")][:3],
                         ids=lambda e: e["file"])
def test_loading_a_fixture_raises_load_error_with_its_code(expected: dict) -> None:
    with pytest.raises(knead.LoadError) as raised:
        knead.RuleSet.load(str(BAD_INPUT / expected["file"]))
    assert raised.value.code == expected["code"]
    assert raised.value.diagnostics[0].code == expected["code"]
