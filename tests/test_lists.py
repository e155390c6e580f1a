"""List cells (:mod:`genai_kg.answers.lists`): the items an engine gathered with ``ENCODE_FOR_URI``, read back
whole. The fast reading (the whole cell decoded at once) must give what the reference reading (each item
unquoted on its own) gives, on cells a real engine encoded and on cells no engine writes.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from genai_kg.answers.lists import _read_items_one_by_one, read_items

#: Labels that test the decoding: separators, "%" and "+" as text, non-ASCII, astral characters, controls.
LABELS = ["Midjourney, Inc.", "a b  c", "100%", "C++ & co", "naïve", "日本語", "😀 emoji", "tab\tand\nnewline",
          "/slash/", "~tilde_", "\u00ff\u00fe", "\ufffd", "x" * 5000, "%FF", "+"]


def encoded_by_oxigraph(labels: list[str]) -> str:
    """The cell Oxigraph gathers for ``labels``, the way the named queries ask for it."""
    store = ox.Store()
    for i, label in enumerate(labels):
        store.add(ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"),
                          ox.Literal(label)))
    text = 'SELECT (GROUP_CONCAT(ENCODE_FOR_URI(STR(?l)); separator=" ") AS ?c) WHERE { ?s ?p ?l }'
    (row,) = list(store.query(text))
    return row["c"].value


def test_a_cell_oxigraph_gathered_reads_back_as_its_labels():
    cell = encoded_by_oxigraph(LABELS)
    assert read_items(cell) == sorted(LABELS)
    assert read_items(cell) == _read_items_one_by_one(cell)


@pytest.mark.parametrize("cell", [
    "", " ", "a  b", " a b ", "a+b c", "a%2Bb", "%", "a%", "%4", "a%4 b", "%zz", "%%41", "%FF", "a%ff b",
    "%C3", "%C3%A9 %C3", "%E2%82", "%F0%9F%98%80", "%00", "a%20b%20", "%e2%82%ac", "x%2", "Alpha%09Beta",
])
def test_the_fast_reading_agrees_with_the_reference(cell):
    assert read_items(cell) == _read_items_one_by_one(cell)


@pytest.mark.parametrize("cell", ["Me, Ltd", "a\\x41", "caf\u00e9", "a\tb", "x=y"])
def test_a_cell_not_in_the_gathered_form_is_not_read(cell):
    assert read_items(cell) is None


def test_a_big_cell_is_read_whole():
    """Tens of thousands of items in one cell (makers at 1M triples has 66k): each item kept whole."""
    labels = [f"System {i}, part {i % 7}" for i in range(50_000)]
    assert read_items(encoded_by_oxigraph(labels)) == sorted(labels)
