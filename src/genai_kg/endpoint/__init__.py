"""Remote SPARQL 1.1 endpoints: the protocol client (:mod:`.client`) and ``push`` (:mod:`.push`); queries
reach an endpoint through the one query pipeline (:mod:`genai_kg.pipeline`)."""

from __future__ import annotations

from . import client, push
from .client import *  # noqa: F403 - the package's names are its modules' __all__
from .push import *  # noqa: F403

__all__ = [*client.__all__, *push.__all__]
