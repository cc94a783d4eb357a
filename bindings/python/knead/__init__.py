"""knead: treatment recommendations for massage therapy and chronic-pain care.

A rules engine that maps a patient's conditions, goals and safety findings to massage
modalities, self-care and referrals, and says why::

    import knead
    rules = knead.default_rules()                  # or knead.RuleSet("rules/")
    rec = rules.recommend({"conditions": ["fibromyalgia"],
                           "goals": ["improve_sleep_reduce_anxiety"]})
    rec.status, rec.modalities[0].id, rec.to_dict(), rec.explain()
    results = rules.recommend_many(patients, threads=0)   # C++ threads, GIL released
    knead.to_frame(results)                        # pandas: one row per patient and item
    knead.validate("rules/")                       # a DiagnosticList
    knead.logic.apply({"+": [1, 2]}, None)         # 3

Decision support for trained therapists, not a substitute for clinical judgement.
"""

from __future__ import annotations

import enum
import os
from typing import Sequence, Union

from . import _core
from . import _signatures

_signatures.attach(_core)  # before the names below are taken from _core

from . import logic  # noqa: E402
from ._core import (  # noqa: E402
    AvoidedRegion,
    CaseFailure,
    CaseReport,
    CaseResult,
    Caution,
    Concept,
    Diagnostic,
    Error,
    ExcludedItem,
    LoadError,
    LogicError,
    ParseError,
    Patient,
    PatientError,
    Plan,
    Recommendation,
    RecommendedModality,
    RecommendedSelfCare,
    Referral,
    Rule,
    RuleError,
    RuleSet,
    RuleTrace,
    SourceLocation,
    __version__,
    diagnostic_codes,
    formats,
    lint,
    operators,
    run_case,
    validate,
)
from ._core import Interpreted, Question, Unresolved
from ._display import DiagnosticList, ResultList, summary_frame
from ._frames import error_record, patients_from_frame, to_frame


class Status(str, enum.Enum):
    """A result's status, strongest first: error, refer, review, ok.

    ``Recommendation.status`` is the plain string, equal to a member: ``rec.status == Status.review``.
    """

    ok = "ok"
    #: Part of the record could not be read (``Recommendation.unresolved``): the recommendation
    #: stands, every modality capped, for a clinician to review before treatment.
    review = "review"
    refer = "refer"
    error = "error"

    def __str__(self) -> str:
        return self.value

__all__ = [
    # loading and recommending
    "RuleSet",
    "Patient",
    "default_rules",
    "default_rules_path",
    "Recommendation",
    "Status",
    "Interpreted",
    "Unresolved",
    "Question",
    "RecommendedModality",
    "ExcludedItem",
    "RecommendedSelfCare",
    "AvoidedRegion",
    "Caution",
    "Referral",
    "Plan",
    "RuleError",
    "RuleTrace",
    "Rule",
    "Concept",
    "ResultList",
    "to_frame",
    "summary_frame",
    "error_record",
    "patients_from_frame",
    # checking rule sets
    "validate",
    "lint",
    "test",
    "run_case",
    "Diagnostic",
    "DiagnosticList",
    "SourceLocation",
    "CaseReport",
    "CaseResult",
    "CaseFailure",
    # the library's tables
    "operators",
    "diagnostic_codes",
    "formats",
    # errors
    "Error",
    "LoadError",
    "ParseError",
    "PatientError",
    "LogicError",
    # JsonLogic on its own
    "logic",
    "__version__",
]

# The lists the core returns become these, which show as tables in notebooks.
_core._result_list = ResultList
_core._diagnostic_list = DiagnosticList

_PathLike = Union[str, "os.PathLike[str]"]


def default_rules() -> RuleSet:
    """The shipped default rule set.

    Looked up as ``$KNEAD_RULES`` if set, else the rules installed inside this package (a wheel),
    else where the C++ library looks: the source tree's ``rules/`` for a build-tree module, or the
    installed copy (see :func:`default_rules_path`).

    Raises:
        LoadError: none is found, or it does not load.
    """
    return RuleSet.load(default_rules_path())


def default_rules_path() -> str:
    """Where :func:`default_rules` loads from."""
    if os.environ.get("KNEAD_RULES"):
        return os.environ["KNEAD_RULES"]
    packaged = os.path.join(os.path.dirname(__file__), "rules")
    if os.path.isdir(packaged):
        return packaged
    return RuleSet.default_path()


def test(rules: RuleSet | _PathLike, cases: _PathLike | Sequence[_PathLike]) -> CaseReport:
    """Runs case files against a rule set, as ``knead test`` does.

    Args:
        rules: a RuleSet, or a path to load one from.
        cases: a case file or directory, or a list of them.

    Returns:
        A CaseReport with ``passed``, ``failed``, ``results``, ``unfired_rules`` and
        ``diagnostics`` (unreadable or malformed case files).

    Raises:
        LoadError: ``rules`` is a path whose rule set does not load.
        FileNotFoundError: a case file or directory named in ``cases`` does not exist.
    """
    return _core.test(rules, cases)


def _rule_set_from_pickle(fmt: int, name: str, digest: str, text: bytes) -> RuleSet:
    """Rebuilds a pickled RuleSet (``RuleSet.__reduce__`` names this function), checking its digest."""
    return _core._rule_set_from_pickle(fmt, name, digest, text)


# Not a test itself: keep pytest from collecting it where it is imported by name.
test.__test__ = False  # type: ignore[attr-defined]

