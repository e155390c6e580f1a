"""The guard for untrusted input: checks before work, an audit hook during it, bounded parsers and queries.

Names load with their submodule when first used (module ``__getattr__``), so that ``--help`` and
``--version``, which need only :mod:`genai_kg.guard.output`, do not import the sandbox, pickle and the rest.
"""

from __future__ import annotations

from importlib import import_module

#: Public name → the submodule that defines it (a submodule's own name maps to itself).
_LAZY = {
    "guarded": "audit",
    "lifted": "audit",
    "time_limit": "deadline",
    "drawing_bound": "deadline",
    "DEFAULT_TIMEOUT": "limits",
    "Limits": "limits",  # replace limits.LIMITS itself to change the limits in force
    "check_algebra": "querycheck",
    "check_query_text": "querycheck",
    "refuse_update": "querycheck",
    "run_bounded": "sandbox",
    "safe_parse": "textscan",
    **{name: name for name in ("audit", "deadline", "limits", "output", "querycheck", "rdfxml", "sandbox", "textscan")},
}

__all__ = [
    "DEFAULT_TIMEOUT",
    "Limits",
    "guarded",
    "lifted",
    "safe_parse",
    "check_query_text",
    "check_algebra",
    "refuse_update",
    "run_bounded",
    "time_limit",
    "drawing_bound",
    "audit",
    "deadline",
    "limits",
    "output",
    "querycheck",
    "rdfxml",
    "sandbox",
    "textscan",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loaded = import_module(f".{module}", __name__)
    value = loaded if module == name else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
