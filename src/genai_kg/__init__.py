"""genai-kg: a knowledge graph of generative AI to query, draw and load into semantic-web tools.

The public API is these few names::

    >>> import genai_kg
    >>> kg = genai_kg.load()                       # the bundled graph (plus any files you pass)
    >>> rows = kg.query("systems-by-output", {"modality": "image"})
"""

from importlib.metadata import PackageNotFoundError, version

from .catalog import NamedQuery, list_queries
from .errors import GenaiKgError
from .graph import KnowledgeGraph, load

try:
    __version__ = version("genai-kg")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without installing
    __version__ = "0.0.0+unknown"

__all__ = ["load", "KnowledgeGraph", "list_queries", "NamedQuery", "GenaiKgError", "__version__"]
