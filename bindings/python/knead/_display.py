"""Notebook display of knead's results and diagnostics, and batch results as a DataFrame.

Jupyter calls ``_repr_html_`` to show an object; the classes of ``knead._core`` get theirs here,
and the lists the core returns are the list subclasses below, so that ``rules.recommend_many(...)``
or ``knead.validate(...)`` as the last line of a cell shows a table. pandas is imported only when
``to_frame`` is called.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Iterable, List, Mapping

from . import _core

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["ResultList", "DiagnosticList", "summary_frame"]

#: Rows shown before a table is cut short (the rest are counted).
MAX_ROWS = 50

_STATUS_COLOURS = {"ok": "#1a7f37", "review": "#9a6700", "refer": "#b35900", "error": "#cf222e", "invalid": "#cf222e"}
_SEVERITY_COLOURS = {"error": "#cf222e", "warning": "#9a6700", "note": "#57606a"}

_TABLE_STYLE = "border-collapse:collapse;font-size:0.9em;margin:0.3em 0"
_CELL_STYLE = "border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _badge(text: str, colour: str) -> str:
    return (
        f'<span style="background:{colour};color:white;border-radius:3px;padding:0 5px;'
        f'font-weight:bold">{_e(text)}</span>'
    )


def _table(headers: list[str], rows: Iterable[list[str]], total: int | None = None) -> str:
    """An HTML table; cells are HTML already (escape them before)."""
    head = "".join(f'<th style="{_CELL_STYLE}">{_e(h)}</th>' for h in headers)
    body = []
    shown = 0
    for row in rows:
        if shown == MAX_ROWS:
            break
        body.append("<tr>" + "".join(f'<td style="{_CELL_STYLE}">{cell}</td>' for cell in row) + "</tr>")
        shown += 1
    more = ""
    if total is not None and total > shown:
        more = f"<p><i>... and {total - shown} more</i></p>"
    return f'<table style="{_TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{more}'


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(_e(i) for i in ids)


# ---- one recommendation -------------------------------------------------------------------


def recommendation_html(rec: _core.Recommendation) -> str:
    """The HTML a notebook shows for a Recommendation."""
    status = rec.status
    parts = [
        "<div>",
        f"<b>Patient {_e(rec.patient or '(no id)')}</b> &nbsp; "
        f"{_badge(status, _STATUS_COLOURS.get(status, '#57606a'))} &nbsp; "
        f"<small>rules {_e(rec.ruleset['name'])} {_e(rec.ruleset['version'])}</small>",
    ]
    if rec.unresolved:
        parts.append("<div><b>Could not read</b> (review before treatment)</div>")
        parts.append(
            _table(
                ["field", "input", "problem", "nearest"],
                ([_e(u.field), _e(u.input), _e(u.message), _e(u.nearest)] for u in rec.unresolved),
            )
        )
    if rec.questions:
        parts.append("<div><b>Ask</b></div>")
        parts.append(_table(["question", "because"], ([_e(q.question), _ids(q.because)] for q in rec.questions)))
    if rec.referrals:
        parts.append("<div><b>Refer</b></div>")
        parts.append(
            _table(
                ["to", "urgency", "reason", "because"],
                ([_e(r.to), _e(r.urgency), _e(r.reason), _ids(r.because)] for r in rec.referrals),
            )
        )
    if rec.modalities:
        parts.append("<div><b>Suggested massage, best first</b></div>")
        parts.append(
            _table(
                ["#", "modality", "pressure", "score", "cautions", "because"],
                (
                    [
                        str(n),
                        f"{_e(m.label)} <small>({_e(m.id)})</small>",
                        _e(m.pressure),
                        _e(f"{m.score:g}"),
                        "<br>".join(_e(c.reason) for c in m.cautions),
                        _ids(m.because),
                    ]
                    for n, m in enumerate(rec.modalities, start=1)
                ),
            )
        )
    elif status in ("ok", "review"):
        parts.append("<div><i>No massage modality is suggested.</i></div>")
    if rec.excluded:
        parts.append("<div><b>Do not use</b></div>")
        parts.append(
            _table(
                ["modality", "reason", "because"],
                ([_e(x.id), _e(x.reason), _ids(x.because)] for x in rec.excluded),
            )
        )
    if rec.avoid_regions:
        parts.append("<div><b>Areas to avoid</b></div>")
        parts.append(
            _table(
                ["region", "level", "reason", "because"],
                ([_e(a.id), _e(a.level), _e(a.reason), _ids(a.because)] for a in rec.avoid_regions),
            )
        )
    if rec.self_care:
        parts.append("<div><b>Self-care</b></div>")
        parts.append(
            _table(
                ["item", "instructions", "because"],
                ([_e(s.label or s.id), _e(s.instructions), _ids(s.because)] for s in rec.self_care),
            )
        )
    if rec.plan is not None:
        p = rec.plan
        parts.append(
            f"<div><b>Plan</b>: {_e(p.duration_min)} min, {_e(p.sessions_per_week)} a week, "
            f"for {_e(p.weeks)} weeks</div>"
        )
    if rec.warnings or rec.errors:
        items = [_e(w) for w in rec.warnings] + [f"rule {_e(e.rule)} failed: {_e(e.message)}" for e in rec.errors]
        parts.append("<div><b>Warnings</b><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>")
    parts.append("</div>")
    return "".join(parts)


# ---- lists ---------------------------------------------------------------------------------


def _summary_row(item: Any) -> dict[str, Any]:
    """One row of a batch: from a Recommendation, its ``to_dict()`` form, or an exception."""
    if isinstance(item, BaseException):
        return {
            "id": None,
            "status": "invalid",
            "top_modality": None,
            "pressure": None,
            "modalities": [],
            "excluded": [],
            "self_care": [],
            "avoid_regions": [],
            "referrals": [],
            "warnings": [],
            "unresolved": [],
            "questions": [],
            "fired": [],
            "error": f"{type(item).__name__}: {item}",
        }
    if isinstance(item, _core.Recommendation):
        item = item.to_dict()
    if not isinstance(item, Mapping):
        raise TypeError(
            f"expected a Recommendation, its to_dict() form or an exception, not {type(item).__name__}"
        )
    modalities = item.get("modalities") or []
    top = modalities[0] if modalities else None
    return {
        "id": item.get("patient") or None,
        "status": item.get("status"),
        "top_modality": top["id"] if top else None,
        "pressure": top["pressure"] if top else None,
        "modalities": [m["id"] for m in modalities],
        "excluded": [x["id"] for x in item.get("excluded") or []],
        "self_care": [s["id"] for s in item.get("self_care") or []],
        "avoid_regions": [a["id"] for a in item.get("avoid_regions") or []],
        "referrals": [f"{r['to']}:{r['urgency']}" for r in item.get("referrals") or []],
        "warnings": list(item.get("warnings") or []),
        "unresolved": [u["field"] for u in item.get("unresolved") or []],
        "questions": [q["fact"] for q in item.get("questions") or []],
        "fired": list(item.get("fired") or []),
        "error": None,
    }


_FRAME_COLUMNS = [
    "id",
    "status",
    "top_modality",
    "pressure",
    "modalities",
    "excluded",
    "self_care",
    "avoid_regions",
    "referrals",
    "warnings",
    "unresolved",
    "questions",
    "fired",
    "error",
]


def summary_frame(results: Iterable[Any]) -> "pandas.DataFrame":
    """A batch of results as a pandas DataFrame, one row per patient (``to_frame`` gives one
    row per patient and item).

    Columns: ``id``, ``status``, ``top_modality``, ``pressure`` (of the top modality),
    ``modalities``, ``excluded``, ``self_care``, ``avoid_regions`` (lists of ids), ``referrals``
    (``"to:urgency"``), ``warnings``, ``unresolved`` (fields that could not be read),
    ``questions`` (facts to ask for), ``fired`` and ``error`` (for an exception in the batch, as
    ``recommend_many(..., on_error="return")`` gives; its status is ``"invalid"``).

    Args:
        results: Recommendation objects, their ``to_dict()`` forms, or exceptions.

    Raises:
        ImportError: pandas is not installed.
        TypeError: an item is none of the above.
    """
    try:
        import pandas
    except ImportError as e:
        raise ImportError("knead.summary_frame needs pandas (pip install pandas)") from e
    rows = [_summary_row(item) for item in results]
    return pandas.DataFrame(rows, columns=_FRAME_COLUMNS)


class ResultList(List[Any]):
    """A list of results (what ``RuleSet.recommend_many`` returns) that shows as a table."""

    def to_frame(self) -> "pandas.DataFrame":
        """The batch as a long pandas DataFrame, one row per patient and item (see :func:`knead.to_frame`)."""
        from ._frames import to_frame

        return to_frame(self)

    def summary_frame(self) -> "pandas.DataFrame":
        """The batch as a pandas DataFrame, one row per patient (see :func:`knead.summary_frame`)."""
        return summary_frame(self)

    def _repr_html_(self) -> str:
        rows = []
        counts: dict[str, int] = {}
        for item in self:
            try:
                row = _summary_row(item)
            except TypeError:
                row = {"id": None, "status": "?", "error": repr(item)}
            counts[row["status"]] = counts.get(row["status"], 0) + 1
            rows.append(row)
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        header = f"<div><b>{len(self)} results</b>{': ' + _e(summary) if summary else ''}</div>"
        return header + _table(
            ["#", "patient", "status", "top modality", "pressure", "modalities", "referrals", "error"],
            (
                [
                    str(i),
                    _e(r.get("id") or ""),
                    _badge(r["status"], _STATUS_COLOURS.get(r["status"], "#57606a")),
                    _e(r.get("top_modality") or ""),
                    _e(r.get("pressure") or ""),
                    _ids(r.get("modalities") or []),
                    _ids(r.get("referrals") or []),
                    _e(r.get("error") or ""),
                ]
                for i, r in enumerate(rows)
            ),
            total=len(rows),
        )


def diagnostics_html(diagnostics: Iterable[_core.Diagnostic]) -> str:
    """The HTML a notebook shows for a list of diagnostics."""
    items = list(diagnostics)
    if not items:
        return "<div><i>No problems found.</i></div>"
    errors = sum(1 for d in items if d.severity == "error")
    header = f"<div><b>{errors} error(s), {len(items) - errors} other(s)</b></div>"
    return header + _table(
        ["severity", "code", "where", "message", "pointer"],
        (
            [
                _badge(d.severity, _SEVERITY_COLOURS.get(d.severity, "#57606a")),
                _e(d.code),
                _e(d.location),
                _e(d.message) + "".join(f"<br><small>{_e(n)}</small>" for n in d.notes),
                f"<code>{_e(d.pointer)}</code>",
            ]
            for d in items
        ),
        total=len(items),
    )


class DiagnosticList(List[_core.Diagnostic]):
    """A list of Diagnostic (what ``validate`` and ``lint`` return) that shows as a table."""

    @property
    def errors(self) -> list[_core.Diagnostic]:
        """The diagnostics of severity ``"error"``."""
        return [d for d in self if d.severity == "error"]

    def _repr_html_(self) -> str:
        return diagnostics_html(self)


def diagnostic_html(diagnostic: _core.Diagnostic) -> str:
    """The HTML a notebook shows for one Diagnostic."""
    return diagnostics_html([diagnostic])


def case_report_html(report: _core.CaseReport) -> str:
    """The HTML a notebook shows for a CaseReport."""
    colour = _STATUS_COLOURS["ok" if report.ok else "error"]
    parts = [f"<div>{_badge(f'{report.passed} passed, {report.failed} failed', colour)}</div>"]
    failing = [r for r in report.results if not r.passed]
    if failing:
        parts.append(
            _table(
                ["case", "where", "what failed"],
                (
                    [
                        _e(r.name),
                        _e(r.location),
                        "<br>".join(_e(f) for f in r.failures) + (_e(r.error) if r.error else ""),
                    ]
                    for r in failing
                ),
                total=len(failing),
            )
        )
    if report.unfired_rules:
        parts.append(f"<div><b>Rules no case fired</b>: {_ids(report.unfired_rules)}</div>")
    if report.diagnostics:
        parts.append(diagnostics_html(report.diagnostics))
    return "".join(parts)


def rule_set_html(rules: _core.RuleSet) -> str:
    """The HTML a notebook shows for a RuleSet: its identity and its rules."""
    header = (
        f"<div><b>{_e(rules.name)}</b> {_e(rules.version)} &nbsp; <small>{len(rules)} rules, "
        f"<code>{_e(rules.digest)}</code></small></div>"
    )
    return header + _table(
        ["rule", "title", "priority", "evidence"],
        (
            [_e(r.id), _e(r.title), _e(r.priority), _e(r.evidence["grade"] if r.evidence else "")]
            for r in rules.rules
        ),
        total=len(rules),
    )


# The core's classes display through the functions above.
_core.Recommendation._repr_html_ = recommendation_html  # type: ignore[attr-defined]
_core.Diagnostic._repr_html_ = diagnostic_html  # type: ignore[attr-defined]
_core.CaseReport._repr_html_ = case_report_html  # type: ignore[attr-defined]
_core.RuleSet._repr_html_ = rule_set_html  # type: ignore[attr-defined]
