"""Where the bundled ontology and queries live: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_dir", "ONTOLOGY_DIR", "QUERIES_DIR", "SHAPES_FILE", "PRESENTATION_FILE"]

_HERE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology`` or ``queries``) shipped with the package.

    A wheel carries them as ``genai_kg/_data/<name>`` (see pyproject.toml); a checkout or an editable install
    finds them at the repository's top level.
    """
    inside = _HERE / "_data" / name
    if inside.is_dir():
        return inside
    return _HERE.parents[1] / name


ONTOLOGY_DIR = bundled_dir("ontology")
QUERIES_DIR = bundled_dir("queries")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
#: The presentation module (colours, shapes, comparison rows), an ontology of its own that imports the domain.
PRESENTATION_FILE = ONTOLOGY_DIR / "presentation.ttl"
