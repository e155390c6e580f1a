"""The guard for untrusted input: checks before work, an audit hook during it, bounded parsers and queries."""

from __future__ import annotations

from . import audit, deadline, limits, output, querycheck, rdfxml, sandbox, textscan
from .audit import guarded, lifted
from .deadline import time_limit
from .limits import DEFAULT_TIMEOUT, Limits  # replace limits.LIMITS itself to change the limits in force
from .querycheck import check_algebra, check_query_text, refuse_update
from .sandbox import run_bounded
from .textscan import safe_parse

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
    "audit",
    "deadline",
    "limits",
    "output",
    "querycheck",
    "rdfxml",
    "sandbox",
    "textscan",
]
