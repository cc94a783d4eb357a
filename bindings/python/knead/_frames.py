"""pandas in and out: patients from a DataFrame, results as a long DataFrame, error records.

``to_frame`` gives one row per patient and item (a recommended modality, an exclusion, a
self-care item, an avoided region, a referral, a caution, a warning, ...), with typed columns and
the rule set's provenance on every row, so that a batch can be filtered, grouped and audited.
``summary_frame`` gives one row per patient. A bad patient is an error record, the same one the
command line's batch mode writes: its position, a stable code and a one-line message.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from . import _core

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["to_frame", "error_record", "patients_from_frame"]

# Column name -> pandas dtype of the long frame.
FRAME_COLUMNS: dict[str, str] = {
    "index": "Int64",            # position of the patient in the batch
    "patient": "string",         # the patient's id
    "status": "string",          # ok, review, refer, error; "invalid" for a bad patient
    "review": "boolean",         # status is "review": a clinician looks before anyone acts
    "ruleset": "string",
    "ruleset_version": "string",
    "ruleset_digest": "string",
    "kind": "string",            # what the row is (see ITEM_KINDS, "none", "error")
    "rank": "Int64",             # position of the item within its kind, from 0
    "id": "string",              # the id (modality, region, ...), whom to refer to, the rule, fact or unread field
    "label": "string",
    "score": "Float64",
    "pressure": "string",        # a modality's pressure, or a caution's pressure_max
    "level": "string",           # contraindicated or caution
    "urgency": "string",
    "reason": "string",
    "because": "string",         # the rules behind the row, comma-separated
    "error_code": "string",      # a bad patient's error record
    "error_message": "string",
}

# Result key -> the row kind, in the order rows are written.
ITEM_KINDS = [
    ("modalities", "modality"),
    ("excluded", "excluded"),
    ("self_care", "self_care"),
    ("avoid_regions", "avoid_region"),
    ("referrals", "referral"),
    ("cautions", "caution"),
    ("warnings", "warning"),
    ("errors", "rule_error"),
    ("interpreted", "interpreted"),
    ("unresolved", "unresolved"),
    ("questions", "question"),
]


def error_record(error: BaseException, index: int | None = None) -> dict[str, Any]:
    """The record of a patient that could not be used: ``{"index", "error": {"code", "message"}}``.

    The same code and message as ``knead recommend --batch`` writes for that patient (which
    gives ``line`` in place of ``index``). ``index`` defaults to the exception's ``index``, which
    ``recommend_many`` sets.
    """
    if index is None:
        index = getattr(error, "index", None)
    code = getattr(error, "code", None)
    if not code:
        code = "patient.type" if isinstance(error, TypeError) else "internal"
    message = str(error)
    prefix = f"patients[{index}]: "
    if index is not None and message.startswith(prefix):
        message = message[len(prefix):]
    return {"index": index, "error": {"code": code, "message": " ".join(message.split())}}


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _rows(position: int, item: Any) -> list[dict[str, Any]]:
    if isinstance(item, BaseException):
        record = error_record(item, getattr(item, "index", None))
        return [{"index": position if record["index"] is None else record["index"], "status": "invalid",
                 "review": False, "kind": "error", "error_code": record["error"]["code"],
                 "error_message": record["error"]["message"]}]
    if isinstance(item, _core.Recommendation):
        item = item.to_dict()
    if not isinstance(item, Mapping):
        raise TypeError(f"expected a Recommendation, its to_dict() form or an exception, not {type(item).__name__}")
    if "error" in item and "status" not in item:  # an error record, as error_record gives
        error = item.get("error") or {}
        return [{"index": item.get("index", position), "status": "invalid", "review": False, "kind": "error",
                 "error_code": error.get("code"), "error_message": error.get("message")}]
    ruleset = item.get("ruleset") or {}
    common = {
        "index": position,
        "patient": item.get("patient") or None,
        "status": item.get("status"),
        "review": item.get("status") == "review",
        "ruleset": ruleset.get("name"),
        "ruleset_version": ruleset.get("version"),
        "ruleset_digest": ruleset.get("digest"),
    }
    rows = []
    for key, kind in ITEM_KINDS:
        for rank, entry in enumerate(item.get(key) or []):
            row = dict(common, kind=kind, rank=rank)
            if isinstance(entry, Mapping):
                row.update(
                    id=_text(entry.get("id", entry.get("to", entry.get("rule", entry.get("fact", entry.get("field", entry.get("input"))))))),
                    label=_text(entry.get("label")),
                    score=entry.get("score"),
                    pressure=_text(entry.get("pressure", entry.get("pressure_max"))),
                    level=_text(entry.get("level")),
                    urgency=_text(entry.get("urgency")),
                    reason=_text(entry.get("reason", entry.get("message", entry.get("question")))),
                    because=", ".join(entry.get("because") or []) or None,
                )
            else:
                row.update(reason=_text(entry))
            rows.append(row)
    if not rows:
        rows.append(dict(common, kind="none"))
    return rows


def to_frame(results: Iterable[Any]) -> "pandas.DataFrame":
    """A batch of results as a long pandas DataFrame: one row per patient and item.

    Each row is one thing said about one patient: ``kind`` is ``modality``, ``excluded``,
    ``self_care``, ``avoid_region``, ``referral``, ``caution``, ``warning``, ``rule_error``,
    ``interpreted``, ``unresolved`` or ``question``; a result with none of them has one row of
    kind ``none``, and a bad patient one row of kind ``error`` with ``error_code`` and
    ``error_message`` (the record ``knead recommend --batch`` writes). Every row carries the
    patient's position (``index``) and id, the ``status``, ``review`` and the rule set's name,
    version and digest. Columns are typed (pandas' nullable string, Int64, Float64, boolean).

    Args:
        results: Recommendation objects, their ``to_dict()`` forms, exceptions (as
            ``recommend_many(..., on_error="return")`` gives) or error records.

    Raises:
        ImportError: pandas is not installed.
        TypeError: an item is none of the above.
    """
    try:
        import pandas
    except ImportError as e:
        raise ImportError("knead.to_frame needs pandas (pip install pandas)") from e
    rows: list[dict[str, Any]] = []
    for position, item in enumerate(results):
        rows.extend(_rows(position, item))
    frame = pandas.DataFrame(rows, columns=list(FRAME_COLUMNS))
    return frame.astype(FRAME_COLUMNS)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:  # pandas.NA, pandas.NaT, numpy.nan
        import pandas

        return value is pandas.NA or value is pandas.NaT or (pandas.api.types.is_scalar(value) and bool(pandas.isna(value)))
    except (ImportError, TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as Python values."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # an int column holding NaN elsewhere is float in pandas
    return value


def patients_from_frame(frame: "pandas.DataFrame") -> list[dict[str, Any]]:
    """Patients from a DataFrame, one per row.

    A missing value (NaN, None, pandas.NA) means the field is absent, not an error. Dotted
    column names nest (``pain.intensity`` becomes ``{"pain": {"intensity": ...}}``, as
    ``pandas.json_normalize`` names them); cells may hold lists (``conditions``).
    """
    patients = []
    columns = [str(c) for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        patient: dict[str, Any] = {}
        for column, value in zip(columns, values):
            if _is_missing(value):
                continue
            target = patient
            *parents, leaf = column.split(".")
            for part in parents:
                target = target.setdefault(part, {})
                if not isinstance(target, dict):
                    raise ValueError(f"column {column!r}: '{part}' is both a value and a group of columns")
            target[leaf] = _plain(value)
        patients.append(patient)
    return patients


def _is_frame(value: Any) -> bool:
    module = type(value).__module__
    return module.startswith("pandas") and type(value).__name__ == "DataFrame"


_core_recommend_many = _core.RuleSet.recommend_many


def recommend_many(
    self: _core.RuleSet,
    patients: Sequence[Any] | "pandas.DataFrame",
    threads: int = 0,
    *,
    explain: bool = False,
    strict: bool = False,
    on_error: str = "raise",
) -> Any:
    if _is_frame(patients):
        patients = patients_from_frame(patients)  # type: ignore[arg-type]
    return _core_recommend_many(  # type: ignore[call-overload]
        self, patients, threads, explain=explain, strict=strict, on_error=on_error
    )


recommend_many.__doc__ = (_core_recommend_many.__doc__ or "").split("\n\n", 1)[-1] + (
    "\n\n    A pandas DataFrame is read one patient per row: NaN means the field is absent, and dotted"
    "\n    column names nest (see knead.patients_from_frame)."
)
setattr(_core.RuleSet, "recommend_many", recommend_many)
