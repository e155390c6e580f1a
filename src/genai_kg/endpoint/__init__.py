"""Remote SPARQL 1.1 endpoints: the protocol client (:mod:`.client`), the graph queries and ``push`` share
by default (:mod:`.graphs`) and ``push`` (:mod:`.push`); queries reach an endpoint through the one query
pipeline (:mod:`genai_kg.pipeline`)."""

from __future__ import annotations

from . import client, graphs, push
from .client import *  # noqa: F403 - the package's names are its modules' __all__
from .graphs import *  # noqa: F403
from .push import *  # noqa: F403

__all__ = [*client.__all__, *graphs.__all__, *push.__all__]
