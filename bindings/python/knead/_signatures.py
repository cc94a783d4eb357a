"""Real signatures for the extension module's functions, taken from its stubs (_core.pyi).

pybind11's functions show their signature in ``help()`` but not to ``inspect.signature``, which
IDEs, notebooks' tooltips and documentation tools use. Each public function and method of
``knead._core`` is given a thin Python wrapper whose ``__signature__`` is the one the stub
declares (names, defaults, types as written), so both show the same thing.
"""

from __future__ import annotations

import ast
import functools
import inspect
import pathlib
from typing import Any, Callable


class _Default:
    """A default value shown as the stub writes it (used when it is not a plain literal)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _default(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return _Default(ast.unparse(node))


def _annotation(node: ast.expr | None) -> Any:
    return inspect.Parameter.empty if node is None else ast.unparse(node)


def _signature(fn: ast.FunctionDef) -> inspect.Signature:
    a = fn.args
    params: list[inspect.Parameter] = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        kind = inspect.Parameter.POSITIONAL_ONLY if i < len(a.posonlyargs) else inspect.Parameter.POSITIONAL_OR_KEYWORD
        params.append(inspect.Parameter(arg.arg, kind, annotation=_annotation(arg.annotation),
                                        default=inspect.Parameter.empty if default is None else _default(default)))
    if a.vararg:
        params.append(inspect.Parameter(a.vararg.arg, inspect.Parameter.VAR_POSITIONAL))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        params.append(inspect.Parameter(arg.arg, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(arg.annotation),
                                        default=inspect.Parameter.empty if default is None else _default(default)))
    if a.kwarg:
        params.append(inspect.Parameter(a.kwarg.arg, inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(params, return_annotation=_annotation(fn.returns))


def _wrap(original: Callable[..., Any], signature: inspect.Signature) -> Callable[..., Any]:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **kwargs)

    wrapper.__signature__ = signature  # type: ignore[attr-defined]
    return wrapper


def _is_builtin(value: Any) -> bool:
    return type(value).__name__ in ("builtin_function_or_method", "instancemethod")


def _functions(body: list[ast.stmt]) -> dict[str, tuple[ast.FunctionDef, bool]]:
    """name -> (its first definition, is a staticmethod); properties are left out."""
    out: dict[str, tuple[ast.FunctionDef, bool]] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef) and node.name not in out:
            decorators = {ast.unparse(d) for d in node.decorator_list}
            if "property" in decorators:
                continue
            out[node.name] = (node, "staticmethod" in decorators)
    return out


def attach(module: Any) -> None:
    """Wraps the module's functions and its classes' methods that the stub declares."""
    stub = pathlib.Path(module.__file__).with_name("_core.pyi")
    if not stub.is_file():
        return
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    for name, (fn, _) in _functions(tree.body).items():
        value = getattr(module, name, None)
        if value is not None and _is_builtin(value):
            setattr(module, name, _wrap(value, _signature(fn)))
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        owner = getattr(module, node.name, None)
        if owner is None and node.name == "logic":
            continue
        if not isinstance(owner, type):
            continue
        for name, (fn, static) in _functions(node.body).items():
            if name.startswith("__"):
                continue
            raw = owner.__dict__.get(name)
            if raw is None:
                continue
            if static and isinstance(raw, staticmethod) and _is_builtin(raw.__func__):
                setattr(owner, name, staticmethod(_wrap(raw.__func__, _signature(fn))))
            elif not static and _is_builtin(raw):
                setattr(owner, name, _wrap(getattr(owner, name), _signature(fn)))
