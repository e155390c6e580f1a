"""genai-kg: a knowledge graph of generative AI to query, draw and load into semantic-web tools.

The public API is these few names::

    >>> import genai_kg
    >>> kg = genai_kg.load()                       # the bundled graph (plus any files you pass)
    >>> rows = kg.query("systems-by-output", {"modality": "image"})

The names are imported when first used (module ``__getattr__``), so ``import genai_kg`` and
``genai-kg --help`` do not pay for rdflib.
"""

from importlib import import_module

from ._version import __version__  # a plain module: importlib.metadata costs more than --help itself

__all__ = ["load", "KnowledgeGraph", "list_queries", "NamedQuery", "GenaiKgError", "__version__"]

#: Public name → the submodule that defines it.
_LAZY = {
    "load": "graph",
    "KnowledgeGraph": "graph",
    "list_queries": "catalog",
    "NamedQuery": "catalog",
    "GenaiKgError": "errors",
}


def __getattr__(name: str):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
