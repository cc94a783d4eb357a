"""knead's JsonLogic core, usable on its own.

The condition language of every rule: the classic JsonLogic operators and the newer ones of the
community specification (``val``, ``exists``, ``??``, ``try``, ``throw``), with JavaScript's
truthiness and coercion rules::

    >>> from knead import logic
    >>> logic.apply({"+": [1, 2]}, None)
    3
    >>> program = logic.Program({"<": [1, {"var": "x"}, 10]})   # compile once
    >>> program.test({"x": 5})
    True

Errors raise :class:`knead.LogicError`; its ``type`` is the error as JsonLogic's ``try`` sees it
(``"NaN"``, ``"Invalid Arguments"``, or the value given to ``throw``).
"""

from __future__ import annotations

from typing import Any

from ._core import LogicError
from ._core import logic as _logic

Program = _logic.Program

__all__ = ["apply", "Program", "LogicError"]


def apply(rule: Any, data: Any = None) -> Any:
    """Evaluates the JsonLogic ``rule`` against ``data`` and returns the result.

    Args:
        rule: the rule, as Python objects (dicts, lists, str, numbers, bool, None).
        data: the data ``var`` and ``val`` read.

    Raises:
        LogicError: unknown operator, invalid arguments, NaN, a thrown value, or a limit.
        TypeError: the rule or data holds values that are not JSON.
        ValueError: NaN or infinite floats, integers beyond 64 bits, or nesting beyond 1024.
    """
    return _logic.apply(rule, data)
