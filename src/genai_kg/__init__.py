"""genai-kg: a knowledge graph of generative AI to query, draw and load into semantic-web tools.

The public API is these few names::

    >>> import genai_kg
    >>> kg = genai_kg.load()                       # the bundled graph (plus any files you pass)
    >>> rows = kg.query("systems-by-output", modality="image")
    >>> "gkg:DALL-E" in repr(rows), rows.vars[:2]
    (True, ['system', 'label'])

The names are imported when first used (module ``__getattr__``), so ``import genai_kg`` and
``genai-kg --help`` do not pay for rdflib, and never import pandas or IPython. Submodules load the same
way: ``genai_kg.views.render_view`` works after a bare ``import genai_kg``.
"""

from importlib import import_module
from importlib.util import find_spec

from ._version import __version__  # a plain module: importlib.metadata costs more than --help itself

__all__ = ["load", "KnowledgeGraph", "QueryResult", "View", "list_queries", "NamedQuery", "GenaiKgError", "__version__"]

#: Public name → the submodule that defines it.
_LAZY = {
    "load": "graph",
    "KnowledgeGraph": "graph",
    "QueryResult": "answers",
    "View": "views",
    "list_queries": "catalog",
    "NamedQuery": "catalog",
    "GenaiKgError": "errors",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(import_module(f".{module}", __name__), name)
    elif not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        value = import_module(f".{name}", __name__)  # a submodule: genai_kg.views after `import genai_kg`
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
